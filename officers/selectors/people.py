"""Reads of agencies and officers, narrowed to what the user may see or change."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from district.roles import Role
from officers.models import Agency, Officer
from officers.selectors import officers_for_user, officers_supervised_by

__all__ = [
    "agencies_for_user",
    "agencies_editable_by",
    "agency_get_for_user",
    "officer_edit_mode",
    "officer_get_for_user",
    "officers_editable_by",
    "officers_for_user",
]


def officer_get_for_user(*, user, pk: int) -> Officer:
    """The officer, or 404 if the user may not see them."""
    return get_object_or_404(officers_for_user(user=user).select_related("agency", "user"), pk=pk)


def officers_editable_by(*, user) -> QuerySet[Officer]:
    """Officers whose whole record the user may change: coordinators all, supervisors their agency's."""
    if not user.has_perm("officers.change_officer"):
        return Officer.objects.none()
    return officers_supervised_by(user=user)


def officer_edit_mode(*, user, officer: Officer) -> str | None:
    """``"full"`` (the whole record), ``"contact"`` (an SRO's own phone and email) or ``None``."""
    if officers_editable_by(user=user).filter(pk=officer.pk).exists():
        return "full"
    if officer.user_id is not None and officer.user_id == user.pk:
        return "contact"
    return None


def agencies_for_user(*, user) -> QuerySet[Agency]:
    """Coordinators see every agency; anyone else the agencies they supervise or whose officers they see."""
    if user.has_role(Role.COORDINATOR):
        return Agency.objects.all()
    visible_officers = officers_for_user(user=user).values("agency_id")
    return Agency.objects.filter(Q(supervisors=user) | Q(pk__in=visible_officers)).distinct()


def agencies_editable_by(*, user) -> QuerySet[Agency]:
    """Agencies an officer may be put in by this user (the choices on the officer form)."""
    if user.has_role(Role.COORDINATOR):
        return Agency.objects.all()
    if user.has_role(Role.AGENCY_SUPERVISOR):
        return Agency.objects.filter(supervisors=user)
    return Agency.objects.none()


def agency_get_for_user(*, user, pk: int) -> Agency:
    """The agency, or 404 if the user may not see it."""
    return get_object_or_404(agencies_for_user(user=user), pk=pk)
