"""Who may open what in the reports app, asked by the views, the templates and the navigation alike.

Reports own no source data: they read the other apps through their selectors and show counts,
never identities. Coordinators see the whole district; an administrator sees the schools they
administer (every school when district-wide); nobody else opens a dashboard or a report.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from district.models import School
from district.roles import Role
from district.selectors import schools_for_administration


def may_view_dashboard(user) -> bool:
    return user.has_role(Role.COORDINATOR, Role.ADMINISTRATOR)


def may_view_annual_report(user) -> bool:
    return user.has_role(Role.COORDINATOR, Role.ADMINISTRATOR)


def may_edit_narrative(user) -> bool:
    """The narrative sections of a report (highlights, challenges, goals) are the coordinator's."""
    return user.has_role(Role.COORDINATOR)


def schools_for_user(*, user) -> QuerySet[School]:
    """The schools whose figures the user may see: all for a coordinator, their own otherwise."""
    if user.has_role(Role.COORDINATOR):
        return School.objects.all()
    return schools_for_administration(user=user)


def school_get_for_user(*, user, pk: int) -> School:
    """One school in the user's scope; 404 outside it, as for every other record."""
    return get_object_or_404(schools_for_user(user=user), pk=pk)


def sees_whole_district(user) -> bool:
    return user.has_role(Role.COORDINATOR) or (user.has_role(Role.ADMINISTRATOR) and user.district_wide)


def academic_year_get(*, pk: int):
    """An academic year any report reader may open; 404 for one that does not exist."""
    from district.models import AcademicYear

    return get_object_or_404(AcademicYear, pk=pk)


def report_build_get_for_user(*, user, year, pk: int):
    """A PDF build of a report the user may read (its school in their scope, or the district's for
    those who see the whole district); 404 otherwise."""
    from reports.models import ReportBuild

    build = get_object_or_404(ReportBuild, pk=pk, academic_year=year)
    if build.school_id is None:
        if not sees_whole_district(user):
            raise Http404("No such report.")
    else:
        school_get_for_user(user=user, pk=build.school_id)
    return build
