"""Agencies and officers: coordinators manage them all, supervisors their agency's officers, an SRO
their own contact details, administrators see the officers at their schools."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from officers import access
from officers.access import (
    agencies_for_user,
    agency_get_for_user,
    officer_edit_mode,
    officer_get_for_user,
    officers_for_user,
)
from officers.forms.people import AgencyForm, OfficerContactForm, OfficerFilter, OfficerForm
from officers.selectors.people import agencies_editable_by
from officers.services.people import (
    agency_create,
    agency_update,
    officer_contact_update,
    officer_create,
    officer_update,
)
from sro_program.views_support import posted, requires, service_call

PAGE_SIZE = 50


@require_GET
@requires(access.may_view_officers)
def officer_list(request):
    """Officers the user may see, found by name, badge, agency and status."""
    officers = officers_for_user(user=request.user).select_related("agency")
    officer_filter = OfficerFilter(
        request.GET, queryset=officers, agencies=agencies_for_user(user=request.user)
    )
    page = Paginator(officer_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "officers/officer_list.html",
        {
            "filter": officer_filter,
            "page": page,
            "can_add": access.may_add_officer(request.user),
        },
    )


@require_GET
@requires(access.may_view_officers)
def officer_detail(request, pk: int):
    officer = officer_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "officers/officer_detail.html",
        {"officer": officer, "edit_mode": officer_edit_mode(user=request.user, officer=officer)},
    )


@require_http_methods(["GET", "POST"])
@requires(access.may_add_officer)
def officer_create_view(request):
    agencies = agencies_editable_by(user=request.user)
    form = OfficerForm(posted(request), agencies=agencies)
    if request.method == "POST" and form.is_valid():
        officer = service_call(request, form, officer_create, **form.cleaned_data)
        if officer is not None:
            messages.success(request, f"{officer} was added.")
            return redirect("officers:officer_detail", pk=officer.pk)
    return render(request, "officers/officer_form.html", {"form": form, "officer": None})


@require_http_methods(["GET", "POST"])
@requires(access.may_view_officers)
def officer_edit(request, pk: int):
    """The whole record for coordinators and the agency's supervisors; contact details for the SRO."""
    officer = officer_get_for_user(user=request.user, pk=pk)
    mode = officer_edit_mode(user=request.user, officer=officer)
    if mode is None:
        raise PermissionDenied
    if mode == "full":
        form = OfficerForm(
            posted(request), instance=officer, agencies=agencies_editable_by(user=request.user)
        )
    else:
        form = OfficerContactForm(posted(request), instance=officer)
    if request.method == "POST" and form.is_valid():
        # The form validated against a copy; reload so a rejected change leaves the row as it was.
        officer = officer_get_for_user(user=request.user, pk=pk)
        if mode == "full":
            saved = service_call(request, form, officer_update, officer=officer, data=form.cleaned_data)
        else:
            saved = service_call(request, form, officer_contact_update, officer=officer, **form.cleaned_data)
        if saved is not None:
            messages.success(request, f"{saved} was updated.")
            return redirect("officers:officer_detail", pk=saved.pk)
    return render(request, "officers/officer_form.html", {"form": form, "officer": officer, "mode": mode})


@require_GET
@requires(access.may_view_agencies)
def agency_list(request):
    agencies = agencies_for_user(user=request.user).annotate(officer_count=Count("officers", distinct=True))
    page = Paginator(agencies.order_by("name"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "officers/agency_list.html",
        {"page": page, "can_add": access.may_add_agency(request.user)},
    )


@require_GET
@requires(access.may_view_agencies)
def agency_detail(request, pk: int):
    agency = agency_get_for_user(user=request.user, pk=pk)
    officers = officers_for_user(user=request.user).filter(agency=agency)
    return render(
        request,
        "officers/agency_detail.html",
        {
            "agency": agency,
            "officers": officers[:PAGE_SIZE],
            "officer_count": officers.count(),
            "can_change": access.may_change_agency(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(access.may_add_agency)
def agency_create_view(request):
    form = AgencyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        agency = service_call(request, form, agency_create, **form.cleaned_data)
        if agency is not None:
            messages.success(request, f"{agency} was added.")
            return redirect("officers:agency_detail", pk=agency.pk)
    return render(request, "officers/agency_form.html", {"form": form, "agency": None})


@require_http_methods(["GET", "POST"])
@requires(access.may_change_agency)
def agency_edit(request, pk: int):
    agency = agency_get_for_user(user=request.user, pk=pk)
    form = AgencyForm(posted(request), instance=agency)
    if request.method == "POST" and form.is_valid():
        agency = agency_get_for_user(user=request.user, pk=pk)
        saved = service_call(request, form, agency_update, agency=agency, data=form.cleaned_data)
        if saved is not None:
            messages.success(request, f"{saved} was updated.")
            return redirect("officers:agency_detail", pk=saved.pk)
    return render(request, "officers/agency_form.html", {"form": form, "agency": agency})


urlpatterns = [
    path("", officer_list, name="officer_list"),
    path("new/", officer_create_view, name="officer_create"),
    path("<int:pk>/", officer_detail, name="officer_detail"),
    path("<int:pk>/edit/", officer_edit, name="officer_edit"),
    path("agencies/", agency_list, name="agency_list"),
    path("agencies/new/", agency_create_view, name="agency_create"),
    path("agencies/<int:pk>/", agency_detail, name="agency_detail"),
    path("agencies/<int:pk>/edit/", agency_edit, name="agency_edit"),
]
