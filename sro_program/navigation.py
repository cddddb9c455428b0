"""The role-aware navigation: each role sees only the sections it may use."""

from django.urls import reverse

from district.roles import Role


def _items_for(user) -> list[dict[str, str]]:
    items = [{"label": "Home", "url": reverse("home")}]
    if user.has_perm("officers.view_officer"):
        items.append({"label": "Officers", "url": reverse("officers:officer_list")})
    if user.has_perm("district.view_student") and user.has_role(Role.COORDINATOR, Role.ADMINISTRATOR):
        items.append({"label": "Roster", "url": reverse("district:student_list")})
    if user.has_perm("district.add_rosterimport"):
        items.append({"label": "Roster import", "url": reverse("district:import_list")})
    if user.is_staff:
        items.append({"label": "Admin", "url": reverse("admin:index")})
    return items


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = _items_for(user)
    current = request.path
    for item in items:
        item["current"] = current == item["url"] or (item["url"] != "/" and current.startswith(item["url"]))
    return {"nav_items": items, "user_roles": sorted(role.label for role in user.roles)}
