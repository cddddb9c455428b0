"""Which records the retention rule says are due for the removal of their students' identities."""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from incidents.models import Interaction, RetentionRule


def retention_rule() -> RetentionRule:
    """The district's rule (New York's by default until the coordinator changes it)."""
    rule = RetentionRule.objects.order_by("pk").first()
    return rule if rule is not None else RetentionRule()


def retention_cutoff(*, rule: RetentionRule, today: datetime.date | None = None) -> datetime.date:
    """A student born on or before this day has reached the rule's age."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - rule.age_years)
    except ValueError:  # 29 February in a year that has none
        return today.replace(year=today.year - rule.age_years, day=28)


def interactions_due_for_retention(*, today: datetime.date | None = None) -> QuerySet[Interaction]:
    """Records whose youngest student has reached the rule's age and whose identities remain.

    A record with a student whose birth date the roster does not know is never due: nobody can say
    the youngest has reached the age. A record with no named student has no identity to remove.
    """
    cutoff = retention_cutoff(rule=retention_rule(), today=today)
    return (
        Interaction.objects.filter(identities_removed_at__isnull=True, students__student__isnull=False)
        .annotate(
            youngest=Max("students__student__birth_date"),
            unknown=Count("students", filter=Q(students__student__birth_date__isnull=True)),
        )
        .filter(youngest__lte=cutoff, unknown=0)
        .order_by("occurred_at", "pk")
    )
