"""Two workers running the expiry-warning dispatcher at the same moment: the database, not luck,
lets only one of them send. These tests commit for real (each thread has its own connection)."""

import datetime
import threading
import time
from unittest import mock

import pytest
from django.db import connection

from officers.models import TrainingExpiryWarning, WarningKind
from officers.services import training as services

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DAY = datetime.date(2026, 11, 2)  # 60 days before the record below expires


def _at_once(work, workers=2):
    """Run ``work`` in several threads released together; each thread closes its own connection."""
    barrier = threading.Barrier(workers)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(work())
        except Exception as error:  # surfaced below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


def _slow_send(sent):
    def send(message, fail_silently=False):
        sent.append(message.subject)
        time.sleep(0.5)  # hold the claim while the other worker tries
        return 1

    return send


def test_two_dispatchers_at_once_send_one_warning(expiring):
    sent = []
    with mock.patch("django.core.mail.EmailMessage.send", _slow_send(sent)):
        results = _at_once(lambda: services.training_warnings_dispatch(today=DAY), workers=3)
    assert sorted(results) == [0, 0, 1]
    assert len(sent) == 1
    warning = TrainingExpiryWarning.objects.get()
    assert warning.days_before == WarningKind.DAYS_60 and warning.sent_at is not None


def test_two_sends_of_one_claimed_warning_at_once_send_once(expiring):
    (warning_id,) = services.training_warnings_claim_due(today=DAY)
    sent = []
    with mock.patch("django.core.mail.EmailMessage.send", _slow_send(sent)):
        results = _at_once(lambda: services.training_warning_send(warning_id=warning_id))
    assert sorted(results) == [False, True]
    assert len(sent) == 1
    # A retry that comes after the first has finished finds it sent.
    assert services.training_warning_send(warning_id=warning_id) is False
    assert len(sent) == 1
