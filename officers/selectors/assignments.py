"""Reads of assignments and coverage, narrowed by the doors in ``officers.access``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from district.models import AcademicYear, School
from district.selectors import schools_for_administration
from officers.access import assignments_for_user
from officers.models import Assignment, AssignmentDay, AssignmentRole, Officer, OfficerLeave, OfficerStatus
from officers.selectors import assignments_on


def assignment_list(*, user, academic_year: AcademicYear | None = None, school_id: int | None = None):
    assignments = (
        assignments_for_user(user=user)
        .select_related("officer__agency", "school", "academic_year")
        .prefetch_related("days")
        .order_by("school__name", "-role", "start_date", "id")
    )
    if academic_year is not None:
        assignments = assignments.filter(academic_year=academic_year)
    if school_id:
        assignments = assignments.filter(school_id=school_id)
    return assignments


def assignment_history(*, assignment: Assignment) -> tuple[list, list]:
    """Every saved version of the assignment and of its weekly schedule, newest first."""
    versions = list(assignment.history.select_related("history_user").order_by("-history_date"))
    days = list(
        AssignmentDay.history.filter(assignment_id=assignment.pk)
        .select_related("history_user")
        .order_by("-history_date")
    )
    return versions, days


def officers_for_assignment() -> QuerySet[Officer]:
    return Officer.objects.filter(status__in=[OfficerStatus.ACTIVE, OfficerStatus.ON_LEAVE]).select_related(
        "agency"
    )


# --- Coverage ---------------------------------------------------------------------------------


@dataclass
class CoverageEntry:
    assignment: Assignment
    on_leave: OfficerLeave | None
    shift: AssignmentDay | None
    has_schedule: bool

    @property
    def scheduled_today(self) -> bool:
        # An assignment without a weekly schedule yet counts as covering every day of its range.
        return self.shift is not None or not self.has_schedule

    @property
    def covers(self) -> bool:
        return self.on_leave is None and self.scheduled_today


@dataclass
class SchoolCoverage:
    school: School
    primary: list[CoverageEntry] = field(default_factory=list)
    backup: list[CoverageEntry] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return any(entry.covers for entry in self.primary + self.backup)

    @property
    def primary_covers(self) -> bool:
        return any(entry.covers for entry in self.primary)


def coverage_schools_for_user(*, user) -> QuerySet[School]:
    """Active schools whose coverage the user sees: every one for a coordinator or a district-wide
    administrator, an administrator's own schools (``officers.access.may_view_coverage`` keeps
    everyone else off the page)."""
    schools = schools_for_administration(user=user).values("pk")
    return School.objects.filter(active=True, pk__in=schools).order_by("name")


def coverage_on(*, user, day: datetime.date) -> list[SchoolCoverage]:
    """Each school's primary and backup officers on ``day``, marking leave; three queries."""
    schools = list(coverage_schools_for_user(user=user))
    by_school = {school.pk: SchoolCoverage(school=school) for school in schools}
    assignments = list(
        assignments_on(day=day)
        .filter(school_id__in=by_school.keys())
        .select_related("officer__agency")
        .prefetch_related(Prefetch("days", to_attr="all_days"))
        .order_by("officer__family_name", "officer__given_name")
    )
    leaves = {
        leave.officer_id: leave
        for leave in OfficerLeave.objects.filter(
            officer_id__in={a.officer_id for a in assignments}, start_date__lte=day, end_date__gte=day
        )
    }
    weekday = day.weekday()
    for assignment in assignments:
        entry = CoverageEntry(
            assignment=assignment,
            on_leave=leaves.get(assignment.officer_id),
            shift=next((d for d in assignment.all_days if d.weekday == weekday), None),
            has_schedule=bool(assignment.all_days),
        )
        coverage = by_school[assignment.school_id]
        (coverage.primary if assignment.role == AssignmentRole.PRIMARY else coverage.backup).append(entry)
    return list(by_school.values())
