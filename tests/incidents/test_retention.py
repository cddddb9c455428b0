"""The retention rule (New York's by default: until the youngest student involved turns 27) flags
records; the coordinator's confirmation removes identities and free text, and the counts remain."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from incidents.models import Addendum, Interaction, InteractionStudent
from incidents.selectors.retention import interactions_due_for_retention, retention_rule
from incidents.services.interactions import StudentEntry, addendum_add
from incidents.services.retention import retention_apply, retention_rule_set
from tests.district.factories import StudentFactory
from tests.incidents.factories import log

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2031, 9, 1)


def born(years_before: int, school, **kwargs):
    return StudentFactory(school=school, birth_date=TODAY.replace(year=TODAY.year - years_before), **kwargs)


def test_a_record_is_due_when_its_youngest_student_turns_27(officer, school):
    old, older, young = born(27, school), born(30, school), born(26, school)
    due = log(author=officer.user, school=school, students=[old, older])
    not_yet = log(author=officer.user, school=school, students=[older, young])
    unknown = log(
        author=officer.user, school=school, students=[older, StudentFactory(school=school, birth_date=None)]
    )
    nobody = log(author=officer.user, school=school, anonymous_students=3)
    assert list(interactions_due_for_retention(today=TODAY)) == [due]
    assert {not_yet, unknown, nobody}.isdisjoint(interactions_due_for_retention(today=TODAY))
    # The day before the youngest's 27th birthday, it is not due yet.
    assert list(interactions_due_for_retention(today=TODAY - datetime.timedelta(days=1))) == []


def test_the_coordinators_rule_decides(officer, school):
    record = log(author=officer.user, school=school, students=[born(22, school)])
    assert retention_rule().age_years == 27
    retention_rule_set(name="Five years after leaving", age_years=21)
    assert list(interactions_due_for_retention(today=TODAY)) == [record]
    with pytest.raises(ValidationError):
        retention_rule_set(name="Too short", age_years=5)
    assert retention_rule().age_years == 21


def test_confirming_removes_identities_and_free_text_and_keeps_the_counts(officer, school, coordinator):
    student, witness = born(28, school), born(29, school)
    record = log(
        author=officer.user,
        school=school,
        students=[
            StudentEntry(student=student, outcome="referred_counselor", action="criminal_citation"),
            StudentEntry(student=witness, involvement="witness"),
        ],
        narrative="Named people here.",
        place="Room 12",
        other_participants="Ms. Parent",
    )
    addendum_add(user=officer.user, interaction=record, text="Follow-up with the named family.")
    other = log(author=officer.user, school=school, students=[born(10, school)])
    assert retention_apply(user=coordinator, interaction_ids=[record.pk, other.pk], today=TODAY) == 1
    record.refresh_from_db()
    assert (record.narrative, record.place, record.other_participants) == ("", "", "")
    assert record.identities_removed_by == coordinator and record.identities_removed_at is not None
    rows = list(InteractionStudent.objects.filter(interaction=record).order_by("pk"))
    assert [row.student_id for row in rows] == [None, None]
    assert [(row.outcome, row.action, row.crdc_referral) for row in rows] == [
        ("referred_counselor", "criminal_citation", True),
        ("", "", False),
    ]
    assert Addendum.objects.get(interaction=record).text == "(removed under the retention rule)"
    # The earlier versions held the names and the note: gone too.
    assert not Interaction.history.filter(id=record.pk).exists()
    assert not InteractionStudent.history.filter(interaction_id=record.pk).exists()
    assert not Addendum.history.filter(interaction_id=record.pk).exists()
    # The other record, not due, is untouched; a second confirmation changes nothing.
    assert InteractionStudent.objects.filter(interaction=other, student__isnull=False).count() == 1
    assert retention_apply(user=coordinator, interaction_ids=[record.pk], today=TODAY) == 0


def test_the_retention_page_lists_due_records_without_names_and_confirms(
    verified_client, officer, school, coordinator
):
    student = StudentFactory(
        school=school, given_name="Oldest", family_name="Alumnus", birth_date=datetime.date(1990, 1, 1)
    )
    record = log(author=officer.user, school=school, students=[student])
    verified_client.login(coordinator)
    url = reverse("incidents:retention")
    html = verified_client.get(url).content.decode()
    assert "Records due: 1" in html and "Alumnus" not in html
    assert verified_client.post(url, {"apply": "1", "interaction": [record.pk]}).status_code == 302
    assert InteractionStudent.objects.get(interaction=record).student_id is None
    detail = verified_client.get(reverse("incidents:interaction_detail", args=[record.pk])).content.decode()
    assert "removed under the retention rule" in detail and "Alumnus" not in detail
    response = verified_client.post(url, {"save_rule": "1", "name": "Local rule", "age_years": "30"})
    assert response.status_code == 302 and retention_rule().age_years == 30
