"""The one rule for who manages people: every people view, the navigation and the selectors ask it."""

from __future__ import annotations

from district.roles import Role

MANAGE_PEOPLE = "people.manage_people"


def manages_people(user) -> bool:
    """Coordinators (their group holds the permission): invite people, change their access."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.has_perm(MANAGE_PEOPLE)
        and user.has_role(Role.COORDINATOR)
    )
