"""What a checked export maps to, and what the database holds already as far as checking needs it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from district.models import RaceEthnicity, SchoolLevel

from .schema import HISPANIC_FLAG, RACE_FLAGS, TWO_OR_MORE_FLAG, FileMode, RowError


@dataclass(frozen=True)
class KnownRecords:
    """What the database holds already, as far as checking an export needs it."""

    school_ids: frozenset[str] = frozenset()
    school_codes: Mapping[str, str | None] = field(default_factory=dict)  # code -> sourcedId or None
    year_ids: frozenset[str] = frozenset()
    year_names: Mapping[str, str | None] = field(default_factory=dict)  # name -> sourcedId or None
    student_ids: frozenset[str] = frozenset()
    staff_ids: frozenset[str] = frozenset()
    guardian_ids: frozenset[str] = frozenset()
    student_numbers: Mapping[str, str] = field(default_factory=dict)  # student number -> sourcedId


@dataclass(frozen=True)
class SchoolRecord:
    sourced_id: str
    code: str
    name: str
    level: str


@dataclass(frozen=True)
class AcademicYearRecord:
    sourced_id: str
    name: str
    start_date: date
    end_date: date


@dataclass(frozen=True)
class StudentRecord:
    sourced_id: str
    student_number: str
    given_name: str
    middle_name: str
    family_name: str
    grade: str
    school_sourced_id: str | None
    birth_date: date | None = None  # None: the export does not say; keep what is known
    email: str = ""


@dataclass(frozen=True)
class StudentChange:
    """A delta's news about a student whose users.csv row is not in it: an enrollment, a birth date."""

    school_sourced_id: str | None = None
    birth_date: date | None = None


@dataclass(frozen=True)
class StaffRecord:
    sourced_id: str
    identifier: str
    given_name: str
    family_name: str
    email: str
    role: str
    school_sourced_ids: frozenset[str]


@dataclass(frozen=True)
class GuardianRecord:
    sourced_id: str
    given_name: str
    family_name: str
    email: str
    phone: str
    relationship: str


@dataclass(frozen=True)
class DemographicsRecord:
    student_sourced_id: str
    sex: str
    race_ethnicity: str


@dataclass
class Roster:
    """A checked export, mapped to the district's records. Write it only when ``errors`` is empty."""

    modes: dict[str, FileMode]
    row_counts: dict[str, int]
    errors: list[RowError] = field(default_factory=list)
    schools: list[SchoolRecord] = field(default_factory=list)
    academic_years: list[AcademicYearRecord] = field(default_factory=list)
    students: list[StudentRecord] = field(default_factory=list)
    student_changes: dict[str, StudentChange] = field(default_factory=dict)
    staff: list[StaffRecord] = field(default_factory=list)
    guardians: list[GuardianRecord] = field(default_factory=list)
    demographics: list[DemographicsRecord] = field(default_factory=list)
    # (guardian sourcedId, student sourcedId), declared on either side through agentSourcedIds.
    guardian_links: set[tuple[str, str]] = field(default_factory=set)
    # People whose own agentSourcedIds list is given, and so complete: links missing from it end.
    link_owners: set[str] = field(default_factory=set)
    # sourcedIds of rows with status tobedeleted.
    deleted_orgs: set[str] = field(default_factory=set)
    deleted_users: set[str] = field(default_factory=set)
    deleted_demographics: set[str] = field(default_factory=set)

    def is_bulk(self, name: str) -> bool:
        return self.modes.get(name) == FileMode.BULK


def school_level_from_name(name: str) -> str:
    """A guess at the level from the school's name; ``other`` when the name does not say."""
    lowered = name.lower()
    if re.search(r"\b(elementary|primary)\b", lowered):
        return SchoolLevel.ELEMENTARY
    if re.search(r"\b(middle|intermediate|junior high)\b", lowered):
        return SchoolLevel.MIDDLE
    if re.search(r"\bhigh\b", lowered):
        return SchoolLevel.HIGH
    return SchoolLevel.OTHER


def race_ethnicity_from(flags: Mapping[str, bool | None]) -> str:
    """The federal seven categories: Hispanic whatever the race, then two or more races, then one."""
    if flags.get(HISPANIC_FLAG):
        return RaceEthnicity.HISPANIC
    races = [race for flag, race in RACE_FLAGS if flags.get(flag)]
    if flags.get(TWO_OR_MORE_FLAG) or len(races) > 1:
        return RaceEthnicity.TWO_OR_MORE
    return races[0] if races else RaceEthnicity.NOT_REPORTED


def academic_year_name(start: date, end: date) -> str:
    return f"{start.year}-{end.year}" if start.year != end.year else str(start.year)
