"""Who must acknowledge which role statement, who has, and what waits for a person."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from agreements.models import (
    Acknowledgement,
    AgreementKind,
    AgreementVersion,
    Signature,
    SignatureParty,
    VersionStatus,
)
from district.roles import Role
from officers.models import OfficerStatus

User = get_user_model()


def required_users(*, kind: str) -> QuerySet:
    """Who must acknowledge a statement of this kind: every active officer with an account for the SRO
    statement, every administrator for the administrator statement; nobody for a memorandum."""
    users = User.objects.filter(is_active=True)
    if kind == AgreementKind.SRO_STATEMENT:
        return users.filter(officer__status=OfficerStatus.ACTIVE)
    if kind == AgreementKind.ADMINISTRATOR_STATEMENT:
        return users.filter(groups__name=Role.ADMINISTRATOR.label).distinct()
    return users.none()


def is_required(*, user, kind: str) -> bool:
    return required_users(kind=kind).filter(pk=user.pk).exists()


def acknowledgement_matrix(*, version: AgreementVersion) -> QuerySet:
    """The people who must acknowledge ``version``, each with when they did (or None) and the number
    of the last version of this agreement they acknowledged: one query, however many people."""
    mine = Acknowledgement.objects.filter(user=OuterRef("pk"))
    return (
        required_users(kind=version.agreement.kind)
        .annotate(
            acknowledged_at=Subquery(mine.filter(version=version).values("acknowledged_at")[:1]),
            last_number=Subquery(
                mine.filter(version__agreement_id=version.agreement_id)
                .order_by("-version__number")
                .values("version__number")[:1]
            ),
        )
        .order_by("last_name", "first_name", "username")
    )


def version_last_acknowledged(*, user, version: AgreementVersion) -> AgreementVersion | None:
    """The earlier version of the same agreement the user last acknowledged (for the diff since)."""
    ack = (
        Acknowledgement.objects.filter(
            user=user, version__agreement_id=version.agreement_id, version__number__lt=version.number
        )
        .select_related("version")
        .order_by("-version__number")
        .first()
    )
    return ack.version if ack else None


def acknowledgement_of(*, user, version: AgreementVersion) -> Acknowledgement | None:
    return Acknowledgement.objects.filter(user=user, version=version).first()


@dataclass(frozen=True)
class Waiting:
    version: AgreementVersion
    to_sign: bool  # else to acknowledge


def waiting_for(*, user) -> list[Waiting]:
    """What waits for the user: active statements to acknowledge and memorandums to sign (bounded: two
    queries)."""
    kinds = []
    if user.has_role(Role.SRO) and is_required(user=user, kind=AgreementKind.SRO_STATEMENT):
        kinds.append(AgreementKind.SRO_STATEMENT)
    if user.has_role(Role.ADMINISTRATOR):
        kinds.append(AgreementKind.ADMINISTRATOR_STATEMENT)
    waiting = [
        Waiting(version, to_sign=False)
        for version in AgreementVersion.objects.filter(status=VersionStatus.ACTIVE, agreement__kind__in=kinds)
        .exclude(Exists(Acknowledgement.objects.filter(version=OuterRef("pk"), user=user)))
        .select_related("agreement")
    ]
    if user.has_perm("agreements.add_signature"):
        signable = Q(agreement__district_signatory=user) & ~Exists(
            Signature.objects.filter(version=OuterRef("pk"), party=SignatureParty.DISTRICT)
        )
        signable |= Q(agreement__agency__supervisors=user) & ~Exists(
            Signature.objects.filter(version=OuterRef("pk"), party=SignatureParty.AGENCY)
        )
        waiting += [
            Waiting(version, to_sign=True)
            for version in AgreementVersion.objects.filter(
                signable, status=VersionStatus.ACTIVE, agreement__kind=AgreementKind.MOU
            )
            .select_related("agreement")
            .distinct()
        ]
    return waiting


def acknowledgement_counts(*, version: AgreementVersion) -> dict[str, int]:
    """How many must acknowledge the version and how many have (one query)."""
    counts = acknowledgement_matrix(version=version).aggregate(
        required=Count("pk"), done=Count("pk", filter=Q(acknowledged_at__isnull=False))
    )
    return {**counts, "pending": counts["required"] - counts["done"]}


def acknowledgements_outstanding() -> list[tuple[AgreementVersion, dict[str, int]]]:
    """Each current role statement with how many have and have not acknowledged it (for the
    coordinator's home; one query per statement, and there are two)."""
    versions = AgreementVersion.objects.filter(status=VersionStatus.ACTIVE).exclude(
        agreement__kind=AgreementKind.MOU
    )
    return [
        (version, acknowledgement_counts(version=version)) for version in versions.select_related("agreement")
    ]
