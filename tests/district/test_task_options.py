"""Every Celery task is safe to repeat, so each is acknowledged late and retried with capped backoff."""

from smtplib import SMTPException

import pytest
from django.db import OperationalError

from agreements import tasks as agreements_tasks
from district import tasks as district_tasks
from feedback import tasks as feedback_tasks
from incidents import tasks as incidents_tasks
from officers import tasks as officers_tasks
from outbox import services as outbox_services
from outbox import tasks as outbox_tasks
from reports import tasks as reports_tasks
from sro_program.celery import app

TASKS = [
    agreements_tasks.acknowledgement_reminders_send,
    agreements_tasks.acknowledgement_reminders_dispatch,
    agreements_tasks.agreement_reviews_dispatch,
    agreements_tasks.action_items_overdue_dispatch,
    district_tasks.roster_import_process,
    district_tasks.roster_imports_resume,
    incidents_tasks.follow_ups_remind_overdue,
    officers_tasks.training_warnings_dispatch,
    outbox_tasks.email_send,
    outbox_tasks.emails_dispatch,
    outbox_tasks.emails_send_many,
    feedback_tasks.rounds_dispatch,
    feedback_tasks.round_invite,
    feedback_tasks.round_remind,
    reports_tasks.summary_rebuild,
    reports_tasks.report_pdf_build,
]


@pytest.mark.parametrize("task", TASKS, ids=lambda task: task.name)
def test_task_is_acknowledged_late_and_retried_with_capped_backoff(task):
    assert task.acks_late is True
    assert OperationalError in task.autoretry_for
    assert task.retry_backoff and task.retry_backoff_max
    assert task.max_retries


def test_the_email_send_is_retried_on_the_schedule_of_its_row():
    task = outbox_tasks.email_send
    assert {SMTPException, ConnectionError, OSError} <= set(task.autoretry_for)
    # Without jitter, Celery's countdown after the n-th failure equals the row's own backoff, so the
    # retry arrives when the row is due again.
    assert task.retry_jitter is False
    for retries in range(8):
        countdown = min(task.retry_backoff_max, task.retry_backoff * 2**retries)
        assert countdown == outbox_services.retry_delay(attempts=retries + 1).total_seconds()
    assert task.max_retries == 7  # eight attempts in all, as the row counts them


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks, entry["task"]


@pytest.mark.django_db
def test_queue_on_commit_runs_the_registered_task_after_the_commit(
    django_capture_on_commit_callbacks, monkeypatch
):
    from sro_program.celery import queue_on_commit

    seen = []
    services = district_tasks.roster_import_services
    monkeypatch.setattr(services, "roster_imports_requeue", lambda: seen.append("requeue"))
    monkeypatch.setattr(services, "roster_imports_fail_abandoned", lambda: seen.append("fail"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_on_commit("district.tasks.roster_imports_resume")
    assert seen == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert seen == ["requeue", "fail"]
