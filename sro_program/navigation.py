"""The role-aware navigation: each role sees only the sections it may use."""

from django.urls import reverse

from district.roles import Role

# (label, URL name, permission needed, roles that see it; None means any role with the permission)
SECTIONS = [
    ("Officers", "officers:officer_list", "officers.view_officer", None),
    ("Selection", "officers:cycle_list", "officers.view_selectioncycle", None),
    ("Training", "officers:training_matrix", "officers.view_trainingrecord", None),
    ("Assignments", "officers:assignment_list", "officers.view_assignment", None),
    ("Coverage", "officers:coverage", "officers.view_assignment", {Role.COORDINATOR, Role.ADMINISTRATOR}),
    ("Roster", "district:student_list", "district.view_student", {Role.COORDINATOR, Role.ADMINISTRATOR}),
    ("Roster import", "district:import_list", "district.add_rosterimport", None),
]


def _items_for(user) -> list[dict[str, str]]:
    items = [{"label": "Home", "url": reverse("home")}]
    for label, url_name, permission, roles in SECTIONS:
        allowed = user.has_perm(permission) and (roles is None or user.has_role(*roles))
        if label == "Selection" and not allowed:
            # A principal on an interview panel reaches selection through the panel seat alone.
            allowed = user.panel_seats.exists()
        if allowed:
            items.append({"label": label, "url": reverse(url_name)})
    if user.is_staff:
        items.append({"label": "Admin", "url": reverse("admin:index")})
    return items


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = _items_for(user)
    # The section whose address is the longest prefix of this page's is the current one.
    matches = [item for item in items if request.path.startswith(item["url"])]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["current"] = True
    return {"nav_items": items, "user_roles": sorted(role.label for role in user.roles)}
