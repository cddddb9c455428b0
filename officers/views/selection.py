"""Selection by fit: open a cycle, shape the criteria, nominate, name the panel, score, see the
results and decide (or cancel). Who may do each is asked of ``officers.access``: coordinator actions
``may_manage_selection``; nominating and withdrawing ``may_nominate``/``may_withdraw`` (the cycle's
agency); scoring needs a seat on the panel (else 404), and a seat hides the others' scores until one's
own is submitted (``visible_candidate_ids``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from officers import access
from officers.access import (
    candidate_get_for_cycle,
    cycle_get_for_user,
    cycles_for_user,
    may_manage_selection,
    may_nominate,
    may_withdraw,
    panelist_for,
    panelist_get_for_user,
    visible_candidate_ids,
)
from officers.forms.selection import (
    CandidateForm,
    CriterionForm,
    CycleOpenForm,
    DecisionForm,
    PanelForm,
    ScorecardForm,
)
from officers.models import CandidateStatus, CycleStatus
from officers.selectors.selection import cycle_progress, cycle_results, scorecard_for, scorecards_visible
from officers.services.selection import (
    candidate_nominate,
    candidate_withdraw,
    criteria_editable,
    criterion_add,
    criterion_move,
    criterion_remove,
    criterion_update,
    cycle_cancel,
    cycle_decide,
    cycle_open,
    panel_set,
    scorecard_save,
    scorecard_submit,
)
from sro_program.views_support import posted, requires, service_call


def _require_open(cycle) -> None:
    if cycle.status != CycleStatus.OPEN:
        raise PermissionDenied(f"This selection is {cycle.get_status_display().lower()} and read-only.")


@require_GET
@requires(access.may_view_selection)
def cycle_list(request):
    """The cycles the user may see; someone with no selection role and no panel seat is refused."""
    cycles = cycles_for_user(user=request.user).select_related("agency", "academic_year")
    page = Paginator(cycles, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "officers/selection/cycle_list.html",
        {"page": page, "can_open": may_manage_selection(request.user)},
    )


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_selection)
def cycle_open_view(request):
    form = CycleOpenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        cycle = service_call(request, form, cycle_open, opened_by=request.user, **form.cleaned_data)
        if cycle is not None:
            messages.success(request, "The selection is open, with the default fit criteria.")
            return redirect("officers:cycle_detail", pk=cycle.pk)
    return render(request, "officers/selection/cycle_form.html", {"form": form})


@require_GET
def cycle_detail(request, pk: int):
    cycle = cycle_get_for_user(user=request.user, pk=pk)
    panelist = panelist_for(user=request.user, cycle=cycle)
    my_cards = {}
    if panelist is not None:
        my_cards = {card.candidate_id: card for card in panelist.scorecards.all()}
    candidates = list(cycle.candidates.all())
    for candidate in candidates:
        candidate.my_card = my_cards.get(candidate.pk)
    manager = may_manage_selection(request.user)
    return render(
        request,
        "officers/selection/cycle_detail.html",
        {
            "cycle": cycle,
            "schools": cycle.schools.all(),
            "criteria": cycle.criteria.all(),
            "candidates": candidates,
            "panelists": cycle.panelists.select_related("user"),
            "panelist": panelist,
            "progress": cycle_progress(cycle=cycle),
            "is_open": cycle.status == CycleStatus.OPEN,
            "can_manage": manager,
            "can_cancel": manager and cycle.status == CycleStatus.OPEN,
            "can_nominate": cycle.status == CycleStatus.OPEN and may_nominate(user=request.user, cycle=cycle),
            "can_edit_criteria": manager and criteria_editable(cycle=cycle),
            "can_see_results": access.may_see_results(user=request.user, cycle=cycle),
            "criterion_form": CriterionForm(),
        },
    )


# --- Criteria (coordinator, before scoring starts) -------------------------------------------


def _criterion_for(request, pk: int, criterion_pk: int):
    cycle = cycle_get_for_user(user=request.user, pk=pk)
    _require_open(cycle)
    criterion = cycle.criteria.filter(pk=criterion_pk).first()
    if criterion is None:
        raise Http404
    return cycle, criterion


@require_POST
@requires(access.may_manage_selection)
def criterion_add_view(request, pk: int):
    cycle = cycle_get_for_user(user=request.user, pk=pk)
    _require_open(cycle)
    form = CriterionForm(request.POST)
    if form.is_valid() and service_call(request, form, criterion_add, cycle=cycle, **form.cleaned_data):
        messages.success(request, "The criterion was added.")
        return redirect("officers:cycle_detail", pk=cycle.pk)
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect("officers:cycle_detail", pk=cycle.pk)


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_selection)
def criterion_edit_view(request, pk: int, criterion_pk: int):
    cycle, criterion = _criterion_for(request, pk, criterion_pk)
    form = CriterionForm(posted(request), instance=criterion)
    if request.method == "POST" and form.is_valid():
        criterion = cycle.criteria.get(pk=criterion_pk)
        if service_call(request, form, criterion_update, criterion=criterion, **form.cleaned_data):
            messages.success(request, "The criterion was changed.")
            return redirect("officers:cycle_detail", pk=cycle.pk)
    return render(
        request,
        "officers/selection/criterion_form.html",
        {"cycle": cycle, "criterion": criterion, "form": form},
    )


@require_POST
@requires(access.may_manage_selection)
def criterion_remove_view(request, pk: int, criterion_pk: int):
    cycle, criterion = _criterion_for(request, pk, criterion_pk)
    name = criterion.name
    try:
        criterion_remove(criterion=criterion)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"“{name}” was removed.")
    return redirect("officers:cycle_detail", pk=cycle.pk)


@require_POST
@requires(access.may_manage_selection)
def criterion_move_view(request, pk: int, criterion_pk: int):
    cycle, criterion = _criterion_for(request, pk, criterion_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        raise Http404
    service_call(request, None, criterion_move, criterion=criterion, direction=direction)
    return redirect("officers:cycle_detail", pk=cycle.pk)


# --- Candidates ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@requires(access.may_propose_candidates)
def candidate_nominate_view(request, pk: int):
    cycle = cycle_get_for_user(user=request.user, pk=pk)
    if not may_nominate(user=request.user, cycle=cycle):
        raise Http404
    _require_open(cycle)
    form = CandidateForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        candidate = service_call(
            request, form, candidate_nominate, cycle=cycle, nominated_by=request.user, **form.cleaned_data
        )
        if candidate is not None:
            messages.success(request, f"{candidate} was nominated.")
            return redirect("officers:cycle_detail", pk=cycle.pk)
    return render(request, "officers/selection/candidate_form.html", {"cycle": cycle, "form": form})


@require_POST
@requires(access.may_withdraw_candidates)
def candidate_withdraw_view(request, pk: int, candidate_pk: int):
    """Take a nominee out of the open cycle: the coordinator, or a supervisor of the cycle's agency."""
    cycle = cycle_get_for_user(user=request.user, pk=pk)
    if not may_withdraw(user=request.user, cycle=cycle):
        raise Http404
    _require_open(cycle)
    candidate = candidate_get_for_cycle(cycle=cycle, pk=candidate_pk)
    if service_call(request, None, candidate_withdraw, candidate=candidate) is not None:
        messages.success(request, f"{candidate} was withdrawn; their record stays with the selection.")
    return redirect("officers:candidate_detail", pk=cycle.pk, candidate_pk=candidate.pk)


@require_GET
def candidate_detail(request, pk: int, candidate_pk: int):
    cycle = cycle_get_for_user(user=request.user, pk=pk)
    candidate = candidate_get_for_cycle(cycle=cycle, pk=candidate_pk)
    panelist = panelist_for(user=request.user, cycle=cycle)
    visible = visible_candidate_ids(user=request.user, cycle=cycle)
    return render(
        request,
        "officers/selection/candidate_detail.html",
        {
            "cycle": cycle,
            "candidate": candidate,
            "can_open_officer": access.may_view_officer(user=request.user, officer_id=candidate.officer_id),
            "criteria": cycle.criteria.all(),
            "panelist": panelist,
            "my_card": scorecard_for(panelist=panelist, candidate=candidate) if panelist else None,
            "scorecards": scorecards_visible(user=request.user, cycle=cycle, candidate=candidate),
            "may_see_scores": visible is None or candidate.pk in visible,
            "can_withdraw": (
                cycle.status == CycleStatus.OPEN
                and candidate.status == CandidateStatus.NOMINATED
                and may_withdraw(user=request.user, cycle=cycle)
            ),
        },
    )


@require_GET
def candidate_resume(request, pk: int, candidate_pk: int):
    """The résumé, to those who may see the cycle; always sent as a download."""
    cycle = cycle_get_for_user(user=request.user, pk=pk)
    candidate = candidate_get_for_cycle(cycle=cycle, pk=candidate_pk)
    if not candidate.resume:
        raise Http404
    return FileResponse(
        candidate.resume.open("rb"),
        as_attachment=True,
        filename=f"resume-{candidate.family_name}-{candidate.badge_number}.pdf",
        content_type="application/pdf",
    )


# --- Panel and scoring -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_selection)
def panel_edit(request, pk: int):
    cycle = cycle_get_for_user(user=request.user, pk=pk)
    _require_open(cycle)
    form = PanelForm(posted(request), cycle=cycle)
    if request.method == "POST" and form.is_valid():
        saved = service_call(request, form, panel_set, cycle=cycle, members=form.members())
        if saved is not None:
            messages.success(request, "The panel was saved.")
            return redirect("officers:cycle_detail", pk=cycle.pk)
    return render(request, "officers/selection/panel_form.html", {"cycle": cycle, "form": form})


@require_http_methods(["GET", "POST"])
def scorecard_edit(request, pk: int, candidate_pk: int):
    """A panelist's scorecard for one candidate; anyone not on the panel gets 404."""
    cycle = cycle_get_for_user(user=request.user, pk=pk)
    panelist = panelist_get_for_user(user=request.user, cycle=cycle)
    candidate = candidate_get_for_cycle(cycle=cycle, pk=candidate_pk)
    scorecard = scorecard_for(panelist=panelist, candidate=candidate)
    criteria = list(cycle.criteria.all())
    read_only = cycle.status != CycleStatus.OPEN or (scorecard is not None and scorecard.submitted_at)
    form = ScorecardForm(None if read_only else posted(request), criteria=criteria, scorecard=scorecard)
    if request.method == "POST" and not read_only and form.is_valid():
        submit = "submit" in request.POST
        if not submit or form.require_all():
            service = scorecard_submit if submit else scorecard_save
            saved = service_call(
                request,
                form,
                service,
                panelist=panelist,
                candidate=candidate,
                scores=form.entries(),
                note=form.cleaned_data["note"],
            )
            if saved is not None:
                if submit:
                    messages.success(request, f"Your scorecard for {candidate} was submitted.")
                    return redirect("officers:candidate_detail", pk=cycle.pk, candidate_pk=candidate.pk)
                messages.success(request, "Your draft was saved.")
                return redirect("officers:scorecard_edit", pk=cycle.pk, candidate_pk=candidate.pk)
    return render(
        request,
        "officers/selection/scorecard_form.html",
        {
            "cycle": cycle,
            "candidate": candidate,
            "form": form,
            "scorecard": scorecard,
            "read_only": read_only,
        },
    )


# --- Results and decision --------------------------------------------------------------------


@require_GET
def cycle_results_view(request, pk: int):
    """The coordinator sees every candidate; a panelist only those they have submitted a card for."""
    cycle = cycle_get_for_user(user=request.user, pk=pk)
    visible = visible_candidate_ids(user=request.user, cycle=cycle)
    if visible is not None and not panelist_for(user=request.user, cycle=cycle):
        raise PermissionDenied
    criteria, results = cycle_results(cycle=cycle, candidate_ids=visible)
    return render(
        request,
        "officers/selection/cycle_results.html",
        {
            "cycle": cycle,
            "criteria": criteria,
            "results": results,
            "partial": visible is not None,
            "can_decide": may_manage_selection(request.user) and cycle.status == CycleStatus.OPEN,
        },
    )


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_selection)
def cycle_decide_view(request, pk: int):
    cycle = cycle_get_for_user(user=request.user, pk=pk)
    _require_open(cycle)
    form = DecisionForm(posted(request), cycle=cycle)
    if request.method == "POST" and form.is_valid():
        officer = service_call(
            request, form, cycle_decide, cycle=cycle, decided_by=request.user, **form.cleaned_data
        )
        if officer is not None:
            messages.success(request, f"Decided: {officer} is an active officer in the program.")
            return redirect("officers:cycle_detail", pk=cycle.pk)
    # A coordinator on the panel sees the ranking only of those they have scored themselves.
    visible = visible_candidate_ids(user=request.user, cycle=cycle)
    _criteria, results = cycle_results(cycle=cycle, candidate_ids=visible)
    return render(
        request,
        "officers/selection/cycle_decide.html",
        {"cycle": cycle, "form": form, "results": results, "partial": visible is not None},
    )


@require_POST
@requires(access.may_manage_selection)
def cycle_cancel_view(request, pk: int):
    """Close the selection without choosing anyone; the POST carries the ``reason``."""
    cycle = cycle_get_for_user(user=request.user, pk=pk)
    _require_open(cycle)
    reason = request.POST.get("reason", "")
    if service_call(request, None, cycle_cancel, cycle=cycle, reason=reason, cancelled_by=request.user):
        messages.success(
            request, "The selection was cancelled; its candidates and scores keep their records."
        )
    return redirect("officers:cycle_detail", pk=cycle.pk)


urlpatterns = [
    path("selection/", cycle_list, name="cycle_list"),
    path("selection/new/", cycle_open_view, name="cycle_open"),
    path("selection/<int:pk>/", cycle_detail, name="cycle_detail"),
    path("selection/<int:pk>/criteria/add/", criterion_add_view, name="criterion_add"),
    path("selection/<int:pk>/criteria/<int:criterion_pk>/edit/", criterion_edit_view, name="criterion_edit"),
    path(
        "selection/<int:pk>/criteria/<int:criterion_pk>/remove/",
        criterion_remove_view,
        name="criterion_remove",
    ),
    path("selection/<int:pk>/criteria/<int:criterion_pk>/move/", criterion_move_view, name="criterion_move"),
    path("selection/<int:pk>/nominate/", candidate_nominate_view, name="candidate_nominate"),
    path("selection/<int:pk>/candidates/<int:candidate_pk>/", candidate_detail, name="candidate_detail"),
    path(
        "selection/<int:pk>/candidates/<int:candidate_pk>/resume/", candidate_resume, name="candidate_resume"
    ),
    path(
        "selection/<int:pk>/candidates/<int:candidate_pk>/scorecard/", scorecard_edit, name="scorecard_edit"
    ),
    path("selection/<int:pk>/panel/", panel_edit, name="panel_edit"),
    path("selection/<int:pk>/results/", cycle_results_view, name="cycle_results"),
    path("selection/<int:pk>/decide/", cycle_decide_view, name="cycle_decide"),
    path("selection/<int:pk>/cancel/", cycle_cancel_view, name="cycle_cancel"),
    path(
        "selection/<int:pk>/candidates/<int:candidate_pk>/withdraw/",
        candidate_withdraw_view,
        name="candidate_withdraw",
    ),
]
