"""Reads of officers and assignments, narrowed to what the user may see.

Who may see which rows is decided in ``officers.access``; each part (selection, training,
assignments) has its reads in its own module beside this one.
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from district.roles import Role
from district.selectors import academic_year_current, schools_for_administration
from officers.models import Assignment, Officer


def assignments_on(*, day: datetime.date) -> QuerySet[Assignment]:
    return Assignment.objects.filter(start_date__lte=day, end_date__gte=day)


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
