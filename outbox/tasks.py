"""Outbox tasks: thin, take ids, call one service."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings

from sro_program.celery import SAFE_TO_REPEAT

from . import services

# The send's own failures (the server refused, the network broke) are retried on the same
# schedule as the row's next_attempt_at, without jitter, so the retry finds the row due.
# SMTPException and ConnectionError are OSErrors; they are named for the reader.
EMAIL_SEND_OPTIONS = {
    **SAFE_TO_REPEAT,
    "autoretry_for": (*SAFE_TO_REPEAT["autoretry_for"], SMTPException, ConnectionError, OSError),
    "retry_backoff": settings.OUTBOX_RETRY_BACKOFF_SECONDS,
    "retry_backoff_max": settings.OUTBOX_RETRY_BACKOFF_MAX_SECONDS,
    "retry_jitter": False,
    "max_retries": settings.OUTBOX_MAX_ATTEMPTS - 1,
}


@shared_task(name="outbox.tasks.email_send", ignore_result=True, **EMAIL_SEND_OPTIONS)
def email_send(email_id: int) -> bool:
    """Send one queued email; a second run finds it claimed or sent and sends nothing."""
    return services.email_send(email_id=email_id)


@shared_task(name="outbox.tasks.emails_dispatch", ignore_result=True, **SAFE_TO_REPEAT)
def emails_dispatch() -> int:
    """Beat, every minute: release dead workers' claims and queue a send for each due email."""
    return services.emails_dispatch()


@shared_task(name="outbox.tasks.emails_send_many", ignore_result=True, **SAFE_TO_REPEAT)
def emails_send_many(email_ids: list[int]) -> int:
    """Send a batch of queued emails; each is claimed alone, so a repeated batch sends nothing twice."""
    return services.emails_send_many(email_ids=email_ids)
