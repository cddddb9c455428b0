"""Who may open what in the agreements app: one door per protected model, asked by the views, the
templates (``{% load access %}{% if user|may:"agreements.<rule>" %}``) and the navigation alike.

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
    ActionItem,
    Agreement,
    AgreementKind,
    AgreementVersion,
    BrightLine,
    Comment,
    Goal,
    Meeting,
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


def public_version_get(*, pk: int) -> AgreementVersion:
    """The active version of the memorandum ``pk`` if the coordinator published it for families (no
    sign-in needed), or 404."""
    agreement = get_object_or_404(Agreement, pk=pk, is_public=True, kind=AgreementKind.MOU)
    version = agreement.versions.filter(status=VersionStatus.ACTIVE).first()
    if version is None:
        raise Http404("This agreement has no version in effect.")
    return version


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


def comment_get_for_user(*, user, pk: int) -> Comment:
    """A comment the user may answer (the coordinator's), or 404."""
    if not may_manage_agreements(user):
        raise Http404("No such comment.")
    return get_object_or_404(
        Comment.objects.filter(version__in=versions_for_user(user=user)).select_related("version"), pk=pk
    )


# --- Expectation meetings and action items ------------------------------------------------------


def may_view_meetings(user) -> bool:
    return user.has_perm("agreements.view_meeting")


def may_manage_meetings(user) -> bool:
    """Record meetings and give out action items (the coordinator)."""
    return user.has_perms(
        ["agreements.add_meeting", "agreements.change_meeting", "agreements.add_actionitem"]
    )


def meetings_for_user(*, user) -> QuerySet[Meeting]:
    """Coordinators see every meeting; anyone else the meetings they attended or hold an item of."""
    if not may_view_meetings(user):
        return Meeting.objects.none()
    if user.has_role(Role.COORDINATOR):
        return Meeting.objects.all()
    return Meeting.objects.filter(Q(attendees=user) | Q(action_items__owner=user)).distinct()


def meeting_get_for_user(*, user, pk: int) -> Meeting:
    return get_object_or_404(
        meetings_for_user(user=user).select_related("version__agreement", "created_by"), pk=pk
    )


def action_items_for_user(*, user) -> QuerySet[ActionItem]:
    """Coordinators see every item; anyone else their own."""
    if not user.has_perm("agreements.view_actionitem"):
        return ActionItem.objects.none()
    if user.has_role(Role.COORDINATOR):
        return ActionItem.objects.all()
    return ActionItem.objects.filter(owner=user)


def action_item_get_for_user(*, user, pk: int) -> ActionItem:
    """An item the user may close: their own, or any for the coordinator; else 404."""
    return get_object_or_404(action_items_for_user(user=user).select_related("meeting", "owner"), pk=pk)
