"""The dashboard: one screen of counts for a coordinator, or an administrator's own schools."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from agreements import access as agreements_access
from feedback import access as feedback_access
from incidents import access as incidents_access
from incidents.models import CaseStatus, OfficerRole, Outcome
from officers import access as officers_access
from reports import access
from reports.dashboard_forms import DashboardFilterForm
from reports.selectors.dashboard import Period, dashboard, default_period
from sro_program.views_support import requires


def _link(user, rule, name: str, **query) -> str | None:
    """The address of the list behind a tile, if the user may open it."""
    if not rule(user):
        return None
    query = {key: value for key, value in query.items() if value not in (None, "")}
    return reverse(name) + (f"?{urlencode(query)}" if query else "")


def _links(user, *, school, period: Period) -> dict:
    school_id = school.pk if school else None
    dates = {"occurred_from": period.start.isoformat(), "occurred_to": period.end.isoformat()}
    view_interactions = incidents_access.may_view_interactions
    return {
        "coverage": _link(user, officers_access.may_view_coverage, "officers:coverage"),
        "training": _link(user, officers_access.may_view_training, "officers:training_matrix"),
        "agreements": _link(user, agreements_access.may_view_agreements, "agreements:agreement_list"),
        "cases": _link(
            user,
            incidents_access.may_view_cases,
            "incidents:case_list",
            status=CaseStatus.OPEN,
            school=school_id,
        ),
        "overdue": _link(user, incidents_access.may_view_overdue_follow_ups, "incidents:follow_ups_overdue"),
        "interactions": _link(
            user, view_interactions, "incidents:interaction_list", school=school_id, **dates
        ),
        # For one school's row: the same period, that school (added in the template).
        "interactions_period": _link(user, view_interactions, "incidents:interaction_list", **dates),
        "returned": _link(
            user,
            view_interactions,
            "incidents:interaction_list",
            school=school_id,
            outcome=Outcome.RETURNED_TO_ADMINISTRATION,
            **dates,
        ),
        "roles": {
            role.value: _link(
                user,
                view_interactions,
                "incidents:interaction_list",
                school=school_id,
                officer_role=role,
                **dates,
            )
            for role in OfficerRole
        },
        "feedback": _link(user, feedback_access.may_view_results, "feedback:round_list"),
        "meetings": _link(user, agreements_access.may_view_meetings, "agreements:meeting_list"),
    }


@require_GET
@requires(access.may_view_dashboard)
def dashboard_view(request):
    """Counts only: figures of the chosen school (or all the viewer's) over the chosen local days."""
    user = request.user
    today = timezone.localdate()
    schools = access.schools_for_user(user=user).order_by("name")
    period, school = default_period(today=today), None
    form = DashboardFilterForm(
        request.GET or None, schools=schools, initial={"start": period.start, "end": period.end}
    )
    if form.is_bound:
        raw_school = form.data.get("school", "")
        if raw_school.isdigit() and int(raw_school) > 0:
            school = access.school_get_for_user(user=user, pk=int(raw_school))
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
            if start or end:
                end = end or today
                start = start or min(period.start, end)
                period = Period(start, end)
    figures = dashboard(user=user, school=school, period=period, today=today)
    links = _links(user, school=school, period=period)
    for role in figures["interactions"]["roles"]:
        role["link"] = links["roles"][role["value"]]
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "school": school,
            "period": period,
            "links": links,
            "whole_district": access.sees_whole_district(user) and school is None,
            **figures,
        },
    )
