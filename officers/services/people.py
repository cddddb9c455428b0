"""Writes to agencies and officers. Badge numbers are unique within an agency."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from officers.models import Agency, Officer, OfficerStatus

OFFICER_FIELDS = frozenset(
    {
        "agency",
        "badge_number",
        "given_name",
        "family_name",
        "rank",
        "phone",
        "email",
        "program_start_date",
        "status",
        "user",
    }
)
AGENCY_FIELDS = frozenset({"name", "address", "phone", "contact_name", "contact_email", "contact_phone"})

DUPLICATE_BADGE = "Another officer of this agency already has this badge number."
DUPLICATE_AGENCY = "An agency with this name already exists."


def _badge_taken(*, agency: Agency, badge_number: str, exclude_pk: int | None = None) -> bool:
    officers = Officer.objects.filter(agency=agency, badge_number=badge_number)
    if exclude_pk is not None:
        officers = officers.exclude(pk=exclude_pk)
    return officers.exists()


def _save_officer(officer: Officer) -> Officer:
    """Save, turning a lost race on the badge constraint into the same error a form shows."""
    if _badge_taken(agency=officer.agency, badge_number=officer.badge_number, exclude_pk=officer.pk):
        raise ValidationError({"badge_number": DUPLICATE_BADGE})
    try:
        with transaction.atomic():
            officer.save()
    except IntegrityError as exc:
        if "badge_unique_within_agency" in str(exc):
            raise ValidationError({"badge_number": DUPLICATE_BADGE}) from exc
        raise
    return officer


@transaction.atomic
def officer_create(
    *,
    agency: Agency,
    badge_number: str,
    given_name: str,
    family_name: str,
    rank: str = "",
    phone: str = "",
    email: str = "",
    program_start_date: datetime.date | None = None,
    status: str = OfficerStatus.ACTIVE,
    user=None,
) -> Officer:
    """Add an officer to the program; a badge number already used in the agency is refused."""
    officer = Officer(
        agency=agency,
        badge_number=badge_number.strip(),
        given_name=given_name,
        family_name=family_name,
        rank=rank,
        phone=phone,
        email=email,
        program_start_date=program_start_date,
        status=status,
        user=user,
    )
    return _save_officer(officer)


@transaction.atomic
def officer_update(*, officer: Officer, data: dict[str, Any]) -> Officer:
    """Change an officer's record; only the fields in ``OFFICER_FIELDS`` may be changed."""
    unknown = set(data) - OFFICER_FIELDS
    if unknown:
        raise ValueError(f"Not officer fields: {', '.join(sorted(unknown))}")
    for name, value in data.items():
        setattr(officer, name, value.strip() if name == "badge_number" else value)
    return _save_officer(officer)


@transaction.atomic
def officer_contact_update(*, officer: Officer, phone: str, email: str) -> Officer:
    """An officer corrects their own contact details; nothing else on the record changes."""
    officer.phone = phone
    officer.email = email
    officer.save(update_fields=["phone", "email"])
    return officer


def _save_agency(agency: Agency) -> Agency:
    if Agency.objects.filter(name__iexact=agency.name).exclude(pk=agency.pk).exists():
        raise ValidationError({"name": DUPLICATE_AGENCY})
    try:
        with transaction.atomic():
            agency.save()
    except IntegrityError as exc:
        raise ValidationError({"name": DUPLICATE_AGENCY}) from exc
    return agency


@transaction.atomic
def agency_create(
    *,
    name: str,
    address: str = "",
    phone: str = "",
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
) -> Agency:
    """Add a law-enforcement agency that the program works with."""
    agency = Agency(
        name=name.strip(),
        address=address,
        phone=phone,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
    )
    return _save_agency(agency)


@transaction.atomic
def agency_update(*, agency: Agency, data: dict[str, Any]) -> Agency:
    """Change an agency's name or contact details."""
    unknown = set(data) - AGENCY_FIELDS
    if unknown:
        raise ValueError(f"Not agency fields: {', '.join(sorted(unknown))}")
    for name, value in data.items():
        setattr(agency, name, value)
    return _save_agency(agency)
