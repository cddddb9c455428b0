"""The reports app's Celery tasks: thin, calling one service each."""

from celery import shared_task

from reports.services import summary
from sro_program.celery import SAFE_TO_REPEAT


@shared_task(name="reports.tasks.summary_rebuild", ignore_result=True, **SAFE_TO_REPEAT)
def summary_rebuild() -> int:
    """Rebuild the interaction summary from the logs (on demand: the triggers keep it current)."""
    return summary.summary_rebuild()
