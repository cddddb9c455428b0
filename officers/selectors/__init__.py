"""Reads of officers and assignments, narrowed to what the user may see.

The scope functions shared by every part live here; each part (selection, training, assignments)
has its own module beside this one.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from district.roles import Role
from district.selectors import academic_year_current, schools_for_administration
from officers.models import Assignment, Officer


def assignments_on(*, day: datetime.date) -> QuerySet[Assignment]:
    return Assignment.objects.filter(start_date__lte=day, end_date__gte=day)


def officers_for_user(*, user) -> QuerySet[Officer]:
    if user.has_role(Role.COORDINATOR):
        return Officer.objects.all()
    query = Q(pk__in=[])
    if user.has_role(Role.AGENCY_SUPERVISOR):
        query |= Q(agency__supervisors=user)
    if user.has_role(Role.ADMINISTRATOR):
        schools = schools_for_administration(user=user)
        query |= Q(assignments__school__in=schools)
    if user.has_role(Role.SRO):
        query |= Q(user=user)
    return Officer.objects.filter(query).distinct()


def officers_supervised_by(*, user) -> QuerySet[Officer]:
    """Officers whose records the user manages: a coordinator all, a supervisor their agency's."""
    if user.has_role(Role.COORDINATOR):
        return Officer.objects.all()
    if user.has_role(Role.AGENCY_SUPERVISOR):
        return Officer.objects.filter(agency__supervisors=user)
    return Officer.objects.none()


def home_context_for(*, user) -> dict:
    """What each role's home page shows today."""
    today = timezone.localdate()
    context: dict = {"today": today, "academic_year": academic_year_current()}
    todays = assignments_on(day=today).select_related("officer", "school")
    if user.has_role(Role.COORDINATOR):
        # The same reading of today as the coverage page: leave and weekly schedules count.
        from officers.selectors.assignments import coverage_on

        coverage = coverage_on(user=user, day=today)
        context["schools_uncovered"] = [c.school for c in coverage if not c.covered]
        context["schools_backup_only"] = [c.school for c in coverage if c.covered and not c.primary_covers]
        context["school_count"] = len(coverage)
        context["officer_count"] = Officer.objects.filter(status="active").count()
    if user.has_role(Role.ADMINISTRATOR):
        schools = schools_for_administration(user=user)
        context["my_schools"] = schools
        context["officers_at_my_schools"] = todays.filter(school__in=schools)
    if user.has_role(Role.AGENCY_SUPERVISOR):
        context["agency_assignments"] = todays.filter(officer__agency__supervisors=user)
    return context
