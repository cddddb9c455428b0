"""Creating agreements and changing their settings: signatory, review date, public address."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from agreements.models import Agreement, AgreementKind, AgreementVersion, VersionStatus
from district.roles import Role
from officers.models import Agency


def _check(*, kind: str, agency: Agency | None, district_signatory) -> None:
    errors = {}
    if kind == AgreementKind.MOU and agency is None:
        errors["agency"] = "A memorandum of understanding names the agency it is made with."
    if kind != AgreementKind.MOU and agency is not None:
        errors["agency"] = "Only a memorandum of understanding names an agency."
    if district_signatory is not None:
        if kind != AgreementKind.MOU:
            errors["district_signatory"] = "Only a memorandum is signed."
        elif not district_signatory.has_role(Role.ADMINISTRATOR) or not district_signatory.is_active:
            errors["district_signatory"] = "The district signatory must be an active administrator."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def agreement_create(
    *,
    kind: str,
    title: str,
    created_by,
    agency: Agency | None = None,
    district_signatory=None,
    review_date: datetime.date | None = None,
) -> Agreement:
    """A new agreement with an empty first draft."""
    _check(kind=kind, agency=agency, district_signatory=district_signatory)
    if Agreement.objects.filter(title=title).exists():
        raise ValidationError({"title": "An agreement with this title exists."})
    agreement = Agreement.objects.create(
        kind=kind, title=title, agency=agency, district_signatory=district_signatory, review_date=review_date
    )
    AgreementVersion.objects.create(
        agreement=agreement, number=1, title=title, status=VersionStatus.DRAFT, created_by=created_by
    )
    return agreement


@transaction.atomic
def agreement_update(
    *,
    agreement: Agreement,
    district_signatory=None,
    review_date: datetime.date | None = None,
    is_public: bool = False,
) -> Agreement:
    """Name the district signatory, set the review date, and publish the active version or not."""
    _check(kind=agreement.kind, agency=agreement.agency, district_signatory=district_signatory)
    if is_public and not agreement.is_mou:
        raise ValidationError({"is_public": "Only the memorandum is published at a public address."})
    agreement.district_signatory = district_signatory
    agreement.review_date = review_date
    agreement.is_public = is_public
    agreement.save(update_fields=["district_signatory", "review_date", "is_public"])
    return agreement
