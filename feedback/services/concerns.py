"""Writes to the complaints and commendations register, and to the opt-out list."""

from __future__ import annotations

from django.db import transaction

from feedback.models import Concern, OptOut


@transaction.atomic
def concern_receive(
    *, kind: str, about: str, description: str, name: str = "", email: str = "", officer=None, school=None
) -> Concern:
    """File a complaint or commendation from the public form (name and email optional)."""
    return Concern.objects.create(
        kind=kind,
        about=about,
        description=description,
        name=name,
        email=email,
        officer=officer,
        school=school,
    )


@transaction.atomic
def concern_update(*, concern: Concern, status: str, response: str, outcome: str) -> Concern:
    """Record the program's response to a complaint or commendation, and its outcome."""
    concern.status = status
    concern.response = response
    concern.outcome = outcome
    concern.save(update_fields=["status", "response", "outcome"])
    return concern


def opt_out_record(*, email: str) -> OptOut:
    """Remember that this address wants no more survey emails (a second call changes nothing)."""
    opt_out, _created = OptOut.objects.get_or_create(email=email.strip().lower())
    return opt_out
