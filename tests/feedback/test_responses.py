"""Answering: a link works once; a tampered, used or expired link says so (400/410, never 500);
bad answers are refused with nothing saved; anonymous answers have no path back to a person."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from feedback.models import (
    Answer,
    Invitation,
    InvitationLink,
    InvitationStatus,
    Response,
    Round,
    RoundStatus,
)
from feedback.services.responses import LinkUnusable, field_name, response_submit
from tests.feedback.factories import answers_for, campaign_for, invitation_with_token, open_round

pytestmark = pytest.mark.django_db


def form_data(survey, *, language="en", **overrides):
    scale_q, single, multiple, yes_no, text = survey.questions.order_by("position")
    data = {
        "language": language,
        field_name(scale_q): "4",
        field_name(single): str(single.choices.first().pk),
        field_name(multiple): [str(c.pk) for c in multiple.choices.all()],
        field_name(yes_no): "yes",
        field_name(text): "Keep coming to lunch.",
    }
    data.update(overrides)
    return data


def url(token):
    return reverse("feedback:answer", args=[token])


def test_answering_through_the_link_stores_the_answers_and_uses_the_link_up(client, round, survey):
    invitation, token = invitation_with_token(round=round)
    page = client.get(url(token))
    assert page.status_code == 200 and "I feel safe." in page.text
    response = client.post(url(token), form_data(survey))
    assert response.status_code == 302 and response["Location"].startswith(reverse("feedback:thanks"))
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ANSWERED
    stored = Response.objects.get()
    assert stored.round == round and stored.language == "en"
    assert Answer.objects.filter(response=stored).count() == 6  # the multiple choice is two rows
    # Used: says so plainly, and a second submission stores nothing.
    again = client.post(url(token), form_data(survey))
    assert again.status_code == 410 and "already been used" in again.text
    assert client.get(url(token)).status_code == 410
    assert Response.objects.count() == 1


def test_the_page_speaks_spanish_when_the_respondent_chooses_it(client, round, survey):
    _invitation, token = invitation_with_token(round=round)
    page = client.get(url(token) + "?lang=es")
    assert 'lang="es"' in page.text and "Me siento seguro." in page.text and "Muy de acuerdo" in page.text
    client.post(url(token), form_data(survey, language="es"))
    assert Response.objects.get().language == "es"


def test_a_tampered_link_is_a_400_page(client, round):
    _invitation, token = invitation_with_token(round=round)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in (tampered, "x", "a" * 300):
        response = client.get(url(bad))
        assert response.status_code == 400 and "not valid" in response.text


def test_an_expired_link_is_a_410_page_and_takes_no_answer(client, round, survey):
    _invitation, token = invitation_with_token(round=round)
    Round.objects.filter(pk=round.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    assert client.get(url(token)).status_code == 410
    response = client.post(url(token), form_data(survey))
    assert response.status_code == 410 and "closed" in response.text
    assert not Response.objects.exists()
    Round.objects.filter(pk=round.pk).update(
        status=RoundStatus.CLOSED, closes_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert client.get(url(token)).status_code == 410


def test_a_missing_required_answer_is_a_form_error_and_nothing_is_saved(client, round, survey):
    invitation, token = invitation_with_token(round=round)
    scale_q = survey.questions.get(position=1)
    response = client.post(url(token), form_data(survey, **{field_name(scale_q): ""}))
    assert response.status_code == 200
    assert response.context["form"].errors[field_name(scale_q)] == ["Please answer this question."]
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SENT and not Response.objects.exists()


def test_answers_to_questions_not_in_the_survey_are_refused_whole(client, round, survey, coordinator):
    from tests.feedback.factories import survey_with_questions

    other = survey_with_questions(title="Another survey")
    foreign = other.questions.first()
    invitation, token = invitation_with_token(round=round)
    response = client.post(url(token), form_data(survey, **{field_name(foreign): "5"}))
    assert response.status_code == 400 and "not in this survey" in response.text
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SENT and not Response.objects.exists()
    # The service refuses them too, whoever calls it.
    answers = answers_for(survey) | {foreign.pk: 5}
    with pytest.raises(ValidationError):
        response_submit(token=token, answers=answers, language="en")
    assert not Answer.objects.exists()


def test_a_choice_from_another_question_or_a_scale_out_of_range_is_refused(round, survey):
    _invitation, token = invitation_with_token(round=round)
    scale_q, single, multiple, *_ = survey.questions.order_by("position")
    for bad in (
        {scale_q.pk: 6},
        {single.pk: multiple.choices.first().pk},
        {multiple.pk: [single.choices.first().pk]},
    ):
        with pytest.raises(ValidationError):
            response_submit(token=token, answers=answers_for(survey) | bad, language="en")
    assert not Response.objects.exists()


def test_a_used_link_raises_in_the_service_too(round, survey):
    _invitation, token = invitation_with_token(round=round)
    response_submit(token=token, answers=answers_for(survey), language="en")
    with pytest.raises(LinkUnusable) as raised:
        response_submit(token=token, answers=answers_for(survey), language="en")
    assert raised.value.reason == "used" and raised.value.status == 410


def test_every_link_of_one_invitation_dies_when_one_is_used(client, round, survey):
    invitation, first = invitation_with_token(round=round)
    from feedback.services.rounds import new_token

    second, hashed = new_token()
    InvitationLink.objects.create(invitation=invitation, token_hash=hashed)  # a reminder's link
    client.post(url(second), form_data(survey))
    assert client.get(url(first)).status_code == 410


# --- Anonymity ------------------------------------------------------------------------------------

PEOPLE_MODELS = {"feedback.Invitation", "feedback.InvitationLink", "district.Staff", "district.Guardian",
                 "district.Student", "district.User", "outbox.OutboundEmail"}  # fmt: skip


def _reachable(model, *, stop_at, seen=None):
    """Models reachable from ``model`` through its own relations (forward keys and reverse ones),
    not walking through ``stop_at`` (a group such as the round, which many people share)."""
    seen = seen if seen is not None else set()
    for field in model._meta.get_fields():
        if not field.is_relation or field.related_model is None:
            continue
        related = field.related_model
        label = related._meta.label
        if label in seen or label in stop_at:
            continue
        seen.add(label)
        _reachable(related, stop_at=stop_at, seen=seen)
    return seen


def test_an_anonymous_response_has_no_join_path_to_an_invitation_or_a_person():
    # Its own fields: no key to an invitation or person, a random key, no time finer than a date.
    relations = {f.name: f.related_model._meta.label for f in Response._meta.get_fields() if f.is_relation}
    assert relations == {
        "answers": "feedback.Answer", "round": "feedback.Round", "school": "district.School",
        "officer": "officers.Officer",
    }  # fmt: skip
    assert Response._meta.pk.get_internal_type() == "UUIDField"
    assert not [f for f in Response._meta.get_fields() if f.get_internal_type() == "DateTimeField"]
    # Following the answer's relations (but not through the shared round, school or officer, or the
    # survey's questions that every respondent shares) reaches no invitation and no person.
    stop_at = {
        "feedback.Round",
        "district.School",
        "officers.Officer",
        "feedback.Question",
        "feedback.Choice",
    }
    reachable = _reachable(Response, stop_at=stop_at)
    assert reachable & PEOPLE_MODELS == set()
    # And an invitation keeps no time of answering to match against a response.
    assert not {f.name for f in Invitation._meta.get_fields()} & {"answered_at", "answered_on", "updated_at"}
    assert apps.get_model("feedback", "Answer")._meta.get_field("response").related_model is Response


def test_an_anonymous_answer_keeps_neither_email_nor_date(round, survey):
    _invitation, token = invitation_with_token(round=round, email="teacher@district.example")
    stored = response_submit(token=token, answers=answers_for(survey), language="en")
    stored.refresh_from_db()
    assert stored.respondent_email == "" and stored.submitted_on is None


def test_a_named_round_keeps_who_answered_and_the_day(round, survey, coordinator, school):
    named = open_round(
        campaign=campaign_for(survey=survey, created_by=coordinator, schools=[school], anonymous=False)
    )
    _invitation, token = invitation_with_token(round=named, email="teacher@district.example")
    stored = response_submit(token=token, answers=answers_for(survey), language="en")
    assert (
        stored.respondent_email == "teacher@district.example" and stored.submitted_on == timezone.localdate()
    )
