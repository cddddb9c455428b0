"""The annual program report: its sections, tables and charts, each figure beside the previous
year's, and the fingerprint of what it shows (the PDF cache's key).

The figures come from ``annual_figures.year_figures`` (a fixed number of aggregate queries per
year); this module only lays them out. Small counts in the civil-rights tables are suppressed with
the rule of ``district.selectors.demographic_table``: a count from 1 to SRO_SMALL_COUNT_THRESHOLD - 1
is hidden, and when a column would have exactly one hidden cell beside a published total, the
smallest other published count is hidden too (or the total, when no other count is above zero), so
that no hidden cell can be worked out by subtraction. Zero is shown as zero: counted, and none.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.conf import settings

from agreements.models import LOWER_IS_BETTER, GoalFigure
from district.models import AcademicYear, School
from feedback.models import ActionStatus, Audience, ConcernKind, ConcernStatus, Theme
from feedback.models import Response as SurveyResponse
from feedback.models import Round as SurveyRound
from feedback.selectors.goals import goal_figures
from incidents.models import Initiator, OfficerRole, Outcome, ReferralService
from reports.charts import Chart, bar_chart
from reports.models import ReportNarrative
from reports.selectors import annual_figures
from reports.selectors.annual_figures import DEMOGRAPHIC_FIELDS, INCIDENT_FLAGS, MONTHS


class _Suppressed:
    """A count too small to publish (or one that would give such a count away)."""

    def __str__(self) -> str:
        return "suppressed"

    def __repr__(self) -> str:
        return "SUPPRESSED"


SUPPRESSED = _Suppressed()
NOT_AVAILABLE = None  # no figure: the year has no previous year on record


def suppress(values: list[int], total: int) -> tuple[list, object]:
    """One column of counts and its published total, with small counts (and their complements) hidden."""
    threshold = settings.SRO_SMALL_COUNT_THRESHOLD
    hidden = [0 < value < threshold for value in values]
    total_hidden = 0 < total < threshold
    if not total_hidden and hidden.count(True) == 1:
        shown = [(value, index) for index, value in enumerate(values) if not hidden[index] and value]
        if shown:
            hidden[min(shown)[1]] = True
        else:
            total_hidden = True
    cells = [SUPPRESSED if hide else value for value, hide in zip(values, hidden, strict=True)]
    return cells, SUPPRESSED if total_hidden else total


def _format(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, _Suppressed):
        return "suppressed"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):  # hours and rates to a tenth, mean scores to a hundredth
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _change(current, previous):
    if isinstance(current, int | float) and isinstance(previous, int | float):
        if isinstance(current, bool) or isinstance(previous, bool):
            return None
        diff = round(current - previous, 2)
        if diff == 0:
            return "no change"
        return f"+{_format(diff)}" if diff > 0 else f"−{_format(-diff)}"
    return None


@dataclass
class Table:
    """A table of the report, the same on the page, in the PDF and in its CSV file."""

    slug: str
    title: str
    columns: list[str]
    rows: list[list]
    note: str = ""
    total: list | None = None
    chart: Chart | None = None  # drawn just before the table, which holds the same figures

    @property
    def display_rows(self) -> list[list[str]]:
        return [[_format(cell) for cell in row] for row in self.rows]

    @property
    def display_total(self) -> list[str] | None:
        return [_format(cell) for cell in self.total] if self.total else None

    def csv_rows(self) -> list[list[str]]:
        rows = [self.columns, *self.display_rows]
        return rows + [self.display_total] if self.total else rows


@dataclass
class Section:
    slug: str
    title: str
    tables: list[Table] = field(default_factory=list)
    note: str = ""


@dataclass
class AnnualReport:
    year: AcademicYear
    previous: AcademicYear | None
    school: School | None
    sections: list[Section]
    goals: Table
    goal_rounds: Table
    narrative: ReportNarrative | None
    fingerprint: str

    @property
    def scope_name(self) -> str:
        return self.school.name if self.school else "The whole district"

    @property
    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables] + [
            self.goals,
            self.goal_rounds,
        ]


class _Years:
    def __init__(self, year: AcademicYear, previous: AcademicYear | None, current: dict, before: dict | None):
        self.year, self.previous, self.current, self.before = year, previous, current, before

    @property
    def columns(self) -> list[str]:
        return [self.year.name, self.previous.name if self.previous else "Previous year", "Change"]

    def pick(self, *path, default=0):
        return _dig(self.current, path, default), (
            _dig(self.before, path, default) if self.before is not None else NOT_AVAILABLE
        )

    def row(self, label: str, *path, default=0) -> list:
        now, then = self.pick(*path, default=default)
        return [label, now, then, _change(now, then)]

    def table(self, slug: str, title: str, label: str, rows: list[list], note: str = "") -> Table:
        return Table(slug=slug, title=title, columns=[label, *self.columns], rows=rows, note=note)


def _dig(data, path, default):
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return default
        data = data[key]
    return data


def _keys_of(years: _Years, *path) -> list[str]:
    """The labels that appear in either year, most frequent this year first."""
    now = _dig(years.current, path, {}) or {}
    then = _dig(years.before, path, {}) if years.before else {}

    def weight(key):
        value = now.get(key, 0)
        return -value if isinstance(value, int | float) else 0

    return sorted(set(now) | set(then or {}), key=lambda key: (weight(key), key))


# --- Sections ----------------------------------------------------------------------------------------


def _overview(y: _Years) -> Section:
    rows = [
        y.row("Officers assigned", "overview", "officers"),
        y.row("Schools with an officer", "overview", "schools"),
        y.row("Primary assignments", "overview", "primary"),
        y.row("Backup assignments", "overview", "backup"),
        y.row("Selection cycles", "overview", "cycles"),
        y.row("Selection cycles decided", "overview", "decided"),
        y.row("Candidates considered", "overview", "candidates"),
    ]
    return Section(
        "overview",
        "Program overview",
        [y.table("overview", "Officers, assignments and selection", "Figure", rows)],
    )


def _training(y: _Years) -> Section:
    minimum = y.current["training"]["minimum_hours"]
    rows = [
        y.row("Verified training hours", "training", "hours"),
        y.row("Officers with verified training this year", "training", "officers_trained"),
        y.row(
            f"Officers meeting the yearly minimum ({_format(minimum)} hours)" if minimum is not None
            else "Officers meeting the yearly minimum (no minimum set)",
            "training", "officers_meeting_minimum", default=None,
        ),
        y.row("Officers holding every required course at the year's end", "training", "officers_compliant"),
        y.row("District training sessions held", "training", "sessions"),
        y.row("Attendances at district sessions", "training", "session_attendances"),
    ]  # fmt: skip
    return Section(
        "training", "Training", [y.table("training", "Training hours and compliance", "Figure", rows)]
    )


def _agreements(y: _Years) -> Section:
    rows = [
        y.row("Versions in force at the year's end", "agreements", "versions_in_force"),
        y.row("Versions published", "agreements", "versions_published"),
        y.row("Signatures", "agreements", "signatures"),
        y.row("Acknowledgements recorded", "agreements", "acknowledgements"),
        y.row(
            "Acknowledgement rate of the statements in force (%)",
            "agreements",
            "acknowledgement_rate",
            default=None,
        ),
        y.row("Expectation meetings held", "agreements", "meetings"),
        y.row("Action items from those meetings", "agreements", "action_items"),
        y.row("Action items done", "agreements", "action_items_done"),
    ]
    note = "Agreements are the district's: these figures are the same in every school's report."
    return Section(
        "agreements",
        "Agreements",
        [y.table("agreements", "Agreements, signatures and meetings", "Figure", rows)],
        note=note,
    )


def _activity(y: _Years) -> Section:
    summary = [
        y.row("Contacts logged", "activity", "contacts"),
        y.row("Students served (each counted once)", "activity", "students_served"),
        y.row("Students present but not named", "activity", "students_unnamed"),
        y.row("Share of time as mentor or teacher (%)", "activity", "prevention_share", default=None),
        y.row(
            "Matters returned to administration",
            "activity",
            "outcomes",
            Outcome.RETURNED_TO_ADMINISTRATION.value,
        ),
    ]
    roles = [y.row(role.label, "activity", "by_role", role.value) for role in OfficerRole]
    hours = []
    for role in OfficerRole:
        now, then = y.pick("activity", "minutes_by_role", role.value)
        now = round(now / 60, 1) if now is not None else None
        then = round(then / 60, 1) if then is not None else None
        hours.append([role.label, now, then, _change(now, then)])
    categories = [
        y.row(name, "activity", "by_category", name) for name in _keys_of(y, "activity", "by_category")
    ]
    months = [y.row(month, "activity", "by_month", month) for month in MONTHS]
    schools = [y.row(name, "activity", "by_school", name) for name in _keys_of(y, "activity", "by_school")]
    initiators = [y.row(who.label, "activity", "by_initiator", who.value) for who in Initiator]
    outcomes = [y.row(outcome.label, "activity", "outcomes", outcome.value) for outcome in Outcome]
    # Only the pairs counted in either year: most of the 42 are empty in any district.
    counted = set(_dig(y.current, ("activity", "initiator_outcome"), {}) or {})
    counted |= set(_dig(y.before, ("activity", "initiator_outcome"), {}) or {}) if y.before else set()
    started_and_ended = [
        y.row(
            f"{who.label}: {outcome.label}", "activity", "initiator_outcome", f"{who.value}:{outcome.value}"
        )  # noqa: E501
        for who in Initiator
        for outcome in Outcome
        if f"{who.value}:{outcome.value}" in counted
    ]
    referrals = [y.row(service.label, "activity", "referrals", service.value) for service in ReferralService]
    tables = [
        y.table("activity-summary", "Contacts and students", "Figure", summary),
        y.table("activity-by-role", "Contacts in each of the three roles", "Role", roles),
        y.table("activity-hours-by-role", "Hours in each of the three roles", "Role", hours),
        y.table("activity-by-category", "Contacts by category", "Category", categories),
        y.table("activity-by-month", "Contacts by month", "Month", months),
        y.table("activity-by-school", "Contacts by school", "School", schools),
        y.table("activity-initiators", "Who started the contact", "Started by", initiators),
        y.table("activity-outcomes", "How each involved student's matter ended", "Outcome", outcomes,
                note="One per involved student."),
        y.table("activity-initiators-by-outcome", "Who started the contact, and how it ended",
                "Started by: outcome", started_and_ended,
                note="One per involved student; only the pairs counted in either year."),
        y.table("activity-referrals", "Referrals to services from cases", "Service", referrals),
    ]  # fmt: skip
    series = [y.year.name] + ([y.previous.name] if y.before is not None else [])
    for table in (tables[4], tables[2]):  # by month; hours by role
        table.chart = bar_chart(
            title=table.title,
            series=series,
            rows=[(row[0], [row[1]] + ([row[2]] if y.before is not None else [])) for row in table.rows],
        )
    return Section("activity", "Activity", tables)


def _enforcement(y: _Years) -> Section:
    flags = (("referral", "Referrals to law enforcement"), ("arrest", "School-related arrests"))
    now_enf = y.current["enforcement"]
    then_enf = y.before["enforcement"] if y.before is not None else None
    now_schools = now_enf["schools"]
    then_schools = then_enf["schools"] if then_enf else {}
    names = sorted(set(now_schools) | set(then_schools))
    columns, rows, total = ["School"], [[name] for name in names], ["All schools"]
    for flag, label in flags:
        for measure in ("instances", "students"):
            for enforcement, year_name in ((now_enf, y.year.name), (then_enf, y.columns[1])):
                columns.append(f"{label}, {measure}, {year_name}")
                if enforcement is None:
                    for row in rows:
                        row.append(NOT_AVAILABLE)
                    total.append(NOT_AVAILABLE)
                    continue
                values = [_dig(enforcement["schools"], (name, flag, measure), 0) for name in names]
                # A student referred at two schools is one student in the district's total.
                column_total = sum(values) if measure == "instances" else enforcement["students"][flag]
                cells, shown_total = suppress(values, column_total)
                for row, cell in zip(rows, cells, strict=True):
                    row.append(cell)
                total.append(shown_total)
    crdc = Table(
        slug="law-enforcement-by-school",
        title="Referrals to law enforcement and school-related arrests, by school",
        columns=columns,
        rows=rows,
        total=total,
        note="Instances count each action; students count each student once.",
    )
    per_100 = []
    for name in sorted(set(_dig(y.current, ("enforcement", "by_school"), {})) | set(then_schools)):
        now = _rate(_dig(y.current, ("enforcement", "by_school", name), None))
        then = _rate(_dig(y.before, ("enforcement", "by_school", name), None)) if y.before else NOT_AVAILABLE
        per_100.append([name, now, then, _change(now, then)])
    overall = [
        "All schools",
        _rate(
            {"contacts": y.current["enforcement"]["contacts"], "actions": y.current["enforcement"]["actions"]}
        ),
    ]
    if y.before is not None:
        overall.append(
            _rate(
                {
                    "contacts": y.before["enforcement"]["contacts"],
                    "actions": y.before["enforcement"]["actions"],
                }
            )
        )
    else:
        overall.append(NOT_AVAILABLE)
    overall.append(_change(overall[1], overall[2]))
    rate_table = y.table(
        "law-enforcement-per-100-contacts",
        "Law-enforcement actions per 100 contacts",
        "School",
        per_100,
        note="Any action but none, one per involved student, per 100 contacts logged.",
    )
    rate_table.total = overall
    tables = [crdc, rate_table]
    note = ""
    if settings.SRO_DEMOGRAPHICS_ENABLED:
        for field_name, (title, choices) in DEMOGRAPHIC_FIELDS.items():
            tables.append(_demographic_table(y, field_name, title, choices, flags))
    else:
        note = (
            "The district keeps no student demographics, so the civil-rights tables by disability, "
            "race and ethnicity, sex and English-learner status are not shown."
        )
    return Section("law-enforcement", "Law-enforcement actions", tables, note=note)


def _rate(counts: dict | None):
    if not counts or not counts.get("contacts"):
        return 0.0 if counts is None else None
    actions = counts["actions"]
    if 0 < actions < settings.SRO_SMALL_COUNT_THRESHOLD:
        return SUPPRESSED  # a rate and the published contacts would give the small count away
    return round(100 * actions / counts["contacts"], 1)


def _demographic_table(y: _Years, field_name: str, title: str, choices, flags) -> Table:
    columns = ["Group"]
    rows = [[label] for _, label in choices]
    total = ["All students"]
    for flag, label in flags:
        for figures, year_name in ((y.current, y.year.name), (y.before, y.columns[1])):
            columns.append(f"{label}, students, {year_name}")
            if figures is None:
                for row in rows:
                    row.append(NOT_AVAILABLE)
                total.append(NOT_AVAILABLE)
                continue
            counts = _dig(figures, ("enforcement", "demographics", field_name, flag), {}) or {}
            values = [counts.get(value, 0) for value, _ in choices]
            cells, shown = suppress(values, sum(values))
            for row, cell in zip(rows, cells, strict=True):
                row.append(cell)
            total.append(shown)
    return Table(
        slug=f"law-enforcement-by-{field_name.replace('_', '-')}",
        title=f"Students referred or arrested, by {title.lower()}",
        columns=columns,
        rows=rows,
        total=total,
        note="Each student once. Counts below the district's threshold are suppressed, "
        "and so is one more where a hidden count could be worked out.",
    )


def _incidents(y: _Years, types: list[tuple[str, str]], window: tuple) -> Section:
    flag_labels = {"weapon": "With a weapon", "drugs": "Drugs", "alcohol": "Alcohol", "gang": "Gang",
                   "hate_or_bias": "Hate or bias"}  # fmt: skip
    columns = ["Incident type", y.year.name, *[flag_labels[flag] for flag in INCIDENT_FLAGS], *y.columns[1:]]
    rows = []
    for pk, name in types:
        now = _dig(y.current, ("incidents", "by_type", pk), {})
        count = now.get("n", 0)
        then = _dig(y.before, ("incidents", "by_type", pk, "n"), 0) if y.before else NOT_AVAILABLE
        rows.append([name, count, *[now.get(flag, 0) for flag in INCIDENT_FLAGS], then, _change(count, then)])
    now_total = y.current["incidents"]["total"]
    then_total = y.before["incidents"]["total"] if y.before else NOT_AVAILABLE
    flag_totals = [sum(row[2 + i] for row in rows) for i in range(len(INCIDENT_FLAGS))]
    total = ["All incidents", now_total, *flag_totals, then_total, _change(now_total, then_total)]
    start, end = window
    table = Table(
        slug="incidents-by-type",
        title="Incidents by type (New York SSEC categories)",
        columns=columns,
        rows=rows,
        total=total,
        note=f"Reporting year {start:%B %-d, %Y} to {end:%B %-d, %Y}; submitted and closed reports.",
    )
    return Section("incidents", "Incidents", [table])


def _feedback(y: _Years) -> Section:
    score_rows = []
    for key in _keys_of(y, "feedback", "scores"):
        audience, theme = key.split(":")
        label = f"{Audience(audience).label}: {Theme(theme).label}"
        now, then = y.pick("feedback", "scores", key, default=None)
        now = SUPPRESSED if now == "suppressed" else now
        then = SUPPRESSED if then == "suppressed" else then
        score_rows.append([label, now, then, _change(now, then)])
    rates = [
        y.row(f"{audience.label} (%)", "feedback", "response_rates", audience.value, default=None)
        for audience in Audience
    ]
    actions = [y.row(status.label, "feedback", "actions", status.value) for status in ActionStatus]
    concerns = [
        y.row(
            f"{kind.label}s: {status.label.lower()}", "feedback", "concerns", f"{kind.value}:{status.value}"
        )
        for kind in ConcernKind
        for status in ConcernStatus
    ]
    answers = [y.row("Answers received", "feedback", "responses")]
    tables = [
        y.table("feedback-responses", "Survey answers", "Figure", answers),
        y.table("feedback-scores", "Mean scores by audience and theme (1 to 5)", "Audience and theme",
                score_rows, note=f"Groups under {settings.FEEDBACK_MIN_GROUP_SIZE} people show no score."),
        y.table("feedback-response-rates", "Response rates by audience", "Audience", rates),
        y.table("feedback-improvement-actions", "Improvement actions by status", "Status", actions),
        y.table("feedback-complaints-commendations", "Complaints and commendations, with their outcomes",
                "Kind and outcome", concerns),
    ]  # fmt: skip
    return Section("feedback", "Feedback", tables)


# --- Goals of the agreement ----------------------------------------------------------------------------


def _small(count):
    """A count of law-enforcement actions, hidden below the threshold as in the civil-rights tables."""
    return SUPPRESSED if 0 < count < settings.SRO_SMALL_COUNT_THRESHOLD else count


def _instances(figures: dict, flag: str):
    return _small(sum(row[flag]["instances"] for row in figures["enforcement"]["schools"].values()))


def _score(value):
    return SUPPRESSED if value == "suppressed" else value


# How the report works out each figure a goal may name (agreements.models.GoalFigure) from one year's
# figures; whether a rise or a fall is progress is agreements.models.LOWER_IS_BETTER.
GOAL_FIGURES = {
    GoalFigure.ARRESTS: lambda f: _instances(f, "arrest"),
    GoalFigure.REFERRALS: lambda f: _instances(f, "referral"),
    GoalFigure.ACTIONS_PER_100: lambda f: _rate(
        {"contacts": f["enforcement"]["contacts"], "actions": f["enforcement"]["actions"]}
    ),
    GoalFigure.RETURNED: lambda f: f["activity"]["outcomes"].get(Outcome.RETURNED_TO_ADMINISTRATION.value, 0),
    GoalFigure.PREVENTION_SHARE: lambda f: f["activity"]["prevention_share"],
    GoalFigure.STUDENTS_SERVED: lambda f: f["activity"]["students_served"],
    GoalFigure.CONTACTS: lambda f: f["activity"]["contacts"],
    GoalFigure.ACTIONS_DONE: lambda f: _dig(f, ("feedback", "actions", ActionStatus.DONE.value), 0),
    GoalFigure.COMPLAINTS: lambda f: sum(
        n for key, n in f["feedback"]["concerns"].items() if key.startswith(f"{ConcernKind.COMPLAINT.value}:")
    ),
    GoalFigure.STUDENT_ROLE_SCORE: lambda f: _score(
        _dig(f, ("feedback", "scores", f"{Audience.STUDENTS.value}:{Theme.ROLE.value}"), None)
    ),
}


def _direction(now, then, *, lower_is_better: bool) -> str:
    """Whether the figure moved the way the goal wants against the year before."""
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (now, then)):
        return "—"
    diff = round(now - then, 2)
    if diff == 0:
        return "no change"
    return "better" if (diff < 0) == lower_is_better else "worse"


def _goals(y: _Years, goals: list[dict]) -> Table:
    rows = []
    for goal in goals:
        head = [goal["statement"], goal["measure"], goal["target"] or "—"]
        if not goal["figure"] or goal["figure"] not in GOAL_FIGURES:
            what = "measured by survey rounds" if goal["surveyed"] else "no figure chosen"
            rows.append([*head, what, None, None, None, "—"])
            continue
        figure = GoalFigure(goal["figure"])
        compute = GOAL_FIGURES[figure]
        now = compute(y.current)
        then = compute(y.before) if y.before is not None else NOT_AVAILABLE
        direction = _direction(now, then, lower_is_better=figure in LOWER_IS_BETTER)
        rows.append([*head, figure.label, now, then, _change(now, then), direction])
    return Table(
        slug="goals",
        title="Progress against the agreement's goals",
        columns=["Goal", "Measure", "Target", "Figure", *y.columns, "Against the goal"],
        rows=rows,
        note="Against the goal: better or worse than the year before, in the direction the figure names.",
    )


# --- The report ---------------------------------------------------------------------------------------


def _with_totals(figures: dict) -> dict:
    """District-wide arrests, and each flag's distinct students across schools (for the totals row)."""
    schools = figures["enforcement"]["schools"]
    figures["enforcement"]["arrests_total"] = sum(row["arrest"]["instances"] for row in schools.values())
    return figures


def _point(point) -> object:
    if point.suppressed:
        return SUPPRESSED
    return point.value


def goal_rounds_table(*, year: AcademicYear, previous: AcademicYear | None, school: School | None) -> Table:
    """Each goal measured by survey rounds (``feedback.selectors.goals``): its figure at the
    baseline, mid-year and end-of-year rounds of the year, against its target, and the end of the
    year before. Survey figures are the district's (rounds ask across schools); small groups hidden."""
    rounds, responses = SurveyRound.objects.all(), SurveyResponse.objects.all()
    now = goal_figures(year=year, rounds=rounds, responses=responses)
    before = (
        {g.goal.pk: g for g in goal_figures(year=previous, rounds=rounds, responses=responses)}
        if previous
        else {}
    )
    rows = []
    for goal in now:
        if goal.measure is None:
            continue
        measure = f"{Theme(goal.measure.theme).label}: {goal.measure.get_figure_display()}"
        points = [_point(p) for p in goal.phases]
        end_before = _point(before[goal.goal.pk].phases[-1]) if goal.goal.pk in before else None
        reached = goal.phases[-1].reached
        rows.append(
            [
                goal.goal.statement,
                measure,
                goal.measure.target if goal.measure.target is not None else "—",
                *points,
                end_before,
                "—" if reached is None else ("reached" if reached else "below target"),
            ]
        )
    note = "Survey figures for the whole district." if school else ""
    if not rows:
        note = "No goal of the agreement is measured by survey rounds yet."
    return Table(
        slug="goal-rounds",
        title="Goals measured by survey rounds (baseline, mid-year, end of year)",
        columns=["Goal", "Figure", "Target", "Baseline", "Mid-year", "End of year",
                 f"End of {previous}" if previous else "End of the year before",
                 "End of year against target"],
        rows=rows,
        note=note,
    )  # fmt: skip


def narrative_for(*, year: AcademicYear, school: School | None) -> ReportNarrative | None:
    return ReportNarrative.objects.filter(academic_year=year, school=school).first()


def annual_report(*, year: AcademicYear, school: School | None) -> AnnualReport:
    """The report for ``year``, district-wide (``school`` None) or for one school, against the year before."""
    school_ids = [school.pk] if school else None
    previous = annual_figures.previous_year(year=year)
    current = _with_totals(annual_figures.year_figures(year=year, school_ids=school_ids))
    before = (
        _with_totals(annual_figures.year_figures(year=previous, school_ids=school_ids)) if previous else None
    )
    types = annual_figures.incident_types()
    goals = annual_figures.goals()
    narrative = narrative_for(year=year, school=school)
    goal_rounds = goal_rounds_table(year=year, previous=previous, school=school)
    y = _Years(year, previous, current, before)
    sections = [
        _overview(y),
        _training(y),
        _agreements(y),
        _activity(y),
        _enforcement(y),
        _incidents(y, types, annual_figures.ssec_window(year=year)),
        _feedback(y),
    ]
    digest = hashlib.sha256(
        json.dumps(
            {
                "year": [year.pk, year.name, str(year.start_date), str(year.end_date)],
                "previous": previous.pk if previous else None,
                "school": [school.pk, school.name] if school else None,
                "current": current,
                "before": before,
                "types": types,
                "goals": goals,
                "goal_rounds": [goal_rounds.rows, goal_rounds.columns],
                "narrative": [narrative.highlights, narrative.challenges, narrative.next_year_goals]
                if narrative
                else None,
                "rules": [settings.SRO_SMALL_COUNT_THRESHOLD, settings.FEEDBACK_MIN_GROUP_SIZE,
                          settings.SRO_DEMOGRAPHICS_ENABLED],
            },
            sort_keys=True,
            default=str,
        ).encode()
    ).hexdigest()  # fmt: skip
    return AnnualReport(
        year=year,
        previous=previous,
        school=school,
        sections=sections,
        goals=_goals(y, goals),
        goal_rounds=goal_rounds,
        narrative=narrative,
        fingerprint=digest,
    )
