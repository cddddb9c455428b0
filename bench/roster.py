"""A synthetic OneRoster 1.1 bulk export of any size, for timing the roster import."""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.files.base import ContentFile

from district.oneroster import schema
from district.oneroster.reading import zip_folder
from district.services.roster_import import roster_import_create

SCHOOLS = 8


def _row(csv_file: str, /, **values: str) -> dict[str, str]:
    return {**dict.fromkeys(schema.HEADERS[csv_file], ""), **values}


def _write(folder: Path, name: str, rows: list[dict[str, str]]) -> None:
    with (folder / name).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(schema.HEADERS[name]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def generate_export(folder: Path, *, students: int) -> Path:
    """Write a bulk export with ``students`` students (each with one guardian) to ``folder``."""
    export = folder / "roster"
    export.mkdir()
    (export / schema.MANIFEST).write_text(
        "propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\n"
        "file.academicSessions,bulk\nfile.categories,absent\nfile.classes,absent\n"
        "file.classResources,absent\nfile.courses,absent\nfile.courseResources,absent\n"
        "file.demographics,absent\nfile.enrollments,bulk\nfile.lineItems,absent\nfile.orgs,bulk\n"
        "file.resources,absent\nfile.results,absent\nfile.users,bulk\n"
        "source.systemName,Benchmark SIS\nsource.systemCode,bench\n"
    )
    orgs = [_row(schema.ORGS, sourcedId="org-d", name="Bench District", type="district", identifier="BD")]
    orgs += [
        _row(schema.ORGS, sourcedId=f"org-{n}", name=f"Bench School {n}", type="school",
             identifier=f"BS{n}", parentSourcedId="org-d")
        for n in range(SCHOOLS)
    ]  # fmt: skip
    _write(export, schema.ORGS, orgs)
    year = _row(schema.SESSIONS, sourcedId="as-1", title="2031-2032", type="schoolYear",
                startDate="2031-07-01", endDate="2032-06-30", schoolYear="2032")  # fmt: skip
    _write(export, schema.SESSIONS, [year])
    users, enrollments = [], []
    for n in range(students):
        school = f"org-{n % SCHOOLS}"
        common = {"enabledUser": "true", "orgSourcedIds": school, "familyName": f"Family{n}"}
        users.append(
            _row(schema.USERS, **common, sourcedId=f"s-{n}", role="student", username=f"s{n}",
                 givenName=f"Given{n}", identifier=f"{500000 + n}", agentSourcedIds=f"g-{n}",
                 grades=f"{n % 12 + 1:02d}")
        )  # fmt: skip
        users.append(
            _row(schema.USERS, **common, sourcedId=f"g-{n}", role="parent", username=f"g{n}",
                 givenName=f"Parent{n}", email=f"parent{n}@family.example", agentSourcedIds=f"s-{n}")
        )  # fmt: skip
        enrollments.append(
            _row(schema.ENROLLMENTS, sourcedId=f"e-{n}", classSourcedId=f"c-{n % SCHOOLS}",
                 schoolSourcedId=school, userSourcedId=f"s-{n}", role="student", primary="false",
                 beginDate="2031-09-08", endDate="2032-06-25")
        )  # fmt: skip
    _write(export, schema.USERS, users)
    _write(export, schema.ENROLLMENTS, enrollments)
    return export


def import_export(path: Path):
    """Import the export synchronously, as ``manage.py import_oneroster`` does."""
    upload = ContentFile(zip_folder(path), name="bench.zip")
    roster_import = roster_import_create(uploaded_by=None, file=upload, in_background=False)
    assert roster_import.status == "succeeded", roster_import.errors[:5]
    return roster_import
