"""The incidents app's Celery tasks: thin, calling one service each."""

from celery import shared_task

from incidents.services import cases as case_services
from sro_program.celery import SAFE_TO_REPEAT


@shared_task(name="incidents.tasks.follow_ups_remind_overdue", ignore_result=True, **SAFE_TO_REPEAT)
def follow_ups_remind_overdue() -> int:
    """Daily: remind each owner of an overdue follow-up, once."""
    return case_services.follow_ups_remind_overdue()
