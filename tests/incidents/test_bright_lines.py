"""The bright lines on the officers' logs: the coordinator ties a category to a bright line of the
active agreement; picking such a category makes the quick log ask whether the matter went back to
administration (required by the server, asked with or without the script); the record keeps the
line it touched and the answer; the focus figures count them, checked on a hand-counted program."""

import datetime
import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from incidents.models import Category, Interaction
from incidents.selectors.focus import (
    bright_line_touches,
    interactions_between,
    matters_returned_to_administration,
    returned_to_administration,
)
from incidents.services.categories import category_save
from incidents.services.interactions import StudentEntry, interaction_update
from tests.district.factories import StudentFactory
from tests.incidents.factories import category, log
from tests.incidents.test_views import CREATE, payload

pytestmark = pytest.mark.django_db

QUESTION = "returned_to_administration"


# --- The coordinator's category page -------------------------------------------------------------


def test_the_coordinator_ties_a_category_to_a_bright_line(verified_client, coordinator, bright_lines):
    verified_client.login(coordinator)
    page = verified_client.get(reverse("incidents:category_create")).content.decode()
    # The active lines are offered; the retired one is not.
    assert "Officers do not enforce dress code or classroom rules." in page
    assert "A line the agreement no longer has." not in page
    response = verified_client.post(
        reverse("incidents:category_create"),
        {"name": "Uniform violations", "position": "7", "active": "on", "bright_line_code": "no-dress-code"},
    )
    assert response.status_code == 302
    assert Category.objects.get(name="Uniform violations").bright_line_code == "no-dress-code"
    listing = verified_client.get(reverse("incidents:category_list")).content.decode()
    row = re.search(r">Uniform violations</a>.*?</tr>", listing, re.S).group(0)
    assert "Officers do not enforce dress code or classroom rules." in row
    # A retired line's tie is shown as such.
    row = re.search(r">Hall passes</a>.*?</tr>", listing, re.S).group(0)
    assert "old-line (no longer in the agreement)" in row


def test_a_tie_to_a_line_outside_the_active_agreement_is_refused(verified_client, coordinator, bright_lines):
    verified_client.login(coordinator)
    for code in ("old-line", "no-such-line"):
        response = verified_client.post(
            reverse("incidents:category_create"),
            {"name": "Uniform violations", "position": "7", "active": "on", "bright_line_code": code},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["bright_line_code"]
    assert not Category.objects.filter(name="Uniform violations").exists()
    with pytest.raises(ValidationError) as refused:
        category_save(name="Uniform violations", position=7, active=True, bright_line_code="old-line")
    assert "bright_line_code" in refused.value.error_dict


def test_a_category_keeps_its_tie_to_a_retired_line_until_changed_and_loses_it_when_untied(
    verified_client, coordinator, bright_lines
):
    hall_passes = Category.objects.get(name="Hall passes")
    verified_client.login(coordinator)
    url = reverse("incidents:category_edit", args=[hall_passes.pk])
    form = verified_client.get(url).context["form"]
    assert form["bright_line_code"].value() == "old-line"
    verified_client.post(url, {"name": "Hall pass checks", "position": "5", "active": "on",
                               "bright_line_code": "old-line"})  # fmt: skip
    hall_passes.refresh_from_db()
    assert (hall_passes.name, hall_passes.bright_line_code) == ("Hall pass checks", "old-line")
    verified_client.post(url, {"name": "Hall pass checks", "position": "5", "active": "on"})
    hall_passes.refresh_from_db()
    assert hall_passes.bright_line_code == ""


# --- The quick log -------------------------------------------------------------------------------


def test_the_quick_log_marks_the_tied_categories_and_asks_without_a_script(
    verified_client, officer, school, bright_lines
):
    verified_client.login(officer.user)
    html = verified_client.get(CREATE).content.decode()
    dress = Category.objects.get(name="Dress code")
    option = re.search(rf'<option value="{dress.pk}"[^>]*>[^<]*</option>', html).group(0)
    assert 'data-bright-line="Officers do not enforce dress code or classroom rules."' in option
    assert "Dress code (bright line)" in option
    # A line the agreement no longer has asks nothing; an untied category carries nothing.
    hall = Category.objects.get(name="Hall passes")
    assert "data-bright-line" not in re.search(rf'<option value="{hall.pk}"[^>]*>', html).group(0)
    mediation = category().pk
    assert "data-bright-line" not in re.search(rf'<option value="{mediation}"[^>]*>', html).group(0)
    # The question is on the page for a browser without the script (the script hides it until asked).
    question = re.search(r"<div[^>]*data-bright-line-question[^>]*>", html).group(0)
    assert "hidden" not in question
    assert 'name="returned_to_administration"' in html


def test_a_tied_category_requires_the_answer_and_nothing_is_saved_without_it(
    verified_client, officer, school, bright_lines
):
    student = StudentFactory(school=school)
    verified_client.login(officer.user)
    dress = Category.objects.get(name="Dress code")
    response = verified_client.post(CREATE, payload(school, {"student": student.student_number},
                                                    category=dress.pk, outcome_all="resolved"))  # fmt: skip
    assert response.status_code == 200
    assert (
        "say whether the matter went back to administration" in response.context["form"].errors[QUESTION][0]
    )
    assert not Interaction.objects.exists()


@pytest.mark.parametrize(("answer", "expected"), [("yes", True), ("no", False)])
def test_the_record_keeps_the_line_it_touched_and_the_answer(
    verified_client, officer, school, bright_lines, answer, expected
):
    student = StudentFactory(school=school)
    verified_client.login(officer.user)
    classroom = Category.objects.get(name="Classroom rules")
    outcome = "returned_to_administration" if expected else "resolved"
    response = verified_client.post(CREATE, payload(school, {"student": student.student_number},
                                                    category=classroom.pk, outcome_all=outcome,
                                                    returned_to_administration=answer))  # fmt: skip
    assert response.status_code == 302
    interaction = Interaction.objects.get()
    assert (interaction.bright_line_code, interaction.returned_to_administration) == (
        "no-school-discipline",
        expected,
    )
    detail = verified_client.get(response["Location"]).content.decode()
    assert "Officers do not administer school discipline." in detail
    assert re.search(rf"Returned to administration</dt><dd[^>]*>{'Yes' if expected else 'No'}</dd>", detail)


def test_no_returned_to_administration_contradicting_a_students_outcome_is_refused(
    verified_client, officer, school, bright_lines
):
    student = StudentFactory(school=school)
    verified_client.login(officer.user)
    dress = Category.objects.get(name="Dress code")
    response = verified_client.post(CREATE, payload(school, {"student": student.student_number},
                                                    category=dress.pk, returned_to_administration="no",
                                                    outcome_all="returned_to_administration"))  # fmt: skip
    assert response.status_code == 200
    assert "did not go back to administration" in response.context["form"].errors[QUESTION][0]
    assert not Interaction.objects.exists()


@pytest.mark.parametrize("name", ["Conflict mediation", "Hall passes"])
def test_a_category_that_touches_no_active_line_asks_nothing_and_keeps_nothing(
    verified_client, officer, school, bright_lines, name
):
    verified_client.login(officer.user)
    chosen = Category.objects.get(name=name)
    # An answer sent anyway (a page without the script shows the question) is not kept.
    response = verified_client.post(
        CREATE, payload(school, category=chosen.pk, returned_to_administration="yes")
    )
    assert response.status_code == 302
    interaction = Interaction.objects.get()
    assert (interaction.bright_line_code, interaction.returned_to_administration) == ("", None)
    assert "Bright line" not in verified_client.get(response["Location"]).content.decode()


def test_the_service_requires_the_answer_itself(officer, school, bright_lines):
    with pytest.raises(ValidationError) as refused:
        log(author=officer.user, school=school, category=Category.objects.get(name="Dress code"))
    assert QUESTION in refused.value.error_dict
    assert not Interaction.objects.exists()
    kept = log(author=officer.user, school=school, category=Category.objects.get(name="Dress code"),
               returned_to_administration=True)  # fmt: skip
    assert kept.bright_line_code == "no-dress-code"


def test_an_edit_to_a_tied_category_asks_and_an_edit_away_from_one_clears_it(
    verified_client, officer, school, bright_lines
):
    interaction = log(author=officer.user, school=school)
    dress = Category.objects.get(name="Dress code")
    fields = {
        "school": school, "occurred_at": interaction.occurred_at, "officer_role": "mentor",
        "initiator": "teacher", "duration_minutes": 10,
    }  # fmt: skip
    with pytest.raises(ValidationError):
        interaction_update(user=officer.user, interaction=interaction, category=dress, **fields)
    interaction_update(user=officer.user, interaction=interaction, category=dress,
                       returned_to_administration=True, **fields)  # fmt: skip
    interaction.refresh_from_db()
    assert (interaction.bright_line_code, interaction.returned_to_administration) == ("no-dress-code", True)
    # Through the edit page the answer is shown as it was given.
    verified_client.login(officer.user)
    form = verified_client.get(reverse("incidents:interaction_edit", args=[interaction.pk])).context["form"]
    assert form[QUESTION].value() == "yes"
    interaction_update(user=officer.user, interaction=interaction, category=category(),
                       returned_to_administration=True, **fields)  # fmt: skip
    interaction.refresh_from_db()
    assert (interaction.bright_line_code, interaction.returned_to_administration) == ("", None)
    assert interaction.history.filter(bright_line_code="no-dress-code").exists()


def test_the_edit_page_keeps_offering_the_records_own_retired_category(
    verified_client, officer, school, bright_lines
):
    interaction = log(author=officer.user, school=school)
    Category.objects.filter(pk=interaction.category_id).update(active=False)
    verified_client.login(officer.user)
    url = reverse("incidents:interaction_edit", args=[interaction.pk])
    data = payload(school, key=str(interaction.key), category=interaction.category_id, narrative="Changed.")
    assert verified_client.post(url, data).status_code == 302
    # A new quick log does not offer it.
    assert interaction.category not in verified_client.get(CREATE).context["form"].fields["category"].queryset


# --- The focus figures, counted by hand -------------------------------------------------------------


@pytest.fixture
def program(officer, school, bright_lines):
    """Six records: three touch "no-dress-code" (two returned), one "no-school-discipline" (not
    returned), and two touch none (one of them with a student returned to administration). Four
    students' outcomes say "returned to administration": three on the first record, one on the fifth."""
    s1, s2, s3 = (StudentFactory(school=school) for _ in range(3))
    dress, classroom = Category.objects.get(name="Dress code"), Category.objects.get(name="Classroom rules")
    returned = StudentEntry(student=s1, outcome="returned_to_administration", action="none")
    records = [
        log(author=officer.user, school=school, category=dress, returned_to_administration=True,
            students=[returned, StudentEntry(student=s2, outcome="returned_to_administration", action="none"),
                      StudentEntry(student=s3, outcome="returned_to_administration", action="none")]),
        log(author=officer.user, school=school, category=dress, returned_to_administration=True),
        log(author=officer.user, school=school, category=dress, returned_to_administration=False,
            students=[StudentEntry(student=s3, outcome="resolved", action="none")]),
        log(author=officer.user, school=school, category=classroom, returned_to_administration=False),
        log(author=officer.user, school=school, students=[returned]),
        log(author=officer.user, school=school, students=[StudentEntry(student=s2, outcome="resolved",
                                                                       action="none")]),
    ]  # fmt: skip
    return records


def _all():
    today = timezone.localdate()
    return interactions_between(start=today - datetime.timedelta(days=30), end=today)


def test_bright_line_touches_and_those_returned_by_line(program):
    assert bright_line_touches(interactions=_all()) == [
        {"bright_line_code": "no-dress-code", "touches": 3, "returned": 2},
        {"bright_line_code": "no-school-discipline", "touches": 1, "returned": 0},
    ]


def test_matters_returned_to_administration_overall(program):
    # Records 1 and 2 (the officer said so; record 1's three students too) and 5 (its student's
    # outcome): three matters, though four students' outcomes say so.
    assert matters_returned_to_administration(interactions=_all()) == 3
    assert returned_to_administration(interactions=_all()) == 4
    # Out of the period, nothing.
    Interaction.objects.update(occurred_at=timezone.now() - datetime.timedelta(days=60))
    assert matters_returned_to_administration(interactions=_all()) == 0
    assert bright_line_touches(interactions=_all()) == []


def test_the_figures_follow_the_interactions_given(program, officer):
    dress_records = Interaction.objects.filter(category__name="Dress code")
    assert bright_line_touches(interactions=dress_records) == [
        {"bright_line_code": "no-dress-code", "touches": 3, "returned": 2}
    ]
    assert matters_returned_to_administration(interactions=dress_records) == 2


def test_a_repeated_submit_of_a_tied_record_makes_one(officer, school, bright_lines):
    key = uuid.uuid4()
    dress = Category.objects.get(name="Dress code")
    first = log(author=officer.user, school=school, key=key, category=dress, returned_to_administration=True)
    again = log(author=officer.user, school=school, key=key, category=dress, returned_to_administration=True)
    assert first.pk == again.pk and Interaction.objects.count() == 1


def test_the_export_carries_the_bright_line_and_the_answer(officer, school, coordinator, bright_lines):
    import csv
    import io

    from incidents.services.disclosures import interactions_export

    student = StudentFactory(school=school)
    log(author=officer.user, school=school, category=Category.objects.get(name="Dress code"),
        returned_to_administration=True, students=[student])  # fmt: skip
    log(author=officer.user, school=school)
    text = interactions_export(user=coordinator, interactions=Interaction.objects.order_by("pk"))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["bright line"], r["returned to administration"]) for r in rows] == [
        ("no-dress-code", "yes"),
        ("", ""),
    ]
