"""Who may open what in the People section: one door, asked by the views, the templates
(``{% load access %}{% if user|may:"people.manage_people" %}``) and the navigation alike.

- ``may_manage_people(user)``: whether the user may use the section at all (403 when not).
- ``users_for_user`` / ``invitations_for_user``: the rows the user may see (none for anyone else).
- ``user_get_for_user`` / ``invitation_get_for_user``: one row, or 404.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from district.models import User
from district.roles import Role
from officers.models import Agency
from people.models import Invitation

MANAGE_PEOPLE = "people.manage_people"


def may_manage_people(user) -> bool:
    """Coordinators (their group holds the permission): invite people, change their access."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.has_perm(MANAGE_PEOPLE)
        and user.has_role(Role.COORDINATOR)
    )


def users_for_user(*, user) -> QuerySet[User]:
    """Every account for those who manage people (with what the list shows); none for anyone else."""
    if not may_manage_people(user):
        return User.objects.none()
    return User.objects.select_related("officer").prefetch_related(
        "groups", "schools", Prefetch("supervised_agencies", queryset=Agency.objects.order_by("name"))
    )


def user_get_for_user(*, user, pk: int) -> User:
    """The account, or 404 for someone who does not manage people."""
    return get_object_or_404(users_for_user(user=user), pk=pk)


def invitations_for_user(*, user) -> QuerySet[Invitation]:
    """Every invitation for those who manage people; none for anyone else."""
    if not may_manage_people(user):
        return Invitation.objects.none()
    return Invitation.objects.select_related("invited_by", "agency", "officer", "user").prefetch_related(
        "schools"
    )


def invitation_get_for_user(*, user, pk: int) -> Invitation:
    """The invitation, or 404 for someone who does not manage people."""
    return get_object_or_404(invitations_for_user(user=user), pk=pk)
