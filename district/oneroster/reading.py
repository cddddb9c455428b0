"""Reading an export: a zip file (or a folder) to the manifest's file modes and the files' texts."""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from .schema import (
    MANIFEST,
    MANIFEST_HEADER,
    ROSTER_FILES,
    FileMode,
    RosterFileError,
    RowError,
)
from .schema import show_value as _show

# A roster export is text and compresses well; a member bigger than this is more likely a zip bomb
# than a school district.
MAX_FILE_BYTES = 200 * 1024 * 1024


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


def read_roster(source: Path | IO[bytes]) -> RosterArchive:
    """Open an export (a zip file, given as a path or an open binary file, or a folder of CSV files).

    Raises ``RosterFileError`` when it cannot be read at all; problems inside the manifest or the
    files are returned in ``errors`` so that they can be reported with the rows.
    """
    files = _folder_files(source) if isinstance(source, Path) and source.is_dir() else _zip_files(source)
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


def _folder_files(folder: Path) -> dict[str, bytes]:
    if not (folder / MANIFEST).is_file():
        raise RosterFileError(
            f"The folder {folder.name} holds no manifest.csv; it is not a OneRoster export."
        )
    return {
        name: (folder / name).read_bytes() for name in (MANIFEST, *ROSTER_FILES) if (folder / name).is_file()
    }


def _zip_files(source: Path | IO[bytes]) -> dict[str, bytes]:
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
        return {
            wanted[info.filename]: _read_member(archive, info) for info in members if info.filename in wanted
        }


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    too_big = RosterFileError(f"{info.filename} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    if info.file_size > MAX_FILE_BYTES:
        raise too_big
    try:
        with archive.open(info) as member:
            data = member.read(MAX_FILE_BYTES + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
        # RuntimeError: encrypted; NotImplementedError: a compression method zipfile lacks.
        raise RosterFileError(
            f"{info.filename} cannot be read from the zip file: it is damaged or encrypted."
        ) from exc
    if len(data) > MAX_FILE_BYTES:
        raise too_big
    return data


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
