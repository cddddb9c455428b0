"""The complaints and commendations register (coordinators)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from feedback import access
from feedback.forms import ConcernUpdateForm
from feedback.models import ConcernKind, ConcernStatus
from feedback.services.concerns import concern_update
from sro_program.views_support import posted, requires, service_call

PAGE_SIZE = 25


@require_GET
@requires(access.may_manage_concerns)
def concern_list(request):
    concerns = access.concerns_for_user(user=request.user).select_related("officer", "school")
    kind, status = request.GET.get("kind", ""), request.GET.get("status", "")
    if kind in ConcernKind.values:
        concerns = concerns.filter(kind=kind)
    if status in ConcernStatus.values:
        concerns = concerns.filter(status=status)
    page = Paginator(concerns, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/concern_list.html",
        {
            "page": page,
            "kinds": ConcernKind.choices,
            "statuses": ConcernStatus.choices,
            "kind": kind,
            "status": status,
        },
    )


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_concerns)
def concern_detail(request, pk: int):
    concern = access.concern_get_for_user(user=request.user, pk=pk)
    initial = {"status": concern.status, "response": concern.response, "outcome": concern.outcome}
    form = ConcernUpdateForm(posted(request), initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and service_call(request, form, concern_update, concern=concern, **form.cleaned_data) is not None
    ):
        messages.success(request, "The response was saved.")
        return redirect("feedback:concern_list")
    return render(request, "feedback/concern_detail.html", {"concern": concern, "form": form})
