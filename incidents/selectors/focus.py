"""The program's focus, in figures, for the dashboards and the annual report: how officers spend
their time across the three roles, who starts contacts and how they end, and law-enforcement
actions per 100 contacts. Counts only, never a name.

Each function takes the interactions to count (already narrowed to the reader's scope and period by
the caller, e.g. ``interactions_between``) and runs one aggregate query, served by the composite
indexes on Interaction (``interaction_focus`` covers the date range with the role, category,
initiator and minutes, so a year's figures are read from the index alone).
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from incidents.models import (
    EnforcementAction,
    Interaction,
    InteractionStudent,
    Involvement,
    OfficerRole,
    Outcome,
)

PREVENTION_ROLES = (OfficerRole.MENTOR, OfficerRole.TEACHER)
GROUPINGS = {"officer": "officer_id", "school": "school_id", "month": "month"}


def interactions_between(*, start: datetime.date, end: datetime.date) -> QuerySet[Interaction]:
    """Interactions from ``start`` to ``end`` inclusive (local days)."""
    tz = timezone.get_current_timezone()
    begin = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    finish = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return Interaction.objects.filter(occurred_at__gte=begin, occurred_at__lt=finish)


def time_and_count_by_role_and_category(*, interactions: QuerySet[Interaction]) -> list[dict]:
    """``{officer_role, category, contacts, minutes}`` per role and category, most contacts first."""
    return list(
        interactions.order_by()
        .values("officer_role", "category__name")
        .annotate(contacts=Count("pk"), minutes=Sum("duration_minutes"))
        .order_by("-contacts", "officer_role", "category__name")
    )


def role_time_share(*, interactions: QuerySet[Interaction]) -> dict:
    """Minutes per role, and the share of time in the mentor and teacher roles against law enforcement."""
    row = interactions.order_by().aggregate(
        **{
            role.value: Sum("duration_minutes", filter=Q(officer_role=role), default=0)
            for role in OfficerRole
        }
    )
    total = sum(row.values())
    prevention = sum(row[role.value] for role in PREVENTION_ROLES)
    return {
        "minutes": row,
        "total_minutes": total,
        "prevention_share": prevention / total if total else None,
        "law_enforcement_share": row[OfficerRole.LAW_ENFORCEMENT.value] / total if total else None,
    }


def _involved(interactions: QuerySet[Interaction]) -> QuerySet[InteractionStudent]:
    return InteractionStudent.objects.filter(
        interaction__in=interactions.order_by().values("pk"), involvement=Involvement.INVOLVED
    )


def initiator_by_outcome(*, interactions: QuerySet[Interaction]) -> list[dict]:
    """``{initiator, outcome, students}``: who started contacts against how each involved student's ended."""
    return list(
        _involved(interactions)
        .order_by()
        .values("interaction__initiator", "outcome")
        .annotate(students=Count("pk"))
        .order_by("interaction__initiator", "outcome")
    )


def returned_to_administration(*, interactions: QuerySet[Interaction]) -> int:
    """Involved students whose matter went back to the school's administration."""
    return _involved(interactions).filter(outcome=Outcome.RETURNED_TO_ADMINISTRATION).count()


def enforcement_per_100_contacts(*, interactions: QuerySet[Interaction], by: str) -> list[dict]:
    """``{key, contacts, actions, per_100}`` by officer, school or month: law-enforcement actions
    (any action but none, one per involved student) per 100 interactions."""
    key = GROUPINGS[by]
    chosen = interactions.order_by()
    if by == "month":
        chosen = chosen.annotate(month=TruncMonth("occurred_at"))
    contacts = {row[key]: row["n"] for row in chosen.values(key).annotate(n=Count("pk"))}
    rows = _involved(interactions).exclude(action=EnforcementAction.NONE).order_by()
    if by == "month":
        rows = rows.annotate(month=TruncMonth("interaction__occurred_at"))
        action_key = "month"
    else:
        action_key = f"interaction__{key}"
    actions = {row[action_key]: row["n"] for row in rows.values(action_key).annotate(n=Count("pk"))}
    return [
        {
            "key": group,
            "contacts": count,
            "actions": actions.get(group, 0),
            "per_100": round(100 * actions.get(group, 0) / count, 1),
        }
        for group, count in sorted(contacts.items(), key=lambda item: (item[0] is None, item[0]))
    ]


def bright_line_touches(*, interactions: QuerySet[Interaction]) -> list[dict]:
    """``{bright_line_code, touches, returned}`` per bright line: the records whose category touched
    it, and how many of those went back to administration (keeping the line), most touches first.
    Served by the partial index ``interaction_bright_line``."""
    return list(
        interactions.order_by()
        .exclude(bright_line_code="")
        .values("bright_line_code")
        .annotate(
            touches=Count("pk"),
            returned=Count("pk", filter=Q(returned_to_administration=True)),
        )
        .order_by("-touches", "bright_line_code")
    )


def matters_returned_to_administration(*, interactions: QuerySet[Interaction]) -> int:
    """Records (matters, not students) that went back to administration: the officer said so on a
    bright line's question, or an involved student's outcome says so."""
    student_returned = InteractionStudent.objects.filter(
        interaction=OuterRef("pk"),
        involvement=Involvement.INVOLVED,
        outcome=Outcome.RETURNED_TO_ADMINISTRATION,
    )
    returned = Q(returned_to_administration=True) | Exists(student_returned)
    return interactions.order_by().filter(returned).count()
