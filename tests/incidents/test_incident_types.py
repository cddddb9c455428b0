"""The coordinator extends the incident types (New York's SSEC categories and sub-categories are
seeded): adds, renames, reorders and retires them; two levels only; a retired type leaves the form
and stays on its reports."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from district.models import School
from incidents.forms import IncidentForm, PromoteForm
from incidents.models import IncidentType
from incidents.services.incident_types import incident_type_save
from incidents.services.incidents import incident_create
from tests.access import access_table, status_for

pytestmark = pytest.mark.django_db

LIST = reverse("incidents:incident_type_list")
CREATE = reverse("incidents:incident_type_create")

# Who may add or change a type (tests.access.PEOPLE's order): the coordinator only.
POSTS = {
    "incident_type_create": [302, 403, 403, 403, 403, 403, 403, 302],
    "incident_type_edit": [302, 403, 403, 403, 403, 403, 403, 302],
}


def _offered():
    return list(PromoteForm().fields["incident_type"].queryset)


@pytest.mark.parametrize(("page", "person", "expected"), access_table(POSTS))
def test_who_may_add_or_change_a_type(request, client, verified_client, page, person, expected):
    riot = IncidentType.objects.get(name="Riot")
    url = (
        CREATE if page == "incident_type_create" else reverse("incidents:incident_type_edit", args=[riot.pk])
    )
    data = {"name": "Cyberbullying", "position": "5", "active": "on"}
    assert status_for(request, client, verified_client, person, url, method="post", data=data) == expected
    changed = IncidentType.objects.filter(name="Cyberbullying").exists()
    assert changed == (expected == 302 and person != "anonymous")


def test_the_coordinator_adds_a_type_and_a_sub_category(verified_client, coordinator):
    verified_client.login(coordinator)
    assert (
        verified_client.post(CREATE, {"name": " Vaping ", "position": "5", "active": "on"}).status_code == 302
    )
    vaping = IncidentType.objects.get(name="Vaping", parent=None)
    form = verified_client.get(CREATE, {"parent": vaping.pk}).context["form"]
    assert str(form["parent"].value()) == str(vaping.pk)
    response = verified_client.post(
        CREATE, {"name": "In a bathroom", "parent": vaping.pk, "position": "1", "active": "on"}
    )
    assert response.status_code == 302
    sub = IncidentType.objects.get(name="In a bathroom")
    assert sub.parent == vaping and str(sub) == "Vaping: In a bathroom"
    offered = _offered()
    assert vaping in offered and sub in offered
    # Each sub-category right under its type, in the list and on the form.
    assert offered.index(sub) == offered.index(vaping) + 1
    html = verified_client.get(LIST).content.decode()
    assert html.index(">Vaping</a>") < html.index(">In a bathroom</a>")
    assert "Firearm" in html and "Weapons possession" in html


def test_a_name_is_used_once_among_siblings(verified_client, coordinator):
    verified_client.login(coordinator)
    response = verified_client.post(CREATE, {"name": "Riot", "position": "5", "active": "on"})
    assert "already a type with this name among the types of their own" in response.content.decode()
    weapons = IncidentType.objects.get(name="Weapons possession")
    response = verified_client.post(CREATE, {"name": "Firearm", "parent": weapons.pk, "position": "5"})
    assert "already a type with this name under Weapons possession" in response.content.decode()
    # The same name under another type is another type.
    assert verified_client.post(CREATE, {"name": "Firearm", "position": "5"}).status_code == 302
    assert IncidentType.objects.filter(name="Firearm").count() == 2


def test_two_levels_only(coordinator):
    weapons = IncidentType.objects.get(name="Weapons possession")
    firearm = IncidentType.objects.get(name="Firearm")
    riot = IncidentType.objects.get(name="Riot")
    with pytest.raises(ValidationError, match="not to another sub-category"):
        incident_type_save(name="Handgun", parent=firearm, position=1, active=True)
    with pytest.raises(ValidationError, match="its own sub-category"):
        incident_type_save(incident_type=riot, name="Riot", parent=riot, position=1, active=True)
    with pytest.raises(ValidationError, match="has sub-categories"):
        incident_type_save(
            incident_type=weapons, name="Weapons possession", parent=riot, position=1, active=True
        )
    weapons.refresh_from_db()
    assert weapons.parent is None


def test_the_coordinator_renames_reorders_and_retires_a_type(verified_client, coordinator, officer, school):
    riot = IncidentType.objects.get(name="Riot")
    report, _ = incident_create(
        author=officer.user, key=uuid.uuid4(), school=school, occurred_at=timezone.now(), incident_type=riot
    )
    verified_client.login(coordinator)
    url = reverse("incidents:incident_type_edit", args=[riot.pk])
    assert verified_client.get(url).context["form"]["name"].value() == "Riot"
    assert verified_client.post(url, {"name": "Riot or mob action", "position": "1"}).status_code == 302
    riot.refresh_from_db()
    assert (riot.name, riot.position, riot.active) == ("Riot or mob action", 1, False)
    assert riot not in _offered()
    report.refresh_from_db()
    assert report.incident_type == riot
    html = verified_client.get(LIST).content.decode()
    assert "Riot or mob action" in html and "Retired" in html
    # A retired type's sub-categories leave the form with it.
    weapons = IncidentType.objects.get(name="Weapons possession")
    incident_type_save(
        incident_type=weapons, name=weapons.name, parent=None, position=weapons.position, active=False
    )
    assert not {t.name for t in _offered()} & {"Weapons possession", "Firearm", "Other weapon"}
    offered = IncidentForm(schools=School.objects.all()).fields["incident_type"].queryset
    assert "Firearm" not in {t.name for t in offered}


def test_a_bad_id_is_not_found_and_bad_input_is_a_form_error(verified_client, coordinator):
    verified_client.login(coordinator)
    assert verified_client.get(reverse("incidents:incident_type_edit", args=[999_999])).status_code == 404
    response = verified_client.post(CREATE, {"name": "  ", "parent": "999999", "position": "-1"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "parent", "position"}
    assert verified_client.get(CREATE, {"parent": "x"}).status_code == 200


def test_the_list_runs_the_same_queries_with_more_types(verified_client, coordinator):
    verified_client.login(coordinator)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert verified_client.get(LIST).status_code == 200
        return len(queries)

    small = count()
    for n in range(20):
        parent = IncidentType.objects.create(name=f"Local type {n}")
        IncidentType.objects.create(name="Sub", parent=parent)
    assert count() == small


def test_a_report_of_a_retired_type_can_still_be_changed(verified_client, officer, school):
    firearm = IncidentType.objects.get(name="Firearm")
    report, _ = incident_create(
        author=officer.user,
        key=uuid.uuid4(),
        school=school,
        occurred_at=timezone.now(),
        incident_type=firearm,
    )
    weapons = firearm.parent
    incident_type_save(
        incident_type=weapons, name=weapons.name, parent=None, position=weapons.position, active=False
    )
    verified_client.login(officer.user)
    url = reverse("incidents:incident_edit", args=[report.pk])
    form = verified_client.get(url).context["form"]
    assert list(form.fields["incident_type"].queryset.filter(parent=weapons)) == [firearm]
    data = {**{k: v for k, v in form.initial.items() if v not in (None, False)}, "place": "Gym"}
    data.update(
        occurred_on=form.initial["occurred_on"].isoformat(),
        occurred_time=form.initial["occurred_time"].strftime("%H:%M"),
        incident_type=firearm.pk,
    )
    assert verified_client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert (report.place, report.incident_type) == ("Gym", firearm)
