"""Officers' Celery tasks: thin, take ids, call the training services."""

from celery import shared_task

from officers.services import training as training_services
from sro_program.celery import SAFE_TO_REPEAT


@shared_task(name="officers.tasks.training_warnings_dispatch", ignore_result=True, **SAFE_TO_REPEAT)
def training_warnings_dispatch() -> int:
    """Daily: claim the expiry warnings due today and queue one send per unsent warning."""
    warning_ids = training_services.training_warnings_claim_due()
    for warning_id in warning_ids:
        training_warning_send.delay(warning_id)
    return len(warning_ids)


@shared_task(name="officers.tasks.training_warning_send", ignore_result=True, **SAFE_TO_REPEAT)
def training_warning_send(warning_id: int) -> bool:
    """Send one claimed warning; a second call for the same warning sends nothing."""
    return training_services.training_warning_send(warning_id=warning_id)
