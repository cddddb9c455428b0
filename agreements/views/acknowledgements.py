"""Acknowledging a statement (with what changed since the version last acknowledged), and the
coordinator's matrix of who has and who has not."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from agreements import access
from agreements.selectors import acknowledgements as selectors
from agreements.selectors import versions as version_selectors
from agreements.services import acknowledgements as services
from sro_program.views_support import requires, service_call

PAGE_SIZE = 50


@require_http_methods(["GET", "POST"])
@requires(access.may_acknowledge)
def version_acknowledge(request, pk: int):
    version = access.version_get_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        if service_call(request, None, services.acknowledgement_record, version=version, user=request.user):
            messages.success(
                request, f"Thank you: you acknowledged version {version.number} of “{version.title}”."
            )
            return redirect("home")
        return redirect("agreements:version_acknowledge", version.pk)
    previous = selectors.version_last_acknowledged(user=request.user, version=version)
    return render(
        request,
        "agreements/version_acknowledge.html",
        {
            "version": version_selectors.version_with_sections(version=version),
            "agreement": version.agreement,
            "previous": previous,
            "rows": version_selectors.version_diff(old=previous, new=version) if previous else [],
            "acknowledgement": selectors.acknowledgement_of(user=request.user, version=version),
            "must_acknowledge": version.is_active
            and selectors.is_required(user=request.user, kind=version.agreement.kind),
        },
    )


@require_GET
@requires(access.may_view_acknowledgements)
def acknowledgement_matrix(request, pk: int):
    version = access.version_get_for_user(user=request.user, pk=pk)
    people = selectors.acknowledgement_matrix(version=version)
    shown = request.GET.get("show", "")
    if shown == "pending":
        people = people.filter(acknowledged_at__isnull=True)
    elif shown == "done":
        people = people.filter(acknowledged_at__isnull=False)
    counts = selectors.acknowledgement_counts(version=version)
    return render(
        request,
        "agreements/acknowledgement_matrix.html",
        {
            "version": version,
            "agreement": version.agreement,
            "page": Paginator(people, PAGE_SIZE).get_page(request.GET.get("page")),
            "shown": shown,
            "counts": counts,
        },
    )
