"""Writing a checked roster to the database, record by record, inside the import's transaction."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from district.models import (
    AcademicYear,
    Guardian,
    RosterImport,
    School,
    Staff,
    Student,
    StudentDemographics,
    User,
)
from district.oneroster.records import KnownRecords, Roster
from district.oneroster.schema import DEMOGRAPHICS, ENROLLMENTS, ORGS, ROSTER_FILES, SESSIONS, USERS

# Rows written per statement, and how often progress is published.
ROSTER_BATCH_SIZE = 500


class RosterProgress:
    """Publishes ``rows_done`` while the import's transaction is still open.

    The whole write is one transaction, so an UPDATE through the usual connection would stay
    invisible to the status page until the end. A second connection commits each step at once; it
    skips a locked row rather than wait, so it can never deadlock against the import itself.
    """

    def __init__(self, *, roster_import_id: int, total: int, own_connection: bool):
        self.roster_import_id = roster_import_id
        self.total = total
        self.done = 0
        self.published = 0
        self.own_connection = own_connection
        self._connection = None

    def advance(self, rows: int) -> None:
        self.reach(self.done + rows)

    def reach(self, rows: int) -> None:
        self.done = min(self.total, max(self.done, rows))
        if self.done - self.published >= ROSTER_BATCH_SIZE:
            self.publish()

    def publish(self) -> None:
        if not self.own_connection:
            RosterImport.objects.filter(pk=self.roster_import_id).update(rows_done=self.done)
        else:
            if self._connection is None:
                self._connection = connections.create_connection(DEFAULT_DB_ALIAS)
            table = RosterImport._meta.db_table
            quote = self._connection.ops.quote_name
            with self._connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {quote(table)} SET rows_done = %s WHERE id IN "  # noqa: S608 (names, not input)
                    f"(SELECT id FROM {quote(table)} WHERE id = %s FOR UPDATE SKIP LOCKED)",
                    [self.done, self.roster_import_id],
                )
        self.published = self.done

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


@dataclass
class ExistingRoster:
    """The roster as the database holds it, loaded once per import (a district's roster fits)."""

    schools: dict[str, School]
    unlinked_schools: dict[str, School]  # by code: schools entered by hand, not yet in an export
    years: dict[str, AcademicYear]
    unlinked_years: dict[str, AcademicYear]  # by name
    students: dict[str, Student]
    staff: dict[str, Staff]
    guardians: dict[str, Guardian]

    @classmethod
    def load(cls) -> ExistingRoster:
        # .order_by(): the models' default orderings would only make PostgreSQL sort the whole roster.
        schools = list(School.objects.order_by())
        years = list(AcademicYear.objects.order_by())
        return cls(
            schools={school.sourced_id: school for school in schools if school.sourced_id},
            unlinked_schools={school.code: school for school in schools if not school.sourced_id},
            years={year.sourced_id: year for year in years if year.sourced_id},
            unlinked_years={year.name: year for year in years if not year.sourced_id},
            students={student.sourced_id: student for student in Student.objects.order_by()},
            staff={member.sourced_id: member for member in Staff.objects.order_by()},
            guardians={guardian.sourced_id: guardian for guardian in Guardian.objects.order_by()},
        )

    def known(self) -> KnownRecords:
        school_codes: dict[str, str | None] = dict.fromkeys(self.unlinked_schools)
        school_codes |= {school.code: sourced_id for sourced_id, school in self.schools.items()}
        year_names: dict[str, str | None] = dict.fromkeys(self.unlinked_years)
        year_names |= {year.name: sourced_id for sourced_id, year in self.years.items()}
        return KnownRecords(
            school_ids=frozenset(self.schools),
            school_codes=school_codes,
            year_ids=frozenset(self.years),
            year_names=year_names,
            student_ids=frozenset(self.students),
            staff_ids=frozenset(self.staff),
            guardian_ids=frozenset(self.guardians),
            student_numbers={student.student_number: sid for sid, student in self.students.items()},
        )


# The kinds of record an import reports on, in the order it writes them.
ROSTER_KINDS = {
    "schools": "Schools",
    "academic_years": "School years",
    "students": "Students",
    "staff": "Staff",
    "guardians": "Guardians",
    "demographics": "Student demographics",
}


@dataclass
class _Outcome:
    created: set[str] = field(default_factory=set)
    updated: set[str] = field(default_factory=set)
    deactivated: set[str] = field(default_factory=set)
    given: set[str] = field(default_factory=set)

    def as_dict(self, kind: str) -> dict:
        return {
            "kind": kind,
            "label": ROSTER_KINDS[kind],
            "created": len(self.created),
            "updated": len(self.updated - self.created),
            "deactivated": len(self.deactivated),
            "unchanged": len(self.given - self.created - self.updated - self.deactivated),
        }


def _chunks(items: list):
    size = ROSTER_BATCH_SIZE
    for start in range(0, len(items), size):
        yield items[start : start + size]


class RosterWriter:
    """Writes a checked roster; runs inside the import's transaction.

    Each record is compared with the row it updates and saved only when something differs, so a
    repeated import writes nothing and adds no history.
    """

    def __init__(
        self,
        *,
        roster: Roster,
        existing: ExistingRoster,
        progress: RosterProgress,
        history_user: User | None,
        change_reason: str,
        demographics_enabled: bool,
        today: datetime.date,
    ):
        self.roster = roster
        self.existing = existing
        self.progress = progress
        self.history_user = history_user
        self.change_reason = change_reason
        self.demographics_enabled = demographics_enabled
        self.today = today
        self.outcomes = {kind: _Outcome() for kind in ROSTER_KINDS}
        self.links = {"added": 0, "removed": 0}

    def write(self) -> dict:
        self._schools()
        self._file_done(ORGS)
        self._academic_years()
        self._file_done(SESSIONS)
        self._students()
        self._staff()
        self._guardians()
        self._guardian_links()
        self._file_done(USERS)
        self._file_done(ENROLLMENTS)
        self._demographics()
        self._file_done(DEMOGRAPHICS)
        counts = [outcome.as_dict(kind) for kind, outcome in self.outcomes.items()]
        if not self.demographics_enabled:
            counts = [row for row in counts if row["kind"] != "demographics"]
        return {
            "counts": counts,
            "guardian_links": self.links,
            "demographics_stored": self.demographics_enabled,
        }

    def _file_done(self, name: str) -> None:
        files = ROSTER_FILES
        self.progress.reach(sum(self.roster.row_counts.get(f, 0) for f in files[: files.index(name) + 1]))

    # The shared steps -------------------------------------------------------------------------

    def _upsert(self, kind: str, model, desired: dict[str, dict], *, existing: dict, new=None) -> None:
        """Create or update one kind's records, in batches; ``new(sourced_id, values)`` builds one."""
        outcome = self.outcomes[kind]
        items = list(desired.items())
        for batch in _chunks(items):
            creates, updates = [], []
            for sourced_id, values in batch:
                outcome.given.add(sourced_id)
                obj = existing.get(sourced_id)
                if obj is None:
                    obj = new(sourced_id, values) if new else model(sourced_id=sourced_id, **values)
                    if obj.pk is None:
                        creates.append(obj)
                        outcome.created.add(sourced_id)
                    else:  # an unlinked row adopted by this export
                        updates.append(obj)
                        outcome.updated.add(sourced_id)
                    existing[sourced_id] = obj
                elif _assign(obj, values):
                    updates.append(obj)
                    outcome.updated.add(sourced_id)
            self._save(model, creates=creates, updates=updates)
            self.progress.advance(len(batch))

    def _deactivate(self, kind: str, model, objects) -> None:
        changed = [obj for obj in objects if obj.active]
        for obj in changed:
            obj.active = False
            self.outcomes[kind].deactivated.add(obj.sourced_id)
        # Only the flag changes: updating every column of tens of thousands of rows is what costs.
        self._save(model, updates=changed, fields=["active"])

    def _deactivate_departed(self, kind: str, model, existing: dict, *, file: str, kept: set[str]) -> None:
        """Bulk files are the whole roster: who is missing has left. Delta rows say tobedeleted."""
        if self.roster.is_bulk(file):
            self._deactivate(kind, model, [obj for sid, obj in existing.items() if sid not in kept])
        else:
            deleted = self.roster.deleted_orgs if file == ORGS else self.roster.deleted_users
            self._deactivate(kind, model, [existing[sid] for sid in deleted if sid in existing])

    def _save(self, model, *, creates=(), updates=(), fields: list[str] | None = None) -> None:
        history = {"default_user": self.history_user, "default_change_reason": self.change_reason}
        for batch in _chunks(list(creates)):
            bulk_create_with_history(batch, model, batch_size=ROSTER_BATCH_SIZE, **history)
        if not updates:
            return
        fields = list(fields or (f.name for f in model._meta.concrete_fields if not f.primary_key))
        if model is Student:
            fields = list(dict.fromkeys([*fields, "updated_at"]))
            now = timezone.now()  # bulk_update does not apply auto_now
            for obj in updates:
                obj.updated_at = now
        for batch in _chunks(list(updates)):
            bulk_update_with_history(batch, model, fields, batch_size=ROSTER_BATCH_SIZE, **history)

    def _set_links(self, through, left: str, right: str, desired: set, owners_left: set, owners_right: set):
        """Make a many-to-many table agree with the export for the rows it speaks for.

        A pair is removed only when an owner on either side is in ``owners_*`` and the export does not
        declare the pair; it is added when declared and missing. Returns how many were added and
        removed, and the left-hand rows whose links changed.
        """
        lefts = owners_left | {pair[0] for pair in desired}
        scope = through.objects.filter(Q(**{f"{left}__in": lefts}) | Q(**{f"{right}__in": owners_right}))
        current = {(row[1], row[2]): row[0] for row in scope.values_list("pk", left, right)}
        remove = [
            pk
            for pair, pk in current.items()
            if pair not in desired and (pair[0] in owners_left or pair[1] in owners_right)
        ]
        add = [through(**{left: a, right: b}) for a, b in desired if (a, b) not in current]
        for batch in _chunks(remove):
            through.objects.filter(pk__in=batch).delete()
        through.objects.bulk_create(add, batch_size=ROSTER_BATCH_SIZE)
        removed = set(remove)
        changed_lefts = {pair[0] for pair, pk in current.items() if pk in removed}
        changed_lefts |= {getattr(row, left) for row in add}
        return len(add), len(remove), changed_lefts

    # Each kind --------------------------------------------------------------------------------

    def _schools(self) -> None:
        existing = self.existing.schools

        def new(sourced_id: str, values: dict) -> School:
            school = self.existing.unlinked_schools.pop(values["code"], None)
            if school is not None:
                _assign(school, {**values, "sourced_id": sourced_id})
                return school
            # The level is only a guess from the name: set once, then left to the coordinator.
            return School(sourced_id=sourced_id, level=levels[sourced_id], **values)

        levels = {record.sourced_id: record.level for record in self.roster.schools}
        desired = {
            r.sourced_id: {"code": r.code, "name": r.name, "active": True} for r in self.roster.schools
        }
        self._upsert("schools", School, desired, existing=existing, new=new)
        self._deactivate_departed("schools", School, existing, file=ORGS, kept=set(desired))

    def _academic_years(self) -> None:
        existing = self.existing.years

        def new(sourced_id: str, values: dict) -> AcademicYear:
            year = self.existing.unlinked_years.pop(values["name"], None)
            if year is not None:
                _assign(year, {**values, "sourced_id": sourced_id})
                return year
            return AcademicYear(sourced_id=sourced_id, **values)

        desired = {
            r.sourced_id: {"name": r.name, "start_date": r.start_date, "end_date": r.end_date}
            for r in self.roster.academic_years
        }
        self._upsert("academic_years", AcademicYear, desired, existing=existing, new=new)
        self._make_current_year(existing)

    def _make_current_year(self, years: dict[str, AcademicYear]) -> None:
        """The exported school year containing today becomes the current one (only one may be)."""
        containing = [
            years[r.sourced_id]
            for r in self.roster.academic_years
            if r.start_date <= self.today <= r.end_date
        ]
        if not containing:
            return
        current = max(containing, key=lambda year: year.start_date)
        if current.is_current:
            return
        everyone = [*years.values(), *self.existing.unlinked_years.values()]
        for year in [year for year in everyone if year.is_current] + [current]:
            year.is_current = year is current  # the old one first: the constraint allows one
            year._history_user = self.history_user
            year._change_reason = self.change_reason
            year.save(update_fields=["is_current"])
            if year.sourced_id:
                self.outcomes["academic_years"].updated.add(year.sourced_id)

    def _students(self) -> None:
        existing = self.existing.students
        school_ids = {sid: school.pk for sid, school in self.existing.schools.items()}
        desired = {}
        for r in self.roster.students:
            values = {
                "student_number": r.student_number,
                "given_name": r.given_name,
                "middle_name": r.middle_name,
                "family_name": r.family_name,
                "grade": r.grade,
                "email": r.email,
                "school_id": school_ids.get(r.school_sourced_id),
                "active": True,
            }
            if r.birth_date is not None:
                values["birth_date"] = r.birth_date
            desired[r.sourced_id] = values
        self._upsert("students", Student, desired, existing=existing)
        changes = {}
        for sourced_id, change in self.roster.student_changes.items():
            values = {"birth_date": change.birth_date} if change.birth_date else {}
            if change.school_sourced_id:
                values["school_id"] = school_ids[change.school_sourced_id]
            changes[sourced_id] = values
        self._upsert("students", Student, changes, existing=existing)
        self._deactivate_departed("students", Student, existing, file=USERS, kept=set(desired))

    def _staff(self) -> None:
        existing = self.existing.staff
        desired = {
            r.sourced_id: {
                "identifier": r.identifier,
                "given_name": r.given_name,
                "family_name": r.family_name,
                "email": r.email,
                "role": r.role,
                "active": True,
            }
            for r in self.roster.staff
        }
        self._upsert("staff", Staff, desired, existing=existing)
        school_ids = {sid: school.pk for sid, school in self.existing.schools.items()}
        members = {r.sourced_id: existing[r.sourced_id].pk for r in self.roster.staff}
        pairs = {
            (members[r.sourced_id], school_ids[s]) for r in self.roster.staff for s in r.school_sourced_ids
        }
        # Each staff row lists all of the person's schools.
        *_, changed = self._set_links(
            Staff.schools.through, "staff_id", "school_id", pairs, set(members.values()), set()
        )
        by_pk = {pk: sid for sid, pk in members.items()}
        self.outcomes["staff"].updated |= {by_pk[pk] for pk in changed}
        self._deactivate_departed("staff", Staff, existing, file=USERS, kept=set(desired))

    def _guardians(self) -> None:
        existing = self.existing.guardians
        desired = {
            r.sourced_id: {
                "given_name": r.given_name,
                "family_name": r.family_name,
                "email": r.email,
                "phone": r.phone,
                "relationship": r.relationship,
                "active": True,
            }
            for r in self.roster.guardians
        }
        self._upsert("guardians", Guardian, desired, existing=existing)
        self._deactivate_departed("guardians", Guardian, existing, file=USERS, kept=set(desired))

    def _guardian_links(self) -> None:
        """Guardian-student links come from agentSourcedIds on either side.

        In bulk every guardian row speaks for all of its links. In a delta only the people whose own
        agentSourcedIds are given do: a row that leaves the list empty says nothing about links.
        """
        guardians = {sid: guardian.pk for sid, guardian in self.existing.guardians.items()}
        students = {sid: student.pk for sid, student in self.existing.students.items()}
        pairs = {(guardians[g], students[s]) for g, s in self.roster.guardian_links}
        if self.roster.is_bulk(USERS):
            owners_left = {guardians[r.sourced_id] for r in self.roster.guardians}
            owners_right = set()
        else:
            owners = self.roster.link_owners
            owners_left = {guardians[sid] for sid in owners if sid in guardians}
            owners_right = {students[sid] for sid in owners if sid in students}
        added, removed, _ = self._set_links(
            Guardian.students.through, "guardian_id", "student_id", pairs, owners_left, owners_right
        )
        self.links = {"added": added, "removed": removed}

    def _demographics(self) -> None:
        """Sex and race/ethnicity are kept only where the district has turned demographics on."""
        if not self.demographics_enabled:
            return
        outcome = self.outcomes["demographics"]
        students = self.existing.students
        records = [r for r in self.roster.demographics if r.student_sourced_id in students]
        deleted = [sid for sid in self.roster.deleted_demographics if sid in students]
        student_ids = [students[sid].pk for sid in [r.student_sourced_id for r in records] + deleted]
        existing = {
            d.student_id: d
            for batch in _chunks(student_ids)
            for d in StudentDemographics.objects.filter(student_id__in=batch)
        }
        wanted = [(r.student_sourced_id, {"sex": r.sex, "race_ethnicity": r.race_ethnicity}) for r in records]
        wanted += [(sid, {"sex": "", "race_ethnicity": ""}) for sid in deleted]
        creates, updates = [], []
        for sourced_id, values in wanted:
            outcome.given.add(sourced_id)
            student = students[sourced_id]
            current = existing.get(student.pk)
            if current is None:
                if any(values.values()):
                    creates.append(StudentDemographics(student=student, **values))
                    outcome.created.add(sourced_id)
            elif _assign(current, values):
                updates.append(current)
                outcome.updated.add(sourced_id)
        self._save(StudentDemographics, creates=creates, updates=updates)


def _assign(obj, values: dict) -> bool:
    """Set the values that differ; True when any did."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed
