"""The access log: who opened, listed or exported a record that identifies a student, and when."""

from __future__ import annotations

from collections.abc import Iterable

from district.models import AccessAction, AccessLog, Student

# The columns' lengths: a longer path or query string is cut, never refused.
_PATH_MAX = AccessLog._meta.get_field("path").max_length
_SEARCH_MAX = AccessLog._meta.get_field("search").max_length


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
        path=path[:_PATH_MAX],
    )


def access_log_record_listed(
    *,
    user,
    students: Iterable[Student],
    search: str = "",
    path: str = "",
    action: str = AccessAction.LIST,
) -> list[AccessLog]:
    """Keep who saw (or exported) which students' names in a list, search or export, and the query
    that chose them; one INSERT per page."""
    return AccessLog.objects.bulk_create(
        AccessLog(
            user=user,
            action=action,
            record_type=Student._meta.label_lower,
            record_id=str(student.pk),
            student=student,
            path=path[:_PATH_MAX],
            search=search[:_SEARCH_MAX],
        )
        for student in students
    )
