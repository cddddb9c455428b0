"""Officers' Celery tasks: thin, take ids, call the training services."""

from celery import shared_task

from officers.services import training as training_services
from sro_program.celery import SAFE_TO_REPEAT


@shared_task(name="officers.tasks.training_warnings_dispatch", ignore_result=True, **SAFE_TO_REPEAT)
def training_warnings_dispatch() -> int:
    """Daily: claim the expiry warnings due today and queue their emails in the outbox."""
    return training_services.training_warnings_dispatch()
