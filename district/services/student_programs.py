"""The student programs import: each student's disability group (IDEA, Section 504 only, neither) and
English-learner status, which OneRoster 1.1 does not carry, from a small CSV the student information
system exports. The roster import's rules: every row is checked first, and if any is wrong nothing is
written and each problem is listed with its line; the file itself is read in memory and never kept.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from district.models import Disability, Student, StudentDemographics

COLUMNS = ("student_id", "idea", "section_504", "english_learner")
YES = {"y", "yes", "true", "1"}
NO = {"n", "no", "false", "0"}


@dataclass(frozen=True)
class ProgramsRowError:
    line: int
    field: str
    reason: str


class StudentProgramsRejected(Exception):
    """The file had problems; nothing was written."""

    def __init__(self, errors: list[ProgramsRowError]):
        super().__init__(f"{len(errors)} problem(s); nothing was written.")
        self.errors = errors


def _flag(value: str) -> bool | None:
    value = value.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    if value == "":
        return None
    raise ValueError(value)


def _disability(idea: bool | None, section_504: bool | None) -> str:
    # A student with an IEP under IDEA is counted under IDEA whatever the 504 column says: the civil
    # rights tables' "Section 504 only" means a 504 plan without IDEA.
    if idea:
        return Disability.IDEA
    if section_504:
        return Disability.SECTION_504
    if idea is None and section_504 is None:
        return Disability.NOT_REPORTED
    return Disability.NONE


def _read(data: bytes) -> tuple[list[dict], list[ProgramsRowError]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [ProgramsRowError(1, "", "The file is not UTF-8 text. Export it as CSV (UTF-8).")]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        return [], [
            ProgramsRowError(
                1, ", ".join(missing), f"Missing column(s); the header must be {','.join(COLUMNS)}."
            )
        ]
    reader.fieldnames = header
    rows, errors, seen = [], [], {}
    for row in reader:
        line = reader.line_num
        student_id = (row.get("student_id") or "").strip()
        if not student_id:
            errors.append(ProgramsRowError(line, "student_id", "The student id is empty."))
            continue
        if student_id in seen:
            errors.append(
                ProgramsRowError(
                    line, "student_id", f"Student {student_id} is also on line {seen[student_id]}."
                )
            )
            continue
        seen[student_id] = line
        flags = {}
        for name in COLUMNS[1:]:
            try:
                flags[name] = _flag(row.get(name) or "")
            except ValueError:
                errors.append(
                    ProgramsRowError(
                        line, name, f"“{row.get(name)}” is not yes or no (or empty for not known)."
                    )
                )
        rows.append({"line": line, "student_id": student_id, **flags})
    return rows, errors


def student_programs_import(*, data: bytes) -> dict[str, int]:
    """Check every row of the CSV, then write all of it or nothing. Returns the counts written."""
    if not settings.SRO_DEMOGRAPHICS_ENABLED:
        raise ValidationError("The district keeps no student demographics, so there is nothing to import.")
    rows, errors = _read(data)
    students = dict(
        Student.objects.filter(student_number__in=[row["student_id"] for row in rows]).values_list(
            "student_number", "pk"
        )
    )
    for row in rows:
        if row["student_id"] not in students and not any(error.line == row["line"] for error in errors):
            errors.append(
                ProgramsRowError(row["line"], "student_id", f"No student {row['student_id']} on the roster.")
            )
    if errors:
        raise StudentProgramsRejected(sorted(errors, key=lambda error: error.line))
    with transaction.atomic():
        existing = {
            demographics.student_id: demographics
            for demographics in StudentDemographics.objects.select_for_update().filter(
                student_id__in=students.values()
            )
        }
        changed, new = [], []
        for row in rows:
            pk = students[row["student_id"]]
            disability = _disability(row["idea"], row["section_504"])
            english_learner = row["english_learner"]
            current = existing.get(pk)
            if current is None:
                new.append(
                    StudentDemographics(student_id=pk, disability=disability, english_learner=english_learner)
                )
            elif (current.disability, current.english_learner) != (disability, english_learner):
                current.disability, current.english_learner = disability, english_learner
                changed.append(current)
        if new:
            bulk_create_with_history(new, StudentDemographics)
        if changed:
            bulk_update_with_history(changed, StudentDemographics, ["disability", "english_learner"])
    return {
        "rows": len(rows),
        "created": len(new),
        "updated": len(changed),
        "unchanged": len(rows) - len(new) - len(changed),
    }
