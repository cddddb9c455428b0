"""The program's goals against the survey rounds that measure them; setting how a goal is measured
and which rounds of a campaign are its baseline, mid-year and end-of-year rounds."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from agreements.selectors.items import goals_active
from district.models import AcademicYear
from district.selectors import academic_year_current
from feedback import access
from feedback.forms import GoalMeasureForm, GoalRoundForm
from feedback.models import CampaignKind, GoalMeasure, Phase
from feedback.selectors.goals import goal_figures
from feedback.selectors.results import min_group_size
from feedback.services.goals import goal_measure_set, goal_round_set_up
from sro_program.views_support import posted, requires, service_call


@require_GET
@requires(access.may_view_results)
def goal_results(request):
    """Each active goal's figure at the baseline, mid-year and end-of-year rounds of a year."""
    years = list(AcademicYear.objects.order_by("-start_date"))
    chosen = request.GET.get("year", "")
    year = (
        next((y for y in years if str(y.pk) == chosen), None)
        or next((y for y in years if y.is_current), None)
        or next(iter(years), None)
    )
    return render(
        request,
        "feedback/goal_results.html",
        {
            "years": years,
            "year": year,
            "goals": goal_figures(
                year=year,
                rounds=access.rounds_for_user(user=request.user),
                responses=access.responses_for_user(user=request.user),
            ),
            "phases": Phase.choices,
            "minimum": min_group_size(),
            "may_manage": access.may_manage_feedback(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_feedback)
def goal_measure_view(request, pk: int):
    """Say which campaign, theme and figure measure a goal, and the figure to reach."""
    goal = get_object_or_404(goals_active(), pk=pk)
    current = GoalMeasure.objects.filter(goal=goal).first()
    initial = (
        {
            "campaign": current.campaign_id,
            "theme": current.theme,
            "figure": current.figure,
            "target": current.target,
        }
        if current
        else {}
    )
    form = GoalMeasureForm(posted(request), initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and service_call(request, form, goal_measure_set, goal=goal, **form.cleaned_data) is not None
    ):
        messages.success(request, "The goal's measure was saved.")
        return redirect("feedback:goal_results")
    return render(request, "feedback/goal_measure_form.html", {"form": form, "goal": goal})


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_feedback)
def goal_round_create(request, pk: int):
    """Set up a campaign's baseline, mid-year or end-of-year round of an academic year."""
    campaign = get_object_or_404(
        access.campaigns_for_user(user=request.user), pk=pk, kind=CampaignKind.RECURRING
    )
    form = GoalRoundForm(posted(request), initial={"academic_year": academic_year_current()})
    if request.method == "POST" and form.is_valid():
        round = service_call(request, form, goal_round_set_up, campaign=campaign, **form.cleaned_data)
        if round is not None:
            messages.success(
                request, f"The {round.get_phase_display().lower()} round of {round.academic_year} is set."
            )
            return redirect("feedback:campaign_detail", pk=campaign.pk)
    return render(request, "feedback/goal_round_form.html", {"form": form, "campaign": campaign})
