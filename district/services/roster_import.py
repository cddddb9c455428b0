"""The OneRoster import's life: keep the upload, queue it, claim it, carry it out, record the outcome."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from district.models import ROSTER_UPLOAD_DIR, ImportStatus, RosterImport, User
from district.oneroster.checking import parse_roster
from district.oneroster.reading import read_roster
from district.oneroster.schema import RosterFileError, RowError
from sro_program.celery import queue_on_commit

from .roster_writing import ExistingRoster, RosterProgress, RosterWriter

logger = logging.getLogger(__name__)

# A pending import older than this has lost its task message (a broker restart, a crashed request).
ROSTER_IMPORT_STALE_AFTER = timedelta(minutes=5)
# An import of 120,000 rows takes well under a minute; one "running" for this long lost its worker.
ROSTER_IMPORT_ABANDONED_AFTER = timedelta(hours=2)
# Serialises imports: two at once would each check the roster against a database the other changes.
_ROSTER_LOCK_KEY = 4_107_226_001
# An upload in storage that no import is waiting for is a leftover, unless it is this young: the
# request that saved it may not have committed its import yet.
ROSTER_UPLOAD_ORPHAN_AFTER = timedelta(hours=1)


def _max_uncompressed_bytes() -> int:
    return settings.SRO_ROSTER_MAX_UNCOMPRESSED_BYTES


def _max_errors_kept() -> int:
    return settings.SRO_ROSTER_MAX_ERRORS_KEPT


def roster_import_create(
    *, uploaded_by: User | None, file: File, original_name: str = "", in_background: bool | None = None
) -> RosterImport:
    """Keep an uploaded OneRoster export until it is imported: now when small, through Celery when large.

    ``in_background=None`` decides by size (``SRO_ROSTER_SYNC_ROW_LIMIT`` rows); the management
    command passes False. Raises ``RosterFileError``, keeping nothing, when the file is not a
    readable export or expands past ``SRO_ROSTER_MAX_UNCOMPRESSED_BYTES``.
    """
    archive = read_roster(file, max_bytes=_max_uncompressed_bytes())
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    roster_import = RosterImport.objects.create(
        uploaded_by=uploaded_by,
        file=file,
        original_name=(original_name or Path(file.name or "").name)[:255],
        size=file.size,
        checksum=digest.hexdigest(),
        mode=archive.mode,
        rows_total=archive.row_count(),
    )
    if in_background is None:
        in_background = roster_import.rows_total > settings.SRO_ROSTER_SYNC_ROW_LIMIT
    if in_background:
        roster_import_queue(roster_import_id=roster_import.pk)
    else:
        roster_import_run(roster_import_id=roster_import.pk)
        roster_import.refresh_from_db()
    return roster_import


def roster_import_queue(*, roster_import_id: int) -> None:
    """Hand the import to a Celery worker once the current transaction commits.

    Robust: with the broker down the upload still succeeds, and the import waits, pending, for the
    resume sweep rather than turning the upload into a server error.
    """
    queue_on_commit("district.tasks.roster_import_process", roster_import_id)


def roster_imports_requeue(*, pending_for: timedelta = ROSTER_IMPORT_STALE_AFTER) -> list[int]:
    """Queue again the imports still waiting after ``pending_for``; a duplicate message is harmless."""
    cutoff = timezone.now() - pending_for
    stale = list(
        RosterImport.objects.filter(status=ImportStatus.PENDING, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    for roster_import_id in stale:
        roster_import_queue(roster_import_id=roster_import_id)
    return stale


def roster_imports_fail_abandoned(*, running_for: timedelta = ROSTER_IMPORT_ABANDONED_AFTER) -> list[int]:
    """Close the imports whose worker vanished mid-run (killed, machine restarted).

    Their one transaction rolled back with the worker, so nothing was written: say so, instead of
    showing them running for ever. A conditional UPDATE, so a run that does finish still wins.
    """
    cutoff = timezone.now() - running_for
    reason = (
        "The worker carrying out this import stopped before it finished, so nothing was written. "
        "Upload the export again."
    )
    abandoned = list(
        RosterImport.objects.filter(status=ImportStatus.RUNNING, started_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    RosterImport.objects.filter(pk__in=abandoned, status=ImportStatus.RUNNING).update(
        status=ImportStatus.FAILED,
        errors=[RowError("", None, "", reason).as_dict()],
        errors_total=1,
        rows_done=0,
        finished_at=timezone.now(),
    )
    _roster_uploads_of_finished_delete(RosterImport.objects.filter(pk__in=abandoned))
    return abandoned


def roster_uploads_purge(*, orphan_after: timedelta = ROSTER_UPLOAD_ORPHAN_AFTER) -> int:
    """Delete the uploads that outlived their import; return how many files were deleted.

    Finished imports lose their file; then any file in the upload folder that no waiting import
    holds goes too (a rolled-back upload, a row deleted by hand). Safe to run at any time.
    """
    deleted = _roster_uploads_of_finished_delete(RosterImport.objects.all())
    storage = RosterImport._meta.get_field("file").storage
    waiting = set(
        RosterImport.objects.exclude(status__in=[ImportStatus.SUCCEEDED, ImportStatus.FAILED])
        .exclude(file="")
        .values_list("file", flat=True)
    )
    cutoff = timezone.now() - orphan_after
    for name in _storage_files(storage, ROSTER_UPLOAD_DIR):
        if name not in waiting and storage.get_modified_time(name) < cutoff:
            deleted += _roster_upload_delete(name)
    return deleted


def _roster_uploads_of_finished_delete(imports) -> int:
    finished = imports.filter(status__in=[ImportStatus.SUCCEEDED, ImportStatus.FAILED]).exclude(file="")
    kept = dict(finished.values_list("pk", "file"))
    deleted = sum(_roster_upload_delete(name) for name in kept.values())
    RosterImport.objects.filter(pk__in=kept).update(file="")
    return deleted


def _roster_upload_delete(name: str) -> int:
    """Delete one kept upload (1), or say why not in the log (0): a finished import never fails on it."""
    storage = RosterImport._meta.get_field("file").storage
    try:
        if not storage.exists(name):
            return 0
        storage.delete(name)
    except OSError:
        logger.exception("The roster upload %s could not be deleted; purge_roster_uploads will retry", name)
        return 0
    return 1


def _storage_files(storage, folder: str):
    """Every file under ``folder`` in ``storage``, however deep."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _storage_files(storage, f"{folder}/{sub}")


def roster_import_run(*, roster_import_id: int) -> bool:
    """Claim a pending import and carry it out: check every row, then write all or nothing.

    The claim is a conditional UPDATE from pending to running, so a second run (a repeated task
    message, the resume sweep) finds nothing to claim and returns False without doing anything.
    """
    claimed = RosterImport.objects.filter(pk=roster_import_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING, started_at=timezone.now(), rows_done=0
    )
    if not claimed:
        return False
    roster_import = RosterImport.objects.select_related("uploaded_by").get(pk=roster_import_id)
    try:
        _roster_import_carry_out(roster_import)
    except Exception:
        # Whatever went wrong, the transaction has rolled back: say so rather than leave it running.
        logger.exception("Roster import %s stopped on an unexpected error", roster_import_id)
        reason = (
            "The import stopped on an unexpected error, so nothing was written. The error has been logged."
        )
        _roster_import_finish(
            roster_import, status=ImportStatus.FAILED, errors=[RowError("", None, "", reason)]
        )
    return True


def _roster_import_carry_out(roster_import: RosterImport) -> None:
    try:
        with roster_import.file.open("rb") as handle:
            archive = read_roster(handle, max_bytes=_max_uncompressed_bytes())
    except RosterFileError as exc:
        error = RowError(roster_import.original_name, None, "", str(exc))
        _roster_import_finish(roster_import, status=ImportStatus.FAILED, errors=[error])
        return
    # Inside an outer transaction (a test, a caller's atomic block) a second connection could not
    # see the import row, so progress then goes through the usual one.
    progress = RosterProgress(
        roster_import_id=roster_import.pk,
        total=roster_import.rows_total,
        own_connection=not transaction.get_connection().in_atomic_block,
    )
    try:
        with transaction.atomic():
            with transaction.get_connection().cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ROSTER_LOCK_KEY])
            existing = ExistingRoster.load()
            today = timezone.localdate()
            roster = parse_roster(archive, known=existing.known(), today=today)
            if roster.errors:
                _roster_import_finish(roster_import, status=ImportStatus.FAILED, errors=roster.errors)
                return
            writer = RosterWriter(
                roster=roster,
                existing=existing,
                progress=progress,
                history_user=roster_import.uploaded_by,
                change_reason=f"OneRoster import {roster_import.pk}",
                demographics_enabled=settings.SRO_DEMOGRAPHICS_ENABLED,
                today=today,
            )
            summary = writer.write()
            summary["mode"] = str(archive.mode)
            _roster_import_finish(roster_import, status=ImportStatus.SUCCEEDED, summary=summary)
    finally:
        progress.close()


def _roster_import_finish(
    roster_import: RosterImport,
    *,
    status: str,
    errors: Iterable[RowError] = (),
    summary: dict | None = None,
) -> None:
    """Record the outcome and delete the upload: the page shows only what is kept on the row."""
    errors = list(errors)
    roster_import.status = status
    roster_import.errors = [error.as_dict() for error in errors[: _max_errors_kept()]]
    roster_import.errors_total = len(errors)
    roster_import.summary = summary or {}
    roster_import.rows_done = roster_import.rows_total if status == ImportStatus.SUCCEEDED else 0
    roster_import.finished_at = timezone.now()
    upload, roster_import.file = roster_import.file.name, ""
    roster_import.save(
        update_fields=["status", "errors", "errors_total", "summary", "rows_done", "finished_at", "file"]
    )
    # Not on commit: the export has been read, and whatever happens to this transaction the import
    # is over (a failed one is never run again), so the file has no further use.
    if upload:
        _roster_upload_delete(upload)
