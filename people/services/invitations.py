"""Invitations: a coordinator invites a person by email; the person follows the single-use link,
sets a password and becomes an account with the roles and scope the invitation names."""

from __future__ import annotations

import datetime
import logging
import secrets
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from district.models import School, User
from district.roles import Role
from officers.models import Agency, Officer
from outbox.services import email_queue
from people.models import AccessChangeAction, Invitation, InvitationStatus
from people.selectors.invitations import invitation_problem
from people.services.access import (
    EMAIL_IN_USE,
    OFFICER_HAS_ACCOUNT,
    Access,
    access_apply,
    access_change_record,
    access_clean,
    email_in_use,
)

logger = logging.getLogger(__name__)

PENDING_INVITATION = "A pending invitation already goes to this email address: send it again instead."
OFFICER_INVITED = "A pending invitation already goes to this officer."
NOT_A_USERNAME = "This address cannot be used to sign in: use letters, digits and @ . + - _ only."


class InvitationUnusable(Exception):
    """The link cannot be used: ``reason`` is "unknown", "expired", "accepted" or "cancelled"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def invitation_days() -> int:
    return int(getattr(settings, "INVITATION_DAYS", 7))


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, Invitation.hash_token(token)


def _invitation_email(*, invitation: Invitation, link: str) -> tuple[str, str]:
    """The subject and body of an invitation."""
    roles = ", ".join(invitation.role_labels)
    expires = timezone.localtime(invitation.expires_at)
    body = (
        f"Hello {invitation.first_name},\n\n"
        f"You are invited to the district's SRO Program Manager as {roles}.\n\n"
        f"Open this link to choose a password and set up your account:\n{link}\n\n"
        f"The link works once, until {expires:%B %-d, %Y at %-I:%M %p}.\n"
        f"You will sign in with your email address: {invitation.email}\n\n"
        "If you did not expect this invitation, ignore this email.\n"
    )
    return "Your invitation to the SRO Program Manager", body


def _invitation_email_send(*, invitation: Invitation, link: str) -> None:
    """Queue the invitation's email in the outbox: sent once, after the commit. Every invitation goes here."""
    subject, body = _invitation_email(invitation=invitation, link=link)
    # A re-send makes a new token and so a new key: each link is its own email, each sent once.
    key = f"people.invitation:{invitation.pk}:{invitation.token_hash}"
    email_queue(key=key, to=[invitation.email], subject=subject, body=body)


def _expire_stale(*, email: str, officer: Officer | None, now: datetime.datetime) -> None:
    """An expired invitation to the same address (or officer) gives way to the new one."""
    same = Q(email__iexact=email) | (Q(officer=officer) if officer else Q(pk__in=[]))
    stale = Invitation.objects.select_for_update().filter(
        same, status=InvitationStatus.PENDING, expires_at__lte=now
    )
    for invitation in stale:
        invitation.status = InvitationStatus.SUPERSEDED
        invitation.finished_at = now
        invitation.save(update_fields=["status", "finished_at"])


def _details(access: Access, invitation: Invitation) -> dict:
    return {
        "email": invitation.email,
        "name": invitation.full_name,
        "after": {"roles": access.roles_description(), **access.scope_description()},
        "expires_at": invitation.expires_at.isoformat(),
    }


@transaction.atomic
def invitation_create(
    *,
    invited_by: User,
    email: str,
    first_name: str,
    last_name: str,
    roles: Iterable[str],
    schools: Iterable[School] = (),
    district_wide: bool = False,
    agency: Agency | None = None,
    officer: Officer | None = None,
    link_for: Callable[[str], str],
) -> Invitation:
    """Invite a person by email; ``link_for(token)`` makes the link that the email carries."""
    email = email.strip().lower()
    access = access_clean(
        roles=roles,
        schools=schools,
        district_wide=district_wide,
        agencies=[agency] if agency else [],
        officer=officer,
    )
    errors: dict[str, str] = {}
    try:
        User.username_validator(email)
    except ValidationError:
        errors["email"] = NOT_A_USERNAME
    now = timezone.now()
    _expire_stale(email=email, officer=access.officer, now=now)
    if email_in_use(email=email):
        errors["email"] = EMAIL_IN_USE
    elif Invitation.objects.filter(status=InvitationStatus.PENDING, email__iexact=email).exists():
        errors["email"] = PENDING_INVITATION
    if access.officer is not None:
        if access.officer.user_id is not None:
            errors["officer"] = OFFICER_HAS_ACCOUNT
        elif Invitation.objects.filter(status=InvitationStatus.PENDING, officer=access.officer).exists():
            errors["officer"] = OFFICER_INVITED
    if errors:
        raise ValidationError(errors)
    token, hashed = _new_token()
    invitation = Invitation(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        roles=[role.value for role in access.roles],
        district_wide=access.district_wide,
        agency=access.agencies[0] if access.agencies else None,
        officer=access.officer,
        token_hash=hashed,
        invited_by=invited_by,
        sent_at=now,
        expires_at=now + datetime.timedelta(days=invitation_days()),
    )
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as exc:  # Another coordinator invited the same person at the same moment.
        field = "officer" if "officer" in str(exc) else "email"
        raise ValidationError({field: OFFICER_INVITED if field == "officer" else PENDING_INVITATION}) from exc
    invitation.schools.set(access.schools)
    access_change_record(
        actor=invited_by,
        invitation=invitation,
        action=AccessChangeAction.INVITED,
        details=_details(access, invitation),
    )
    _invitation_email_send(invitation=invitation, link=link_for(token))
    return invitation


def _pending_locked(invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(
            f"This invitation was {invitation.get_status_display().lower()}: it cannot change."
        )
    return invitation


@transaction.atomic
def invitation_resend(*, actor: User, invitation: Invitation, link_for: Callable[[str], str]) -> Invitation:
    """Send a pending invitation again with a new link (the old link stops working) and a new expiry."""
    invitation = _pending_locked(invitation)
    token, hashed = _new_token()
    now = timezone.now()
    invitation.token_hash = hashed
    invitation.sent_at = now
    invitation.expires_at = now + datetime.timedelta(days=invitation_days())
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    access_change_record(
        actor=actor,
        invitation=invitation,
        action=AccessChangeAction.INVITATION_RESENT,
        details={"email": invitation.email, "expires_at": invitation.expires_at.isoformat()},
    )
    _invitation_email_send(invitation=invitation, link=link_for(token))
    return invitation


@transaction.atomic
def invitation_cancel(*, actor: User, invitation: Invitation) -> Invitation:
    """Withdraw a pending invitation; its link stops working."""
    invitation = _pending_locked(invitation)
    invitation.status = InvitationStatus.CANCELLED
    invitation.finished_at = timezone.now()
    invitation.save(update_fields=["status", "finished_at"])
    access_change_record(
        actor=actor,
        invitation=invitation,
        action=AccessChangeAction.INVITATION_CANCELLED,
        details={"email": invitation.email},
    )
    return invitation


def invitation_user(*, invitation: Invitation) -> User:
    """The account an invitation would become, unsaved (the password validators compare with it)."""
    return User(
        username=invitation.email,
        email=invitation.email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str) -> User:
    """Use the invitation once: create the account with its roles and scope and this password."""
    user = invitation_user(invitation=invitation)
    password_validation.validate_password(password, user)
    now = timezone.now()
    # The conditional UPDATE is the single use: of two tabs posting at once, the second waits
    # for the first to commit and then matches no row.
    used = Invitation.objects.filter(
        pk=invitation.pk, status=InvitationStatus.PENDING, expires_at__gt=now
    ).update(status=InvitationStatus.ACCEPTED, finished_at=now)
    if not used:
        invitation.refresh_from_db()
        raise InvitationUnusable(invitation_problem(invitation=invitation, now=now) or "accepted")
    if email_in_use(email=invitation.email):
        raise ValidationError(EMAIL_IN_USE + " Ask the program coordinator for help.")
    user.set_password(password)
    user.save()
    access = Access(
        roles=frozenset(Role(role) for role in invitation.roles),
        schools=tuple(invitation.schools.all()),
        district_wide=invitation.district_wide,
        agencies=(invitation.agency,) if invitation.agency else (),
        officer=invitation.officer,
    )
    access_apply(user=user, access=access)
    Invitation.objects.filter(pk=invitation.pk).update(user=user)
    access_change_record(
        actor=user,
        user=user,
        invitation=invitation,
        action=AccessChangeAction.ACCEPTED,
        details={"after": {"roles": access.roles_description(), **access.scope_description()}},
    )
    return user
