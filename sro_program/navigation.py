"""The role-aware navigation: each role sees only the sections it may use."""

from collections.abc import Callable

from django.urls import reverse

from agreements import access as agreements_access
from district import access as district_access
from feedback import access as feedback_access
from incidents import access as incidents_access
from officers import access as officers_access
from people.access import may_manage_people
from reports import access as reports_access

SECTIONS: list[tuple[str, str, Callable]] = [
    # Each section asks the very rule its page's view ``requires``, so the menu and the page agree.
    ("Dashboard", "reports:dashboard", reports_access.may_view_dashboard),
    ("Officers", "officers:officer_list", officers_access.may_view_officers),
    ("Selection", "officers:cycle_list", officers_access.may_view_selection),
    ("Training", "officers:training_matrix", officers_access.may_view_training),
    ("Assignments", "officers:assignment_list", officers_access.may_view_assignments),
    ("Coverage", "officers:coverage", officers_access.may_view_coverage),
    ("Quick log", "incidents:interaction_create", incidents_access.may_log_interaction),
    ("Interactions", "incidents:interaction_list", incidents_access.may_view_interactions),
    ("Cases", "incidents:case_list", incidents_access.may_view_cases),
    ("Incident reports", "incidents:incident_list", incidents_access.may_view_incidents),
    ("Roster", "district:student_list", district_access.may_view_roster),
    ("Roster import", "district:import_list", district_access.may_view_roster_imports),
    ("Agreements", "agreements:agreement_list", agreements_access.may_view_agreements),
    ("People", "people:user_list", may_manage_people),
    ("Feedback", "feedback:round_list", feedback_access.may_view_results),
    ("Annual report", "reports:annual_report_latest", reports_access.may_view_annual_report),
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
