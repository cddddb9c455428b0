"""The interaction summary: rebuilt from the officers' logs, and compared with them.

The triggers made by ``reports/migrations/0002_interaction_summary_triggers.py`` keep the summary
exact in the transaction that writes a log; these functions are for a fresh start (a restored
backup, a change of TIME_ZONE) and for checking that nothing ever drifted.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from incidents.models import EnforcementAction, Interaction, InteractionStudent, Involvement, Outcome
from reports.models import InteractionSummary, InteractionSummaryMonth

KEY = ("day", "school_id", "officer_id", "category_id", "officer_role")
COUNTS = (
    "contacts",
    "minutes",
    "anonymous_students",
    "students_involved",
    "witnesses",
    "enforcement_actions",
    "crdc_referrals",
    "crdc_arrests",
    "returned_to_administration",
)


def _day_function_sql() -> str:
    zone = settings.TIME_ZONE
    if not re.fullmatch(r"[A-Za-z0-9_+\-/]+", zone):
        raise ValueError(f"Unexpected TIME_ZONE {zone!r}")
    return (
        "CREATE OR REPLACE FUNCTION reports_summary_day(at timestamptz) RETURNS date "
        f"LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT (at AT TIME ZONE '{zone}')::date $$"
    )


_REBUILD = """
    INSERT INTO reports_interactionsummary (day, school_id, officer_id, category_id, officer_role,
        contacts, minutes, anonymous_students, students_involved, witnesses, enforcement_actions,
        crdc_referrals, crdc_arrests, returned_to_administration)
    SELECT reports_summary_day(i.occurred_at), i.school_id, i.officer_id, i.category_id, i.officer_role,
        count(*), sum(i.duration_minutes), sum(i.anonymous_students),
        coalesce(sum(f.involved), 0), coalesce(sum(f.witnesses), 0), coalesce(sum(f.actions), 0),
        coalesce(sum(f.referrals), 0), coalesce(sum(f.arrests), 0), coalesce(sum(f.returned), 0)
    FROM incidents_interaction i
    LEFT JOIN (
        SELECT interaction_id,
            count(*) FILTER (WHERE involvement = 'involved') AS involved,
            count(*) FILTER (WHERE involvement = 'witness') AS witnesses,
            count(*) FILTER (WHERE involvement = 'involved' AND action <> 'none') AS actions,
            count(*) FILTER (WHERE crdc_referral) AS referrals,
            count(*) FILTER (WHERE crdc_school_related_arrest) AS arrests,
            count(*) FILTER (WHERE involvement = 'involved' AND outcome = 'returned_to_administration')
                AS returned
        FROM incidents_interactionstudent GROUP BY interaction_id
    ) f ON f.interaction_id = i.id
    GROUP BY 1, 2, 3, 4, 5
"""


_REBUILD_MONTHS = """
    INSERT INTO reports_interactionsummarymonth (month, school_id, category_id, officer_role, contacts,
        minutes, anonymous_students, students_involved, witnesses, enforcement_actions, crdc_referrals,
        crdc_arrests, returned_to_administration)
    SELECT day - (EXTRACT(DAY FROM day)::int - 1), school_id, category_id, officer_role, sum(contacts),
        sum(minutes), sum(anonymous_students), sum(students_involved), sum(witnesses),
        sum(enforcement_actions), sum(crdc_referrals), sum(crdc_arrests), sum(returned_to_administration)
    FROM reports_interactionsummary
    GROUP BY 1, 2, 3, 4
"""


def summary_rebuild() -> int:
    """Build the summary again from every interaction, in one transaction; returns its rows.

    Writers of the two source tables wait meanwhile (a SHARE lock lets readers on), so the result is
    exact, and the triggers carry on from it. The local day follows the current TIME_ZONE."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE incidents_interaction, incidents_interactionstudent IN SHARE MODE")
        cursor.execute(_day_function_sql())
        cursor.execute("DELETE FROM reports_interactionsummary")
        cursor.execute(_REBUILD)
        rows = cursor.rowcount
        cursor.execute("DELETE FROM reports_interactionsummarymonth")
        cursor.execute(_REBUILD_MONTHS)
        return rows


def raw_figures() -> dict[tuple, dict[str, int]]:
    """Every summary key's figures counted from the logs themselves, through the ORM and the same
    rules as ``incidents.selectors.focus`` (two aggregate queries)."""
    tz = timezone.get_current_timezone()
    keyed = Interaction.objects.order_by().annotate(day=TruncDate("occurred_at", tzinfo=tz))
    figures: dict[tuple, Counter] = defaultdict(Counter)
    for row in keyed.values(*KEY).annotate(
        contacts=Count("pk"), minutes=Sum("duration_minutes"), anonymous_students=Sum("anonymous_students")
    ):
        figures[tuple(row[k] for k in KEY)].update(
            {name: row[name] for name in ("contacts", "minutes", "anonymous_students")}
        )
    involved = Q(involvement=Involvement.INVOLVED)
    students = (
        InteractionStudent.objects.order_by()
        .annotate(day=TruncDate("interaction__occurred_at", tzinfo=tz))
        .values(
            "day",
            school_id=F("interaction__school_id"),
            officer_id=F("interaction__officer_id"),
            category_id=F("interaction__category_id"),
            officer_role=F("interaction__officer_role"),
        )
        .annotate(
            students_involved=Count("pk", filter=involved),
            witnesses=Count("pk", filter=Q(involvement=Involvement.WITNESS)),
            enforcement_actions=Count("pk", filter=involved & ~Q(action=EnforcementAction.NONE)),
            crdc_referrals=Count("pk", filter=Q(crdc_referral=True)),
            crdc_arrests=Count("pk", filter=Q(crdc_school_related_arrest=True)),
            returned_to_administration=Count(
                "pk", filter=involved & Q(outcome=Outcome.RETURNED_TO_ADMINISTRATION)
            ),
        )
    )
    for row in students:
        figures[tuple(row[k] for k in KEY)].update({name: row[name] for name in COUNTS[3:]})
    return {key: {name: counts.get(name, 0) for name in COUNTS} for key, counts in figures.items()}


def summary_figures() -> dict[tuple, dict[str, int]]:
    """The summary table as it stands, in the shape of ``raw_figures``."""
    return {
        tuple(row[k] for k in KEY): {name: row[name] for name in COUNTS}
        for row in InteractionSummary.objects.values(*KEY, *COUNTS)
    }


def by_month(figures: dict[tuple, dict[str, int]]) -> dict[tuple, dict[str, int]]:
    """Daily figures (``raw_figures``' shape) summed per month, school, category and role."""
    months: dict[tuple, Counter] = defaultdict(Counter)
    for (day, school_id, _officer_id, category_id, role), counts in figures.items():
        months[(day.replace(day=1), school_id, category_id, role)].update(counts)
    return {key: {name: counts.get(name, 0) for name in COUNTS} for key, counts in months.items()}


def summary_month_figures() -> dict[tuple, dict[str, int]]:
    """The monthly summary as it stands, in the shape of ``by_month``."""
    key = ("month", "school_id", "category_id", "officer_role")
    return {
        tuple(row[k] for k in key): {name: row[name] for name in COUNTS}
        for row in InteractionSummaryMonth.objects.values(*key, *COUNTS)
    }


def _differences(mine: dict, theirs: dict) -> dict:
    return {
        k: (mine.get(k), theirs.get(k)) for k in mine.keys() | theirs.keys() if mine.get(k) != theirs.get(k)
    }


def summary_differences() -> dict[tuple, tuple[dict | None, dict | None]]:
    """Keys where a summary and the logs disagree: ``{key: (summary, raw)}`` (a monthly key is marked
    ``("month", ...)``); empty when both are exact."""
    raw = raw_figures()
    differences = _differences(summary_figures(), raw)
    monthly = _differences(summary_month_figures(), by_month(raw))
    differences.update({("month", *key): value for key, value in monthly.items()})
    return differences
