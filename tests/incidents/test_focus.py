"""The focus figures on a small program counted by hand (four interactions, two officers)."""

import datetime

import pytest
from django.utils import timezone

from incidents.models import Interaction, OfficerRole
from incidents.selectors.focus import (
    enforcement_per_100_contacts,
    initiator_by_outcome,
    interactions_between,
    returned_to_administration,
    role_time_share,
    time_and_count_by_role_and_category,
)
from incidents.services.interactions import StudentEntry
from officers.models import Officer
from tests.district.factories import StudentFactory
from tests.incidents.factories import category, log

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(officer, school, other_officer_user, other_school):
    s1, s2, s3 = (StudentFactory(school=school) for _ in range(3))
    s4 = StudentFactory(school=other_school)
    arrest = StudentEntry(
        student=s1,
        outcome="returned_to_administration",
        action="custodial_arrest",
        arrest_school_related=True,
    )
    a = log(
        author=officer.user, school=school, officer_role=OfficerRole.LAW_ENFORCEMENT,
        category=category("Criminal matter"), initiator="administrator", duration_minutes=30,
        students=[arrest, StudentEntry(student=s2, outcome="returned_to_administration", action="none"),
                  StudentEntry(student=s3, involvement="witness")],
    )  # fmt: skip
    b = log(
        author=officer.user, school=school, officer_role=OfficerRole.MENTOR,
        category=category("Relationship building and mentoring"), initiator="student", duration_minutes=20,
        students=[StudentEntry(student=s1, outcome="resolved", action="none")],
    )  # fmt: skip
    c = log(
        author=officer.user, school=school, officer_role=OfficerRole.TEACHER,
        category=category("Classroom presentation"), initiator="teacher", duration_minutes=50,
        anonymous_students=25,
    )  # fmt: skip
    d = log(
        author=other_officer_user, school=other_school, officer_role=OfficerRole.MENTOR,
        category=category("Family dynamics"), initiator="guardian", duration_minutes=40,
        students=[StudentEntry(student=s4, outcome="referred_social_worker", action="warning")],
    )  # fmt: skip
    return a, b, c, d


def _all():
    today = timezone.localdate()
    return interactions_between(start=today - datetime.timedelta(days=30), end=today)


def test_time_and_count_by_role_and_category(program):
    rows = {(r["officer_role"], r["category__name"]): (r["contacts"], r["minutes"]) for r in
            time_and_count_by_role_and_category(interactions=_all())}  # fmt: skip
    assert rows == {
        ("law_enforcement", "Criminal matter"): (1, 30),
        ("mentor", "Relationship building and mentoring"): (1, 20),
        ("teacher", "Classroom presentation"): (1, 50),
        ("mentor", "Family dynamics"): (1, 40),
    }


def test_the_share_of_time_in_the_mentor_and_teacher_roles(program):
    share = role_time_share(interactions=_all())
    assert share["minutes"] == {"law_enforcement": 30, "mentor": 60, "teacher": 50}
    assert share["total_minutes"] == 140
    assert share["prevention_share"] == pytest.approx(110 / 140)
    assert share["law_enforcement_share"] == pytest.approx(30 / 140)


def test_who_starts_contacts_against_how_they_end(program):
    rows = {
        (r["interaction__initiator"], r["outcome"]): r["students"]
        for r in initiator_by_outcome(interactions=_all())
    }
    # The witness counts nowhere; the presentation named no student.
    assert rows == {
        ("administrator", "returned_to_administration"): 2,
        ("student", "resolved"): 1,
        ("guardian", "referred_social_worker"): 1,
    }
    assert returned_to_administration(interactions=_all()) == 2


def test_enforcement_actions_per_100_contacts_by_officer_school_and_month(
    program, officer, school, other_school
):
    other = Officer.objects.exclude(pk=officer.pk).get()
    by_officer = {r["key"]: (r["contacts"], r["actions"], r["per_100"]) for r in
                  enforcement_per_100_contacts(interactions=_all(), by="officer")}  # fmt: skip
    assert by_officer == {officer.pk: (3, 1, 33.3), other.pk: (1, 1, 100.0)}
    by_school = {
        r["key"]: r["per_100"] for r in enforcement_per_100_contacts(interactions=_all(), by="school")
    }
    assert by_school == {school.pk: 33.3, other_school.pk: 100.0}
    # Moved to an earlier month, the arrest's contact counts there.
    a = program[0]
    earlier = a.occurred_at - datetime.timedelta(days=45)
    Interaction.objects.filter(pk=a.pk).update(occurred_at=earlier)
    today = timezone.localdate()
    chosen = interactions_between(start=today - datetime.timedelta(days=90), end=today)
    months = enforcement_per_100_contacts(interactions=chosen, by="month")
    assert [(r["contacts"], r["actions"]) for r in months] == [(1, 1), (3, 1)]
    assert sum(r["contacts"] for r in months) == 4


def test_a_period_with_nothing_in_it_has_no_share(db):
    assert role_time_share(interactions=Interaction.objects.none())["prevention_share"] is None
    assert enforcement_per_100_contacts(interactions=Interaction.objects.all(), by="school") == []
