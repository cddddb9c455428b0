"""Workers running the expiry-warning dispatcher, and the outbox's sends, at the same moment: the
database, not luck, lets each email go once. These tests commit for real (each thread has its own
connection)."""

import datetime
import time
from unittest import mock

import pytest

from officers.models import TrainingExpiryWarning, WarningKind
from officers.services import training as services
from outbox import services as outbox_services
from outbox.models import EmailStatus, OutboundEmail
from tests.threads import at_once

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DAY = datetime.date(2026, 11, 2)  # 60 days before the record below expires
OFFICER_EMAIL = "deputy@sheriff.example"


def _slow_send(sent):
    def send(message, fail_silently=False):
        sent.append(message.to[0])
        time.sleep(0.5)  # hold the claim while the other worker tries
        return 1

    return send


def test_three_dispatchers_at_once_send_one_email_per_recipient(expiring, coordinator):
    sent = []
    with mock.patch("django.core.mail.EmailMessage.send", _slow_send(sent)):
        results = at_once(lambda: services.training_warnings_dispatch(today=DAY), workers=3)
    assert sorted(results) == [0, 0, 1]
    assert sorted(sent) == sorted([OFFICER_EMAIL, coordinator.email])
    warning = TrainingExpiryWarning.objects.get()
    assert warning.days_before == WarningKind.DAYS_60
    assert OutboundEmail.objects.filter(status=EmailStatus.SENT).count() == 2


def test_two_sends_of_one_queued_warning_at_once_send_once(expiring):
    sent = []
    # The dispatcher's own sends are never queued (a broker outage): the emails wait in the outbox.
    with mock.patch("outbox.services.queue_on_commit"):
        services.training_warnings_dispatch(today=DAY)
    email = OutboundEmail.objects.get(key__endswith=":officer")
    with mock.patch("django.core.mail.EmailMessage.send", _slow_send(sent)):
        results = at_once(lambda: outbox_services.email_send(email_id=email.pk))
        assert sorted(results) == [False, True]
        # A retry that comes after the first has finished finds it sent.
        assert outbox_services.email_send(email_id=email.pk) is False
    assert sent == [OFFICER_EMAIL]
