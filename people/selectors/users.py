"""Reads of accounts for the People section beyond the access door: a person's history."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from district.models import User
from people.models import AccessChange


def access_changes_for(*, user: User) -> QuerySet[AccessChange]:
    """Every change to this person's access, from their invitation on, newest first."""
    return AccessChange.objects.filter(Q(user=user) | Q(invitation__user=user)).select_related("actor")
