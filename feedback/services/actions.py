"""Writes to improvement actions: what we will change in answer to a round's results."""

from __future__ import annotations

import datetime

from django.db import transaction

from feedback.models import ActionStatus, ImprovementAction, Round
from officers.models import Officer


@transaction.atomic
def action_create(
    *,
    created_by,
    round: Round,
    officer: Officer | None,
    theme: str,
    finding: str,
    change: str,
    owner: str,
    due_on: datetime.date,
    status: str = ActionStatus.PLANNED,
) -> ImprovementAction:
    """Record an action taken on a round's result."""
    return ImprovementAction.objects.create(
        round=round, officer=officer, theme=theme, finding=finding, change=change, owner=owner, due_on=due_on,
        status=status, created_by=created_by,
    )  # fmt: skip


@transaction.atomic
def action_status_set(*, action: ImprovementAction, status: str) -> ImprovementAction:
    """Move an action to a new status."""
    action.status = status
    action.save(update_fields=["status"])
    return action
