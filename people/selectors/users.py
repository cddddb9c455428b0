"""Reads of accounts for the People section: the list, one person, their history."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from district.models import User
from officers.models import Agency
from people.models import AccessChange
from people.selectors.access import manages_people


def users_for_user(*, user) -> QuerySet[User]:
    """Every account for those who manage people (with what the list shows); none for anyone else."""
    if not manages_people(user):
        return User.objects.none()
    return User.objects.select_related("officer").prefetch_related(
        "groups", "schools", Prefetch("supervised_agencies", queryset=Agency.objects.order_by("name"))
    )


def user_get_for_user(*, user, pk: int) -> User:
    """The account, or 404 for someone who does not manage people."""
    return get_object_or_404(users_for_user(user=user), pk=pk)


def access_changes_for(*, user: User) -> QuerySet[AccessChange]:
    """Every change to this person's access, from their invitation on, newest first."""
    return AccessChange.objects.filter(Q(user=user) | Q(invitation__user=user)).select_related("actor")
