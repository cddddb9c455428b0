"""Who may open what in the agreements app: one door per protected model, asked by the views, the
templates (``{% load agreements_access %}``) and the navigation alike.

- ``may_*(user)`` answers whether the user may use a page at all; a view refuses with 403 when not.
- ``*_for_user(user)`` are the rows the user may see; ``*_get_for_user(user, pk)`` one of them, or 404.

Anyone with a role reads the active version of what concerns them: an SRO the SRO statement and the
memorandum of their agency; an agency supervisor the memorandum of their agency and the SRO
statement; an administrator everything (they sign for the district). Drafts are the coordinator's.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from district.roles import Role

from .models import (
    Agreement,
    AgreementKind,
    AgreementVersion,
    BrightLine,
    Goal,
    Section,
    SignatureParty,
    VersionStatus,
)


def may_view_agreements(user) -> bool:
    return user.has_perm("agreements.view_agreement")


def may_manage_agreements(user) -> bool:
    """Create agreements, edit drafts, publish (the coordinator)."""
    return user.has_perms(["agreements.add_agreementversion", "agreements.change_agreementversion"])


def may_view_acknowledgements(user) -> bool:
    """The per-version matrix of who has acknowledged (the coordinator)."""
    return user.has_perm("agreements.view_acknowledgement")


def may_view_history(user) -> bool:
    return may_manage_agreements(user)


def agreements_for_user(*, user) -> QuerySet[Agreement]:
    """The agreements that concern the user (see the module's docstring)."""
    if not may_view_agreements(user):
        return Agreement.objects.none()
    if user.has_role(Role.COORDINATOR, Role.ADMINISTRATOR):
        return Agreement.objects.all()
    query = Q(pk__in=[])
    if user.has_role(Role.SRO):
        query |= Q(kind=AgreementKind.SRO_STATEMENT) | Q(kind=AgreementKind.MOU, agency__officers__user=user)
    if user.has_role(Role.AGENCY_SUPERVISOR):
        query |= Q(kind=AgreementKind.SRO_STATEMENT) | Q(kind=AgreementKind.MOU, agency__supervisors=user)
    return Agreement.objects.filter(query).distinct()


def agreement_get_for_user(*, user, pk: int) -> Agreement:
    return get_object_or_404(
        agreements_for_user(user=user).select_related("agency", "district_signatory"), pk=pk
    )


def versions_for_user(*, user) -> QuerySet[AgreementVersion]:
    """Published versions of the user's agreements; drafts only for those who edit them."""
    versions = AgreementVersion.objects.filter(agreement__in=agreements_for_user(user=user))
    if not may_manage_agreements(user):
        versions = versions.exclude(status=VersionStatus.DRAFT)
    return versions


def version_get_for_user(*, user, pk: int) -> AgreementVersion:
    return get_object_or_404(
        versions_for_user(user=user).select_related(
            "agreement__agency", "agreement__district_signatory", "created_by", "published_by"
        ),
        pk=pk,
    )


def party_for_signer(*, user, version: AgreementVersion) -> SignatureParty | None:
    """For whom the user may sign this version: the district (the named administrator), the agency
    (a supervisor of the memorandum's agency), or nobody."""
    agreement = version.agreement
    if not agreement.is_mou or not user.has_perm("agreements.add_signature"):
        return None
    if user.has_role(Role.ADMINISTRATOR) and agreement.district_signatory_id == user.pk:
        return SignatureParty.DISTRICT
    if user.has_role(Role.AGENCY_SUPERVISOR) and agreement.agency.supervisors.filter(pk=user.pk).exists():
        return SignatureParty.AGENCY
    return None


def may_sign(*, user, version: AgreementVersion) -> bool:
    return party_for_signer(user=user, version=version) is not None


def may_acknowledge(user) -> bool:
    return user.has_perm("agreements.add_acknowledgement")


def section_get_for_user(*, user, pk: int) -> Section:
    """A section of a version the user may edit (drafts are the coordinator's), or 404."""
    if not may_manage_agreements(user):
        raise Http404("No such section.")
    return get_object_or_404(
        Section.objects.filter(version__in=versions_for_user(user=user)).select_related("version__agreement"),
        pk=pk,
    )


def bright_line_get_for_user(*, user, pk: int) -> BrightLine:
    return get_object_or_404(
        BrightLine.objects.filter(agreement__in=agreements_for_user(user=user)).select_related("agreement"),
        pk=pk,
    )


def goal_get_for_user(*, user, pk: int) -> Goal:
    return get_object_or_404(
        Goal.objects.filter(agreement__in=agreements_for_user(user=user)).select_related("agreement"), pk=pk
    )
