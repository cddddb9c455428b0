"""Agencies and officers: the services' rules, the views, and who may do what."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from officers.models import Agency, Officer, OfficerStatus
from officers.services.people import (
    agency_create,
    agency_update,
    officer_contact_update,
    officer_create,
    officer_update,
)
from tests.access import access_table, status_for
from tests.district.factories import UserFactory
from tests.officers.factories import AgencyFactory, OfficerFactory

pytestmark = pytest.mark.django_db


# --- Services --------------------------------------------------------------------------------


def test_officer_create_and_update(agency):
    officer = officer_create(agency=agency, badge_number=" 4411 ", given_name="Sam", family_name="Ortiz")
    assert officer.badge_number == "4411" and officer.status == OfficerStatus.ACTIVE
    officer_update(officer=officer, data={"rank": "Sergeant", "status": OfficerStatus.ON_LEAVE})
    officer.refresh_from_db()
    assert (officer.rank, officer.status) == ("Sergeant", OfficerStatus.ON_LEAVE)
    with pytest.raises(ValueError):
        officer_update(officer=officer, data={"id": 99})


def test_a_badge_is_unique_within_its_agency_only(agency, other_agency):
    officer_create(agency=agency, badge_number="4411", given_name="Sam", family_name="Ortiz")
    with pytest.raises(ValidationError) as error:
        officer_create(agency=agency, badge_number="4411", given_name="Kim", family_name="Lee")
    assert "badge_number" in error.value.error_dict
    officer_create(agency=other_agency, badge_number="4411", given_name="Kim", family_name="Lee")
    moving = officer_create(agency=other_agency, badge_number="9", given_name="Al", family_name="Ng")
    with pytest.raises(ValidationError):
        officer_update(officer=moving, data={"agency": agency, "badge_number": "4411"})


def test_a_lost_race_on_the_badge_is_still_a_validation_error(agency):
    officer_create(agency=agency, badge_number="4411", given_name="Sam", family_name="Ortiz")
    with (
        mock.patch("officers.services.people._badge_taken", return_value=False),
        pytest.raises(ValidationError) as error,
    ):
        officer_create(agency=agency, badge_number="4411", given_name="Kim", family_name="Lee")
    assert "badge_number" in error.value.error_dict
    assert Officer.objects.count() == 1


def test_contact_update_changes_only_phone_and_email(officer):
    rank = officer.rank
    officer.rank = "Chief"  # an unsaved change elsewhere on the instance must not be written
    officer_contact_update(officer=officer, phone="518-555-0101", email="me@sheriff.example")
    officer.refresh_from_db()
    assert (officer.phone, officer.email, officer.rank) == ("518-555-0101", "me@sheriff.example", rank)


def test_agency_names_are_unique(agency):
    created = agency_create(name="Saratoga Springs Police Department", phone="518-555-0100")
    with pytest.raises(ValidationError) as error:
        agency_create(name=agency.name.upper())
    assert "name" in error.value.error_dict
    agency_update(agency=created, data={"contact_name": "Lt. Rowe"})
    created.refresh_from_db()
    assert created.contact_name == "Lt. Rowe"
    with pytest.raises(ValidationError):
        agency_update(agency=created, data={"name": agency.name})


# --- Who may do what -------------------------------------------------------------------------

PEOPLE = [
    "anonymous",
    "outsider",
    "officer_user",
    "school_admin",
    "other_supervisor",
    "supervisor",
    "coordinator",
]

# Expected status per person, in the order of PEOPLE; 302 is the sign-in redirect.
ACCESS = {
    "officer_list": [302, 403, 200, 200, 200, 200, 200],
    "officer_detail": [302, 403, 200, 200, 404, 200, 200],
    "officer_edit": [302, 403, 200, 403, 404, 200, 200],
    "other_officer_detail": [302, 403, 404, 404, 200, 404, 200],
    "officer_create": [302, 403, 403, 403, 403, 403, 200],
    "agency_list": [302, 403, 403, 200, 200, 200, 200],
    "agency_detail": [302, 403, 403, 200, 404, 200, 200],
    "agency_edit": [302, 403, 403, 403, 403, 403, 200],
    "agency_create": [302, 403, 403, 403, 403, 403, 200],
}


def _url(name, officer, other_officer):
    return {
        "officer_list": reverse("officers:officer_list"),
        "officer_detail": reverse("officers:officer_detail", args=[officer.pk]),
        "officer_edit": reverse("officers:officer_edit", args=[officer.pk]),
        "other_officer_detail": reverse("officers:officer_detail", args=[other_officer.pk]),
        "officer_create": reverse("officers:officer_create"),
        "agency_list": reverse("officers:agency_list"),
        "agency_detail": reverse("officers:agency_detail", args=[officer.agency_id]),
        "agency_edit": reverse("officers:agency_edit", args=[officer.agency_id]),
        "agency_create": reverse("officers:agency_create"),
    }[name]


@pytest.mark.parametrize(("page", "person", "expected"), access_table(ACCESS, PEOPLE))
def test_role_access_table(request, client, verified_client, officer, other_officer, page, person, expected):
    url = _url(page, officer, other_officer)
    assert status_for(request, client, verified_client, person, url) == expected


# --- Views -----------------------------------------------------------------------------------


def test_officer_list_filters_by_agency_status_and_name(verified_client, coordinator, agency, other_agency):
    OfficerFactory(agency=agency, given_name="Riley", family_name="Quinn", status=OfficerStatus.ACTIVE)
    OfficerFactory(agency=agency, given_name="Jordan", family_name="Quill", status=OfficerStatus.LEFT)
    OfficerFactory(agency=other_agency, given_name="Casey", family_name="Quinlan")
    verified_client.login(coordinator)
    url = reverse("officers:officer_list")

    def names(**params):
        page = verified_client.get(url, params).context["page"]
        return sorted(o.family_name for o in page)

    assert names() == ["Quill", "Quinlan", "Quinn"]
    assert names(agency=agency.pk) == ["Quill", "Quinn"]
    assert names(status="left") == ["Quill"]
    assert names(q="quin") == ["Quinlan", "Quinn"]
    assert names(q="quin", agency=other_agency.pk) == ["Quinlan"]


def test_a_supervisor_lists_only_their_agencys_officers(verified_client, supervisor, officer, other_officer):
    verified_client.login(supervisor)
    page = verified_client.get(reverse("officers:officer_list")).context["page"]
    assert list(page) == [officer]


def test_coordinator_adds_an_officer(verified_client, coordinator, agency):
    verified_client.login(coordinator)
    response = verified_client.post(
        reverse("officers:officer_create"),
        {
            "agency": agency.pk,
            "badge_number": "7001",
            "given_name": "Toni",
            "family_name": "Vega",
            "status": "active",
        },
    )
    officer = Officer.objects.get(badge_number="7001")
    assert response.status_code == 302 and response["Location"] == reverse(
        "officers:officer_detail", args=[officer.pk]
    )


def test_a_duplicate_badge_is_a_form_error_not_a_500(verified_client, coordinator, officer):
    verified_client.login(coordinator)
    data = {
        "agency": officer.agency_id,
        "badge_number": officer.badge_number,
        "given_name": "Toni",
        "family_name": "Vega",
        "status": "active",
    }
    response = verified_client.post(reverse("officers:officer_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["badge_number"] == [
        "Another officer of this agency already has this badge number."
    ]
    assert Officer.objects.count() == 1


def test_the_service_catches_a_duplicate_the_form_missed(verified_client, coordinator, officer):
    verified_client.login(coordinator)
    data = {
        "agency": officer.agency_id,
        "badge_number": officer.badge_number,
        "given_name": "Toni",
        "family_name": "Vega",
        "status": "active",
    }
    with mock.patch("officers.forms.people.OfficerForm.validate_unique"):
        response = verified_client.post(reverse("officers:officer_create"), data)
    assert response.status_code == 200
    assert "badge_number" in response.context["form"].errors


def test_an_sro_corrects_only_their_own_contact_details(verified_client, officer_user, officer):
    verified_client.login(officer_user)
    url = reverse("officers:officer_edit", args=[officer.pk])
    response = verified_client.get(url)
    assert set(response.context["form"].fields) == {"phone", "email"}
    response = verified_client.post(
        url,
        {
            "phone": "518-555-0199",
            "email": "deputy@sheriff.example",
            "badge_number": "HACKED",
            "rank": "Chief",
        },
    )
    assert response.status_code == 302
    before_badge, before_rank = officer.badge_number, officer.rank
    officer.refresh_from_db()
    assert (officer.phone, officer.email) == ("518-555-0199", "deputy@sheriff.example")
    assert (officer.badge_number, officer.rank) == (before_badge, before_rank)


def test_a_supervisor_edits_their_officer_but_cannot_move_them_to_another_agency(
    verified_client, supervisor, officer, other_agency
):
    verified_client.login(supervisor)
    url = reverse("officers:officer_edit", args=[officer.pk])
    data = {
        "agency": officer.agency_id,
        "badge_number": officer.badge_number,
        "given_name": officer.given_name,
        "family_name": officer.family_name,
        "rank": "Sergeant",
        "status": "active",
    }
    assert verified_client.post(url, data).status_code == 302
    officer.refresh_from_db()
    assert officer.rank == "Sergeant"
    response = verified_client.post(url, {**data, "agency": other_agency.pk})
    assert response.status_code == 200 and "agency" in response.context["form"].errors
    officer.refresh_from_db()
    assert officer.agency_id != other_agency.pk


def test_administrators_and_outsiders_cannot_post_changes(verified_client, school_admin, outsider, officer):
    url = reverse("officers:officer_edit", args=[officer.pk])
    for person in (school_admin, outsider):
        verified_client.login(person)
        assert verified_client.post(url, {"phone": "1"}).status_code == 403
    officer.refresh_from_db()
    assert officer.phone == ""


def test_coordinator_adds_and_edits_an_agency(verified_client, coordinator, agency):
    verified_client.login(coordinator)
    response = verified_client.post(reverse("officers:agency_create"), {"name": "Malta Police Department"})
    created = Agency.objects.get(name="Malta Police Department")
    assert response["Location"] == reverse("officers:agency_detail", args=[created.pk])
    response = verified_client.post(reverse("officers:agency_create"), {"name": agency.name})
    assert response.status_code == 200 and "name" in response.context["form"].errors
    response = verified_client.post(
        reverse("officers:agency_edit", args=[created.pk]), {"name": "Malta PD", "contact_name": "Lt. Rowe"}
    )
    created.refresh_from_db()
    assert response.status_code == 302 and (created.name, created.contact_name) == ("Malta PD", "Lt. Rowe")


def test_officer_list_query_count_does_not_grow_with_officers(
    verified_client, coordinator, agency, other_agency
):
    verified_client.login(coordinator)
    url = reverse("officers:officer_list")
    counts = []
    for how_many in (5, 45):
        OfficerFactory.create_batch(how_many, agency=agency)
        OfficerFactory.create_batch(how_many // 5, agency=other_agency)
        with CaptureQueriesContext(connection) as queries:
            assert verified_client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    print("officer list queries:", counts)


def test_agency_list_query_count_does_not_grow(verified_client, coordinator):
    verified_client.login(coordinator)
    counts = []
    for how_many in (3, 30):
        for agency in [AgencyFactory(name=f"Agency {how_many}-{n}") for n in range(how_many)]:
            OfficerFactory(agency=agency)
        with CaptureQueriesContext(connection) as queries:
            assert verified_client.get(reverse("officers:agency_list")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_system_administrator_sees_every_officers_model_in_the_admin(verified_client, officer):
    from django.contrib import admin

    superuser = UserFactory(username="sysadmin", is_staff=True, is_superuser=True)
    verified_client.login(superuser)
    models = [model for model in admin.site._registry if model._meta.app_label == "officers"]
    assert Officer in models and len(models) == 12  # the rest are inlines
    for model in models:
        url = reverse(f"admin:officers_{model._meta.model_name}_changelist")
        assert verified_client.get(url).status_code == 200, url
    assert verified_client.get(reverse("admin:officers_officer_change", args=[officer.pk])).status_code == 200


def test_changing_to_a_badge_already_used_is_a_form_error_and_changes_nothing(
    verified_client, coordinator, officer
):
    colleague = OfficerFactory(agency=officer.agency, badge_number="9001", family_name="Colleague")
    verified_client.login(coordinator)
    data = {
        "agency": officer.agency_id,
        "badge_number": " 9001 ",
        "given_name": "Renamed",
        "family_name": officer.family_name,
        "status": "active",
    }
    response = verified_client.post(reverse("officers:officer_edit", args=[officer.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["badge_number"] == [
        "Another officer of this agency already has this badge number."
    ]
    before = officer.badge_number
    officer.refresh_from_db()
    assert (officer.badge_number, officer.given_name) == (before, officer.given_name)
    assert officer.given_name != "Renamed" and colleague.badge_number == "9001"


def test_agency_detail_query_count_does_not_grow(verified_client, coordinator, agency):
    verified_client.login(coordinator)
    url = reverse("officers:agency_detail", args=[agency.pk])
    counts = []
    for how_many in (3, 30):
        OfficerFactory.create_batch(how_many, agency=agency)
        with CaptureQueriesContext(connection) as queries:
            assert verified_client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
