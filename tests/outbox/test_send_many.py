"""Queueing and sending many emails at once: one insert (a key already queued is skipped), one
claim per batch (a second worker with the same batch sends nothing), one SMTP connection."""

from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends import locmem

from outbox import services
from outbox.models import EmailStatus, OutboundEmail
from tests.threads import at_once


def drafts(n, prefix="bulk"):
    return [
        {"key": f"{prefix}:{i}", "to": [f"p{i}@district.example"], "subject": "Hi", "body": "Body"}
        for i in range(n)
    ]


@pytest.mark.django_db
def test_queueing_many_skips_keys_already_queued_and_sends_each_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.emails_queue_many(emails=drafts(3))
    with django_capture_on_commit_callbacks(execute=True):
        second = services.emails_queue_many(emails=drafts(5))
    assert len(first) == 3 and len(second) == 2
    assert len(mail.outbox) == 5 and OutboundEmail.objects.filter(status=EmailStatus.SENT).count() == 5
    assert services.emails_send_many(email_ids=first + second) == 0  # a repeated batch sends nothing


class CountingBackend(locmem.EmailBackend):
    """The test backend, counting the connections made (one per instance)."""

    made = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        type(self).made += 1


@pytest.mark.django_db
def test_a_batch_is_sent_over_one_connection(settings):
    settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
    CountingBackend.made = 0
    with mock.patch.object(services, "queue_on_commit"):
        ids = services.emails_queue_many(emails=drafts(5))
    assert services.emails_send_many(email_ids=ids) == 5
    assert CountingBackend.made == 1 and len(mail.outbox) == 5


@pytest.mark.django_db
def test_an_email_with_no_recipient_is_refused():
    with pytest.raises(ValueError):
        services.emails_queue_many(emails=[{"key": "x", "to": [""], "subject": "s", "body": "b"}])


@pytest.mark.django_db
def test_a_failing_email_goes_back_to_due_and_the_rest_of_the_batch_is_sent():
    ids = services.emails_queue_many(emails=drafts(3))
    real_send = services.EmailMultiAlternatives.send

    def send(message, fail_silently=False):
        if message.to == ["p1@district.example"]:
            raise ConnectionError("the server hung up")
        return real_send(message, fail_silently=fail_silently)

    with mock.patch.object(services.EmailMultiAlternatives, "send", send):
        assert services.emails_send_many(email_ids=ids) == 2
    failed = OutboundEmail.objects.get(key="bulk:1")
    assert failed.status == EmailStatus.DUE and failed.attempts == 1 and "hung up" in failed.last_error
    assert failed.next_attempt_at > failed.created_at


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_with_the_same_batch_send_it_once():
    with mock.patch.object(services, "queue_on_commit"):  # the workers below send, not the queueing
        ids = services.emails_queue_many(emails=drafts(20))
    results = at_once(lambda: services.emails_send_many(email_ids=ids), workers=3)
    assert sum(results) == 20 and len(mail.outbox) == 20
