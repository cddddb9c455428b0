"""Reading an export: a zip file (or a folder) to the manifest's file modes and the files' texts."""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from django.template.defaultfilters import filesizeformat

from .schema import (
    MANIFEST,
    MANIFEST_HEADER,
    ROSTER_FILES,
    FileMode,
    RosterFileError,
    RowError,
)
from .schema import show_value as _show

# A roster export is text and compresses well: one whose files come to more than this once unzipped
# is more likely a zip bomb than a school district. The import passes the district's own limit
# (SRO_ROSTER_MAX_UNCOMPRESSED_BYTES); this is the default.
DEFAULT_MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024


@dataclass
class RosterArchive:
    """The manifest's mode for each roster file and the text of each file to read."""

    modes: dict[str, FileMode]
    texts: dict[str, str]
    errors: list[RowError] = field(default_factory=list)

    @property
    def mode(self) -> str:
        """``delta`` when any file is a delta, else ``bulk`` (ImportMode's values)."""
        return FileMode.DELTA if FileMode.DELTA in self.modes.values() else FileMode.BULK

    def row_counts(self) -> dict[str, int]:
        return {name: _count_records(text) for name, text in self.texts.items()}

    def row_count(self) -> int:
        return sum(self.row_counts().values())


def _count_records(text: str) -> int:
    count = -1  # the header
    try:
        for values in csv.reader(io.StringIO(text, newline="")):
            if any(value.strip() for value in values):
                count += 1
    except csv.Error:
        pass  # parse_roster reports where the file stops being CSV
    return max(count, 0)


def read_roster(
    source: Path | IO[bytes], *, max_bytes: int = DEFAULT_MAX_UNCOMPRESSED_BYTES
) -> RosterArchive:
    """Open an export (a zip file, given as a path or an open binary file, or a folder of CSV files).

    Raises ``RosterFileError`` when it cannot be read at all, or when the files it reads come to more
    than ``max_bytes``; problems inside the manifest or the files are returned in ``errors`` so that
    they can be reported with the rows.
    """
    if isinstance(source, Path) and source.is_dir():
        files = _folder_files(source, max_bytes=max_bytes)
    else:
        files = _zip_files(source, max_bytes=max_bytes)
    entries, errors = _read_manifest(files[MANIFEST])
    version = entries.get("oneroster.version")
    if version is None:
        raise RosterFileError(
            "manifest.csv does not say which OneRoster version the export follows "
            "(oneroster.version); this import reads OneRoster 1.1 exports."
        )
    if version[0] != "1.1":
        raise RosterFileError(
            f"The export follows OneRoster {version[0]}; this import reads OneRoster 1.1 exports. "
            "Ask for a OneRoster 1.1 CSV export."
        )
    modes: dict[str, FileMode] = {}
    for name in ROSTER_FILES:
        key = f"file.{name.removesuffix('.csv')}"
        value, line = entries.get(key, ("", None))
        if line is None:
            errors.append(
                RowError(MANIFEST, None, key, "is missing: the manifest must say bulk, delta or absent")
            )
        elif value not in tuple(FileMode):
            errors.append(RowError(MANIFEST, line, key, f"must be bulk, delta or absent, not {_show(value)}"))
        modes[name] = FileMode(value) if value in tuple(FileMode) else FileMode.ABSENT
    if all(mode == FileMode.ABSENT for mode in modes.values()) and not errors:
        raise RosterFileError("The manifest marks every roster file absent: there is nothing to import.")
    texts: dict[str, str] = {}
    for name, mode in modes.items():
        if mode == FileMode.ABSENT:
            continue
        if name not in files:
            errors.append(
                RowError(name, None, "", f"is listed as {mode} in the manifest but is not in the export")
            )
            continue
        try:
            texts[name] = files[name].decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = files[name].count(b"\n", 0, exc.start) + 1
            errors.append(RowError(name, line, "", "is not UTF-8 text; export the files as UTF-8"))
    return RosterArchive(modes=modes, texts=texts, errors=errors)


def _too_big(max_bytes: int) -> RosterFileError:
    return RosterFileError(
        f"The export's files come to more than {filesizeformat(max_bytes)} once unzipped, which is more "
        "than this import accepts. Check that it is the district's OneRoster export; if it is, the "
        "system administrator can raise the limit (ROSTER_MAX_UNCOMPRESSED_BYTES)."
    )


def _folder_files(folder: Path, *, max_bytes: int) -> dict[str, bytes]:
    if not (folder / MANIFEST).is_file():
        raise RosterFileError(
            f"The folder {folder.name} holds no manifest.csv; it is not a OneRoster export."
        )
    paths = {name: folder / name for name in (MANIFEST, *ROSTER_FILES) if (folder / name).is_file()}
    if sum(path.stat().st_size for path in paths.values()) > max_bytes:
        raise _too_big(max_bytes)
    files, left = {}, max_bytes
    for name, path in paths.items():
        with path.open("rb") as handle:
            files[name] = handle.read(left + 1)  # a file may grow after the look at its size
        left -= len(files[name])
        if left < 0:
            raise _too_big(max_bytes)
    return files


def _zip_files(source: Path | IO[bytes], *, max_bytes: int) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise RosterFileError(
            "This file is not a zip file, or it is damaged. Upload the .zip file exactly as the "
            "student information system exported it."
        ) from exc
    with archive:
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir() and not info.filename.startswith("__MACOSX/")
        ]
        manifests = [info for info in members if PurePosixPath(info.filename).name == MANIFEST]
        if not manifests:
            raise RosterFileError("The zip file holds no manifest.csv, so it is not a OneRoster export.")
        if len(manifests) > 1:
            raise RosterFileError(
                "The zip file holds more than one manifest.csv; upload one export at a time."
            )
        # Some systems zip the export's folder rather than its files: read beside the manifest.
        folder = PurePosixPath(manifests[0].filename).parent
        wanted = {str(folder / name): name for name in (MANIFEST, *ROSTER_FILES)}
        chosen = [info for info in members if info.filename in wanted]
        # The sizes the zip declares, before anything is unzipped...
        if sum(info.file_size for info in chosen) > max_bytes:
            raise _too_big(max_bytes)
        # ...and the bytes that actually come out, since a crafted zip may declare less than it holds.
        files, left = {}, max_bytes
        for info in chosen:
            files[wanted[info.filename]] = data = _read_member(archive, info, limit=left + 1)
            left -= len(data)
            if left < 0:
                raise _too_big(max_bytes)
        return files


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, limit: int) -> bytes:
    """At most ``limit`` bytes of one member."""
    try:
        with archive.open(info) as member:
            return member.read(limit)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
        # RuntimeError: encrypted; NotImplementedError: a compression method zipfile lacks.
        raise RosterFileError(
            f"{info.filename} cannot be read from the zip file: it is damaged or encrypted."
        ) from exc


def _read_manifest(data: bytes) -> tuple[dict[str, tuple[str, int]], list[RowError]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RosterFileError("manifest.csv is not UTF-8 text.") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    entries: dict[str, tuple[str, int]] = {}
    errors: list[RowError] = []
    try:
        header = next(reader, [])
        if tuple(value.strip() for value in header) != MANIFEST_HEADER:
            raise RosterFileError("manifest.csv must begin with the header line propertyName,value.")
        next_line = reader.line_num + 1
        for values in reader:
            line, next_line = next_line, reader.line_num + 1
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(MANIFEST_HEADER):
                errors.append(RowError(MANIFEST, line, "", f"has {len(values)} fields; the header has 2"))
                continue
            name, value = (value.strip() for value in values)
            if name in entries:
                errors.append(
                    RowError(MANIFEST, line, name, f"is given again; first on line {entries[name][1]}")
                )
                continue
            entries[name] = (value, line)
    except csv.Error as exc:
        raise RosterFileError(f"manifest.csv cannot be read as CSV: {exc}.") from exc
    return entries, errors


def zip_folder(folder: Path) -> bytes:
    """The export files of a folder as one zip file, the form in which uploads are kept."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in (MANIFEST, *ROSTER_FILES):
            if (folder / name).is_file():
                archive.write(folder / name, arcname=name)
    return buffer.getvalue()
