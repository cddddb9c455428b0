"""The files of a OneRoster 1.1 export, their columns and vocabularies, and the problems reported."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from district.models import Grade, RaceEthnicity, Sex, StaffRole

MANIFEST = "manifest.csv"
ORGS = "orgs.csv"
SESSIONS = "academicSessions.csv"
USERS = "users.csv"
ENROLLMENTS = "enrollments.csv"
DEMOGRAPHICS = "demographics.csv"

# The columns of each file this app reads, in the order OneRoster 1.1 sets them. The standard lets
# extension columns named metadata.* follow them.
HEADERS: dict[str, tuple[str, ...]] = {
    ORGS: ("sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"),
    SESSIONS: (
        "sourcedId",
        "status",
        "dateLastModified",
        "title",
        "type",
        "startDate",
        "endDate",
        "parentSourcedId",
        "schoolYear",
    ),
    USERS: (
        "sourcedId",
        "status",
        "dateLastModified",
        "enabledUser",
        "orgSourcedIds",
        "role",
        "username",
        "userIds",
        "givenName",
        "familyName",
        "middleName",
        "identifier",
        "email",
        "sms",
        "phone",
        "agentSourcedIds",
        "grades",
        "password",
    ),
    ENROLLMENTS: (
        "sourcedId",
        "status",
        "dateLastModified",
        "classSourcedId",
        "schoolSourcedId",
        "userSourcedId",
        "role",
        "primary",
        "beginDate",
        "endDate",
    ),
    DEMOGRAPHICS: (
        "sourcedId",
        "status",
        "dateLastModified",
        "birthDate",
        "sex",
        "americanIndianOrAlaskaNative",
        "asian",
        "blackOrAfricanAmerican",
        "nativeHawaiianOrOtherPacificIslander",
        "white",
        "demographicRaceTwoOrMoreRaces",
        "hispanicOrLatinoEthnicity",
        "countryOfBirthCode",
        "stateOfBirthAbbreviation",
        "cityOfBirth",
        "publicSchoolResidenceStatus",
    ),
}
ROSTER_FILES = tuple(HEADERS)
MANIFEST_HEADER = ("propertyName", "value")
EXTENSION_PREFIX = "metadata."

ACTIVE = "active"
TO_BE_DELETED = "tobedeleted"
STATUSES = (ACTIVE, TO_BE_DELETED)
ORG_TYPES = ("department", "school", "district", "local", "state", "national")
SESSION_TYPES = ("gradingPeriod", "semester", "schoolYear", "term")
SCHOOL_YEAR = "schoolYear"
USER_ROLES = ("administrator", "aide", "guardian", "parent", "proctor", "relative", "student", "teacher")
ENROLLMENT_ROLES = ("administrator", "proctor", "student", "teacher")
STAFF_ROLES = {
    "teacher": StaffRole.TEACHER,
    "administrator": StaffRole.ADMINISTRATOR,
    "aide": StaffRole.AIDE,
    "proctor": StaffRole.PROCTOR,
}
GUARDIAN_ROLES = ("guardian", "parent", "relative")
SEXES = {"male": Sex.MALE, "female": Sex.FEMALE}
# CEDS Entry Grade Level codes, which OneRoster uses for grades.
CEDS_GRADES = ("IT", "PR", "PK", "TK", "KG", *(f"{n:02d}" for n in range(1, 14)), "PS", "UG", "Other")
# The CEDS grades a Student keeps; the others (infant, preschool, grade 13...) are left blank.
STUDENT_GRADES = frozenset(Grade.values)
RACE_FLAGS = (
    ("americanIndianOrAlaskaNative", RaceEthnicity.AMERICAN_INDIAN),
    ("asian", RaceEthnicity.ASIAN),
    ("blackOrAfricanAmerican", RaceEthnicity.BLACK),
    ("nativeHawaiianOrOtherPacificIslander", RaceEthnicity.PACIFIC_ISLANDER),
    ("white", RaceEthnicity.WHITE),
)
TWO_OR_MORE_FLAG = "demographicRaceTwoOrMoreRaces"
HISPANIC_FLAG = "hispanicOrLatinoEthnicity"


@cache
def max_length(model, field_name: str) -> int:
    """A model field's max_length, which a value from the export must fit."""
    return model._meta.get_field(field_name).max_length


def show_value(value: str) -> str:
    """A value from the export as an error message quotes it, cut short when long."""
    return repr(value if len(value) <= 60 else value[:57] + "...")


class FileMode(StrEnum):
    BULK = "bulk"
    DELTA = "delta"
    ABSENT = "absent"


class RosterFileError(Exception):
    """The upload cannot be read as a OneRoster export at all: not a zip file, no manifest, and so on."""


@dataclass(frozen=True)
class RowError:
    """One problem in an export: which file, which line (None: the whole file), which field, and why."""

    file: str
    line: int | None
    field: str
    reason: str

    def as_dict(self) -> dict[str, str | int | None]:
        return dataclasses.asdict(self)
