"""Bright lines and goals as other parts of the program read them: the officers' logs refer to the
active bright lines (to count matters returned to administrators), the annual report to the goals."""

from __future__ import annotations

from django.db.models import QuerySet

from agreements.models import (
    AgreementKind,
    BrightLine,
    Goal,
    Section,
    SectionType,
    VersionStatus,
)


def bright_lines_active() -> QuerySet[BrightLine]:
    return BrightLine.objects.filter(is_active=True).select_related("agreement")


def goals_active() -> QuerySet[Goal]:
    return Goal.objects.filter(is_active=True).select_related("agreement")


def complaint_process_active() -> Section | None:
    """The complaints section of the memorandum in effect, shown to whoever files a complaint."""
    return (
        Section.objects.filter(
            section_type=SectionType.COMPLAINTS,
            version__status=VersionStatus.ACTIVE,
            version__agreement__kind=AgreementKind.MOU,
        )
        .select_related("version__agreement")
        .order_by("version__agreement__title")
        .first()
    )
