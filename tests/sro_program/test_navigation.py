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
        coordinator: ["Home", "Officers", "Selection", "Training", "Assignments", "Coverage", "Interactions",
                      "Cases", "Incident reports", "Roster", "Roster import", "People"],
        officer.user: ["Home", "Officers", "Training", "Assignments", "Quick log", "Interactions", "Cases",
                       "Incident reports"],
        school_admin: ["Home", "Officers", "Training", "Assignments", "Coverage", "Interactions", "Cases",
                       "Incident reports", "Roster"],
        supervisor: ["Home", "Officers", "Selection", "Training", "Assignments"],
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
