"""Expectation meetings (kickoff, annual review, check-in) and their action items; an overdue item's
owner is reminded by email once."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agreements.models import ActionItem, ActionItemStatus, AgreementVersion, Meeting
from outbox.services import email_queue


@transaction.atomic
def meeting_save(
    *,
    meeting: Meeting | None,
    kind: str,
    title: str,
    held_on: datetime.date,
    version: AgreementVersion | None,
    attendees: Iterable,
    agenda: str,
    minutes: str,
    created_by,
) -> Meeting:
    """Create a meeting (``meeting`` None) or change one: date, attendees, agenda, minutes."""
    if meeting is None:
        meeting = Meeting(created_by=created_by)
    meeting.kind, meeting.title, meeting.held_on, meeting.version = kind, title, held_on, version
    meeting.agenda, meeting.minutes = agenda, minutes
    meeting.save()
    meeting.attendees.set(attendees)
    return meeting


@transaction.atomic
def action_item_create(*, meeting: Meeting, description: str, owner, due_on: datetime.date) -> ActionItem:
    """Add an action item to a meeting; it cannot be due in the past."""
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": "The due date is in the past: give a date from today on."})
    if not owner.is_active:
        raise ValidationError({"owner": "The owner's account is not active."})
    return ActionItem.objects.create(meeting=meeting, description=description, owner=owner, due_on=due_on)


@transaction.atomic
def action_item_close(*, item: ActionItem, status: str) -> ActionItem:
    """Mark an open item done or cancelled."""
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if status not in (ActionItemStatus.DONE, ActionItemStatus.CANCELLED):
        raise ValidationError("An item is closed as done or cancelled.")
    if not item.is_open:
        raise ValidationError(f"This item is already {item.get_status_display().lower()}.")
    item.status, item.closed_at = status, timezone.now()
    item.save(update_fields=["status", "closed_at"])
    return item


@transaction.atomic
def action_items_overdue_dispatch(*, today: datetime.date | None = None) -> int:
    """Daily (beat): remind the owner of each open item past its due date, once (the outbox key names
    the item)."""
    today = today or timezone.localdate()
    overdue = ActionItem.objects.filter(status=ActionItemStatus.OPEN, due_on__lt=today).select_related(
        "owner", "meeting"
    )
    queued = 0
    for item in overdue:
        if not item.owner.email:
            continue
        email_queue(
            key=f"agreements.action-overdue:{item.pk}",
            to=[item.owner.email],
            subject=f"Overdue: {item.description}",
            body=(
                f"The action item “{item.description}” from the meeting “{item.meeting.title}” was due on "
                f"{item.due_on:%B %-d, %Y}. Please do it, or tell the program coordinator what stands in "
                "the way.\n"
            ),
        )
        queued += 1
    return queued
