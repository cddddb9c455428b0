"""Writes to district data."""

from __future__ import annotations

from .models import AccessAction, AccessLog, Student


def access_log_record(
    *, user, record, student: Student | None = None, action: str = AccessAction.VIEW, path: str = ""
) -> AccessLog:
    """Keep who opened (or exported) a record that identifies a student, and when."""
    return AccessLog.objects.create(
        user=user,
        action=action,
        record_type=record._meta.label_lower,
        record_id=str(record.pk),
        student=student,
        path=path[:500],
    )
