"""Signing a memorandum: a deliberate act with the password, typed name and title; the signature keeps
the checksum of the exact text signed. The version takes effect when both parties have signed."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from agreements.access import party_for_signer
from agreements.models import AgreementVersion, Signature, VersionStatus


@transaction.atomic
def signature_sign(
    *, version: AgreementVersion, signer, password: str, typed_name: str, typed_title: str
) -> Signature:
    """Sign the active version of a memorandum for the party the signer stands for."""
    version = (
        AgreementVersion.objects.select_for_update(of=("self",))
        .select_related("agreement__agency")
        .get(pk=version.pk)
    )
    party = party_for_signer(user=signer, version=version)
    if party is None:
        raise PermissionDenied("You do not sign this agreement.")
    if version.status != VersionStatus.ACTIVE:
        raise ValidationError(
            f"Only the active version can be signed; version {version.number} is "
            f"{version.get_status_display().lower()}."
        )
    if version.signatures.filter(party=party).exists():
        raise ValidationError(f"Version {version.number} is already signed for the {party.label.lower()}.")
    errors = {}
    if not signer.check_password(password):
        errors["password"] = "That is not your password."
    if not typed_name.strip():
        errors["typed_name"] = "Type your full name."
    if not typed_title.strip():
        errors["typed_title"] = "Type your title."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    signature = Signature.objects.create(
        version=version,
        party=party,
        signer=signer,
        typed_name=typed_name.strip(),
        typed_title=typed_title.strip(),
        signed_at=now,
        checksum=version.checksum(),
    )
    if version.signatures.count() == 2:  # the one row per party is held by a unique constraint
        version.effective_at = now
        version.save(update_fields=["effective_at"])
    return signature
