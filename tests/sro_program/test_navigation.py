"""The navigation shows each person the sections they may use, and no others."""

import pytest
from django.urls import reverse

from officers.models import PanelAffiliation, Panelist
from tests.officers.factories import open_cycle

pytestmark = pytest.mark.django_db


def labels(client) -> list[str]:
    return [item["label"] for item in client.get(reverse("home")).context["nav_items"]]


def test_each_role_sees_its_sections(verified_client, coordinator, officer, school_admin, supervisor):
    expected = {
        coordinator: ["Home", "Dashboard", "Officers", "Selection", "Training", "Assignments", "Coverage",
                      "Interactions", "Cases", "Incident reports", "Roster", "Roster import", "Agreements",
                      "People", "Feedback", "Annual report"],
        officer.user: ["Home", "Officers", "Training", "Assignments", "Quick log", "Interactions", "Cases",
                       "Incident reports", "Agreements", "Feedback"],
        school_admin: ["Home", "Dashboard", "Officers", "Training", "Assignments", "Coverage", "Interactions",
                       "Cases", "Incident reports", "Roster", "Agreements", "Annual report"],
        supervisor: ["Home", "Officers", "Selection", "Training", "Assignments", "Agreements", "Feedback"],
    }  # fmt: skip
    for user, sections in expected.items():
        verified_client.login(user)
        assert labels(verified_client) == sections, user.username


def test_a_principal_on_a_panel_reaches_selection_through_the_seat(
    verified_client, coordinator, school_admin
):
    verified_client.login(school_admin)
    assert "Selection" not in labels(verified_client)
    cycle = open_cycle(opened_by=coordinator)
    Panelist.objects.create(cycle=cycle, user=school_admin, affiliation=PanelAffiliation.DISTRICT)
    assert "Selection" in labels(verified_client)


def test_the_current_section_is_the_longest_matching_address(verified_client, coordinator):
    verified_client.login(coordinator)
    items = verified_client.get(reverse("officers:training_matrix")).context["nav_items"]
    assert [item["label"] for item in items if item.get("current")] == ["Training"]


# --- The menu and the page cannot disagree ---------------------------------------------------------


def test_each_section_asks_the_very_rule_its_page_requires():
    from django.urls import resolve

    from sro_program.navigation import SECTIONS

    checked = []
    for label, name, rule in SECTIONS:
        if name.startswith("admin:"):
            continue  # Django's own admin site: its pages check ``is_staff`` themselves.
        view = resolve(reverse(name)).func
        assert getattr(view, "access_rule", None) is rule, f"{label}: the menu and {name} ask different rules"
        checked.append(label)
    assert len(checked) == len(SECTIONS) - 1


@pytest.mark.parametrize(
    "person",
    ["outsider", "officer_user", "supervisor", "school_admin", "other_school_admin", "district_admin",
     "coordinator"],
)  # fmt: skip
def test_a_section_is_shown_exactly_when_its_page_opens(request, verified_client, officer, person):
    from sro_program.navigation import SECTIONS

    verified_client.login(request.getfixturevalue(person))
    shown = set(labels(verified_client))
    for label, name, _rule in SECTIONS:
        status = verified_client.get(reverse(name)).status_code
        assert (label in shown) == (status == 200), f"{person}: {label} shown={label in shown}, page {status}"
