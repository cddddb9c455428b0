"""Reads of training: the catalogue, records narrowed to the user's officers, the compliance
matrix, sessions, and what an SRO's home page shows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from district.models import AcademicYear
from district.roles import Role
from district.selectors import academic_year_current
from officers.access import officers_for_user
from officers.models import (
    Officer,
    OfficerStatus,
    SessionParticipant,
    TrainingCourse,
    TrainingPolicy,
    TrainingRecord,
    TrainingSession,
)
from officers.selectors import assignments_on

EXPIRING_WITHIN_DAYS = 60


class CellStatus(models.TextChoices):
    """An officer's standing in one required course; the badge shows the label, a symbol and a tone."""

    CURRENT = "current", "Current"
    EXPIRING = "expiring", "Expiring soon"
    EXPIRED = "expired", "Expired"
    MISSING = "missing", "Missing"

    @property
    def tone(self) -> str:
        """The badge's Bootstrap colour."""
        return _CELL_BADGES[self][0]

    @property
    def symbol(self) -> str:
        """A mark beside the words, so the badge does not rely on colour alone."""
        return _CELL_BADGES[self][1]


_CELL_BADGES = {
    CellStatus.CURRENT: ("success", "✓"),
    CellStatus.EXPIRING: ("warning", "!"),
    CellStatus.EXPIRED: ("danger", "✗"),
    CellStatus.MISSING: ("secondary", "–"),
}


def record_status(*, expires_on: datetime.date | None, today: datetime.date) -> CellStatus:
    """Current, expiring within 60 days, or expired (on the expiry day it no longer counts)."""
    if expires_on is None:
        return CellStatus.CURRENT
    if expires_on <= today:
        return CellStatus.EXPIRED
    if expires_on <= today + datetime.timedelta(days=EXPIRING_WITHIN_DAYS):
        return CellStatus.EXPIRING
    return CellStatus.CURRENT


# --- Catalogue and scope ----------------------------------------------------------------------


def courses_list(*, include_inactive: bool = False) -> QuerySet[TrainingCourse]:
    courses = TrainingCourse.objects.all()
    return courses if include_inactive else courses.filter(active=True)


def course_get(*, pk: int) -> TrainingCourse:
    return get_object_or_404(TrainingCourse, pk=pk)


def required_courses() -> QuerySet[TrainingCourse]:
    """Courses every SRO must hold: the matrix columns."""
    return TrainingCourse.objects.filter(active=True, required_for__contains=[Role.SRO.value])


def policy_for(*, academic_year: AcademicYear | None) -> TrainingPolicy | None:
    if academic_year is None:
        return None
    return TrainingPolicy.objects.filter(academic_year=academic_year).first()


def hours_by_officer(*, officer_ids, academic_year: AcademicYear | None) -> dict[int, Decimal]:
    """Verified hours completed within the academic year, per officer (one query)."""
    if academic_year is None:
        return {}
    rows = (
        TrainingRecord.objects.filter(
            officer_id__in=officer_ids,
            verified_at__isnull=False,
            completed_on__gte=academic_year.start_date,
            completed_on__lte=academic_year.end_date,
        )
        .values("officer_id")
        .annotate(total=Sum("hours"))
    )
    return {row["officer_id"]: row["total"] for row in rows}


def latest_records(*, officer_ids, course_ids) -> dict[tuple[int, int], dict]:
    """The most recent record per officer and course, in one DISTINCT ON query."""
    rows = (
        TrainingRecord.objects.filter(officer_id__in=officer_ids, course_id__in=course_ids)
        .order_by("officer_id", "course_id", "-completed_on", "-id")
        .distinct("officer_id", "course_id")
        .values("id", "officer_id", "course_id", "completed_on", "expires_on", "verified_at")
    )
    return {(row["officer_id"], row["course_id"]): row for row in rows}


# --- The compliance matrix --------------------------------------------------------------------


@dataclass
class MatrixCell:
    course: TrainingCourse
    status: CellStatus
    record: dict | None = None

    @property
    def expired(self) -> bool:
        return self.status == CellStatus.EXPIRED


def _matrix_cell(*, course: TrainingCourse, record: dict | None, today: datetime.date) -> MatrixCell:
    """The officer's standing in one required course, from their latest record of it (if any)."""
    status = record_status(expires_on=record["expires_on"], today=today) if record else CellStatus.MISSING
    return MatrixCell(course=course, status=status, record=record)


@dataclass
class MatrixRow:
    officer: Officer
    cells: list[MatrixCell] = field(default_factory=list)
    hours: Decimal = Decimal("0")
    minimum_hours: Decimal | None = None

    @property
    def meets_minimum(self) -> bool | None:
        if self.minimum_hours is None:
            return None
        return self.hours >= self.minimum_hours


@dataclass
class TrainingMatrix:
    courses: list[TrainingCourse]
    rows: list[MatrixRow]
    academic_year: AcademicYear | None
    policy: TrainingPolicy | None
    today: datetime.date

    @property
    def counts(self) -> dict[CellStatus, int]:
        counts = dict.fromkeys(CellStatus, 0)
        for row in self.rows:
            for cell in row.cells:
                counts[cell.status] += 1
        return counts


def training_matrix(*, user, today: datetime.date | None = None) -> TrainingMatrix:
    """Officers the user may see against the required courses, plus hours against the minimum.

    A fixed number of queries whatever the size: officers, courses, year, policy, latest records,
    hours. The grid itself is built in Python.
    """
    today = today or timezone.localdate()
    officers = list(
        officers_for_user(user=user)
        .filter(status__in=[OfficerStatus.ACTIVE, OfficerStatus.ON_LEAVE])
        .select_related("agency")
        .order_by("family_name", "given_name", "id")
    )
    courses = list(required_courses())
    academic_year = academic_year_current()
    policy = policy_for(academic_year=academic_year)
    officer_ids = [o.pk for o in officers]
    latest = latest_records(officer_ids=officer_ids, course_ids=[c.pk for c in courses]) if officers else {}
    hours = hours_by_officer(officer_ids=officer_ids, academic_year=academic_year) if officers else {}
    rows = []
    for officer in officers:
        row = MatrixRow(
            officer=officer,
            hours=hours.get(officer.pk, Decimal("0")),
            minimum_hours=policy.minimum_hours if policy else None,
        )
        row.cells = [
            _matrix_cell(course=course, record=latest.get((officer.pk, course.pk)), today=today)
            for course in courses
        ]
        rows.append(row)
    return TrainingMatrix(courses=courses, rows=rows, academic_year=academic_year, policy=policy, today=today)


# --- An officer's own training ----------------------------------------------------------------


def officer_training_summary(*, officer: Officer, today: datetime.date | None = None) -> dict:
    """One officer's records, required-course status and hours this year (a handful of queries)."""
    today = today or timezone.localdate()
    courses = list(required_courses())
    latest = latest_records(officer_ids=[officer.pk], course_ids=[c.pk for c in courses])
    academic_year = academic_year_current()
    policy = policy_for(academic_year=academic_year)
    cells = [
        _matrix_cell(course=course, record=latest.get((officer.pk, course.pk)), today=today)
        for course in courses
    ]
    return {
        "officer": officer,
        "required": cells,
        "records": officer.training_records.select_related("course", "verified_by", "session"),
        "hours": hours_by_officer(officer_ids=[officer.pk], academic_year=academic_year).get(
            officer.pk, Decimal("0")
        ),
        "policy": policy,
        "academic_year": academic_year,
    }


# --- Sessions ---------------------------------------------------------------------------------


def session_participants(*, session: TrainingSession) -> list[SessionParticipant]:
    return list(
        session.participants.select_related("officer", "user", "staff").order_by(
            "officer__family_name", "user__last_name", "staff__family_name", "id"
        )
    )


# --- The SRO's home page ----------------------------------------------------------------------


def sro_home_context(*, user) -> dict:
    """An SRO's assignments today (with today's hours) and the training that needs attention."""
    today = timezone.localdate()
    officer = Officer.objects.filter(user=user).first()
    if officer is None:
        return {"sro_officer": None, "sro_assignments_today": [], "sro_training_due": []}
    assignments = list(
        assignments_on(day=today)
        .filter(officer=officer)
        .select_related("school")
        .prefetch_related("days")
        .order_by("school__name")
    )
    for assignment in assignments:
        assignment.today_hours = next(
            (d for d in assignment.days.all() if d.weekday == today.weekday()), None
        )
    summary = officer_training_summary(officer=officer, today=today)
    due = [cell for cell in summary["required"] if cell.status != CellStatus.CURRENT]
    return {
        "sro_officer": officer,
        "sro_assignments_today": assignments,
        "sro_training_due": due,
        "sro_hours": summary["hours"],
        "sro_policy": summary["policy"],
        "today": today,
    }
