"""The coordinator's dashboard (and an administrator's, narrowed to their schools): one screen of
counts, each read through the owning app's selectors and access rules, never a student's name.

Interaction figures come from ``reports.models.InteractionSummary``, which triggers keep exactly
current, so the page costs a few small aggregates whatever the size of the logs. The page and the
benchmark call the same functions: ``interaction_figures`` (what the page shows) and
``interaction_figures_raw`` (the same figures straight from the logs, the floor to compare with).
Every function here runs a fixed number of queries, whatever the data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from agreements.access import action_items_for_user
from agreements.models import ActionItemStatus, AgreementKind, AgreementVersion, VersionStatus
from agreements.selectors.acknowledgements import acknowledgements_outstanding
from agreements.selectors.items import bright_lines_active
from district.models import School
from feedback.access import actions_for_user, may_view_results, responses_for_user, rounds_for_user
from feedback.models import ActionStatus, Invitation, InvitationStatus, Round, RoundStatus
from feedback.selectors.results import trend
from incidents.access import cases_for_user
from incidents.models import (
    CaseStatus,
    Category,
    EnforcementAction,
    FollowUp,
    InteractionStudent,
    Involvement,
    OfficerRole,
    Outcome,
)
from incidents.selectors.focus import PREVENTION_ROLES, bright_line_touches, interactions_between
from officers.access import officers_for_user
from officers.models import OfficerStatus
from officers.selectors.assignments import coverage_on
from officers.selectors.training import latest_records, required_courses
from reports.access import schools_for_user, sees_whole_district
from reports.models import InteractionSummary

EXPIRING_WITHIN_DAYS = 30
LATEST_ROUNDS = 3
SUMMED = (
    "contacts",
    "minutes",
    "anonymous_students",
    "students_involved",
    "enforcement_actions",
    "crdc_referrals",
    "crdc_arrests",
    "returned_to_administration",
)


# --- Periods ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def term_start(day: datetime.date) -> datetime.date:
    """Terms are the halves of the school year: July to December, and January to June."""
    return day.replace(month=7 if day.month >= 7 else 1, day=1)


def _months_back(day: datetime.date, months: int) -> datetime.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last))


def default_period(*, today: datetime.date) -> Period:
    """This term so far."""
    return Period(term_start(today), today)


def comparison_period(period: Period) -> Period:
    """The same days one term (six months) earlier; for a period longer than a term, the period of
    the same length just before it."""
    start, end = _months_back(period.start, 6), _months_back(period.end, 6)
    if end >= period.start:
        end = period.start - datetime.timedelta(days=1)
        start = end - datetime.timedelta(days=period.days - 1)
    return Period(start, end)


# --- Interaction figures ----------------------------------------------------------------------


def summary_between(
    *, start: datetime.date, end: datetime.date, school_ids: list[int] | None = None
) -> QuerySet[InteractionSummary]:
    """Summary rows of the local days ``start`` to ``end`` inclusive, of ``school_ids`` (None: all)."""
    rows = InteractionSummary.objects.filter(day__gte=start, day__lte=end)
    return rows if school_ids is None else rows.filter(school_id__in=school_ids)


def _figures(*, by_category, by_school, totals, names, schools, period, comparison) -> dict:
    """The page's figures from grouped rows ({key: (now, before)}) and totals ({name: value})."""

    def rows(grouped, labels):
        listed = [
            {"pk": pk, "name": labels.get(pk, "?"), "now": now, "before": before, "change": now - before}
            for pk, (now, before) in grouped.items()
        ]
        return sorted(listed, key=lambda row: (-row["now"], -row["before"], row["name"]))

    minutes = {role.value: totals.get(f"minutes_{role.value}", 0) for role in OfficerRole}
    contacts_by_role = {role.value: totals.get(f"contacts_{role.value}", 0) for role in OfficerRole}
    total_minutes = sum(minutes.values())
    prevention = sum(minutes[role.value] for role in PREVENTION_ROLES)
    contacts = totals.get("contacts", 0)
    actions = totals.get("enforcement_actions", 0)
    return {
        "period": period,
        "comparison": comparison,
        "by_category": rows(by_category, names),
        "by_school": rows(by_school, schools),
        "contacts": contacts,
        "contacts_before": totals.get("contacts_before", 0),
        "minutes_by_role": minutes,
        "contacts_by_role": contacts_by_role,
        "roles": [
            {
                "value": role.value,
                "label": role.label,
                "contacts": contacts_by_role[role.value],
                "minutes": minutes[role.value],
                "share": round(100 * minutes[role.value] / total_minutes) if total_minutes else None,
            }
            for role in OfficerRole
        ],
        "total_minutes": total_minutes,
        "prevention_minutes": prevention,
        "prevention_share": round(100 * prevention / total_minutes) if total_minutes else None,
        "law_enforcement_share": (
            round(100 * minutes[OfficerRole.LAW_ENFORCEMENT] / total_minutes) if total_minutes else None
        ),
        "enforcement_actions": actions,
        "enforcement_per_100": round(100 * actions / contacts, 1) if contacts else None,
        "crdc_referrals": totals.get("crdc_referrals", 0),
        "crdc_arrests": totals.get("crdc_arrests", 0),
        "returned_to_administration": totals.get("returned_to_administration", 0),
        "students_involved": totals.get("students_involved", 0),
    }


def _labels(category_ids, school_ids) -> tuple[dict, dict]:
    """Names of the categories and schools in the figures (two small queries)."""
    names = dict(Category.objects.filter(pk__in=category_ids).values_list("pk", "name"))
    schools = dict(School.objects.filter(pk__in=school_ids).values_list("pk", "name"))
    return names, schools


def split_by_month(
    period: Period,
) -> tuple[tuple[datetime.date, datetime.date] | None, list[tuple[Period, int]]]:
    """How to read ``period`` from the summaries: a range of calendar months (the first, and the month
    after the last) and days to add (+1) or take away (-1).

    A month the period covers for more than half its days is read whole and the days outside the
    period taken away; a smaller part of a month is read day by day. So a term to date (this month
    read whole, the days still to come, which hold nothing, taken away) reads a few thousand rows."""
    first, stop, days = None, None, []
    month = period.start.replace(day=1)
    while month <= period.end:
        following = _next_month(month)
        begin, end = max(month, period.start), min(following - datetime.timedelta(days=1), period.end)
        covered, length = (end - begin).days + 1, (following - month).days
        if covered == length or 2 * covered > length:
            first, stop = first or month, following
            if begin > month:
                days.append((Period(month, begin - datetime.timedelta(days=1)), -1))
            if end < following - datetime.timedelta(days=1):
                days.append(
                    (Period(end + datetime.timedelta(days=1), following - datetime.timedelta(days=1)), -1)
                )
        else:
            days.append((Period(begin, end), 1))
        month = following
    return ((first, stop) if first else None), days


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def _counted(sign: int) -> str:
    return ", ".join(f"{sign} * {name} AS {name}" for name in SUMMED)


def _summary_rows_sql(*, tag: int, period: Period, school_ids: list[int] | None) -> tuple[list[str], list]:
    """SELECTs of the summary rows of ``period``, tagged ``tag``: whole months from the monthly
    summary, the days at either end from the daily one."""
    # The SQL is made of this module's constants; every value is a parameter.
    months, days = split_by_month(period)
    schools = " AND school_id = ANY(%s)" if school_ids is not None else ""
    parts, params = [], []
    if months is not None:
        parts.append(
            f"SELECT {tag} AS p, school_id, category_id, officer_role, {_counted(1)} "  # noqa: S608
            f"FROM reports_interactionsummarymonth WHERE month >= %s AND month < %s{schools}"
        )
        params += [*months, *([school_ids] if school_ids is not None else [])]
    for edge, sign in days:
        parts.append(
            f"SELECT {tag} AS p, school_id, category_id, officer_role, {_counted(sign)} "  # noqa: S608
            f"FROM reports_interactionsummary WHERE day >= %s AND day <= %s{schools}"
        )
        params += [edge.start, edge.end, *([school_ids] if school_ids is not None else [])]
    return parts, params


def interaction_figures(*, school_ids: list[int] | None, period: Period, comparison: Period) -> dict:
    """The dashboard's interaction figures from the summaries: one grouped query over the months and
    days of both periods (by category, by school, and in all), and two for the names."""
    now_parts, now_params = _summary_rows_sql(tag=1, period=period, school_ids=school_ids)
    before_parts, before_params = _summary_rows_sql(tag=2, period=comparison, school_ids=school_ids)
    roles = list(OfficerRole)
    columns = [
        "sum(contacts) FILTER (WHERE p = 1)",
        "sum(contacts) FILTER (WHERE p = 2)",
        *(f"sum({name}) FILTER (WHERE p = 1)" for name in SUMMED),
        *("sum(minutes) FILTER (WHERE p = 1 AND officer_role = %s)" for _ in roles),
        *("sum(contacts) FILTER (WHERE p = 1 AND officer_role = %s)" for _ in roles),
    ]
    sql = (
        "SELECT GROUPING(category_id), GROUPING(school_id), category_id, school_id, "  # noqa: S608
        + ", ".join(columns)
        + " FROM ("
        + " UNION ALL ".join(now_parts + before_parts)
        + ") r GROUP BY GROUPING SETS ((category_id), (school_id), ())"
    )
    params = [role.value for role in roles] * 2 + now_params + before_params
    by_category, by_school, totals = {}, {}, {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            no_category, no_school, category_id, school_id, now, before, *rest = row
            pair = (now or 0, before or 0)
            if not no_category:
                by_category[category_id] = pair
            elif not no_school:
                by_school[school_id] = pair
            else:
                values = [value or 0 for value in rest]
                totals = dict(zip(SUMMED, values[: len(SUMMED)], strict=True))
                totals["contacts_before"] = pair[1]
                extra = values[len(SUMMED) :]
                for n, role in enumerate(roles):
                    totals[f"minutes_{role.value}"] = extra[n]
                    totals[f"contacts_{role.value}"] = extra[len(roles) + n]
    names, schools = _labels(by_category, by_school)
    return _figures(
        by_category={k: v for k, v in by_category.items() if v != (0, 0)},
        by_school={k: v for k, v in by_school.items() if v != (0, 0)},
        totals=totals,
        names=names,
        schools=schools,
        period=period,
        comparison=comparison,
    )


def interaction_figures_raw(*, school_ids: list[int] | None, period: Period, comparison: Period) -> dict:
    """The same figures counted from the logs themselves (the SQL floor for the benchmark, and the
    check that the summary is right)."""
    both = interactions_between(
        start=min(period.start, comparison.start), end=max(period.end, comparison.end)
    ).order_by()
    if school_ids is not None:
        both = both.filter(school_id__in=school_ids)
    tz = timezone.get_current_timezone()

    def within(p: Period, prefix: str = "") -> Q:
        begin = datetime.datetime.combine(p.start, datetime.time.min, tzinfo=tz)
        finish = datetime.datetime.combine(p.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        return Q(**{f"{prefix}occurred_at__gte": begin, f"{prefix}occurred_at__lt": finish})

    now, before = within(period), within(comparison)
    pairs = {"now": Count("pk", filter=now), "before": Count("pk", filter=before)}
    by_category = {
        r["category_id"]: (r["now"], r["before"]) for r in both.values("category_id").annotate(**pairs)
    }
    by_school = {r["school_id"]: (r["now"], r["before"]) for r in both.values("school_id").annotate(**pairs)}
    aggregates = {
        "contacts": Count("pk", filter=now),
        "contacts_before": Count("pk", filter=before),
        "anonymous_students": Sum("anonymous_students", filter=now, default=0),
    }
    for role in OfficerRole:
        aggregates[f"minutes_{role.value}"] = Sum(
            "duration_minutes", filter=now & Q(officer_role=role), default=0
        )
        aggregates[f"contacts_{role.value}"] = Count("pk", filter=now & Q(officer_role=role))
    totals = both.aggregate(**aggregates)
    involved = Q(involvement=Involvement.INVOLVED)
    totals.update(
        InteractionStudent.objects.filter(interaction__in=both.filter(now).values("pk"))
        .order_by()
        .aggregate(
            students_involved=Count("pk", filter=involved),
            enforcement_actions=Count("pk", filter=involved & ~Q(action=EnforcementAction.NONE)),
            crdc_referrals=Count("pk", filter=Q(crdc_referral=True)),
            crdc_arrests=Count("pk", filter=Q(crdc_school_related_arrest=True)),
            returned_to_administration=Count(
                "pk", filter=involved & Q(outcome=Outcome.RETURNED_TO_ADMINISTRATION)
            ),
        )
    )
    names, schools = _labels(by_category, by_school)
    return _figures(
        by_category=by_category,
        by_school=by_school,
        totals=totals,
        names=names,
        schools=schools,
        period=period,
        comparison=comparison,
    )


# --- The other tiles --------------------------------------------------------------------------


def coverage_tile(*, user, day: datetime.date, school: School | None) -> dict:
    """Each school's primary officer today and the schools with nobody (the coverage page's reading)."""
    coverage = coverage_on(user=user, day=day)
    if school is not None:
        coverage = [c for c in coverage if c.school.pk == school.pk]
    return {
        "schools": coverage,
        "uncovered": sum(1 for c in coverage if not c.covered),
        "backup_only": sum(1 for c in coverage if c.covered and not c.primary_covers),
    }


def training_tile(*, user, today: datetime.date, school: School | None) -> dict:
    """Required courses expired, expiring within 30 days, or never taken, over the officers the user
    sees (three queries)."""
    officers = officers_for_user(user=user).filter(status__in=[OfficerStatus.ACTIVE, OfficerStatus.ON_LEAVE])
    if school is not None:
        officers = officers.filter(assignments__school=school, assignments__end_date__gte=today)
    officer_ids = list(officers.values_list("pk", flat=True).distinct())
    course_ids = list(required_courses().values_list("pk", flat=True))
    latest = latest_records(officer_ids=officer_ids, course_ids=course_ids) if officer_ids else {}
    soon = today + datetime.timedelta(days=EXPIRING_WITHIN_DAYS)
    counts = {"expired": 0, "expiring": 0, "missing": 0}
    officers_behind = set()
    for officer_id in officer_ids:
        for course_id in course_ids:
            record = latest.get((officer_id, course_id))
            expires = record["expires_on"] if record else None
            if record is None:
                counts["missing"] += 1
            elif expires is not None and expires <= today:
                counts["expired"] += 1
            elif expires is not None and expires <= soon:
                counts["expiring"] += 1
            else:
                continue
            officers_behind.add(officer_id)
    return {**counts, "officers": len(officer_ids), "officers_behind": len(officers_behind)}


def agreements_tile() -> dict:
    """Role statements not yet acknowledged by everyone, and memorandums waiting for a signature."""
    statements = [
        {"version": version, **counts}
        for version, counts in acknowledgements_outstanding()
        if counts["pending"]
    ]
    unsigned = list(
        AgreementVersion.objects.filter(
            status=VersionStatus.ACTIVE, agreement__kind=AgreementKind.MOU, effective_at__isnull=True
        )
        .annotate(signature_count=Count("signatures"))
        .select_related("agreement")
        .order_by("agreement__title")
    )
    return {"statements": statements, "unsigned": unsigned}


def cases_tile(*, user, today: datetime.date, school: School | None) -> dict:
    """Open cases (open or monitoring) and overdue follow-ups on the cases the user sees."""
    cases = cases_for_user(user=user)
    if school is not None:
        cases = cases.filter(school=school)
    open_cases = cases.filter(status__in=[CaseStatus.OPEN, CaseStatus.MONITORING]).order_by().count()
    overdue = FollowUp.objects.filter(
        case__in=cases.values("pk"), done_at__isnull=True, due_on__lt=today
    ).count()
    return {"open": open_cases, "overdue_follow_ups": overdue}


def feedback_tile(*, user) -> dict | None:
    """The latest survey rounds with their response rate and mean score (small groups hidden), and
    the open improvement actions; None for a role that sees no feedback results."""
    if not may_view_results(user):
        return None
    rounds = list(
        rounds_for_user(user=user)
        .exclude(status=RoundStatus.SCHEDULED)
        .select_related("campaign")
        .order_by("-opens_on", "-pk")[:LATEST_ROUNDS]
    )
    ids = [r.pk for r in rounds]
    rates = {
        row["round_id"]: row
        for row in Invitation.objects.filter(round_id__in=ids)
        .values("round_id")
        .annotate(invited=Count("pk"), answered=Count("pk", filter=Q(status=InvitationStatus.ANSWERED)))
    }
    points = {
        point.round.pk: point
        for point in trend(rounds=Round.objects.filter(pk__in=ids), responses=responses_for_user(user=user))
    }
    listed = []
    for r in rounds:
        rate = rates.get(r.pk, {"invited": 0, "answered": 0})
        invited, answered = rate["invited"], rate["answered"]
        if r.max_answers is not None:  # an event: the shared link's count stands for the rate
            invited, answered = r.max_answers, r.answers_count
        listed.append(
            {
                "round": r,
                "invited": invited,
                "answered": answered,
                "rate": round(100 * answered / invited) if invited else None,
                "point": points.get(r.pk),
            }
        )
    actions = actions_for_user(user=user).filter(status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS])
    return {"rounds": listed, "open_actions": actions.order_by().count()}


def action_items_tile(*, user, today: datetime.date) -> dict:
    """Open action items from expectation meetings (the user's own, or every one for a coordinator)."""
    items = action_items_for_user(user=user).filter(status=ActionItemStatus.OPEN).order_by()
    counts = items.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    return counts


def bright_lines_tile(*, school_ids: list[int] | None, period: Period) -> list[dict]:
    """Bright lines of the agreement touched in the period, and how many of those matters went back
    to administration (keeping the line). Few records touch one, and a partial index holds just
    those, so this reads the logs directly; every active line is listed, touched or not."""
    interactions = interactions_between(start=period.start, end=period.end)
    if school_ids is not None:
        interactions = interactions.filter(school_id__in=school_ids)
    counted = {row["bright_line_code"]: row for row in bright_line_touches(interactions=interactions)}
    lines = {line.code: line.statement for line in bright_lines_active()}
    rows = []
    for code in sorted(set(lines) | set(counted), key=lambda c: (-counted.get(c, {}).get("touches", 0), c)):
        row = counted.get(code, {})
        rows.append(
            {
                "code": code,
                "statement": lines.get(code, code),
                "touches": row.get("touches", 0),
                "returned": row.get("returned", 0),
            }
        )
    return rows


# --- The page ---------------------------------------------------------------------------------


def dashboard_school_ids(*, user, school: School | None) -> list[int] | None:
    """The schools whose figures are shown: the one chosen, all (None), or the user's own."""
    if school is not None:
        return [school.pk]
    if sees_whole_district(user):
        return None
    return list(schools_for_user(user=user).values_list("pk", flat=True))


def dashboard(*, user, school: School | None, period: Period, today: datetime.date | None = None) -> dict:
    """Everything the dashboard shows, for ``user``'s scope (or one school of it) and ``period``."""
    today = today or timezone.localdate()
    school_ids = dashboard_school_ids(user=user, school=school)
    return {
        "today": today,
        "interactions": interaction_figures(
            school_ids=school_ids, period=period, comparison=comparison_period(period)
        ),
        "bright_lines": bright_lines_tile(school_ids=school_ids, period=period),
        "coverage": coverage_tile(user=user, day=today, school=school),
        "training": training_tile(user=user, today=today, school=school),
        "agreements": agreements_tile(),
        "cases": cases_tile(user=user, today=today, school=school),
        "feedback": feedback_tile(user=user),
        "action_items": action_items_tile(user=user, today=today),
    }


# --- For the benchmark ------------------------------------------------------------------------


def dashboard_floor(*, user, school: School | None, period: Period) -> dict:
    """The SQL floor of the page's interaction figures: the same figures for the same viewer, school
    and period as ``dashboard`` shows, counted from the logs themselves rather than the summary.

    The benchmark times ``dashboard(user=..., school=..., period=...)`` (everything the page
    computes, the summary's share of it being ``interaction_figures``) against this."""
    return interaction_figures_raw(
        school_ids=dashboard_school_ids(user=user, school=school),
        period=period,
        comparison=comparison_period(period),
    )
