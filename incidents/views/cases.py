"""The case pages: the list, opening a case (directly or from an interaction), and one case with its
timeline, notes, referrals, follow-ups and status; the coordinator's list of overdue follow-ups."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from district.models import School
from district.roles import Role
from district.services.access_log import access_log_record
from incidents import access
from incidents.forms import CaseFilter, CaseForm, CaseNoteForm, CaseStatusForm, FollowUpForm, ReferralForm
from incidents.models import CaseStatus, FollowUp, ReferralStatus
from incidents.selectors.officers import officer_for_user, officer_schools_today
from incidents.services.cases import (
    case_note_add,
    case_open,
    case_open_from_interaction,
    case_status_set,
    follow_up_add,
    follow_up_done,
    referral_add,
    referral_status_set,
)
from sro_program.views_support import posted, requires, service_call

PAGE_SIZE = 25


@require_GET
@requires(access.may_view_cases)
def case_list_view(request):
    """The cases the user may see, with counts only (no student names)."""
    cases = (
        access.cases_for_user(user=request.user)
        .select_related("school")
        .annotate(
            student_count=Count("students", distinct=True),
            open_follow_ups=Count("follow_ups", filter=Q(follow_ups__done_at__isnull=True), distinct=True),
        )
        .order_by("-opened_at", "-pk")
    )
    found = CaseFilter(request.GET, queryset=cases)
    page = Paginator(found.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": found,
        "page": page,
        "may_open": access.may_open_case(request.user),
        "may_see_overdue": access.may_view_overdue_follow_ups(request.user),
    }
    return render(request, "incidents/case_list.html", context)


def _schools_for_new_case(user):
    if user.has_role(Role.COORDINATOR):
        return School.objects.filter(active=True).order_by("name")
    officer = officer_for_user(user=user)
    return officer_schools_today(officer=officer) if officer else School.objects.none()


@require_http_methods(["GET", "POST"])
@requires(access.may_open_case)
def case_create_view(request):
    form = CaseForm(posted(request), schools=_schools_for_new_case(request.user))
    if request.method == "POST" and form.is_valid():
        case = service_call(request, form, case_open, user=request.user, **form.cleaned_data)
        if case is not None:
            messages.success(request, "The case is open.")
            return redirect("incidents:case_detail", pk=case.pk)
    return render(request, "incidents/case_form.html", {"form": form})


@require_POST
@requires(access.may_open_case)
def case_from_interaction_view(request, pk: int):
    """Open (or go to) the case of an interaction the user wrote."""
    interaction = access.interaction_get_for_user(user=request.user, pk=pk)
    if interaction.author_id != request.user.pk and not request.user.has_role(Role.COORDINATOR):
        raise PermissionDenied
    case = case_open_from_interaction(user=request.user, interaction=interaction)
    return redirect("incidents:case_detail", pk=case.pk)


def _owners(case):
    """Who may own a follow-up: the case's officers and the person who opened it."""
    User = get_user_model()
    return (
        User.objects.filter(Q(pk=case.opened_by_id) | Q(officer__cases=case)).distinct().order_by("last_name")
    )


def _timeline(case, *, openable: set[int]):
    """Interactions, notes, referrals and follow-ups of the case, oldest first."""
    entries = []
    for interaction in case.interactions.select_related("category"):
        entries.append(
            {"when": interaction.occurred_at, "kind": "interaction", "item": interaction,
             "openable": interaction.pk in openable}
        )  # fmt: skip
    for note in case.notes.select_related("author"):
        entries.append({"when": note.created_at, "kind": "note", "item": note})
    midday = datetime.time(12)
    for referral in case.referrals.all():
        when = timezone.make_aware(datetime.datetime.combine(referral.made_on, midday))
        entries.append({"when": when, "kind": "referral", "item": referral})
    return sorted(entries, key=lambda entry: entry["when"])


@require_GET
@requires(access.may_view_cases)
def case_detail_view(request, pk: int):
    case = access.case_get_for_user(user=request.user, pk=pk)
    students = list(case.students.select_related("school"))
    named_ids = access.case_student_ids_named_for(user=request.user, case=case, students=students)
    for student in students:
        if student.pk in named_ids:
            access_log_record(user=request.user, record=case, student=student, path=request.path)
    may_work = access.may_work_case(user=request.user, case=case)
    openable = set(
        access.interactions_for_user(user=request.user).filter(case=case).values_list("pk", flat=True)
    )
    context = {
        "case": case,
        "students": [s for s in students if s.pk in named_ids],
        "unnamed_count": len(students) - len(named_ids),
        "show_text": len(named_ids) == len(students),
        "officers": list(case.officers.all()),
        "timeline": _timeline(case, openable=openable),
        "follow_ups": list(case.follow_ups.select_related("owner")),
        "referrals": list(case.referrals.all()),
        "may_work": may_work,
        "referral_statuses": ReferralStatus,
        "today": timezone.localdate(),
    }
    if may_work:
        context.update(
            note_form=CaseNoteForm(),
            follow_up_form=FollowUpForm(owners=_owners(case), initial={"owner": request.user.pk}),
            referral_form=ReferralForm(),
            status_form=CaseStatusForm(initial={"status": case.status, "reason": case.closed_reason}),
        )
    return render(request, "incidents/case_detail.html", context)


def _working_case(request, pk: int):
    case = access.case_get_for_user(user=request.user, pk=pk)
    if not access.may_work_case(user=request.user, case=case):
        raise PermissionDenied
    return case


def _act(request, case_id: int, form, action, done: str, **kwargs):
    """Validate the form, call the service; its refusal or the form's errors become messages."""
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    elif service_call(request, None, action, user=request.user, **kwargs) is not None:
        messages.success(request, done)
    return redirect("incidents:case_detail", pk=case_id)


@require_POST
@requires(access.may_view_cases)
def case_note_view(request, pk: int):
    case = _working_case(request, pk)
    form = CaseNoteForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    return _act(request, case.pk, form, case_note_add, "The note was added.", case=case, text=text)


@require_POST
@requires(access.may_view_cases)
def follow_up_add_view(request, pk: int):
    case = _working_case(request, pk)
    form = FollowUpForm(request.POST, owners=_owners(case))
    data = form.cleaned_data if form.is_valid() else {}
    return _act(request, case.pk, form, follow_up_add, "The follow-up was added.", case=case, **data)


@require_POST
@requires(access.may_view_cases)
def follow_up_done_view(request, pk: int, follow_up: int):
    case = _working_case(request, pk)
    item = access.follow_up_get_for_case(case=case, pk=follow_up)
    return _act(request, case.pk, None, follow_up_done, "Marked done.", follow_up=item)


@require_POST
@requires(access.may_view_cases)
def referral_add_view(request, pk: int):
    case = _working_case(request, pk)
    form = ReferralForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    return _act(
        request, case.pk, form, referral_add, "The referral was added.", case=case,
        referred_to=data.get("service", ""), to_whom=data.get("to_whom", ""),
    )  # fmt: skip


@require_POST
@requires(access.may_view_cases)
def referral_status_view(request, pk: int, referral: int):
    case = _working_case(request, pk)
    item = access.referral_get_for_case(case=case, pk=referral)
    status = request.POST.get("status", "")
    if status not in ReferralStatus.values:
        messages.error(request, "Choose what became of the referral.")
        return redirect("incidents:case_detail", pk=case.pk)
    return _act(
        request, case.pk, None, referral_status_set, "The referral was updated.", referral=item, status=status
    )


@require_POST
@requires(access.may_view_cases)
def case_status_view(request, pk: int):
    case = _working_case(request, pk)
    form = CaseStatusForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    return _act(request, case.pk, form, case_status_set, "The status was saved.", case=case, **data)


@require_GET
@requires(access.may_view_overdue_follow_ups)
def follow_ups_overdue_view(request):
    """Every open follow-up past its date, oldest first (the coordinator)."""
    overdue = (
        FollowUp.objects.filter(done_at__isnull=True, due_on__lt=timezone.localdate())
        .select_related("owner", "case__school")
        .order_by("due_on", "pk")
    )
    page = Paginator(overdue, 50).get_page(request.GET.get("page"))
    return render(request, "incidents/follow_ups_overdue.html", {"page": page, "statuses": CaseStatus})
