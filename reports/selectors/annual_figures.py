"""The annual program report's figures for one academic year, district-wide or for some schools.

``year_figures`` reads every figure the report shows for one year into a plain dict (JSON-able, so
that its digest fingerprints the report, see ``annual.report_fingerprint``). It runs a fixed number
of aggregate queries, whatever the amount of data: nothing here loads rows one by one. Counts only,
never a name.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from agreements.models import (
    Acknowledgement,
    ActionItemStatus,
    AgreementKind,
    AgreementVersion,
    Meeting,
    Signature,
)
from agreements.selectors.acknowledgements import acknowledgement_counts
from agreements.selectors.items import goals_active
from district.models import AcademicYear, Disability, RaceEthnicity, School, Sex
from feedback.models import (
    Answer,
    Concern,
    GoalMeasure,
    ImprovementAction,
    Invitation,
    InvitationStatus,
    QuestionKind,
    Response,
    Round,
)
from incidents.models import (
    Category,
    EnforcementAction,
    Incident,
    IncidentStatus,
    IncidentType,
    Interaction,
    InteractionStudent,
    Involvement,
    Referral,
)
from incidents.selectors import focus
from officers.models import (
    Assignment,
    AssignmentRole,
    CycleStatus,
    SelectionCycle,
    TrainingRecord,
    TrainingSession,
)
from officers.selectors.training import policy_for, required_courses

# The demographic splits the Civil Rights Data Collection asks for, with the roster's field and the
# categories (value, label) in the order the tables list them. A student with no demographics row,
# or an empty value, is "not reported".
DEMOGRAPHIC_FIELDS = {
    "disability": ("Disability", [c for c in Disability.choices if c[0]] + [("", "Not reported")]),
    "race_ethnicity": (
        "Race and ethnicity",
        [c for c in RaceEthnicity.choices if c[0]] + [("", "Not reported")],
    ),
    "sex": ("Sex", [c for c in Sex.choices if c[0]] + [("", "Not reported")]),
    "english_learner": (
        "English learner",
        [("yes", "English learner"), ("no", "Not an English learner"), ("", "Not reported")],
    ),
}

MONTHS = ["Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun"]


def previous_year(*, year: AcademicYear) -> AcademicYear | None:
    return AcademicYear.objects.filter(start_date__lt=year.start_date).order_by("-start_date").first()


def ssec_window(*, year: AcademicYear) -> tuple[datetime.date, datetime.date]:
    """New York's school safety reporting year: July 1 to June 30, the one the school year ends in."""
    end_year = year.end_date.year if year.end_date.month <= 6 else year.end_date.year + 1
    return datetime.date(end_year - 1, 7, 1), datetime.date(end_year, 6, 30)


def _between(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz),
    )


def _scoped(queryset: QuerySet, school_ids: list[int] | None, field: str = "school_id") -> QuerySet:
    return queryset if school_ids is None else queryset.filter(**{f"{field}__in": school_ids})


def _counts(rows, key: str, value: str = "n") -> dict:
    return {str(row[key]) if row[key] is not None else "": row[value] for row in rows}


def year_figures(*, year: AcademicYear, school_ids: list[int] | None) -> dict:
    """Every figure of one year's report, as plain numbers keyed by section and label."""
    students = _student_groups(year, school_ids)
    activity = _activity(year, school_ids, students)
    return {
        "overview": _overview(year, school_ids),
        "training": _training(year, school_ids),
        "agreements": _agreements(year),
        "activity": activity,
        "enforcement": _enforcement(year, school_ids, activity, students),
        "incidents": _incidents(year, school_ids),
        "feedback": _feedback(year, school_ids),
    }


# --- Program overview and training ------------------------------------------------------------------


def _assignments(year: AcademicYear, school_ids) -> QuerySet[Assignment]:
    return _scoped(Assignment.objects.filter(academic_year=year), school_ids)


def _overview(year: AcademicYear, school_ids) -> dict:
    assignments = _assignments(year, school_ids).aggregate(
        officers=Count("officer", distinct=True),
        schools=Count("school", distinct=True),
        primary=Count("pk", filter=Q(role=AssignmentRole.PRIMARY)),
        backup=Count("pk", filter=~Q(role=AssignmentRole.PRIMARY)),
    )
    cycles = SelectionCycle.objects.filter(academic_year=year)
    if school_ids is not None:
        cycles = cycles.filter(schools__in=school_ids)
    selection = SelectionCycle.objects.filter(pk__in=cycles.values("pk")).aggregate(
        cycles=Count("pk", distinct=True),
        decided=Count("pk", distinct=True, filter=Q(status=CycleStatus.DECIDED)),
        candidates=Count("candidates", distinct=True),
    )
    return {**assignments, **selection}


def _training(year: AcademicYear, school_ids) -> dict:
    officer_ids = _assignments(year, school_ids).values("officer_id")
    records = TrainingRecord.objects.filter(
        officer_id__in=officer_ids,
        verified_at__isnull=False,
        completed_on__gte=year.start_date,
        completed_on__lte=year.end_date,
    )
    per_officer = list(
        records.values("officer_id").annotate(total=Sum("hours")).values_list("total", flat=True)
    )
    policy = policy_for(academic_year=year)
    minimum = policy.minimum_hours if policy else None
    officers = _assignments(year, school_ids).aggregate(n=Count("officer", distinct=True))["n"]
    # Required courses in force at the year's end: the latest record completed by then, unexpired.
    required = list(required_courses().values_list("pk", flat=True))
    current = (
        TrainingRecord.objects.filter(
            officer_id__in=officer_ids, course_id__in=required, completed_on__lte=year.end_date
        )
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=year.end_date))
        .values("officer_id")
        .annotate(courses=Count("course_id", distinct=True))
    )
    compliant = sum(1 for row in current if row["courses"] >= len(required)) if required else officers
    sessions = TrainingSession.objects.filter(date__gte=year.start_date, date__lte=year.end_date).aggregate(
        sessions=Count("pk", distinct=True),
        attended=Count("participants", filter=Q(participants__attended=True)),
    )
    return {
        "hours": float(sum(per_officer, 0)),
        "officers_trained": len(per_officer),
        "officers": officers,
        "minimum_hours": float(minimum) if minimum is not None else None,
        "officers_meeting_minimum": (
            sum(1 for hours in per_officer if hours >= minimum) if minimum is not None else None
        ),
        "officers_compliant": compliant,
        "sessions": sessions["sessions"],
        "session_attendances": sessions["attended"],
    }


# --- Agreements (the district's, whichever school the report is for) ---------------------------------


def _agreements(year: AcademicYear) -> dict:
    start, end = _between(year.start_date, year.end_date)
    in_force = AgreementVersion.objects.filter(published_at__lt=end).filter(
        Q(superseded_at__isnull=True) | Q(superseded_at__gte=end)
    )
    versions = list(in_force.select_related("agreement"))
    required = done = 0
    # One query per statement in force (there are two: the officers' and the administrators').
    for version in versions:
        if version.agreement.kind != AgreementKind.MOU:
            counts = acknowledgement_counts(version=version)
            required += counts["required"]
            done += counts["done"]
    meetings = Meeting.objects.filter(held_on__gte=year.start_date, held_on__lte=year.end_date).aggregate(
        meetings_held=Count("pk", distinct=True),
        items=Count("action_items"),
        items_done=Count("action_items", filter=Q(action_items__status=ActionItemStatus.DONE)),
    )
    return {
        "versions_in_force": len(versions),
        "versions_published": AgreementVersion.objects.filter(
            published_at__gte=start, published_at__lt=end
        ).count(),
        "signatures": Signature.objects.filter(signed_at__gte=start, signed_at__lt=end).count(),
        "acknowledgements": Acknowledgement.objects.filter(
            acknowledged_at__gte=start, acknowledged_at__lt=end
        ).count(),
        "acknowledgement_rate": round(100 * done / required) if required else None,
        "meetings": meetings["meetings_held"],
        "action_items": meetings["items"],
        "action_items_done": meetings["items_done"],
    }


# --- Activity ------------------------------------------------------------------------------------------


def _interactions(year: AcademicYear, school_ids) -> QuerySet[Interaction]:
    return _scoped(focus.interactions_between(start=year.start_date, end=year.end_date), school_ids)


# Both scans below read the year's rows once and count them several ways at once (GROUPING SETS):
# at a hundred thousand interactions a year, one scan instead of five is most of the page's time.
# The SQL is made of constants; every value is a parameter.


@contextmanager
def _report_cursor():
    """A cursor for the report's scans, with memory enough to sort a year's rows without spilling
    to disk (SET LOCAL: for this transaction only)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '32MB'")
        yield cursor


def _year_window(year: AcademicYear, school_ids) -> tuple[str, list]:
    """The WHERE of the year's interactions (aliased ``i``), in the viewer's schools."""
    begin, finish = _between(year.start_date, year.end_date)
    where, params = "i.occurred_at >= %s AND i.occurred_at < %s", [begin, finish]
    if school_ids is not None:
        where, params = where + " AND i.school_id = ANY(%s)", [*params, list(school_ids)]
    return where, params


def _interaction_groups(year: AcademicYear, school_ids) -> dict[str, list[dict]]:
    """The year's interactions counted by role, category, month, school and initiator, in one scan."""
    where, params = _year_window(year, school_ids)
    sql = (
        "SELECT GROUPING(officer_role, category_id, m, school_id, initiator) AS g, officer_role, "  # noqa: S608
        "category_id, m, school_id, initiator, count(*) AS n, coalesce(sum(duration_minutes), 0) AS minutes, "
        "coalesce(sum(anonymous_students), 0) AS anonymous FROM (SELECT i.officer_role, i.category_id, "
        "EXTRACT(MONTH FROM i.occurred_at AT TIME ZONE %s)::int AS m, i.school_id, i.initiator, "
        f"i.duration_minutes, i.anonymous_students FROM incidents_interaction i WHERE {where}) AS year_rows "
        "GROUP BY GROUPING SETS ((officer_role), (category_id), (m), (school_id), (initiator))"
    )
    # GROUPING(...) is a bit mask, the first column the highest bit: 0b01111 is "by role" and so on.
    sets = {0b01111: "role", 0b10111: "category", 0b11011: "month", 0b11101: "school", 0b11110: "initiator"}
    grouped: dict[str, list[dict]] = {name: [] for name in sets.values()}
    with _report_cursor() as cursor:
        cursor.execute(sql, [timezone.get_current_timezone_name(), *params])
        columns = [c[0] for c in cursor.description]
        for values in cursor.fetchall():
            row = dict(zip(columns, values, strict=True))
            grouped[sets[row["g"]]].append(row)
    return grouped


def _student_groups(year: AcademicYear, school_ids) -> dict:
    """The year's per-student rows in one scan: everyone served; involved students by who started the
    contact and how it ended; and by school, the law-enforcement actions and the civil-rights
    referrals and arrests, instances and students apart (a student whose identity the retention rule
    removed counts once per row, as nobody can tell them apart any more)."""
    where, params = _year_window(year, school_ids)
    involved = "st.involvement = 'involved'"
    flags = {"referral": "st.crdc_referral", "arrest": "st.crdc_school_related_arrest"}
    per_flag = ", ".join(
        f"count(*) FILTER (WHERE {involved} AND {q}) AS {flag}_instances, "
        f"count(DISTINCT st.student_id) FILTER (WHERE {involved} AND {q}) AS {flag}_students, "
        f"count(*) FILTER (WHERE {involved} AND {q} AND st.student_id IS NULL) AS {flag}_unnamed"
        for flag, q in flags.items()
    )
    sql = (
        "SELECT GROUPING(i.initiator, st.outcome, i.school_id) AS g, i.initiator, st.outcome, i.school_id, "  # noqa: S608
        "count(DISTINCT st.student_id) AS named, count(*) FILTER (WHERE st.student_id IS NULL) AS unnamed, "
        f"count(*) FILTER (WHERE {involved}) AS involved, "
        f"count(*) FILTER (WHERE {involved} AND st.action <> %s) AS actions, {per_flag} "
        "FROM incidents_interactionstudent st JOIN incidents_interaction i ON i.id = st.interaction_id "
        f"WHERE {where} GROUP BY GROUPING SETS ((), (i.initiator, st.outcome), (i.school_id))"
    )
    result: dict = {"all": None, "pairs": [], "schools": []}
    with _report_cursor() as cursor:
        cursor.execute(sql, [EnforcementAction.NONE.value, *params])
        columns = [c[0] for c in cursor.description]
        for values in cursor.fetchall():
            row = dict(zip(columns, values, strict=True))
            if row["g"] == 0b111:
                result["all"] = row
            elif row["g"] == 0b001:
                result["pairs"].append(row)
            else:
                result["schools"].append(row)
    return result


def _activity(year: AcademicYear, school_ids, students: dict) -> dict:
    grouped = _interaction_groups(year, school_ids)
    by_role = grouped["role"]
    categories = dict(Category.objects.values_list("pk", "name"))
    schools, _ = _school_names(None)
    by_category = [
        {"category__name": categories.get(r["category_id"], "?"), "n": r["n"]} for r in grouped["category"]
    ]
    by_month = grouped["month"]
    by_school = [{"school__name": schools.get(r["school_id"], "?"), "n": r["n"]} for r in grouped["school"]]
    by_initiator = grouped["initiator"]
    everyone = students["all"] or {"named": 0, "unnamed": 0, "involved": 0}
    served = {"named": everyone["named"], "unnamed": everyone["unnamed"], "involved": everyone["involved"]}
    anonymous = sum(row["anonymous"] or 0 for row in by_role)
    outcomes_counted: dict[str, int] = defaultdict(int)
    for row in students["pairs"]:
        if row["involved"]:
            outcomes_counted[row["outcome"]] += row["involved"]
    outcomes = [{"outcome": outcome, "n": n} for outcome, n in outcomes_counted.items()]
    started_and_ended = [
        {"interaction__initiator": row["initiator"], "outcome": row["outcome"], "n": row["involved"]}
        for row in students["pairs"]
        if row["involved"]
    ]
    referrals = _scoped(
        Referral.objects.filter(made_on__gte=year.start_date, made_on__lte=year.end_date), school_ids,
        "case__school_id",
    ).order_by().values("service").annotate(n=Count("pk"))  # fmt: skip
    # The share of time as mentor and teacher, as focus.role_time_share reckons it, from the same rows.
    minutes = {row["officer_role"]: row["minutes"] or 0 for row in by_role}
    total_minutes = sum(minutes.values())
    prevention = sum(minutes.get(role.value, 0) for role in focus.PREVENTION_ROLES)
    return {
        "contacts": sum(row["n"] for row in by_role),
        "by_role": _counts(by_role, "officer_role"),
        "minutes_by_role": _counts(by_role, "officer_role", "minutes"),
        "prevention_share": round(100 * prevention / total_minutes) if total_minutes else None,
        "by_category": _counts(by_category, "category__name"),
        "by_month": {MONTHS[(row["m"] - 7) % 12]: row["n"] for row in by_month},
        "by_school": _counts(by_school, "school__name"),
        "by_initiator": _counts(by_initiator, "initiator"),
        # A student whose identity the retention rule removed still counts once per appearance.
        "students_served": served["named"] + served["unnamed"],
        "students_unnamed": anonymous,
        "outcomes": _counts(outcomes, "outcome"),
        "initiator_outcome": {
            f"{row['interaction__initiator']}:{row['outcome']}": row["n"] for row in started_and_ended
        },
        "referrals": _counts(referrals, "service"),
    }


# --- Law-enforcement actions, as the Civil Rights Data Collection asks ------------------------------


def _demographic_key(field: str, value) -> str:
    if field == "english_learner":
        return "" if value is None else ("yes" if value else "no")
    return value or ""


def _enforcement(year: AcademicYear, school_ids, activity: dict, students: dict) -> dict:
    interactions = _interactions(year, school_ids)
    involved = InteractionStudent.objects.filter(
        interaction__in=interactions.order_by().values("pk"), involvement=Involvement.INVOLVED
    )
    flags = {"referral": Q(crdc_referral=True), "arrest": Q(crdc_school_related_arrest=True)}
    crdc = Q(crdc_referral=True) | Q(crdc_school_related_arrest=True)
    names, _ = _school_names(None)
    per_school = [
        {**row, "interaction__school__name": names.get(row["school_id"], "?")} for row in students["schools"]
    ]
    schools = {}
    for row in per_school:
        schools[row["interaction__school__name"]] = {
            flag: {
                "instances": row[f"{flag}_instances"],
                "students": row[f"{flag}_students"] + row[f"{flag}_unnamed"],
            }
            for flag in flags
        }
    # Every school in scope has a row: none counted is a zero, not a gap.
    _, active = _school_names(school_ids)
    for name in active:
        schools.setdefault(name, {flag: {"instances": 0, "students": 0} for flag in flags})
    actions_by_school = {row["interaction__school__name"]: row["actions"] for row in per_school}
    demographics = {}
    if settings.SRO_DEMOGRAPHICS_ENABLED:
        # Each student has one demographics row, so the groups of all four fields together split the
        # students apart: distinct counts per group add up to each field's distinct counts. One query.
        fields = list(DEMOGRAPHIC_FIELDS)
        rows = (
            involved.filter(crdc)
            .order_by()
            .values(*[f"student__demographics__{name}" for name in fields])
            .annotate(
                **{
                    flag: Count("student", distinct=True, filter=q)
                    + Count("pk", filter=q & Q(student__isnull=True))
                    for flag, q in flags.items()
                }
            )
        )
        tables = {name: {flag: defaultdict(int) for flag in flags} for name in fields}
        for row in rows:
            for name in fields:
                key = _demographic_key(name, row[f"student__demographics__{name}"])
                for flag in flags:
                    tables[name][flag][key] += row[flag]
        demographics = {
            name: {flag: dict(counts) for flag, counts in by_flag.items()} for name, by_flag in tables.items()
        }
        # The groups split the students apart, so any one field's groups add up to the district's.
        first = tables[fields[0]]
        district = {flag: sum(first[flag].values()) for flag in flags}
    else:
        district = involved.filter(crdc).aggregate(
            **{
                flag: Count("student", distinct=True, filter=q)
                + Count("pk", filter=q & Q(student__isnull=True))
                for flag, q in flags.items()
            }
        )
    contacts = activity["contacts"]
    actions = sum(actions_by_school.values())
    return {
        "schools": schools,
        "students": district,
        "demographics": demographics,
        "contacts": contacts,
        "actions": actions,
        "actions_per_100": round(100 * actions / contacts, 1) if contacts else None,
        "by_school": {
            name: {"contacts": count, "actions": actions_by_school.get(name, 0)}
            for name, count in activity["by_school"].items()
        },
    }


def _school_names(school_ids) -> tuple[dict[int, str], list[str]]:
    """Every school's name by id, and the names of those that get a row even with nothing counted."""
    schools = _scoped(School.objects.all(), school_ids, "pk")
    rows = list(schools.values_list("pk", "name", "active"))
    return {pk: name for pk, name, _ in rows}, [name for _, name, on in rows if on or school_ids is not None]


# --- Incidents, in New York's SSEC layout -----------------------------------------------------------

INCIDENT_FLAGS = ("weapon", "drugs", "alcohol", "gang", "hate_or_bias")


def _incidents(year: AcademicYear, school_ids) -> dict:
    start, end = _between(*ssec_window(year=year))
    incidents = _scoped(
        Incident.objects.filter(occurred_at__gte=start, occurred_at__lt=end).exclude(
            status=IncidentStatus.DRAFT
        ),
        school_ids,
    )
    rows = (
        incidents.order_by()
        .values(top=Coalesce("incident_type__parent_id", "incident_type_id"))
        .annotate(n=Count("pk"), **{flag: Count("pk", filter=Q(**{flag: True})) for flag in INCIDENT_FLAGS})
    )
    by_type = {
        str(row["top"]): {"n": row["n"], **{flag: row[flag] for flag in INCIDENT_FLAGS}} for row in rows
    }
    return {"by_type": by_type, "total": sum(row["n"] for row in by_type.values())}


def incident_types() -> list[tuple[str, str]]:
    """The top-level types, in their order: every one is a row of the SSEC table, zero or not."""
    return [
        (str(pk), name) for pk, name in IncidentType.objects.filter(parent=None).values_list("pk", "name")
    ]


# --- Feedback ----------------------------------------------------------------------------------------


def _feedback(year: AcademicYear, school_ids) -> dict:
    rounds = Round.objects.filter(opens_on__gte=year.start_date, opens_on__lte=year.end_date)
    responses = _scoped(Response.objects.filter(round__in=rounds), school_ids)
    minimum = settings.FEEDBACK_MIN_GROUP_SIZE
    scores = {}
    rows = (
        Answer.objects.filter(response__in=responses, question__kind=QuestionKind.SCALE, value__isnull=False)
        .order_by()
        .values("question__survey__audience", "question__theme")
        .annotate(mean=Avg("value"), people=Count("response", distinct=True))
    )
    for row in rows:
        key = f"{row['question__survey__audience']}:{row['question__theme']}"
        # Fewer people than the feedback app's smallest group: no score, as on its results page.
        scores[key] = round(row["mean"], 2) if row["people"] >= minimum else "suppressed"
    invitations = (
        _scoped(Invitation.objects.filter(round__in=rounds), school_ids)
        .order_by()
        .values("round__campaign__survey__audience")
        .annotate(invited=Count("pk"), answered=Count("pk", filter=Q(status=InvitationStatus.ANSWERED)))
    )
    rates = {
        row["round__campaign__survey__audience"]: round(100 * row["answered"] / row["invited"])
        for row in invitations
        if row["invited"]
    }
    # An improvement action follows a round; a school's report takes the rounds that asked its people.
    action_rounds = rounds if school_ids is None else rounds.filter(campaign__schools__in=school_ids)
    actions = (
        ImprovementAction.objects.filter(round__in=action_rounds.values("pk"))
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    )
    start, end = _between(year.start_date, year.end_date)
    concerns = (
        _scoped(Concern.objects.filter(received_at__gte=start, received_at__lt=end), school_ids)
        .order_by()
        .values("kind", "status")
        .annotate(n=Count("pk"))
    )
    return {
        "responses": responses.count(),
        "scores": scores,
        "response_rates": rates,
        "actions": _counts(actions, "status"),
        "concerns": {f"{row['kind']}:{row['status']}": row["n"] for row in concerns},
    }


def goals() -> list[dict]:
    """The active goals, each with the program figure it names (if any) and whether survey rounds
    measure it (``feedback.GoalMeasure``)."""
    return list(
        goals_active()
        .annotate(surveyed=Exists(GoalMeasure.objects.filter(goal=OuterRef("pk"))))
        .values("code", "statement", "measure", "target", "figure", "surveyed")
    )
