"""The Celery app, the options every task shares, and the one place where the periodic schedule is
defined.

Beat only runs dispatchers. What is due (survey rounds, reminders, training warnings, emails) is read from
the apps' own tables, so a restart or a second beat never loses or doubles work.
"""

import logging
import os

from celery import Celery
from celery.schedules import crontab
from django.db import InterfaceError, OperationalError, transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sro_program.settings.local")

logger = logging.getLogger(__name__)

app = Celery("sro_program")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Options for tasks that are safe to repeat: acknowledged late (a worker lost mid-task hands the
# message to another) and retried with capped exponential backoff while the database is away.
SAFE_TO_REPEAT = {
    "acks_late": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


def queue_on_commit(task_name: str, *args, **kwargs) -> None:
    """Queue the task registered as ``task_name`` once the current transaction commits.

    Services queue their tasks through this helper, by name, so that a services module never
    imports its app's tasks module (which imports the services): no import cycle. Robust: with the
    broker down the write still succeeds and the dispatcher that beat runs finds the work later.
    """

    def send() -> None:  # a plain function: robust on_commit logs failures by __qualname__
        if task_name not in app.tasks:  # the first call in a process: find every app's tasks
            app.loader.import_default_modules()
        # The registered task, not send_task: it honours CELERY_TASK_ALWAYS_EAGER in tests.
        app.tasks[task_name].apply_async(args=args, kwargs=kwargs)

    transaction.on_commit(send, robust=True)


app.conf.beat_schedule = {
    "beat-heartbeat": {
        "task": "sro_program.tasks.beat_heartbeat",
        "schedule": 60.0,
    },
    "outbox-dispatch": {
        "task": "outbox.tasks.emails_dispatch",
        "schedule": 60.0,
    },
    "roster-import-sweep": {
        "task": "district.tasks.roster_imports_resume",
        "schedule": crontab(minute="*/5"),
    },
    "feedback-rounds-dispatch": {
        "task": "feedback.tasks.rounds_dispatch",
        "schedule": crontab(minute="*/5"),
    },
    "training-warnings-dispatch": {
        "task": "officers.tasks.training_warnings_dispatch",
        "schedule": crontab(hour=6, minute=15),
    },
    "agreements-acknowledgement-reminders": {
        "task": "agreements.tasks.acknowledgement_reminders_dispatch",
        "schedule": crontab(hour=7, minute=0),
    },
    "agreements-action-items-overdue": {
        "task": "agreements.tasks.action_items_overdue_dispatch",
        "schedule": crontab(hour=7, minute=15),
    },
    "agreements-reviews-dispatch": {
        "task": "agreements.tasks.agreement_reviews_dispatch",
        "schedule": crontab(hour=6, minute=30),
    },
    "follow-ups-remind-overdue": {
        "task": "incidents.tasks.follow_ups_remind_overdue",
        "schedule": crontab(hour=6, minute=45),
    },
}
