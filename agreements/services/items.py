"""Bright lines and goals: the structured items an agreement sets, that logs and reports refer to."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from agreements.models import BrightLine, Goal


@transaction.atomic
def bright_line_save(*, bright_line: BrightLine) -> BrightLine:
    """Create or change a bright line; its code stays unique, since logs refer to it."""
    if BrightLine.objects.filter(code=bright_line.code).exclude(pk=bright_line.pk).exists():
        raise ValidationError({"code": "Another bright line has this code."})
    bright_line.save()
    return bright_line


@transaction.atomic
def goal_save(*, goal: Goal) -> Goal:
    """Create or change a goal and the figure that measures it."""
    if Goal.objects.filter(code=goal.code).exclude(pk=goal.pk).exists():
        raise ValidationError({"code": "Another goal has this code."})
    goal.save()
    return goal
