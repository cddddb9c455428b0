"""The access log: who opened, listed or exported a record that identifies a student, and when."""

from __future__ import annotations

from district.models import AccessAction, AccessLog, Student


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
