"""``python -m bench.feedback``: a survey round of 10,000 invitations sent by a real Celery worker
to a local SMTP server (counted there: every email once, none twice), and the respondent's page
timed (render and save, 95th percentile). On a throwaway PostgreSQL database; Redis from REDIS_URL.

    python -m bench.feedback [--people 10000] [--answers 200] [--concurrency 2]
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Counting:
    def __init__(self):
        self.by_recipient = collections.Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.by_recipient[recipient] += 1
        return "250 OK"

    @property
    def total(self) -> int:
        with self.lock:
            return sum(self.by_recipient.values())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _audience(people: int):
    """A school with ``people`` staff who have an email address, and a campaign asking them."""
    from district.models import School, Staff
    from district.roles import Role
    from feedback.models import Campaign
    from feedback.services.surveys import surveys_default_install
    from tests.district.factories import UserFactory

    school = School.objects.create(code="BENCH", name="Bench High School", level="high")
    Staff.objects.bulk_create(
        Staff(
            sourced_id=f"bench-{n}",
            given_name="Staff",
            family_name=f"No. {n}",
            email=f"staff{n}@bench.example",
        )
        for n in range(people)
    )
    through = Staff.schools.through
    through.objects.bulk_create(
        through(staff_id=pk, school_id=school.pk) for pk in Staff.objects.values_list("pk", flat=True)
    )
    surveys = {survey.audience: survey for survey in surveys_default_install()}
    coordinator = UserFactory(username="bench-coordinator", roles=[Role.COORDINATOR])
    campaign = Campaign.objects.create(
        title="Bench staff survey", survey=surveys["staff"], created_by=coordinator
    )
    campaign.schools.add(school)
    return campaign


def _answers_for(survey) -> dict:
    """Form data answering every question of ``survey`` (the last option of each choice)."""
    from feedback.models import QuestionKind
    from feedback.services.responses import field_name

    data = {"language": "en"}
    for question in survey.questions.prefetch_related("choices"):
        name = field_name(question)
        if question.kind == QuestionKind.SCALE:
            data[name] = "4"
        elif question.kind == QuestionKind.YES_NO:
            data[name] = "yes"
        elif question.kind == QuestionKind.TEXT:
            data[name] = "Fine."
        else:
            data[name] = str(list(question.choices.all())[-1].pk)
    return data


def _respondent_times(answers: int, survey) -> tuple[list[float], list[float]]:
    """GET and POST of the respondent's page through links read from the sent emails, in ms."""
    from django.test import Client

    from outbox.models import OutboundEmail

    client, data = Client(), _answers_for(survey)
    gets, posts = [], []
    for body in OutboundEmail.objects.order_by("pk").values_list("body", flat=True)[:answers]:
        path = re.search(r"https?://[^/]+(/feedback/answer/[\w-]+/)", body).group(1)
        start = time.perf_counter()
        page = client.get(path)
        gets.append((time.perf_counter() - start) * 1000)
        assert page.status_code == 200, page.status_code
        start = time.perf_counter()
        response = client.post(path, data)
        posts.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 302, response.status_code
    return gets, posts


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10000)
    parser.add_argument("--answers", type=int, default=200, help="respondent pages timed")
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes")
    args = parser.parse_args()

    os.environ["DJANGO_SETTINGS_MODULE"] = "sro_program.settings.test"
    import django

    django.setup()
    from aiosmtpd.controller import Controller
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    settings.ALLOWED_HOSTS = ["*"]
    config = setup_databases(verbosity=0, interactive=False)
    handler, port = Counting(), _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    worker = None
    try:
        from feedback.models import Invitation, Round
        from feedback.services.rounds import round_open
        from sro_program.celery import app

        app.conf.task_always_eager = False
        app.control.purge()
        campaign = _audience(args.people)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.feedback.worker_settings",
            "TEST_SMTP_PORT": str(port),
            "TEST_DATABASE_NAME": connection.settings_dict["NAME"],
        }
        command = [sys.executable, "-m", "celery", "-A", "sro_program", "worker", "--pool=prefork"]
        command += [f"--concurrency={args.concurrency}", "--without-heartbeat", "--without-mingle"]
        command += ["--without-gossip", "--loglevel=WARNING"]
        worker = subprocess.Popen(command, cwd=ROOT, env=env)
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=0.5):
            if time.monotonic() > deadline:
                raise SystemExit("the worker did not start")
        round = Round.objects.create(campaign=campaign, opens_on=campaign.starts_on)
        start = time.perf_counter()
        round_open(round_id=round.pk)
        invited_after = None
        while handler.total < args.people and time.perf_counter() - start < 600:
            if invited_after is None and Round.objects.filter(pk=round.pk, invited_at__isnull=False).exists():
                invited_after = time.perf_counter() - start
            time.sleep(0.2)
        sent_after = time.perf_counter() - start
        delivered, repeats = handler.total, sum(1 for n in handler.by_recipient.values() if n > 1)
        gets, posts = _respondent_times(args.answers, campaign.survey)
        invited = Invitation.objects.count()
        rows = [
            (f"invitations written, emails queued ({invited:,})", f"{invited_after or 0:.1f} s"),
            (f"delivered by the worker to SMTP ({delivered:,} of {args.people:,})", f"{sent_after:.1f} s"),
            ("addresses that received a second copy", f"{repeats}"),
            (f"respondent page GET, p95 of {len(gets)}", f"{p95(gets):.0f} ms"),
            (f"respondent page POST, p95 of {len(posts)}", f"{p95(posts):.0f} ms"),
        ]
        width = max(len(label) for label, _ in rows)
        for label, value in rows:
            print(f"{label.ljust(width)}  {value}")
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        controller.stop()
        from sro_program.celery import app

        app.control.purge()
        connection.close()
        teardown_databases(config, verbosity=0)


if __name__ == "__main__":
    main()
