"""Editing, reordering and deleting a survey's questions and choices while no round has used it; once
a round has, the survey is frozen and "Copy to a new version" makes an editable copy. Bad input gives
form errors or a 4xx, and nothing is half-saved."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from feedback.models import Choice, Question, QuestionKind, Round, RoundStatus, Survey, Theme
from feedback.services.surveys import (
    question_add,
    question_delete,
    question_move,
    question_update,
    survey_copy,
    survey_is_frozen,
)
from tests.feedback.factories import campaign_for, survey_with_questions

pytestmark = pytest.mark.django_db


def texts(survey):
    return list(survey.questions.order_by("position").values_list("text", flat=True))


def test_edit_a_question_and_its_choices(survey):
    single = survey.questions.get(kind=QuestionKind.SINGLE)
    question_update(
        question=single, kind=QuestionKind.MULTIPLE, theme=Theme.TRUST, text="How often, really?",
        text_es="¿Con qué frecuencia, de verdad?", required=False,
        choices=[("Rarely", "Casi nunca"), ("Weekly", "Cada semana"), ("Daily", "A diario")],
    )  # fmt: skip
    single.refresh_from_db()
    assert (single.kind, single.theme, single.text, single.required) == (
        QuestionKind.MULTIPLE, Theme.TRUST, "How often, really?", False,
    )  # fmt: skip
    assert list(single.choices.order_by("position").values_list("position", "text", "text_es")) == [
        (1, "Rarely", "Casi nunca"), (2, "Weekly", "Cada semana"), (3, "Daily", "A diario"),
    ]  # fmt: skip


def test_a_refused_edit_changes_nothing(survey):
    single = survey.questions.get(kind=QuestionKind.SINGLE)
    before = list(Choice.objects.filter(question=single).values_list("text", flat=True))
    with pytest.raises(ValidationError) as error:
        question_update(question=single, kind=QuestionKind.SINGLE, theme=Theme.SAFETY, text="Changed",
                        text_es="Cambiada", choices=[("Only one", "Solo una")])  # fmt: skip
    assert "choices" in error.value.message_dict
    single.refresh_from_db()
    assert single.text == "How often?" and list(single.choices.values_list("text", flat=True)) == before
    with pytest.raises(ValidationError):
        question_update(question=single, kind=QuestionKind.SCALE, theme=Theme.SAFETY, text="A", text_es="A",
                        choices=[("x", "x"), ("y", "y")])  # fmt: skip


def test_move_up_and_down_swaps_neighbours_and_stops_at_the_ends(survey):
    first, second, third, fourth, fifth = survey.questions.order_by("position")
    assert question_move(question=third, direction="up")
    assert texts(survey) == [first.text, third.text, second.text, fourth.text, fifth.text]
    assert question_move(question=third, direction="down")
    assert question_move(question=third, direction="down")
    assert texts(survey) == [first.text, second.text, fourth.text, third.text, fifth.text]
    assert not question_move(question=first, direction="up")
    assert not question_move(question=fifth, direction="down")
    with pytest.raises(ValidationError):
        question_move(question=first, direction="sideways")
    positions = list(survey.questions.values_list("position", flat=True))
    assert sorted(positions) == [1, 2, 3, 4, 5]


def test_delete_a_question_and_its_choices(survey):
    single = survey.questions.get(kind=QuestionKind.SINGLE)
    question_delete(question=single)
    assert not Question.objects.filter(pk=single.pk).exists()
    assert not Choice.objects.filter(question_id=single.pk).exists()
    # Moving still works across the gap left behind.
    scale, multiple = survey.questions.order_by("position")[:2]
    assert question_move(question=multiple, direction="up")
    assert texts(survey)[:2] == [multiple.text, scale.text]


def test_a_survey_a_campaign_uses_keeps_one_question(coordinator):
    survey = Survey.objects.create(title="One question", title_es="Una pregunta", audience="staff")
    only = question_add(
        survey=survey, kind=QuestionKind.SCALE, theme=Theme.SAFETY, text="Safe?", text_es="¿?"
    )
    campaign_for(survey=survey, created_by=coordinator)
    with pytest.raises(ValidationError):
        question_delete(question=only)
    assert survey.questions.count() == 1


def test_a_survey_a_round_used_is_frozen(round, survey):
    assert survey_is_frozen(survey=survey)
    question = survey.questions.first()
    for change in (
        lambda: question_update(question=question, kind=QuestionKind.SCALE, theme=Theme.SAFETY, text="New",
                                text_es="Nueva"),
        lambda: question_move(question=question, direction="down"),
        lambda: question_delete(question=question),
        lambda: question_add(survey=survey, kind=QuestionKind.SCALE, theme=Theme.SAFETY, text="More",
                             text_es="Más"),
    ):  # fmt: skip
        with pytest.raises(ValidationError) as error:
            change()
        assert "Copy it to a new version" in str(error.value)
    assert texts(survey) == texts(Survey.objects.get(pk=survey.pk)) and survey.questions.count() == 5
    assert Question.objects.get(pk=question.pk).text == "I feel safe."


def test_a_campaign_without_rounds_leaves_the_survey_editable(campaign, survey):
    assert not survey_is_frozen(survey=survey)
    Round.objects.create(campaign=campaign, opens_on=campaign.starts_on, status=RoundStatus.SCHEDULED)
    assert survey_is_frozen(survey=survey)  # a scheduled round will send it as it is


def test_copy_to_a_new_version_is_editable_and_leaves_the_original(round, survey):
    copy = survey_copy(survey=survey)
    assert copy.title == "Staff pulse (version 2)" and copy.title_es == "Staff pulse (es) (versión 2)"
    assert copy.previous_version == survey and copy.audience == survey.audience and not copy.is_default
    assert texts(copy) == texts(survey)
    original = {q.position: list(q.choices.values_list("text", "text_es")) for q in survey.questions.all()}
    copied = {q.position: list(q.choices.values_list("text", "text_es")) for q in copy.questions.all()}
    assert copied == original
    assert not survey_is_frozen(survey=copy)
    question_delete(question=copy.questions.get(position=1))
    assert survey.questions.count() == 5 and copy.questions.count() == 4
    # A copy of the copy (or a second copy) takes the next free number.
    assert survey_copy(survey=copy).title == "Staff pulse (version 3)"
    assert survey_copy(survey=survey).title == "Staff pulse (version 4)"


def test_the_pages_edit_move_delete_and_copy(verified_client, coordinator, survey):
    verified_client.login(coordinator)
    detail = reverse("feedback:survey_detail", args=[survey.pk])
    page = verified_client.get(detail).text
    assert "Move up" in page and "Move down" in page and "Copy to a new version" not in page
    first, second = survey.questions.order_by("position")[:2]
    move = reverse("feedback:question_move", args=[survey.pk, second.pk])
    assert verified_client.post(move, {"direction": "up"}).status_code == 302
    assert texts(survey)[:2] == [second.text, first.text]
    assert verified_client.post(move, {"direction": "nowhere"}).status_code == 400
    edit = reverse("feedback:question_edit", args=[survey.pk, second.pk])
    form = verified_client.get(edit).text
    assert "Daily | A diario" in form
    data = {"kind": QuestionKind.SINGLE, "theme": Theme.VISIBILITY, "text": "Seen?", "text_es": "¿Visto?",
            "required": "on", "choices": "Often | A menudo\nNever | Nunca"}  # fmt: skip
    bad = verified_client.post(edit, data | {"choices": "Often without a bar"})
    assert bad.status_code == 200 and "write the English, a bar" in bad.text
    assert verified_client.post(edit, data).status_code == 302
    assert list(second.choices.order_by("position").values_list("text", flat=True)) == ["Often", "Never"]
    delete = reverse("feedback:question_delete", args=[survey.pk, first.pk])
    assert verified_client.post(delete).status_code == 302 and survey.questions.count() == 4
    assert verified_client.get(delete).status_code == 405


def test_a_frozen_survey_offers_only_the_copy(verified_client, coordinator, round, survey):
    verified_client.login(coordinator)
    page = verified_client.get(reverse("feedback:survey_detail", args=[survey.pk])).text
    assert "Copy to a new version" in page and "Move up" not in page and "Add the question" not in page
    question = survey.questions.first()
    refused = verified_client.post(
        reverse("feedback:question_delete", args=[survey.pk, question.pk]), follow=True
    )
    assert "Copy it to a new version" in refused.text and survey.questions.count() == 5
    copied = verified_client.post(reverse("feedback:survey_copy", args=[survey.pk]))
    copy = Survey.objects.get(previous_version=survey)
    assert copied["Location"] == reverse("feedback:survey_detail", args=[copy.pk])


def test_a_question_of_another_survey_is_404(verified_client, coordinator, survey):
    other = survey_with_questions(title="Another")
    verified_client.login(coordinator)
    url = reverse("feedback:question_edit", args=[survey.pk, other.questions.first().pk])
    assert verified_client.get(url).status_code == 404
