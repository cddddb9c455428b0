"""Who may use the program: invitations to join it, each change to someone's access, and the
sessions (so that deactivating a person ends every session they have)."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from district.models import School
from district.roles import Role
from officers.models import Agency, Officer


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be accepted"
    ACCEPTED = "accepted", "Accepted"
    CANCELLED = "cancelled", "Cancelled"
    # Replaced by a new invitation to the same address after this one had expired.
    SUPERSEDED = "superseded", "Expired and replaced"


class Invitation(models.Model):
    """An emailed, single-use link that lets one person set a password and join with these roles.

    Only a hash of the link's token is kept: someone who reads the database cannot use it.
    """

    email = models.EmailField(max_length=150)
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    roles = ArrayField(models.CharField(max_length=32, choices=Role.choices))
    schools = models.ManyToManyField(School, blank=True, related_name="+")
    district_wide = models.BooleanField(default=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        max_length=16, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(help_text="When the current link was emailed.")
    expires_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True, help_text="Accepted or cancelled at.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The account the invitation became.",
    )

    class Meta:
        ordering = ["-created_at"]
        permissions = [("manage_people", "Can invite people and change their roles, scope and access")]
        constraints = [
            # The database, not luck, keeps one waiting invitation per address and per officer.
            models.UniqueConstraint(
                Lower("email"), condition=Q(status="pending"), name="one_pending_invitation_per_email"
            ),
            models.UniqueConstraint(
                fields=["officer"], condition=Q(status="pending"), name="one_pending_invitation_per_officer"
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.email}"

    @staticmethod
    def hash_token(token: str) -> str:
        """The hash kept in place of a link's token."""
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in self.roles]


class AccessChangeAction(models.TextChoices):
    CREATED = "created", "Account created by command"
    INVITED = "invited", "Invited"
    INVITATION_RESENT = "invitation_resent", "Invitation sent again"
    INVITATION_CANCELLED = "invitation_cancelled", "Invitation cancelled"
    ACCEPTED = "accepted", "Invitation accepted"
    ROLES_CHANGED = "roles_changed", "Roles changed"
    SCOPE_CHANGED = "scope_changed", "Scope changed"
    DEACTIVATED = "deactivated", "Deactivated"
    REACTIVATED = "reactivated", "Reactivated"
    AUTHENTICATOR_RESET = "authenticator_reset", "Authenticator reset"


class AccessChange(models.Model):
    """One change to who may use the program or how far they see: what changed, who did it, when.

    Append-only: the services add rows and nothing changes or deletes them.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who made the change; empty for a management command.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_changes",
        help_text="Whose access changed; empty while they are only invited.",
    )
    invitation = models.ForeignKey(
        Invitation, on_delete=models.PROTECT, null=True, blank=True, related_name="changes"
    )
    action = models.CharField(max_length=32, choices=AccessChangeAction.choices)
    details = models.JSONField(default=dict, blank=True, help_text="What it was before and after.")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def detail_lines(self) -> list[str]:
        """The details in words, for the person's history page."""
        details = self.details or {}
        lines = []
        for key, label in (("before", "Before"), ("after", "After")):
            if key in details:
                lines.append(f"{label}: {_access_words(details[key])}")
        if details.get("email"):
            lines.append(f"To {details['email']}")
        if details.get("devices_removed"):
            lines.append(f"Removed: {', '.join(details['devices_removed'])}")
        if details.get("sessions_ended"):
            lines.append(f"Sessions ended: {details['sessions_ended']}")
        return lines


def _access_words(access) -> str:
    """A stored description of access (a list of role names, or roles and scope) in words."""
    if isinstance(access, list):
        return ", ".join(access) or "no role"
    parts = []
    if access.get("roles"):
        parts.append(", ".join(access["roles"]))
    if access.get("district_wide"):
        parts.append("district-wide")
    if access.get("schools"):
        parts.append("schools: " + ", ".join(access["schools"]))
    if access.get("agencies"):
        parts.append("agencies: " + ", ".join(access["agencies"]))
    if access.get("officer"):
        parts.append(f"officer record: {access['officer']}")
    return "; ".join(parts) or "no scope"


class UserSession(AbstractBaseSession):
    """A session, as Django keeps it, plus whose it is, so that all of a person's sessions can end."""

    user_id = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "session"

    @classmethod
    def get_session_store_class(cls):
        from importlib import import_module

        return import_module(settings.SESSION_ENGINE).SessionStore
