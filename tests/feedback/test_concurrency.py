"""Real commits in real threads: two submissions of one link at the same moment store one answer,
and an event's shared link never takes more answers than its limit."""

import datetime

import pytest
from django.utils import timezone

from feedback.models import Invitation, InvitationStatus, Response, Round
from feedback.services.campaigns import event_round_create
from feedback.services.responses import LinkUnusable, event_response_submit, event_token, response_submit
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
