"""The outbox's services in one transaction per test: queue once, send after the commit, retry, release,
fail, dispatch. Races with real commits are in test_concurrency.py."""

import datetime
import logging
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from outbox import services
from outbox.models import EmailStatus, OutboundEmail
from tests.outbox.factories import OutboundEmailFactory

pytestmark = pytest.mark.django_db

TIMEOUT = datetime.timedelta(seconds=600)


def _queue(key="agreement:7:principal", to=("principal@district.example",), **extra):
    return services.email_queue(key=key, to=list(to), subject="Please sign", body="The agreement.", **extra)


def _failing_first(times, error=SMTPServerDisconnected("Connection unexpectedly closed")):
    """The locmem backend's send, failing the first ``times`` calls."""
    real = EmailBackend.send_messages
    calls = []

    def send_messages(self, messages):
        calls.append(messages)
        if len(calls) <= times:
            raise error
        return real(self, messages)

    return mock.patch.object(EmailBackend, "send_messages", send_messages)


def _time_passes(email, seconds=3600):
    """Move an email's schedule into the past, as if ``seconds`` went by."""
    OutboundEmail.objects.filter(pk=email.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=seconds)
    )


# --- queueing -----------------------------------------------------------------------------------


def test_queueing_twice_with_one_key_makes_one_row_and_sends_one_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = _queue()
        second = _queue(to=["someone.else@district.example"])
    assert second.pk == first.pk
    assert OutboundEmail.objects.count() == 1
    assert len(callbacks) == 1, "the second queue queues no send"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["principal@district.example"]
    assert OutboundEmail.objects.get().status == EmailStatus.SENT


def test_nothing_is_sent_before_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = _queue()
        assert mail.outbox == []
    assert mail.outbox == []
    for callback in callbacks:
        callback()  # the commit
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 1 and email.sent_at is not None


def test_a_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        _queue()
        raise RuntimeError("the caller's work failed")
    assert mail.outbox == []
    assert not OutboundEmail.objects.exists()


def test_an_email_needs_a_recipient():
    with pytest.raises(ValueError, match="no recipients"):
        _queue(to=["", ""])
    assert not OutboundEmail.objects.exists()


def test_the_message_carries_the_html_body_and_the_same_message_id_on_every_attempt(
    django_capture_on_commit_callbacks, tasks_retry_as_on_a_worker
):
    with (
        override_settings(OUTBOX_RETRY_BACKOFF_SECONDS=0),
        _failing_first(1),
        django_capture_on_commit_callbacks(execute=True),
    ):
        email = _queue(html_body="<p>The agreement.</p>")
    (message,) = mail.outbox
    assert message.alternatives[0].content == "<p>The agreement.</p>"
    assert message.extra_headers["Message-ID"] == services.message_id(email)
    assert services.message_id(email) == services.message_id(OutboundEmail.objects.get(pk=email.pk))


# --- retries ------------------------------------------------------------------------------------


@override_settings(OUTBOX_RETRY_BACKOFF_SECONDS=0)
def test_a_send_that_raises_is_retried_by_the_task_and_then_sent_once(
    django_capture_on_commit_callbacks, tasks_retry_as_on_a_worker
):
    with _failing_first(1), django_capture_on_commit_callbacks(execute=True):
        email = _queue()
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert email.attempts == 2
    assert email.last_error == ""


def test_a_failed_send_waits_for_its_backoff_then_is_sent_once():
    email = OutboundEmailFactory()
    with _failing_first(1), pytest.raises(SMTPServerDisconnected):
        services.email_send(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == EmailStatus.DUE and email.attempts == 1
    assert email.next_attempt_at > timezone.now() + datetime.timedelta(seconds=50)
    assert "SMTPServerDisconnected" in email.last_error

    assert services.email_send(email_id=email.pk) is False, "not before the backoff has passed"
    assert mail.outbox == []
    _time_passes(email)
    assert services.email_send(email_id=email.pk) is True
    assert services.email_send(email_id=email.pk) is False
    assert len(mail.outbox) == 1


def test_the_backoff_doubles_and_is_capped():
    delays = [services.retry_delay(attempts=n).total_seconds() for n in range(1, 9)]
    assert delays == [60, 120, 240, 480, 960, 1920, 3600, 3600]


@override_settings(OUTBOX_RETRY_BACKOFF_SECONDS=0, OUTBOX_MAX_ATTEMPTS=3)
def test_after_the_last_attempt_the_email_is_failed_and_logged(
    django_capture_on_commit_callbacks, tasks_retry_as_on_a_worker, caplog
):
    with (
        _failing_first(99),
        caplog.at_level(logging.ERROR, logger="outbox.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        email = _queue()
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    assert email.attempts == 3
    assert "SMTPServerDisconnected" in email.last_error
    assert "failed after 3 attempts" in caplog.text
    assert mail.outbox == []
    # Nothing picks a failed email up again.
    assert services.emails_dispatch(now=timezone.now() + datetime.timedelta(days=1)) == 0
    assert services.email_send(email_id=email.pk) is False
    assert mail.outbox == []


# --- a worker that dies ---------------------------------------------------------------------------


def test_a_worker_killed_after_claiming_neither_loses_the_email_nor_sends_it_twice(
    django_capture_on_commit_callbacks,
):
    email = OutboundEmailFactory()
    # The claim is made, then the process dies before the message leaves (no except clause runs).
    with mock.patch.object(EmailBackend, "send_messages", side_effect=SystemExit), pytest.raises(SystemExit):
        services.email_send(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == EmailStatus.SENDING and email.attempts == 1

    # Another worker, or the task's redelivery, finds it claimed: not sent twice.
    assert services.email_send(email_id=email.pk) is False
    # Until the claim times out, the dispatcher leaves it alone.
    later = email.claimed_at + TIMEOUT - datetime.timedelta(seconds=1)
    assert services.emails_release_stale(now=later) == 0
    assert mail.outbox == []

    # After the timeout it is released and sent, once.
    after_timeout = email.claimed_at + TIMEOUT + datetime.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=after_timeout):
        assert services.emails_release_stale() == 1
        email.refresh_from_db()
        assert email.status == EmailStatus.DUE and email.claimed_at is None
        assert services.email_send(email_id=email.pk) is True
        assert services.email_send(email_id=email.pk) is False
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 2


@override_settings(OUTBOX_MAX_ATTEMPTS=2)
def test_a_stale_claim_on_the_last_attempt_is_failed_not_released(caplog):
    old = timezone.now() - TIMEOUT - datetime.timedelta(minutes=1)
    email = OutboundEmailFactory(status=EmailStatus.SENDING, claimed_at=old, attempts=2)
    with caplog.at_level(logging.ERROR, logger="outbox.services"):
        assert services.emails_release_stale() == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    assert "worker stopped" in caplog.text


# --- the dispatcher -----------------------------------------------------------------------------


def test_the_dispatcher_queues_a_send_for_each_due_email_and_releases_stale_claims(
    django_capture_on_commit_callbacks,
):
    now = timezone.now()
    minutes = lambda n: now - datetime.timedelta(minutes=n)  # noqa: E731
    lost = OutboundEmailFactory(key="lost", next_attempt_at=minutes(5))  # its task message was lost
    retry_due = OutboundEmailFactory(key="retry", next_attempt_at=minutes(2), attempts=1)
    fresh = OutboundEmailFactory(key="fresh", next_attempt_at=now)  # its own task is on the way
    later = OutboundEmailFactory(key="later", next_attempt_at=now + datetime.timedelta(hours=1))
    stale = OutboundEmailFactory(key="stale", status=EmailStatus.SENDING, claimed_at=minutes(11), attempts=1)
    OutboundEmailFactory(key="sent", status=EmailStatus.SENT, next_attempt_at=minutes(60))
    OutboundEmailFactory(key="failed", status=EmailStatus.FAILED, next_attempt_at=minutes(60))
    OutboundEmailFactory(key="cancelled", status=EmailStatus.CANCELLED, next_attempt_at=minutes(60))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.emails_dispatch(now=now) == 2
    assert len(callbacks) == 2
    assert sorted(m.subject for m in mail.outbox) == ["Agreement ready to sign"] * 2
    statuses = dict(OutboundEmail.objects.values_list("key", "status"))
    assert statuses[lost.key] == statuses[retry_due.key] == EmailStatus.SENT
    assert statuses[fresh.key] == statuses[later.key] == EmailStatus.DUE
    assert statuses[stale.key] == EmailStatus.DUE, "released"

    # A minute on, the released claim and the fresh email whose task never came are sent too.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.emails_dispatch(now=now + datetime.timedelta(minutes=1, seconds=1)) == 2
    assert len(mail.outbox) == 4
    assert OutboundEmail.objects.get(key=later.key).status == EmailStatus.DUE


def test_the_dispatcher_queues_a_bounded_batch_oldest_first(django_capture_on_commit_callbacks):
    old = timezone.now() - datetime.timedelta(hours=1)
    emails = [
        OutboundEmailFactory(next_attempt_at=old + datetime.timedelta(seconds=n))
        for n in range(services.DISPATCH_BATCH + 1)
    ]
    with mock.patch("outbox.services.queue_on_commit") as queue:
        assert services.emails_dispatch() == services.DISPATCH_BATCH
    queued = [call.args[1] for call in queue.call_args_list]
    assert queued == [email.pk for email in emails[: services.DISPATCH_BATCH]]


# --- cancelling ---------------------------------------------------------------------------------


def test_cancelling_withdraws_only_the_unclaimed_emails_under_the_prefix():
    due = OutboundEmailFactory(key="training-warning:4:officer")
    sending = OutboundEmailFactory(key="training-warning:4:user-1", status=EmailStatus.SENDING)
    other = OutboundEmailFactory(key="training-warning:42:officer")
    assert services.emails_cancel(key_prefix="training-warning:4:") == 1
    statuses = dict(OutboundEmail.objects.values_list("key", "status"))
    assert statuses[due.key] == EmailStatus.CANCELLED
    assert statuses[sending.key] == EmailStatus.SENDING
    assert statuses[other.key] == EmailStatus.DUE
    assert services.email_send(email_id=due.pk) is False
    assert mail.outbox == []
