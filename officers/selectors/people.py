"""Reads of agencies and officers beyond the access doors in ``officers.access``."""

from __future__ import annotations

from django.db.models import QuerySet

from district.roles import Role
from officers.models import Agency


def agencies_editable_by(*, user) -> QuerySet[Agency]:
    """Agencies an officer may be put in by this user (the choices on the officer form)."""
    if user.has_role(Role.COORDINATOR):
        return Agency.objects.all()
    if user.has_role(Role.AGENCY_SUPERVISOR):
        return Agency.objects.filter(supervisors=user)
    return Agency.objects.none()
