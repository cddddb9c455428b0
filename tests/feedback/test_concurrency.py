"""Real commits in real threads: two submissions of one link at the same moment store one answer,
and an event's shared link never takes more answers than its limit."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from feedback.models import Invitation, InvitationStatus, Response, Round
from feedback.services.campaigns import event_round_create
from feedback.services.responses import LinkUnusable, event_response_submit, event_token, response_submit
from feedback.services.surveys import question_delete, survey_lock_for_round
from tests.feedback.factories import answers_for, invitation_with_token
from tests.threads import at_once

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _outcome(submit):
    try:
        submit()
    except LinkUnusable as unusable:
        return unusable.reason
    return "stored"


def test_two_submissions_of_one_link_at_once_store_one_answer(round, survey):
    invitation, token = invitation_with_token(round=round)
    answers = answers_for(survey)
    results = at_once(
        lambda: _outcome(lambda: response_submit(token=token, answers=answers, language="en")), workers=4
    )
    assert sorted(results) == ["stored", "used", "used", "used"]
    assert Response.objects.count() == 1
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.ANSWERED


def test_an_event_link_takes_no_more_than_its_limit(coordinator, officer, survey):
    round = event_round_create(
        created_by=coordinator, title="Assembly", survey=survey, officer=officer, school=None, max_answers=2,
        closes_at=timezone.now() + datetime.timedelta(hours=1),
    )  # fmt: skip
    token, answers = event_token(round_id=round.pk), answers_for(survey)
    results = at_once(
        lambda: _outcome(lambda: event_response_submit(token=token, answers=answers, language="en")),
        workers=5,
    )
    assert sorted(results) == ["full", "full", "full", "stored", "stored"]
    assert Response.objects.filter(round=round).count() == 2
    assert Round.objects.get(pk=round.pk).answers_count == 2


def test_an_edit_waits_for_a_round_being_created_and_then_refuses(campaign, survey):
    """A round created while an edit is asked for: the edit waits for the round's commit, then finds
    the survey frozen; the question stays."""
    locked, outcome = threading.Event(), []

    def create_round():
        try:
            with transaction.atomic():
                survey_lock_for_round(survey_id=survey.pk)
                Round.objects.create(campaign=campaign, opens_on=timezone.localdate())
                locked.set()
                threading.Event().wait(0.5)  # the edit arrives meanwhile and must wait
        finally:
            connection.close()

    def edit():
        locked.wait(5)
        try:
            question_delete(question=survey.questions.last())
            outcome.append("deleted")
        except ValidationError:
            outcome.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=create_round), threading.Thread(target=edit)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcome == ["refused"]
    assert survey.questions.count() == 5
