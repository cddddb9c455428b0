"""Reads of assignments, leave and coverage, narrowed to what the user may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from district.models import AcademicYear, School
from district.roles import Role
from district.selectors import schools_for_administration
from officers.models import Assignment, AssignmentDay, AssignmentRole, Officer, OfficerLeave, OfficerStatus
from officers.selectors import assignments_on, officers_for_user, officers_supervised_by


def assignments_for_user(*, user) -> QuerySet[Assignment]:
    """Coordinators see all; administrators their schools'; supervisors their agency's; an SRO theirs."""
    if user.has_role(Role.COORDINATOR):
        return Assignment.objects.all()
    query = Q(pk__in=[])
    if user.has_role(Role.ADMINISTRATOR):
        query |= Q(school__in=schools_for_administration(user=user))
    if user.has_role(Role.AGENCY_SUPERVISOR):
        query |= Q(officer__agency__supervisors=user)
    if user.has_role(Role.SRO):
        query |= Q(officer__user=user)
    return Assignment.objects.filter(query).distinct()


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


def assignment_get_for_user(*, user, pk: int) -> Assignment:
    return get_object_or_404(
        assignments_for_user(user=user).select_related("officer__agency", "school", "academic_year"), pk=pk
    )


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


def leaves_for_user(*, user) -> QuerySet[OfficerLeave]:
    return OfficerLeave.objects.filter(officer__in=officers_for_user(user=user)).select_related("officer")


def leave_get_for_user(*, user, pk: int) -> OfficerLeave:
    return get_object_or_404(leaves_for_user(user=user), pk=pk)


def officers_for_leave_entry(*, user) -> QuerySet[Officer]:
    """Coordinators record leave for anyone; a supervisor for the agency's officers."""
    return officers_for_assignment().filter(pk__in=officers_supervised_by(user=user).values("pk"))


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


def coverage_schools_for_user(*, user, day: datetime.date) -> QuerySet[School]:
    schools = School.objects.filter(active=True).order_by("name")
    if user.has_role(Role.COORDINATOR):
        return schools
    query = Q(pk__in=schools_for_administration(user=user).values("pk"))
    if user.has_role(Role.AGENCY_SUPERVISOR) or user.has_role(Role.SRO):
        mine = assignments_on(day=day).filter(Q(officer__agency__supervisors=user) | Q(officer__user=user))
        query |= Q(pk__in=mine.values("school_id"))
    return schools.filter(query)


def coverage_on(*, user, day: datetime.date) -> list[SchoolCoverage]:
    """Each school's primary and backup officers on ``day``, marking leave; three queries."""
    schools = list(coverage_schools_for_user(user=user, day=day))
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
