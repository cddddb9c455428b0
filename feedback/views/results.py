"""Results pages: the rounds a person may see, one round's results (whole, by school or officer),
the trend across a campaign's rounds, the CSV export, and improvement actions."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from feedback import access
from feedback.forms import ActionForm, ActionStatusForm
from feedback.models import Invitation, RoundStatus
from feedback.selectors.results import (
    actions_before,
    export_rows,
    min_group_size,
    round_groups,
    round_summary,
    trend,
)
from feedback.services.actions import action_create, action_status_set
from sro_program.views_support import posted, requires, service_call

PAGE_SIZE = 25


def _invitations(user):
    officers = access.result_officers_for_user(user=user)
    return Invitation.objects.all() if officers is None else Invitation.objects.filter(officer__in=officers)


@require_GET
@requires(access.may_view_results)
def round_list(request):
    """Every round the person may see, newest first, filtered by status."""
    officers = access.result_officers_for_user(user=request.user)
    mine = Q() if officers is None else Q(responses__officer__in=officers)
    rounds = (
        access.rounds_for_user(user=request.user)
        .select_related("campaign__survey")
        .annotate(response_count=Count("responses", filter=mine, distinct=True))
        .order_by("-opens_on", "-pk")
    )
    status = request.GET.get("status", "")
    if status in RoundStatus.values:
        rounds = rounds.filter(status=status)
    page = Paginator(rounds, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/round_list.html",
        {"page": page, "status": status, "statuses": [("", "All"), *RoundStatus.choices]},
    )


def _group(request, responses):
    """The group asked for (?school= or ?officer=), narrowed further; the label says which."""
    school, officer = request.GET.get("school", ""), request.GET.get("officer", "")
    if school.isdigit():
        return responses.filter(school_id=int(school)), ("school", int(school))
    if officer.isdigit():
        return responses.filter(officer_id=int(officer)), ("officer", int(officer))
    return responses, None


@require_GET
@requires(access.may_view_results)
def round_results(request, pk: int):
    round = access.round_get_for_user(user=request.user, pk=pk)
    responses = access.responses_for_user(user=request.user)
    groups = round_groups(round=round, responses=responses)
    chosen, group = _group(request, responses)
    summary = round_summary(round=round, responses=chosen, invitations=_invitations(request.user))
    actions = access.actions_for_user(user=request.user)
    return render(
        request,
        "feedback/round_results.html",
        {
            "round": round,
            "summary": summary,
            "groups": groups,
            "group": group,
            "current_school": group[1] if group and group[0] == "school" else None,
            "current_officer": group[1] if group and group[0] == "officer" else None,
            "minimum": min_group_size(),
            "trend": trend(
                rounds=access.rounds_for_user(user=request.user).filter(campaign=round.campaign_id),
                responses=chosen,
            ),
            "actions": list(actions.filter(round=round).order_by("due_on")),
            "earlier_actions": actions_before(round=round, actions=actions),
            "may_add_action": access.may_add_action(request.user),
            "may_export": access.may_manage_feedback(request.user),
            "status_form": ActionStatusForm(),
        },
    )


@require_GET
@requires(access.may_manage_feedback)
def round_export(request, pk: int):
    """CSV of a round's results (coordinators): numbers per group, small groups suppressed, no names."""
    round = access.round_get_for_user(user=request.user, pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="feedback-round-{round.pk}.csv"'
    writer = csv.writer(response)
    for row in export_rows(
        round=round,
        responses=access.responses_for_user(user=request.user),
        invitations=_invitations(request.user),
    ):
        writer.writerow(row)
    return response


@require_http_methods(["GET", "POST"])
@requires(access.may_add_action)
def action_create_view(request, pk: int):
    round = access.round_get_for_user(user=request.user, pk=pk)
    form = ActionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        officers = access.result_officers_for_user(user=request.user)
        officer = None if officers is None else officers.first()
        action = service_call(
            request,
            form,
            action_create,
            created_by=request.user,
            round=round,
            officer=officer,
            **form.cleaned_data,
        )
        if action is not None:
            messages.success(request, "The action was recorded.")
            return redirect("feedback:round_results", pk=round.pk)
    return render(request, "feedback/action_form.html", {"form": form, "round": round})


@require_POST
@requires(access.may_add_action)
def action_status_view(request, pk: int):
    action = get_object_or_404(access.actions_for_user(user=request.user), pk=pk)
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        raise Http404("No such status.")
    service_call(request, None, action_status_set, action=action, status=form.cleaned_data["status"])
    messages.success(request, "The action's status was saved.")
    return redirect("feedback:round_results", pk=action.round_id)
