"""A real Celery worker (two threads) against Redis delivers a round's invitations to a real SMTP
server started here; then every task is repeated, and the server still counts each email once."""

from __future__ import annotations

import collections
import os
import socket
import subprocess
import sys
import threading
import time
from email import message_from_bytes
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from feedback.models import Invitation, Round, RoundStatus
from outbox.models import EmailStatus, OutboundEmail
from sro_program.celery import app
from tests.district.factories import StaffFactory
from tests.feedback.factories import campaign_for

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PEOPLE = 40
ROOT = Path(settings.BASE_DIR)


class Counting:
    """An SMTP handler that counts what it receives: by recipient, and by Message-ID."""

    def __init__(self):
        self.by_recipient = collections.Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = message_from_bytes(envelope.content)
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.by_recipient[recipient] += 1
        assert message["Message-ID"]
        return "250 OK"

    @property
    def total(self) -> int:
        with self.lock:
            return sum(self.by_recipient.values())


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return condition()


@pytest.fixture
def smtp():
    handler = Counting()
    with socket.socket() as probe:  # a free port (the controller checks it by connecting, so not 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = aiosmtpd_controller.Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, controller.port
    controller.stop()


@pytest.fixture
def worker(smtp):
    """A Celery worker process on the test database, sending through the test's SMTP server."""
    _handler, port = smtp
    app.control.purge()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.feedback.worker_settings",
        "TEST_SMTP_PORT": str(port),
        "TEST_DATABASE_NAME": connection.settings_dict["NAME"],
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "sro_program", "worker", "--pool=threads", "--concurrency=2",
         "--without-heartbeat", "--without-mingle", "--without-gossip", "--loglevel=WARNING"],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False  # this process sends tasks through Redis, as the web does
    try:
        assert _wait_for(lambda: bool(app.control.ping(timeout=0.5)), 30), "the worker did not start"
        yield process
    finally:
        app.conf.task_always_eager = eager
        process.terminate()
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        app.control.purge()
        if output and b"Traceback" in output:
            print(output.decode(errors="replace")[-4000:])


def test_a_worker_delivers_every_invitation_once_and_repeats_send_nothing(
    smtp, worker, coordinator, school, survey
):
    handler, _port = smtp
    for n in range(PEOPLE):
        StaffFactory(email=f"teacher{n}@district.example").schools.add(school)
    campaign = campaign_for(survey=survey, created_by=coordinator, schools=[school])
    round = Round.objects.create(campaign=campaign, opens_on=campaign.starts_on)

    from feedback.services.rounds import round_open

    assert round_open(round_id=round.pk)  # commits, then queues the invitations through Redis
    assert _wait_for(lambda: handler.total >= PEOPLE, 90), f"{handler.total} of {PEOPLE} delivered"

    # Repeat everything: the invitation task twice, every send batch again, the outbox dispatcher.
    from feedback.tasks import round_invite
    from outbox.tasks import emails_dispatch, emails_send_many

    round_invite.delay(round.pk)
    round_invite.delay(round.pk)
    emails_send_many.delay(list(OutboundEmail.objects.values_list("pk", flat=True)))
    emails_dispatch.delay()
    time.sleep(5)
    assert _wait_for(lambda: not app.control.inspect(timeout=1).active() or all(
        not tasks for tasks in (app.control.inspect(timeout=1).active() or {}).values()), 30)  # fmt: skip

    assert handler.total == PEOPLE
    assert set(handler.by_recipient.values()) == {1}
    assert Invitation.objects.filter(round=round).count() == PEOPLE
    assert OutboundEmail.objects.filter(status=EmailStatus.SENT).count() == PEOPLE
    assert Round.objects.get(pk=round.pk).status == RoundStatus.OPEN
