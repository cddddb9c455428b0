"""Every Celery task is safe to repeat, so each is acknowledged late and retried with capped backoff."""

import pytest
from django.db import OperationalError

from district import tasks as district_tasks
from officers import tasks as officers_tasks
from sro_program.celery import app

TASKS = [
    district_tasks.roster_import_process,
    district_tasks.roster_imports_resume,
    officers_tasks.training_warnings_dispatch,
    officers_tasks.training_warning_send,
]


@pytest.mark.parametrize("task", TASKS, ids=lambda task: task.name)
def test_task_is_acknowledged_late_and_retried_with_capped_backoff(task):
    assert task.acks_late is True
    assert OperationalError in task.autoretry_for
    assert task.retry_backoff and task.retry_backoff_max == 300
    assert task.max_retries == 5


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
