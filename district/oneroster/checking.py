"""Checking every row of an export and mapping the valid ones to the records the district keeps.

What the database holds already comes in as ``KnownRecords``, so this module never queries or writes.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from district.models import Guardian, School, Sex, Staff, Student

from .reading import RosterArchive
from .records import (
    AcademicYearRecord,
    DemographicsRecord,
    GuardianRecord,
    KnownRecords,
    Roster,
    SchoolRecord,
    StaffRecord,
    StudentChange,
    StudentRecord,
    academic_year_name,
    race_ethnicity_from,
    school_level_from_name,
)
from .schema import (
    CEDS_GRADES,
    DEMOGRAPHICS,
    ENROLLMENT_ROLES,
    ENROLLMENTS,
    EXTENSION_PREFIX,
    GUARDIAN_ROLES,
    HEADERS,
    HISPANIC_FLAG,
    MANIFEST,
    ORG_TYPES,
    ORGS,
    RACE_FLAGS,
    ROSTER_FILES,
    SCHOOL_YEAR,
    SESSION_TYPES,
    SESSIONS,
    SEXES,
    STAFF_ROLES,
    STATUSES,
    STUDENT_GRADES,
    TO_BE_DELETED,
    TWO_OR_MORE_FLAG,
    USER_ROLES,
    USERS,
    FileMode,
    RowError,
)
from .schema import max_length as _max_length
from .schema import show_value as _show

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEAR = re.compile(r"\d{4}")
_USER_ID = re.compile(r"\{[^{}:]+:[^{}]+\}")


def parse_roster(archive: RosterArchive, *, known: KnownRecords, today: date) -> Roster:
    """Check every row of the export and map the valid rows; every problem is kept in ``errors``."""
    return _Parser(archive, known=known, today=today).parse()


class _Row:
    """One data row of a file; its checks add to the shared error list and mark the row bad."""

    def __init__(self, file: str, line: int, values: dict[str, str], errors: list[RowError]):
        self.file = file
        self.line = line
        self.values = values
        self.errors = errors
        self.bad = False

    def error(self, field_name: str, reason: str) -> None:
        self.errors.append(RowError(self.file, self.line, field_name, reason))
        self.bad = True

    def text(self, name: str, *, required: bool = False, max_length: int | None = None, why: str = "") -> str:
        value = self.values[name]
        if required and not value:
            self.error(name, f"is required{why}")
        elif max_length is not None and len(value) > max_length:
            self.error(name, f"is longer than {max_length} characters")
        return value

    def choice(self, name: str, choices: Iterable[str], *, required: bool = False, why: str = "") -> str:
        value = self.text(name, required=required, why=why)
        if value and value not in choices:
            self.error(name, f"must be one of {', '.join(choices)}, not {_show(value)}")
        return value

    def date(self, name: str, *, required: bool = False) -> date | None:
        value = self.text(name, required=required)
        if not value:
            return None
        try:
            if not _DATE.fullmatch(value):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            self.error(name, f"must be a date written YYYY-MM-DD, not {_show(value)}")
            return None

    def datetime(self, name: str, *, required: bool = False, why: str = "") -> datetime | None:
        value = self.text(name, required=required, why=why)
        if not value:
            return None
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            self.error(
                name, f"must be an ISO 8601 date and time such as 2026-09-01T12:00:00Z, not {_show(value)}"
            )
            return None

    def boolean(self, name: str, *, required: bool = False) -> bool | None:
        value = self.text(name, required=required)
        if not value:
            return None
        if value.lower() not in ("true", "false"):
            self.error(name, f"must be true or false, not {_show(value)}")
            return None
        return value.lower() == "true"

    def ids(self, name: str, *, required: bool = False) -> tuple[str, ...]:
        """A OneRoster list: values separated by commas inside one field."""
        return tuple(item.strip() for item in self.text(name, required=required).split(",") if item.strip())


class _Parser:
    def __init__(self, archive: RosterArchive, *, known: KnownRecords, today: date):
        self.archive = archive
        self.known = known
        self.today = today
        self.roster = Roster(
            modes=dict(archive.modes), row_counts=archive.row_counts(), errors=list(archive.errors)
        )
        self.errors = self.roster.errors

    def parse(self) -> Roster:
        tables = {name: self._table(name) for name in ROSTER_FILES}
        self._collect_references(tables)
        self._orgs(tables[ORGS])
        self._sessions(tables[SESSIONS])
        enrollment_schools = self._enrollments(tables[ENROLLMENTS])
        self._users(tables[USERS], enrollment_schools)
        birth_dates = self._demographics(tables[DEMOGRAPHICS])
        self._merge_student_news(enrollment_schools, birth_dates)
        # Report in the order a person fixing the export reads it: file by file, line by line.
        order = {name: index for index, name in enumerate((MANIFEST, *ROSTER_FILES))}
        self.errors.sort(key=lambda error: (order.get(error.file, -1), error.line or 0))
        return self.roster

    # Files and rows ---------------------------------------------------------------------------

    def _table(self, name: str) -> list[_Row]:
        text = self.archive.texts.get(name)
        if text is None:
            return []
        reader = csv.reader(io.StringIO(text, newline=""))
        rows: list[_Row] = []
        try:
            header = [value.strip() for value in next(reader, [])]
            if not any(header):
                self.errors.append(RowError(name, 1, "", "is empty; the first line must be the header"))
                return []
            problem = _header_problem(header, HEADERS[name])
            if problem:
                self.errors.append(RowError(name, 1, *problem))
                return []
            next_line = reader.line_num + 1
            for values in reader:
                line, next_line = next_line, reader.line_num + 1
                if not any(value.strip() for value in values):
                    continue
                if len(values) != len(header):
                    self.errors.append(
                        RowError(name, line, "", f"has {len(values)} fields; the header has {len(header)}")
                    )
                    continue
                rows.append(
                    _Row(name, line, dict(zip(header, (v.strip() for v in values), strict=True)), self.errors)
                )
        except csv.Error as exc:
            self.errors.append(
                RowError(name, reader.line_num, "", f"cannot be read as CSV from here on: {exc}")
            )
        return rows

    def _start(self, row: _Row, seen: dict[str, int]) -> tuple[str, str]:
        """The columns every file shares. A delta must give status and dateLastModified."""
        delta = self.roster.modes[row.file] == FileMode.DELTA
        why = " in a delta export" if delta else ""
        sourced_id = row.text("sourcedId", required=True, max_length=255)
        if sourced_id in seen:
            row.error("sourcedId", f"{_show(sourced_id)} is used again; first on line {seen[sourced_id]}")
        elif sourced_id:
            seen[sourced_id] = row.line
        status = row.choice("status", STATUSES, required=delta, why=why)
        row.datetime("dateLastModified", required=delta, why=why)
        return sourced_id, status

    def _collect_references(self, tables: dict[str, list[_Row]]) -> None:
        """Who may be referred to: rows of this export, and the database unless the file is bulk.

        A bulk file is the whole truth, so a reference to something missing from it is an error even
        when the database still holds it (the import is about to deactivate it).
        """
        known = self.known
        file_orgs = {row.values["sourcedId"]: row.values for row in tables[ORGS]}
        live_orgs = {sid: values for sid, values in file_orgs.items() if values["status"] != TO_BE_DELETED}
        self.org_ids = set(file_orgs)
        self.school_ids = {sid for sid, values in live_orgs.items() if values["type"] == "school"}
        if not self.roster.is_bulk(ORGS):
            self.org_ids |= known.school_ids
            self.school_ids |= known.school_ids - set(file_orgs)
        file_users = {row.values["sourcedId"]: row.values for row in tables[USERS]}
        live_users = {sid: values for sid, values in file_users.items() if values["status"] != TO_BE_DELETED}
        self.user_ids = set(file_users)
        self.student_ids = {sid for sid, values in live_users.items() if values["role"] == "student"}
        self.guardian_ids = {sid for sid, values in live_users.items() if values["role"] in GUARDIAN_ROLES}
        if not self.roster.is_bulk(USERS):
            elsewhere = set(file_users)
            self.user_ids |= known.student_ids | known.staff_ids | known.guardian_ids
            self.student_ids |= known.student_ids - elsewhere
            self.guardian_ids |= known.guardian_ids - elsewhere
        self.session_ids = {row.values["sourcedId"] for row in tables[SESSIONS]}

    def _where(self, name: str) -> str:
        return name if self.roster.is_bulk(name) else f"{name} or the database"

    # orgs.csv --------------------------------------------------------------------------------

    def _orgs(self, rows: list[_Row]) -> None:
        seen: dict[str, int] = {}
        codes: dict[str, int] = {}
        for row in rows:
            sourced_id, status = self._start(row, seen)
            if status == TO_BE_DELETED:
                self.roster.deleted_orgs.add(sourced_id)
                continue
            org_type = row.choice("type", ORG_TYPES, required=True)
            is_school = org_type == "school"
            name = row.text(
                "name", required=True, max_length=_max_length(School, "name") if is_school else None
            )
            code = row.text(
                "identifier",
                required=is_school,
                max_length=_max_length(School, "code") if is_school else None,
                why=" for a school: it is the building code",
            )
            parent = row.text("parentSourcedId")
            if parent and parent not in self.org_ids and self.roster.is_bulk(ORGS):
                row.error("parentSourcedId", f"refers to org {_show(parent)}, which is not in orgs.csv")
            if is_school and code:
                self._check_school_code(row, sourced_id, code, codes)
            if is_school and not row.bad:
                self.roster.schools.append(SchoolRecord(sourced_id, code, name, school_level_from_name(name)))

    def _check_school_code(self, row: _Row, sourced_id: str, code: str, codes: dict[str, int]) -> None:
        if code in codes:
            row.error(
                "identifier",
                f"building code {_show(code)} is also the code of the school on line {codes[code]}",
            )
            return
        codes[code] = row.line
        missing = object()
        owner = self.known.school_codes.get(code, missing)
        if owner is missing or owner == sourced_id:
            return
        if owner is not None:
            row.error(
                "identifier",
                f"building code {_show(code)} belongs to another school (sourcedId {_show(owner)})",
            )
        elif sourced_id in self.known.school_ids:
            # The unlinked school with this code would be adopted, but this org is linked elsewhere.
            row.error("identifier", f"building code {_show(code)} belongs to another school in the database")

    # academicSessions.csv ----------------------------------------------------------------------

    def _sessions(self, rows: list[_Row]) -> None:
        seen: dict[str, int] = {}
        names: dict[str, int] = {}
        for row in rows:
            sourced_id, status = self._start(row, seen)
            if status == TO_BE_DELETED:
                continue  # academic years are history; a withdrawn session changes nothing here
            row.text("title", required=True)
            session_type = row.choice("type", SESSION_TYPES, required=True)
            start = row.date("startDate", required=True)
            end = row.date("endDate", required=True)
            school_year = row.text("schoolYear", required=True)
            if school_year and not _YEAR.fullmatch(school_year):
                row.error("schoolYear", f"must be a year written YYYY, not {_show(school_year)}")
            parent = row.text("parentSourcedId")
            if parent and parent not in self.session_ids and self.roster.is_bulk(SESSIONS):
                row.error("parentSourcedId", f"refers to session {_show(parent)}, which is not in {SESSIONS}")
            if start and end and (end < start or (end == start and session_type == SCHOOL_YEAR)):
                row.error("endDate", "must be after startDate")
            if session_type != SCHOOL_YEAR or row.bad:
                continue
            name = academic_year_name(start, end)
            self._check_year_name(row, sourced_id, name, names)
            if not row.bad:
                self.roster.academic_years.append(AcademicYearRecord(sourced_id, name, start, end))

    def _check_year_name(self, row: _Row, sourced_id: str, name: str, names: dict[str, int]) -> None:
        if name in names:
            row.error("startDate", f"the school year {name} is also on line {names[name]}")
            return
        names[name] = row.line
        missing = object()
        owner = self.known.year_names.get(name, missing)
        if owner is missing or owner == sourced_id:
            return
        if owner is not None or sourced_id in self.known.year_ids:
            row.error(
                "startDate", f"the school year {name} is already in the database under another sourcedId"
            )

    # enrollments.csv ---------------------------------------------------------------------------

    def _enrollments(self, rows: list[_Row]) -> dict[str, str]:
        """Check the rows; return each student's school, from a current enrollment if there is one."""
        seen: dict[str, int] = {}
        candidates: dict[str, list[tuple[bool, int, str]]] = defaultdict(list)
        for row in rows:
            _, status = self._start(row, seen)
            if status == TO_BE_DELETED:
                continue
            row.text("classSourcedId", required=True)
            school = row.text("schoolSourcedId", required=True)
            if school and school not in self.school_ids:
                row.error(
                    "schoolSourcedId",
                    f"refers to {_show(school)}, which is not a school in {self._where(ORGS)}",
                )
            user = row.text("userSourcedId", required=True)
            if user and user not in self.user_ids:
                row.error(
                    "userSourcedId", f"refers to user {_show(user)}, who is not in {self._where(USERS)}"
                )
            role = row.choice("role", ENROLLMENT_ROLES, required=True)
            row.boolean("primary")
            begin = row.date("beginDate")
            end = row.date("endDate")
            if begin and end and end < begin:
                row.error("endDate", "is before beginDate")
            if role == "student" and not row.bad:
                current = (begin is None or begin <= self.today) and (end is None or end >= self.today)
                candidates[user].append((not current, row.line, school))
        return {user: min(options)[2] for user, options in candidates.items()}

    # users.csv ---------------------------------------------------------------------------------

    def _users(self, rows: list[_Row], enrollment_schools: dict[str, str]) -> None:
        seen: dict[str, int] = {}
        numbers: dict[str, int] = {}
        for row in rows:
            sourced_id, status = self._start(row, seen)
            if status == TO_BE_DELETED:
                self.roster.deleted_users.add(sourced_id)
                continue
            role = row.choice("role", USER_ROLES, required=True)
            is_student, is_guardian = role == "student", role in GUARDIAN_ROLES
            row.boolean("enabledUser", required=True)
            org_ids = row.ids("orgSourcedIds", required=True)
            unknown_orgs = [org for org in org_ids if org not in self.org_ids]
            # Outside a bulk orgs.csv, non-school orgs (the district itself) are not kept anywhere.
            if unknown_orgs and self.roster.is_bulk(ORGS):
                row.error(
                    "orgSourcedIds", f"refers to org {_show(unknown_orgs[0])}, which is not in orgs.csv"
                )
            row.text("username", required=True)
            bad_ids = [item for item in row.ids("userIds") if not _USER_ID.fullmatch(item)]
            if bad_ids:
                row.error("userIds", f"each must be written {{type:identifier}}, not {_show(bad_ids[0])}")
            given_name = row.text("givenName", required=True, max_length=_max_length(Student, "given_name"))
            family_name = row.text(
                "familyName", required=True, max_length=_max_length(Student, "family_name")
            )
            middle_name = row.text("middleName", max_length=_max_length(Student, "middle_name"))
            identifier = row.text(
                "identifier",
                required=is_student,
                max_length=_max_length(
                    Student if is_student else Staff, "student_number" if is_student else "identifier"
                ),
                why=" for a student: it is the district student id",
            )
            email = row.text("email", max_length=_max_length(Staff, "email"))
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    row.error("email", f"{_show(email)} is not an email address")
            phone = row.text("phone") or row.text("sms")
            if is_guardian and len(phone) > _max_length(Guardian, "phone"):
                row.error("phone" if row.values["phone"] else "sms", "is too long for a phone number")
            agents = row.ids("agentSourcedIds")
            unknown_agents = [agent for agent in agents if agent not in self.user_ids]
            if unknown_agents:
                row.error(
                    "agentSourcedIds",
                    f"refers to user {_show(unknown_agents[0])}, who is not in {self._where(USERS)}",
                )
            grades = self._grades(row)
            if is_student and identifier:
                self._check_student_number(row, sourced_id, identifier, numbers)
            if row.bad or not role:
                continue
            schools = [org for org in org_ids if org in self.school_ids]
            if is_student:
                grade = grades[0] if grades and grades[0] in STUDENT_GRADES else ""
                school = enrollment_schools.get(sourced_id) or next(iter(schools), None)
                self.roster.students.append(
                    StudentRecord(
                        sourced_id,
                        identifier,
                        given_name,
                        middle_name,
                        family_name,
                        grade,
                        school,
                        email=email,
                    )
                )
                links = {(agent, sourced_id) for agent in agents if agent in self.guardian_ids}
            elif is_guardian:
                self.roster.guardians.append(
                    GuardianRecord(sourced_id, given_name, family_name, email, phone, role)
                )
                links = {(sourced_id, agent) for agent in agents if agent in self.student_ids}
            else:
                self.roster.staff.append(
                    StaffRecord(
                        sourced_id,
                        identifier,
                        given_name,
                        family_name,
                        email,
                        STAFF_ROLES[role],
                        frozenset(schools),
                    )
                )
                continue
            self.roster.guardian_links |= links
            if agents:
                self.roster.link_owners.add(sourced_id)

    def _grades(self, row: _Row) -> list[str]:
        grades = []
        for value in row.ids("grades"):
            grade = value.zfill(2) if value.isdigit() else value
            if grade not in CEDS_GRADES:
                row.error("grades", f"{_show(value)} is not a CEDS grade level (PK, KG, 01 to 12, ...)")
            grades.append(grade)
        return grades

    def _check_student_number(self, row: _Row, sourced_id: str, number: str, numbers: dict[str, int]) -> None:
        if number in numbers:
            row.error(
                "identifier",
                f"student id {_show(number)} is also the id of the student on line {numbers[number]}",
            )
            return
        numbers[number] = row.line
        owner = self.known.student_numbers.get(number)
        if owner is not None and owner != sourced_id:
            row.error(
                "identifier",
                f"student id {_show(number)} belongs to another student (sourcedId {_show(owner)})",
            )

    # demographics.csv --------------------------------------------------------------------------

    def _demographics(self, rows: list[_Row]) -> dict[str, date]:
        """Check the rows and keep the students' demographics; return their birth dates."""
        seen: dict[str, int] = {}
        birth_dates: dict[str, date] = {}
        for row in rows:
            sourced_id, status = self._start(row, seen)
            if sourced_id and sourced_id not in self.user_ids:
                row.error(
                    "sourcedId", f"refers to user {_show(sourced_id)}, who is not in {self._where(USERS)}"
                )
            if status == TO_BE_DELETED:
                self.roster.deleted_demographics.add(sourced_id)
                continue
            birth_date = row.date("birthDate")
            if birth_date and birth_date > self.today:
                row.error("birthDate", "is in the future")
            sex = row.choice("sex", tuple(SEXES))
            flags = {name: row.boolean(name) for name, _ in RACE_FLAGS}
            flags |= {name: row.boolean(name) for name in (TWO_OR_MORE_FLAG, HISPANIC_FLAG)}
            if row.bad or sourced_id not in self.student_ids:
                continue  # only students' demographics are kept
            if birth_date:
                birth_dates[sourced_id] = birth_date
            self.roster.demographics.append(
                DemographicsRecord(sourced_id, SEXES.get(sex, Sex.NOT_REPORTED), race_ethnicity_from(flags))
            )
        return birth_dates

    def _merge_student_news(self, enrollment_schools: dict[str, str], birth_dates: dict[str, date]) -> None:
        """Birth dates go on the students' records; a delta may also bring news of students it omits."""
        listed = set()
        for index, student in enumerate(self.roster.students):
            listed.add(student.sourced_id)
            if student.sourced_id in birth_dates:
                self.roster.students[index] = dataclasses.replace(
                    student, birth_date=birth_dates[student.sourced_id]
                )
        if self.roster.is_bulk(USERS):
            return  # every student is in the file
        for sourced_id in (enrollment_schools.keys() | birth_dates.keys()) - listed:
            if sourced_id in self.student_ids and sourced_id not in self.roster.deleted_users:
                self.roster.student_changes[sourced_id] = StudentChange(
                    enrollment_schools.get(sourced_id), birth_dates.get(sourced_id)
                )


def _header_problem(found: list[str], expected: tuple[str, ...]) -> tuple[str, str] | None:
    """Why a header is not OneRoster 1.1's (field, reason), or None when it is."""
    standard, extra = tuple(found[: len(expected)]), found[len(expected) :]
    if standard == expected and all(column.startswith(EXTENSION_PREFIX) for column in extra):
        return None
    must_be = f"the header must be: {','.join(expected)}"
    missing = [column for column in expected if column not in found]
    unexpected = [
        column for column in found if column not in expected and not column.startswith(EXTENSION_PREFIX)
    ]
    if missing:
        lowered = {column.lower() for column in found}
        hint = " (column names are case-sensitive)" if missing[0].lower() in lowered else ""
        return missing[0], f"column {missing[0]} is missing{hint}; {must_be}"
    if unexpected:
        return unexpected[0], f"column {unexpected[0]} is not a OneRoster 1.1 column; {must_be}"
    position = next(i for i, column in enumerate(expected) if i >= len(found) or found[i] != column)
    return expected[position], f"the columns are out of order; {must_be}"
