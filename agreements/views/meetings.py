"""Expectation meetings and their action items: the coordinator records them; attendees read them;
owners see and close their items; overdue items are listed for the coordinator."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agreements import access
from agreements.forms import ActionItemForm, MeetingForm
from agreements.models import ActionItemStatus
from agreements.selectors.history import meeting_history
from agreements.services import meetings as services
from sro_program.views_support import posted, requires, service_call

PAGE_SIZE = 25


@require_GET
@requires(access.may_view_meetings)
def meeting_list(request):
    meetings = access.meetings_for_user(user=request.user).select_related("version__agreement")
    items = access.action_items_for_user(user=request.user).filter(status=ActionItemStatus.OPEN)
    can_manage = access.may_manage_meetings(request.user)
    return render(
        request,
        "agreements/meeting_list.html",
        {
            "page": Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page")),
            "my_items": items.filter(owner=request.user).select_related("meeting"),
            "overdue": items.filter(due_on__lt=timezone.localdate()).select_related("meeting", "owner")[:100]
            if can_manage
            else [],
            "can_manage": can_manage,
        },
    )


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_meetings)
def meeting_new(request):
    return _meeting_form(request, None)


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_meetings)
def meeting_edit(request, pk: int):
    return _meeting_form(request, access.meeting_get_for_user(user=request.user, pk=pk))


def _meeting_form(request, meeting):
    initial = {}
    if meeting is not None:
        initial = {
            "kind": meeting.kind, "title": meeting.title, "held_on": meeting.held_on,
            "version": meeting.version,
            "attendees": list(meeting.attendees.all()), "agenda": meeting.agenda, "minutes": meeting.minutes,
        }  # fmt: skip
    form = MeetingForm(posted(request), initial=initial)
    saved = request.method == "POST" and form.is_valid()
    if saved:
        meeting = service_call(
            request,
            form,
            services.meeting_save,
            meeting=meeting,
            created_by=request.user,
            **form.cleaned_data,
        )
        if meeting is not None:
            messages.success(request, f"Saved the meeting “{meeting.title}”.")
            return redirect("agreements:meeting_detail", meeting.pk)
    return render(
        request,
        "agreements/form_page.html",
        {
            "form": form,
            "heading": "Edit the meeting" if meeting else "Record a meeting",
            "submit": "Save the meeting",
            "cancel": "agreements:meeting_detail" if meeting else "agreements:meeting_list",
            "cancel_arg": meeting.pk if meeting else None,
        },
    )


@require_GET
@requires(access.may_view_meetings)
def meeting_detail(request, pk: int):
    meeting = access.meeting_get_for_user(user=request.user, pk=pk)
    can_manage = access.may_manage_meetings(request.user)
    return render(
        request,
        "agreements/meeting_detail.html",
        {
            "meeting": meeting,
            "attendees": meeting.attendees.all(),
            "items": meeting.action_items.select_related("owner"),
            "can_manage": can_manage,
            "today": timezone.localdate(),
            "done": ActionItemStatus.DONE,
            "cancelled": ActionItemStatus.CANCELLED,
        },
    )


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_meetings)
def action_item_new(request, pk: int):
    meeting = access.meeting_get_for_user(user=request.user, pk=pk)
    form = ActionItemForm(posted(request))
    saved = request.method == "POST" and form.is_valid()
    if saved and service_call(
        request, form, services.action_item_create, meeting=meeting, **form.cleaned_data
    ):
        messages.success(request, "Added the action item.")
        return redirect("agreements:meeting_detail", meeting.pk)
    return render(
        request,
        "agreements/form_page.html",
        {"form": form, "heading": f"New action item from {meeting.title}", "submit": "Add the item",
         "cancel": "agreements:meeting_detail", "cancel_arg": meeting.pk},
    )  # fmt: skip


@require_POST
@requires(access.may_view_meetings)
def action_item_close(request, pk: int):
    """The owner (or the coordinator) marks an item done or cancelled."""
    item = access.action_item_get_for_user(user=request.user, pk=pk)
    status = request.POST.get("status", "")
    if status == ActionItemStatus.CANCELLED and not access.may_manage_meetings(request.user):
        raise PermissionDenied  # only the coordinator cancels an item; its owner finishes it
    if service_call(request, None, services.action_item_close, item=item, status=status):
        messages.success(request, f"“{item.description}” is closed.")
    return redirect("agreements:meeting_detail", item.meeting_id)


@require_GET
@requires(access.may_manage_meetings)
def meeting_history_page(request, pk: int):
    meeting = access.meeting_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "agreements/meeting_history.html",
        {"meeting": meeting, "page": meeting_history(meeting=meeting, page=request.GET.get("page"))},
    )
