"""Incident reports: promoted from an interaction without retyping, or written from scratch once per
key; people, notifications and status; the edit window; names by role; bad input refused."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from district.models import AccessAction, AccessLog
from incidents.models import Incident, IncidentPerson, IncidentType
from incidents.selectors.officers import roster_for_officer
from incidents.services.incidents import (
    incident_create,
    incident_notification_add,
    incident_person_add,
    incident_promote,
    incident_update,
)
from incidents.services.interactions import StudentEntry
from tests.district.factories import StudentFactory
from tests.incidents.factories import log

pytestmark = pytest.mark.django_db


def fight():
    return IncidentType.objects.get(name="Minor altercations")


def test_the_default_types_are_new_yorks_with_sub_categories():
    weapons = IncidentType.objects.get(name="Weapons possession", parent=None)
    assert {t.name for t in weapons.subtypes.all()} == {"Firearm", "Other weapon"}
    assert IncidentType.objects.filter(parent=None).count() == 19


def test_promoting_an_interaction_carries_what_it_holds(officer, school, student, second_student):
    interaction = log(
        author=officer.user,
        school=school,
        place="Gym",
        narrative="Two students pushed each other.",
        students=[
            StudentEntry(student=student, outcome="resolved", action="none"),
            StudentEntry(student=second_student, involvement="witness"),
        ],
    )
    incident = incident_promote(user=officer.user, interaction=interaction, incident_type=fight())
    assert (incident.school, incident.occurred_at, incident.place, incident.narrative) == (
        school,
        interaction.occurred_at,
        "Gym",
        "Two students pushed each other.",
    )
    parts = {p.student_id: p.part for p in incident.people.all()}
    assert parts == {student.pk: "involved", second_student.pk: "witness"}
    assert incident_promote(user=officer.user, interaction=interaction, incident_type=fight()) == incident
    assert Incident.objects.count() == 1


def test_only_the_writing_officer_promotes(interaction, other_officer_user):
    with pytest.raises(ValidationError):
        incident_promote(user=other_officer_user, interaction=interaction, incident_type=fight())
    assert Incident.objects.count() == 0


def _create(officer, school, **overrides):
    kwargs = {
        "author": officer.user,
        "key": uuid.uuid4(),
        "school": school,
        "occurred_at": timezone.now() - datetime.timedelta(hours=1),
        "incident_type": fight(),
    }
    kwargs.update(overrides)
    return incident_create(**kwargs)


def test_a_report_from_scratch_is_saved_once_per_key(officer, school):
    key = uuid.uuid4()
    first, created = _create(officer, school, key=key, weapon=True, narrative="Knife found in a locker.")
    again, created_again = _create(officer, school, key=key)
    assert (created, created_again, again) == (True, False, first)
    assert first.related_to == ["weapon"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"occurred_at": timezone.now() + datetime.timedelta(days=1)}, "future"),
        ({"school": "other"}, "not assigned"),
    ],
)
def test_bad_input_saves_nothing(officer, school, other_school, overrides, message):
    where = other_school if overrides.pop("school", None) == "other" else school
    with pytest.raises(ValidationError, match=message):
        _create(officer, where, **overrides)
    assert Incident.objects.count() == 0


def test_people_and_notifications_are_checked(officer, school, outside_student, student):
    incident, _ = _create(officer, school)
    roster = roster_for_officer(officer=officer)
    with pytest.raises(ValidationError, match="No student"):
        incident_person_add(
            user=officer.user,
            incident=incident,
            kind="student",
            part="offender",
            student=outside_student,
            roster=roster,
        )
    with pytest.raises(ValidationError, match="name"):
        incident_person_add(user=officer.user, incident=incident, kind="staff", part="target", name=" ")
    incident_person_add(
        user=officer.user, incident=incident, kind="student", part="offender", student=student, roster=roster
    )
    incident_person_add(user=officer.user, incident=incident, kind="staff", part="target", name="Mr. Abbott")
    assert IncidentPerson.objects.count() == 2
    with pytest.raises(ValidationError, match="before the incident"):
        incident_notification_add(
            user=officer.user,
            incident=incident,
            party="guardian",
            notified_at=incident.occurred_at - datetime.timedelta(minutes=5),
        )
    incident_notification_add(
        user=officer.user, incident=incident, party="guardian", notified_at=timezone.now()
    )
    assert incident.notifications.count() == 1


def test_after_a_week_the_report_is_not_changed(officer, school):
    incident, _ = _create(officer, school)
    Incident.objects.filter(pk=incident.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    incident.refresh_from_db()
    with pytest.raises(ValidationError, match="week"):
        incident_update(
            user=officer.user,
            incident=incident,
            occurred_at=incident.occurred_at,
            school=school,
            incident_type=fight(),
            narrative="late",
        )


def test_promotion_through_the_pages_and_names_by_role(
    verified_client, interaction, officer, school_admin, other_school_admin, student
):
    verified_client.login(officer.user)
    detail = reverse("incidents:interaction_detail", args=[interaction.pk])
    assert "Make an incident report" in verified_client.get(detail).content.decode()
    response = verified_client.post(
        reverse("incidents:incident_promote", args=[interaction.pk]), {"incident_type": fight().pk}
    )
    incident = Incident.objects.get()
    assert response["Location"] == reverse("incidents:incident_detail", args=[incident.pk])
    url = reverse("incidents:incident_detail", args=[incident.pk])
    verified_client.login(school_admin)
    assert "Jordan Ellis" in verified_client.get(url).content.decode()
    assert AccessLog.objects.filter(user=school_admin, student=student, action=AccessAction.VIEW).exists()
    verified_client.login(other_school_admin)
    assert verified_client.get(url).status_code == 404


def test_the_officer_adds_people_and_a_notification_through_the_page(
    verified_client, officer, school, student, outside_student
):
    incident, _ = _create(officer, school)
    verified_client.login(officer.user)
    people = reverse("incidents:incident_person", args=[incident.pk])
    refused = verified_client.post(
        people, {"kind": "student", "student": "300001", "part": "offender"}, follow=True
    )
    assert "No student with this id" in refused.content.decode()
    verified_client.post(people, {"kind": "student", "student": "200001", "part": "offender"})
    now = timezone.localtime()
    verified_client.post(
        reverse("incidents:incident_notification", args=[incident.pk]),
        {"party": "guardian", "notified_on": now.date().isoformat(), "notified_time": now.strftime("%H:%M")},
    )
    verified_client.post(reverse("incidents:incident_status", args=[incident.pk]), {"status": "submitted"})
    incident.refresh_from_db()
    assert incident.people.get().student == student
    assert incident.notifications.count() == 1 and incident.status == "submitted"


@pytest.mark.parametrize("person", ["officer", "coordinator"])
def test_the_report_list_runs_the_same_queries_at_ten_times_the_data(
    request, verified_client, officer, school, person
):
    def grow(n):
        for _ in range(n):
            incident, _ = _create(officer, school)
            roster = roster_for_officer(officer=officer)
            incident_person_add(
                user=officer.user,
                incident=incident,
                kind="student",
                part="target",
                student=StudentFactory(school=school),
                roster=roster,
            )

    grow(2)
    user = officer.user if person == "officer" else request.getfixturevalue(person)
    verified_client.login(user)
    url = reverse("incidents:incident_list")
    with CaptureQueriesContext(connection) as small:
        assert verified_client.get(url).status_code == 200
    grow(20)
    with CaptureQueriesContext(connection) as large:
        verified_client.get(url)
    assert len(large) == len(small) <= 20
