"""Bright lines and goals as other parts of the program read them: the officers' logs refer to the
active bright lines (to count matters returned to administrators), the annual report to the goals."""

from __future__ import annotations

from django.db.models import QuerySet

from agreements.models import BrightLine, Goal


def bright_lines_active() -> QuerySet[BrightLine]:
    return BrightLine.objects.filter(is_active=True).select_related("agreement")


def goals_active() -> QuerySet[Goal]:
    return Goal.objects.filter(is_active=True).select_related("agreement")
