"""Agreements' Celery tasks: thin, take ids, call one service."""

from celery import shared_task

from agreements.services import acknowledgements, meetings, reviews
from sro_program.celery import SAFE_TO_REPEAT


@shared_task(name="agreements.tasks.acknowledgement_reminders_send", ignore_result=True, **SAFE_TO_REPEAT)
def acknowledgement_reminders_send(version_id: int) -> int:
    """After a publish: ask everyone who must acknowledge the new version."""
    return acknowledgements.acknowledgement_reminders_send(version_id=version_id)


@shared_task(name="agreements.tasks.acknowledgement_reminders_dispatch", ignore_result=True, **SAFE_TO_REPEAT)
def acknowledgement_reminders_dispatch() -> int:
    """Daily: remind those who have not acknowledged a current statement (once a week each)."""
    return acknowledgements.acknowledgement_reminders_dispatch()


@shared_task(name="agreements.tasks.agreement_reviews_dispatch", ignore_result=True, **SAFE_TO_REPEAT)
def agreement_reviews_dispatch() -> int:
    """Daily: tell the coordinators of reviews due within 60 days, once each."""
    return reviews.agreement_reviews_dispatch()


@shared_task(name="agreements.tasks.action_items_overdue_dispatch", ignore_result=True, **SAFE_TO_REPEAT)
def action_items_overdue_dispatch() -> int:
    """Daily: remind each overdue action item's owner, once."""
    return meetings.action_items_overdue_dispatch()
