"""Reads of invitations: the coordinator's list, and the link a person follows."""

from __future__ import annotations

import datetime

from django.utils import timezone

from people.access import invitations_for_user
from people.models import Invitation, InvitationStatus


def invitations_pending_count(*, user) -> int:
    return invitations_for_user(user=user).filter(status=InvitationStatus.PENDING).count()


def invitation_for_token(*, token: str) -> Invitation | None:
    """The invitation whose link carries this token; None for a link that was never issued."""
    hashed = Invitation.hash_token(token)
    return Invitation.objects.select_related("agency", "officer").filter(token_hash=hashed).first()


def invitation_problem(*, invitation: Invitation | None, now: datetime.datetime | None = None) -> str | None:
    """Why this invitation's link cannot be used now ("unknown", "accepted", "cancelled",
    "expired"), or None if it can."""
    if invitation is None:
        return "unknown"
    if invitation.status == InvitationStatus.ACCEPTED:
        return "accepted"
    if invitation.status in (InvitationStatus.CANCELLED, InvitationStatus.SUPERSEDED):
        return "cancelled"
    if invitation.is_expired(now or timezone.now()):
        return "expired"
    return None
