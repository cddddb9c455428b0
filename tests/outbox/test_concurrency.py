"""The outbox with real commits: each thread has its own connection, so a claim is a committed row that
another worker sees (or waits for), exactly as between two Celery workers."""

import datetime
import time
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from django.core import mail
from django.db import OperationalError, transaction
from django.utils import timezone

from outbox import services
from outbox.models import EmailStatus, OutboundEmail
from tests.outbox.factories import OutboundEmailFactory
from tests.threads import at_once

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _slow_send(sent):
    def send(message, fail_silently=False):
        sent.append(message.to)
        time.sleep(0.5)  # hold the claim while the other worker tries
        return 1

    return send


def test_two_workers_racing_on_one_email_send_it_once():
    email = OutboundEmailFactory()
    sent = []
    with mock.patch("django.core.mail.EmailMessage.send", _slow_send(sent)):
        results = at_once(lambda: services.email_send(email_id=email.pk), workers=3)
    assert sorted(results) == [False, False, True]
    assert len(sent) == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 1


def test_the_email_leaves_only_after_the_callers_commit():
    with transaction.atomic():
        services.email_queue(key="invite:1", to=["new.user@district.example"], subject="Welcome", body="Hi")
        assert mail.outbox == []
        # Not committed: another connection (a worker) cannot see the row, let alone claim it.
        assert at_once(lambda: OutboundEmail.objects.filter(key="invite:1").exists(), workers=1) == [False]
    assert len(mail.outbox) == 1
    assert OutboundEmail.objects.get(key="invite:1").status == EmailStatus.SENT


def test_a_rolled_back_caller_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        services.email_queue(key="invite:2", to=["new.user@district.example"], subject="Welcome", body="Hi")
        raise RuntimeError("the invitation could not be saved")
    assert mail.outbox == []
    assert not OutboundEmail.objects.exists()


def test_a_killed_worker_is_released_after_the_timeout_and_its_email_sent_once():
    email = OutboundEmailFactory()
    # The claim commits, then the worker's process dies before sending.
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=SystemExit), pytest.raises(SystemExit):
        services.email_send(email_id=email.pk)
    claimed = OutboundEmail.objects.get(pk=email.pk)
    assert claimed.status == EmailStatus.SENDING

    # The task is redelivered to two workers at once before the timeout: both find it claimed.
    assert at_once(lambda: services.email_send(email_id=email.pk)) == [False, False]
    assert mail.outbox == []

    # Past the timeout, two dispatchers run at once: it is released and sent exactly once.
    after = claimed.claimed_at + datetime.timedelta(seconds=601)
    sent = []
    with (
        mock.patch("django.utils.timezone.now", return_value=after),
        mock.patch("django.core.mail.EmailMessage.send", _slow_send(sent)),
    ):
        at_once(services.emails_release_stale)
        at_once(lambda: services.email_send(email_id=email.pk))
    assert len(sent) == 1
    assert OutboundEmail.objects.get(pk=email.pk).status == EmailStatus.SENT


def test_a_failed_send_commits_its_new_schedule_for_the_next_worker():
    email = OutboundEmailFactory()
    with (
        mock.patch("django.core.mail.EmailMessage.send", side_effect=SMTPServerDisconnected),
        pytest.raises(SMTPServerDisconnected),
    ):
        services.email_send(email_id=email.pk)
    # Seen from another connection: due again, later, with the error recorded.
    (row,) = at_once(lambda: OutboundEmail.objects.values().get(pk=email.pk), workers=1)
    assert row["status"] == EmailStatus.DUE and row["attempts"] == 1
    assert row["next_attempt_at"] > timezone.now()
    assert "SMTPServerDisconnected" in row["last_error"]


def test_marking_sent_survives_a_dropped_database_connection():
    email = OutboundEmailFactory()
    real_mark = services._mark_sent_once
    dropped = []

    def mark(email_id):
        if not dropped:
            dropped.append(True)
            raise OperationalError("server closed the connection unexpectedly")
        return real_mark(email_id)

    with mock.patch.object(services, "_mark_sent_once", mark), mock.patch("outbox.services.time.sleep"):
        assert services.email_send(email_id=email.pk) is True
    assert dropped
    assert len(mail.outbox) == 1
    assert OutboundEmail.objects.get(pk=email.pk).status == EmailStatus.SENT
