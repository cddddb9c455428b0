"""The disclosures register and the CSV export: every export is in the access log, and an export
or a hand-over that leaves the school is in each student's register."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from district.models import AccessAction, AccessLog
from incidents.models import Disclosure, DisclosureStudent, Interaction
from incidents.services.disclosures import interaction_disclose, interactions_export
from tests.incidents.factories import log

pytestmark = pytest.mark.django_db


def test_a_hand_over_is_in_each_students_register_and_the_access_log(
    interaction, officer, student, second_student
):
    disclosure = interaction_disclose(
        user=officer.user,
        interaction=interaction,
        recipient="Sgt. Ortiz, County Sheriff",
        purpose="Investigation of a threat, under a subpoena",
        description="The record of the cafeteria argument",
    )
    assert set(DisclosureStudent.objects.values_list("student_id", flat=True)) == {
        student.pk,
        second_student.pk,
    }
    assert disclosure.interaction == interaction
    logged = AccessLog.objects.filter(action=AccessAction.DISCLOSE)
    assert set(logged.values_list("student_id", flat=True)) == {student.pk, second_student.pk}


@pytest.mark.parametrize("missing", ["recipient", "purpose", "description"])
def test_a_hand_over_needs_to_whom_why_and_what(interaction, officer, missing):
    fields = {"recipient": "A court", "purpose": "Subpoena", "description": "The record", missing: " "}
    with pytest.raises(ValidationError):
        interaction_disclose(user=officer.user, interaction=interaction, **fields)
    assert Disclosure.objects.count() == 0
    assert AccessLog.objects.filter(action=AccessAction.DISCLOSE).count() == 0


def _csv(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_is_one_line_per_student_and_logs_each_as_exported(interaction, coordinator, student):
    text = interactions_export(user=coordinator, interactions=Interaction.objects.all(), search="school=1")
    rows = _csv(text)
    assert sorted(r["student"] for r in rows) == ["Jordan Ellis", "Riley Moreno"]
    assert {r["record class"] for r in rows} == {"School (education and support) record"}
    assert AccessLog.objects.filter(action=AccessAction.EXPORT, search="school=1").count() == 2
    assert Disclosure.objects.count() == 0


def test_an_export_that_leaves_the_school_is_a_disclosure(interaction, coordinator, student, second_student):
    interactions_export(
        user=coordinator,
        interactions=Interaction.objects.all(),
        recipient="State researcher",
        purpose="Study",
    )
    disclosure = Disclosure.objects.get()
    assert disclosure.recipient == "State researcher"
    assert set(DisclosureStudent.objects.values_list("student_id", flat=True)) == {
        student.pk,
        second_student.pk,
    }


def test_a_cell_that_would_run_as_a_formula_is_written_as_text(officer, school, student, coordinator):
    log(author=officer.user, school=school, students=[student], place="=HYPERLINK(evil)")
    student.given_name = "=cmd"
    student.save()
    rows = _csv(interactions_export(user=coordinator, interactions=Interaction.objects.all()))
    assert rows[0]["student"].startswith("'=")


def test_the_export_page_asks_where_the_file_goes(verified_client, interaction, coordinator):
    verified_client.login(coordinator)
    url = reverse("incidents:interaction_export") + f"?school={interaction.school_id}"
    assert "Where will this file go?" in verified_client.get(url).content.decode()
    refused = verified_client.post(url, {"destination": "outside"})
    assert refused.status_code == 200 and "disclosures register" in refused.content.decode()
    assert AccessLog.objects.filter(action=AccessAction.EXPORT).count() == 0
    response = verified_client.post(
        url, {"destination": "outside", "recipient": "A court", "purpose": "Order"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "Jordan Ellis" in response.content.decode()
    assert Disclosure.objects.get().recipient == "A court"


def test_a_students_register_lists_their_disclosures(
    verified_client, interaction, officer, school_admin, student
):
    interaction_disclose(
        user=officer.user, interaction=interaction, recipient="County Probation", purpose="Court order",
        description="The record",
    )  # fmt: skip
    verified_client.login(school_admin)
    html = verified_client.get(reverse("incidents:student_disclosures", args=[student.pk])).content.decode()
    assert "County Probation" in html
    assert AccessLog.objects.filter(user=school_admin, student=student, action=AccessAction.VIEW).exists()


def test_the_export_quotes_a_formula_and_leaves_an_empty_cell_empty(officer, school, coordinator):
    from incidents.models import Category
    from tests.incidents.factories import log

    log(author=officer.user, school=school, category=Category.objects.create(name="=HYPERLINK(1)"))
    (row,) = _csv(interactions_export(user=coordinator, interactions=Interaction.objects.all()))
    assert row["category"] == "'=HYPERLINK(1)"
    assert row["student"] == row["student id"] == row["outcome"] == row["follow-up due"] == ""
