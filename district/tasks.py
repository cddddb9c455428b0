"""Celery tasks of the district app. Each takes ids and calls one service; each is safe to run twice."""

from celery import shared_task

from sro_program.celery import SAFE_TO_REPEAT

from .services import roster_import as roster_import_services


@shared_task(name="district.tasks.roster_import_process", ignore_result=True, **SAFE_TO_REPEAT)
def roster_import_process(roster_import_id: int) -> None:
    """Carry out an import; a second run finds it already claimed and does nothing."""
    roster_import_services.roster_import_run(roster_import_id=roster_import_id)


@shared_task(name="district.tasks.roster_imports_resume", ignore_result=True, **SAFE_TO_REPEAT)
def roster_imports_resume() -> None:
    """Beat's sweep: queue again the imports whose task message was lost, close the ones whose
    worker vanished mid-run, and delete any upload that outlived its import."""
    roster_import_services.roster_imports_requeue()
    roster_import_services.roster_imports_fail_abandoned()
    roster_import_services.roster_uploads_purge()
