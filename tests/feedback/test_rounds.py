"""The round's life with the clock moved: open when due, invite once, remind those who have not
answered, close on time; repeating any step sends nothing twice (the database refuses it)."""

import datetime
import re
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from feedback.models import Invitation, InvitationLink, InvitationStatus, Round, RoundStatus, Schedule
from feedback.schedule import due_opening, opening_dates
from feedback.services import rounds
from feedback.services.responses import response_submit
from outbox.models import OutboundEmail
from tests.feedback.factories import answers_for, campaign_for

pytestmark = pytest.mark.django_db

TZ = timezone.get_current_timezone()


def at(year, month, day, hour=9):
    return datetime.datetime(year, month, day, hour, tzinfo=TZ)


def dispatch(capture, now):
    """Beat at ``now``: the tasks it queues (run eagerly after the commit) see the same clock."""
    with mock.patch("django.utils.timezone.now", return_value=now), capture(execute=True):
        return rounds.rounds_dispatch(now=now)


def tokens_in(message) -> list[str]:
    return re.findall(r"/feedback/answer/([\w-]+)/", message.body)


def test_term_and_quarterly_openings():
    year = {"start": datetime.date(2026, 7, 1), "end": datetime.date(2027, 6, 30), "dates": []}
    assert opening_dates(schedule=Schedule.TERM, **year) == [
        datetime.date(2026, 10, 1),
        datetime.date(2027, 3, 1),
    ]
    assert len(opening_dates(schedule=Schedule.QUARTERLY, **year)) == 4
    chosen = [datetime.date(2026, 9, 9), datetime.date(2025, 1, 1)]
    assert (
        opening_dates(schedule=Schedule.DATES, start=year["start"], end=year["end"], dates=chosen)
        == chosen[:1]
    )


def test_a_window_missed_entirely_is_skipped_not_opened_late():
    kwargs = {"schedule": Schedule.TERM, "dates": [], "starts_on": datetime.date(2026, 1, 1), "open_days": 14}
    assert due_opening(today=datetime.date(2026, 10, 5), **kwargs) == datetime.date(2026, 10, 1)
    assert due_opening(today=datetime.date(2026, 10, 20), **kwargs) is None
    assert due_opening(today=datetime.date(2026, 9, 30), **kwargs) is None


@pytest.fixture
def termly(campaign):
    campaign.schedule = Schedule.DATES
    campaign.dates = [datetime.date(2026, 10, 1)]
    campaign.starts_on = datetime.date(2026, 9, 1)
    campaign.open_days = 14
    campaign.reminders = 2
    campaign.reminder_spacing_days = 4
    campaign.save()
    return campaign


def test_open_invite_remind_close_with_the_clock_moved(
    django_capture_on_commit_callbacks, termly, teachers, settings
):
    settings.SITE_URL = "https://sro.district.example"
    assert dispatch(django_capture_on_commit_callbacks, at(2026, 9, 30))["created"] == 0
    assert not Round.objects.exists()

    dispatch(django_capture_on_commit_callbacks, at(2026, 10, 1))
    round = Round.objects.get()
    assert round.status == RoundStatus.OPEN and round.invited_count == 3
    assert round.closes_at == at(2026, 10, 15, 0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(t.email for t in teachers)
    assert all(m.body.count("https://sro.district.example/feedback/answer/") == 1 for m in mail.outbox)
    assert all("/feedback/opt-out/" in m.body and "/feedback/concerns/new/" in m.body for m in mail.outbox)

    # One teacher answers through the link in their email.
    first = next(m for m in mail.outbox if m.to == [teachers[0].email])
    [token] = tokens_in(first)
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 10, 2)):
        response_submit(token=token, answers=answers_for(termly.survey), language="en")
    mail.outbox.clear()

    dispatch(django_capture_on_commit_callbacks, at(2026, 10, 4))  # before the first reminder
    assert mail.outbox == []
    dispatch(django_capture_on_commit_callbacks, at(2026, 10, 5, 10))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(t.email for t in teachers[1:])
    assert all(m.subject.startswith("Reminder 1:") for m in mail.outbox)
    # The reminder's own link works too (a fresh token; only its hash is stored).
    assert InvitationLink.objects.filter(
        token_hash=InvitationLink.hash_token(tokens_in(mail.outbox[0])[0])
    ).exists()
    mail.outbox.clear()

    dispatch(django_capture_on_commit_callbacks, at(2026, 10, 5, 11))  # a second beat: nothing new
    assert mail.outbox == []
    dispatch(django_capture_on_commit_callbacks, at(2026, 10, 9, 10))
    assert len(mail.outbox) == 2 and all(m.subject.startswith("Reminder 2:") for m in mail.outbox)
    mail.outbox.clear()
    dispatch(django_capture_on_commit_callbacks, at(2026, 10, 14, 10))  # no third reminder
    assert mail.outbox == []

    dispatch(django_capture_on_commit_callbacks, at(2026, 10, 15, 0))
    round.refresh_from_db()
    assert round.status == RoundStatus.CLOSED


def test_repeated_tasks_never_send_a_second_copy(django_capture_on_commit_callbacks, round, teachers):
    for _ in range(3):  # a retried task, a second worker, a restarted beat
        with django_capture_on_commit_callbacks(execute=True):
            rounds.round_invite(round_id=round.pk)
    assert Invitation.objects.filter(round=round).count() == 3
    assert len(mail.outbox) == 3
    Round.objects.filter(pk=round.pk).update(reminders_sent=1)
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            rounds.round_remind(round_id=round.pk, number=1)
    assert len(mail.outbox) == 6
    assert OutboundEmail.objects.count() == 6
    keys = set(OutboundEmail.objects.values_list("key", flat=True))
    assert {k.rsplit(":", 1)[1] for k in keys} == {"invite", "reminder1"}


def test_the_database_refuses_a_second_invitation_or_email_whatever_the_code_path(round, teachers):
    from django.db import IntegrityError, transaction

    Invitation.objects.create(round=round, email="x@district.example")
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(round=round, email="x@district.example")
    OutboundEmail.objects.create(
        key="feedback.invitation:1:invite", recipients=["x@d.example"], subject="s", body="b"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboundEmail.objects.create(
            key="feedback.invitation:1:invite", recipients=["x@d.example"], subject="s", body="b"
        )


def test_only_the_hash_of_the_token_is_stored(django_capture_on_commit_callbacks, round, teachers):
    with django_capture_on_commit_callbacks(execute=True):
        rounds.round_invite(round_id=round.pk)
    token = tokens_in(mail.outbox[0])[0]
    assert len(token) >= 43  # 32 random bytes, url-safe base64: 256 bits
    stored = list(InvitationLink.objects.values_list("token_hash", flat=True))
    assert token not in stored and InvitationLink.hash_token(token) in stored
    # The raw token is nowhere in the database but in the outbox row that carries the email body.
    assert not Invitation.objects.filter(email__contains=token).exists()


def test_an_audience_with_no_addresses_leaves_a_note_and_sends_nothing(
    django_capture_on_commit_callbacks, coordinator, school
):
    from tests.feedback.factories import open_round, survey_with_questions

    campaign = campaign_for(survey=survey_with_questions(), created_by=coordinator, schools=[school])
    round = open_round(campaign=campaign)
    with django_capture_on_commit_callbacks(execute=True):
        assert rounds.round_invite(round_id=round.pk) == 0
    round.refresh_from_db()
    assert round.note == rounds.NO_AUDIENCE and round.invited_at is not None and mail.outbox == []


def test_reminders_skip_those_who_answered(django_capture_on_commit_callbacks, round, teachers):
    with django_capture_on_commit_callbacks(execute=True):
        rounds.round_invite(round_id=round.pk)
    Invitation.objects.filter(email=teachers[0].email).update(status=InvitationStatus.ANSWERED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        rounds.round_remind(round_id=round.pk, number=1)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(t.email for t in teachers[1:])


def test_a_round_opens_once_though_two_dispatchers_run(django_capture_on_commit_callbacks, termly, teachers):
    dispatch(django_capture_on_commit_callbacks, at(2026, 10, 1))
    dispatch(django_capture_on_commit_callbacks, at(2026, 10, 1, 10))
    assert Round.objects.count() == 1 and len(mail.outbox) == 3
