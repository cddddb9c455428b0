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
