"""Feedback tasks: thin, take ids, call one service; each is safe to repeat."""

from celery import shared_task

from sro_program.celery import SAFE_TO_REPEAT

from .services import rounds


@shared_task(name="feedback.tasks.rounds_dispatch", ignore_result=True, **SAFE_TO_REPEAT)
def rounds_dispatch() -> dict:
    """Beat: open due rounds, queue invitations and due reminders, close rounds whose time is up."""
    return rounds.rounds_dispatch()


@shared_task(name="feedback.tasks.round_invite", ignore_result=True, **SAFE_TO_REPEAT)
def round_invite(round_id: int) -> int:
    """Invite a round's audience in batches; a repeat invites nobody twice."""
    return rounds.round_invite(round_id=round_id)


@shared_task(name="feedback.tasks.round_remind", ignore_result=True, **SAFE_TO_REPEAT)
def round_remind(round_id: int, number: int) -> int:
    """Send reminder ``number`` to those who have not answered; a repeat sends nothing twice."""
    return rounds.round_remind(round_id=round_id, number=number)
