"""The role-aware navigation: each role sees only the sections it may use."""

from collections.abc import Callable

from django.urls import reverse

from district.roles import Role
from people.selectors.access import manages_people


def _perm(permission: str, *roles: Role) -> Callable:
    """Holds ``permission`` (and, when roles are named, one of those roles)."""
    return lambda user: user.has_perm(permission) and (not roles or user.has_role(*roles))


def _selection(user) -> bool:
    # A principal on an interview panel reaches selection through the panel seat alone.
    return user.has_perm("officers.view_selectioncycle") or user.panel_seats.exists()


SECTIONS: list[tuple[str, str, Callable]] = [
    ("Officers", "officers:officer_list", _perm("officers.view_officer")),
    ("Selection", "officers:cycle_list", _selection),
    ("Training", "officers:training_matrix", _perm("officers.view_trainingrecord")),
    ("Assignments", "officers:assignment_list", _perm("officers.view_assignment")),
    (
        "Coverage",
        "officers:coverage",
        _perm("officers.view_assignment", Role.COORDINATOR, Role.ADMINISTRATOR),
    ),
    ("Roster", "district:student_list", _perm("district.view_student", Role.COORDINATOR, Role.ADMINISTRATOR)),
    ("Roster import", "district:import_list", _perm("district.add_rosterimport")),
    ("People", "people:user_list", manages_people),
    ("Admin", "admin:index", lambda user: user.is_staff),
]


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [{"label": "Home", "url": reverse("home")}]
    items += [{"label": label, "url": reverse(name)} for label, name, allowed in SECTIONS if allowed(user)]
    # The section whose address is the longest prefix of this page's is the current one.
    matches = [item for item in items if request.path.startswith(item["url"])]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["current"] = True
    return {"nav_items": items, "user_roles": sorted(role.label for role in user.roles)}
