"""Assignment pages: the list, creating and changing an assignment with its weekly schedule,
ending early with history kept, officer leave, and the coverage of every school on a day."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from district.models import AcademicYear
from district.selectors import academic_year_current
from officers import access
from officers.access import assignment_get_for_user, leave_get_for_user, officers_for_leave_entry
from officers.forms.assignments import (
    AssignmentEndForm,
    AssignmentForm,
    CoverageDayForm,
    OfficerLeaveForm,
    schedule_formset,
)
from officers.models import OfficerLeave
from officers.selectors import assignments as selectors
from officers.services import assignments as services
from sro_program.views_support import errors_to_form, posted, requires

PAGE_SIZE = 50


@require_GET
@requires(access.may_view_assignments)
def assignment_list(request):
    years = list(AcademicYear.objects.all())
    year = next((y for y in years if str(y.pk) == request.GET.get("year")), None) or next(
        (y for y in years if y.is_current), None
    )
    assignments = selectors.assignment_list(user=request.user, academic_year=year)
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "officers/assignments/assignment_list.html",
        {
            "page": page,
            "years": years,
            "year": year,
            "today": timezone.localdate(),
            "can_add": access.may_change_assignments(request.user),
        },
    )


@require_GET
@requires(access.may_view_assignments)
def assignment_detail(request, pk: int):
    assignment = assignment_get_for_user(user=request.user, pk=pk)
    can_change = access.may_change_assignments(request.user)
    end_form = AssignmentEndForm(initial={"end_date": timezone.localdate()}) if can_change else None
    return _detail(request, assignment, end_form=end_form)


def _detail(request, assignment, *, end_form, status: int = 200):
    """The assignment with its schedule and history; ``end_form`` is None for those who may not end it."""
    versions, day_versions = selectors.assignment_history(assignment=assignment)
    return render(
        request,
        "officers/assignments/assignment_detail.html",
        {
            "assignment": assignment,
            "days": assignment.days.all(),
            "versions": versions,
            "day_versions": day_versions,
            "can_change": end_form is not None,
            "end_form": end_form,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@requires(access.may_change_assignments)
def assignment_new(request):
    return _assignment_form(request, None)


@require_http_methods(["GET", "POST"])
@requires(access.may_change_assignments)
def assignment_edit(request, pk: int):
    return _assignment_form(request, assignment_get_for_user(user=request.user, pk=pk))


def _assignment_form(request, assignment):
    officers = selectors.officers_for_assignment()
    if assignment is None:
        year = academic_year_current()
        initial = {
            "academic_year": year,
            "start_date": timezone.localdate(),
            "end_date": year and year.end_date,
        }
        initial.update({k: v for k, v in request.GET.items() if k in ("officer", "school")})
    else:
        initial = {
            "officer": assignment.officer_id,
            "school": assignment.school_id,
            "academic_year": assignment.academic_year_id,
            "role": assignment.role,
            "start_date": assignment.start_date,
            "end_date": assignment.end_date,
        }
    data = posted(request)
    form = AssignmentForm(data, officers=officers, initial=initial)
    formset = schedule_formset(data, assignment=assignment)
    status = 200
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            fields = {k: form.cleaned_data[k] for k in ("officer", "school", "academic_year", "role")}
            fields.update(start_date=form.cleaned_data["start_date"], end_date=form.cleaned_data["end_date"])
            try:
                if assignment is None:
                    assignment = services.assignment_create(**fields, shifts=formset.shifts())
                else:
                    services.assignment_update(assignment=assignment, **fields, shifts=formset.shifts())
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, f"Saved: {assignment}.")
                return redirect("officers:assignment_detail", pk=assignment.pk)
        status = 400
    return render(
        request,
        "officers/assignments/assignment_form.html",
        {"form": form, "formset": formset, "assignment": assignment},
        status=status,
    )


@require_POST
@requires(access.may_change_assignments)
def assignment_end(request, pk: int):
    assignment = assignment_get_for_user(user=request.user, pk=pk)
    form = AssignmentEndForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_end(assignment=assignment, end_date=form.cleaned_data["end_date"])
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, f"The assignment now ends on {assignment.end_date:%B %-d, %Y}.")
            return redirect("officers:assignment_detail", pk=assignment.pk)
    assignment.refresh_from_db()
    return _detail(request, assignment, end_form=form, status=400)


@require_GET
@requires(access.may_view_coverage)
def coverage(request):
    today = timezone.localdate()
    form = CoverageDayForm(request.GET or None, initial={"day": today})
    day = form.cleaned_data["day"] if form.is_bound and form.is_valid() else today
    schools = selectors.coverage_on(user=request.user, day=day)
    shown = [entry.assignment.pk for school in schools for entry in school.primary + school.backup]
    return render(
        request,
        "officers/assignments/coverage.html",
        {
            "form": form,
            "day": day,
            "schools": schools,
            "uncovered": [s for s in schools if not s.covered],
            "no_primary": [s for s in schools if s.covered and not s.primary_covers],
            # Each officer links to their assignment only where the viewer may open it.
            "openable": access.assignment_ids_openable(user=request.user, ids=shown),
        },
    )


@require_GET
@requires(access.may_view_leave)
def leave_list(request):
    leaves = access.leaves_for_user(user=request.user).select_related("officer__agency")
    page = Paginator(leaves, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "officers/assignments/leave_list.html",
        {
            "page": page,
            "can_add": access.may_record_leave(request.user),
            "editable": access.leave_ids_editable(user=request.user, leaves=list(page)),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(access.may_record_leave)
def leave_new(request):
    return _leave_form(request, OfficerLeave())


@require_http_methods(["GET", "POST"])
@requires(access.may_record_leave)
def leave_edit(request, pk: int):
    leave = leave_get_for_user(user=request.user, pk=pk)
    if not access.may_change_leave(user=request.user, leave=leave):
        raise PermissionDenied("You cannot change this officer's leave.")
    return _leave_form(request, leave)


def _leave_form(request, leave: OfficerLeave):
    officers = officers_for_leave_entry(user=request.user)
    form = OfficerLeaveForm(posted(request), instance=leave, officers=officers)
    if request.method == "POST" and form.is_valid():
        try:
            services.officer_leave_save(leave=form.instance)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, f"Recorded: {form.instance}.")
            return redirect("officers:leave_list")
    return render(request, "officers/assignments/leave_form.html", {"form": form, "leave": leave})


urlpatterns = [
    path("assignments/", assignment_list, name="assignment_list"),
    path("assignments/new/", assignment_new, name="assignment_new"),
    path("assignments/coverage/", coverage, name="coverage"),
    path("assignments/<int:pk>/", assignment_detail, name="assignment_detail"),
    path("assignments/<int:pk>/edit/", assignment_edit, name="assignment_edit"),
    path("assignments/<int:pk>/end/", assignment_end, name="assignment_end"),
    path("leave/", leave_list, name="leave_list"),
    path("leave/new/", leave_new, name="leave_new"),
    path("leave/<int:pk>/edit/", leave_edit, name="leave_edit"),
]
