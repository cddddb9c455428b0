"""The reports app's Celery tasks: thin, take ids, call one service each."""

from celery import shared_task

from reports.services import annual, summary
from sro_program.celery import SAFE_TO_REPEAT


@shared_task(name="reports.tasks.summary_rebuild", ignore_result=True, **SAFE_TO_REPEAT)
def summary_rebuild() -> int:
    """Rebuild the interaction summary from the logs (on demand: the triggers keep it current)."""
    return summary.summary_rebuild()


@shared_task(name="reports.tasks.report_pdf_build", ignore_result=True, **SAFE_TO_REPEAT)
def report_pdf_build(build_id: int) -> bool:
    """Draw an annual report's PDF, once, for the build row the request claimed."""
    return annual.report_pdf_build(build_id=build_id)
