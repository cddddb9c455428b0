"""The role-aware navigation: each role sees only the sections it may use."""

from collections.abc import Callable

from django.urls import reverse

from district.roles import Role
from incidents import access as incidents_access
from officers import access as officers_access
from people.selectors.access import manages_people


def _perm(permission: str, *roles: Role) -> Callable:
    """Holds ``permission`` (and, when roles are named, one of those roles)."""
    return lambda user: user.has_perm(permission) and (not roles or user.has_role(*roles))


SECTIONS: list[tuple[str, str, Callable]] = [
    # The officers app's sections ask the same doors as its views.
    ("Officers", "officers:officer_list", officers_access.may_view_officers),
    ("Selection", "officers:cycle_list", officers_access.may_view_selection),
    ("Training", "officers:training_matrix", officers_access.may_view_training),
    ("Assignments", "officers:assignment_list", officers_access.may_view_assignments),
    ("Coverage", "officers:coverage", officers_access.may_view_coverage),
    ("Quick log", "incidents:interaction_create", incidents_access.may_log_interaction),
    ("Interactions", "incidents:interaction_list", incidents_access.may_view_interactions),
    ("Cases", "incidents:case_list", incidents_access.may_view_cases),
    ("Incident reports", "incidents:incident_list", incidents_access.may_view_incidents),
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
