"""The retention rule: the coordinator sets it, and confirms the removal of identities from the
records it flags; what reports count (roles, categories, outcomes, actions, minutes) remains."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from incidents.models import Addendum, Interaction, InteractionStudent, RetentionRule
from incidents.selectors.retention import interactions_due_for_retention, retention_rule

REMOVED = "(removed under the retention rule)"


def retention_rule_set(*, name: str, age_years: int) -> RetentionRule:
    """Change the district's rule; its history keeps the earlier ones."""
    if not 18 <= age_years <= 120:
        raise ValidationError({"age_years": "The age is between 18 and 120 years."})
    rule = retention_rule()
    rule.name, rule.age_years = name.strip() or rule.name, age_years
    rule.save()
    return rule


def retention_apply(*, user, interaction_ids: Iterable[int], today: datetime.date | None = None) -> int:
    """Remove the students' identities and the free text from the records chosen that are due, and
    the earlier versions that held them; the counts stay. Returns how many records changed."""
    with transaction.atomic():
        chosen = interactions_due_for_retention(today=today).filter(pk__in=list(interaction_ids))
        # Locked, then asked again: two coordinators confirming at once remove each record once.
        due = list(
            Interaction.objects.select_for_update()
            .filter(pk__in=list(chosen.values_list("pk", flat=True)), identities_removed_at__isnull=True)
            .values_list("pk", flat=True)
        )
        if not due:
            return 0
        # update(), not save(): no new history version may carry what is being destroyed.
        InteractionStudent.objects.filter(interaction_id__in=due).update(student=None)
        Addendum.objects.filter(interaction_id__in=due).update(text=REMOVED)
        Interaction.objects.filter(pk__in=due).update(
            narrative="",
            place="",
            other_participants="",
            identities_removed_at=timezone.now(),
            identities_removed_by=user,
        )
        Interaction.history.filter(id__in=due).delete()
        InteractionStudent.history.filter(interaction_id__in=due).delete()
        Addendum.history.filter(interaction_id__in=due).delete()
    return len(due)
