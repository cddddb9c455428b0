"""A OneRoster export on disk that a test may spoil row by row, and ways to import one."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from django.core.files.base import ContentFile

import district
from district.oneroster import schema
from district.oneroster.reading import RosterArchive, read_roster, zip_folder
from district.services.roster_import import roster_import_create

DISTRICT_DIR = Path(district.__file__).parent
SAMPLE = DISTRICT_DIR / "sample_roster"
SAMPLE_DELTA = DISTRICT_DIR / "sample_roster_delta"


class RosterFolder:
    """A OneRoster export in a folder, with small helpers to spoil or change it row by row."""

    def __init__(self, path: Path):
        self.path = path

    def rows(self, name: str) -> list[dict[str, str]]:
        with (self.path / name).open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    def write(self, name: str, rows: list[dict[str, str]], *, header: list[str] | None = None) -> None:
        header = header or list(schema.HEADERS[name])
        with (self.path / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    def line_of(self, name: str, sourced_id: str) -> int:
        """The line of a row (the header is line 1; the sample has one line per row)."""
        ids = [row["sourcedId"] for row in self.rows(name)]
        return ids.index(sourced_id) + 2

    def row(self, name: str, sourced_id: str) -> dict[str, str]:
        return next(row for row in self.rows(name) if row["sourcedId"] == sourced_id)

    def edit(self, name: str, sourced_id: str, /, **changes: str) -> None:
        rows = self.rows(name)
        for row in rows:
            if row["sourcedId"] == sourced_id:
                row.update(changes)
        self.write(name, rows)

    def append(self, name: str, row: dict[str, str]) -> int:
        """Add a row; returns its line."""
        rows = [*self.rows(name), dict.fromkeys(schema.HEADERS[name], "") | row]
        self.write(name, rows)
        return len(rows) + 1

    def drop(self, name: str, *sourced_ids: str, column: str = "sourcedId") -> None:
        self.write(name, [row for row in self.rows(name) if row[column] not in sourced_ids])

    def remove_student(self, sourced_id: str) -> None:
        """Take a student out of every file, as a bulk export does once the student has left."""
        self.drop(schema.USERS, sourced_id)
        self.drop(schema.ENROLLMENTS, sourced_id, column="userSourcedId")
        self.drop(schema.DEMOGRAPHICS, sourced_id)
        rows = self.rows(schema.USERS)
        for row in rows:
            agents = [agent for agent in row["agentSourcedIds"].split(",") if agent and agent != sourced_id]
            row["agentSourcedIds"] = ",".join(agents)
        self.write(schema.USERS, rows)

    def set_manifest(self, **modes: str) -> None:
        """Change manifest lines, e.g. ``set_manifest(**{"file.users": "delta"})``."""
        with (self.path / schema.MANIFEST).open(newline="", encoding="utf-8") as handle:
            lines = list(csv.reader(handle))
        lines = [[name, modes.pop(name, value)] for name, value in lines]
        lines += [[name, value] for name, value in modes.items()]
        with (self.path / schema.MANIFEST).open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\n").writerows(lines)

    def zip_bytes(self) -> bytes:
        return zip_folder(self.path)

    def archive(self) -> RosterArchive:
        return read_roster(self.path)


def run_import(folder: Path | RosterFolder, *, user=None, in_background: bool | None = False):
    """Import a folder as the command does; returns the RosterImport."""
    path = folder.path if isinstance(folder, RosterFolder) else folder
    upload = ContentFile(zip_folder(path), name=f"{path.name}.zip")
    return roster_import_create(uploaded_by=user, file=upload, in_background=in_background)


def zip_of(files: dict[str, str | bytes]) -> bytes:
    """A zip holding the given files, for uploads that are not made from a folder."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def with_declared_size(content: bytes, size: int) -> bytes:
    """The zip ``content`` with every member's uncompressed size in its headers rewritten to ``size``:
    a zip that lies about what it holds."""
    data = bytearray(content)
    # (signature, offset of the uncompressed size) in local file headers and central directory entries
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = data.find(signature)
        while start != -1:
            data[start + offset : start + offset + 4] = size.to_bytes(4, "little")
            start = data.find(signature, start + 4)
    return bytes(data)
