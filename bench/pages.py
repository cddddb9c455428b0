# ruff: noqa: E501, S608 - the floors are SQL written out whole, built from constants only
"""The pages ``bench.run`` times, each beside its floor: the bare SQL that yields the same figures.

A page is one line in ``PAGES``: who asks, how to build the request, its target (95th percentile,
in ms) and its floor. A page whose URL does not exist yet (the reports pages until they are built)
is listed as "not built yet" instead of failing the run.
"""

from __future__ import annotations

import datetime
import itertools
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db import connection, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from sro_program.pagination import LIST_COUNT_CAP as CAP

# The names typed into the type-ahead, in turn: common family-name and given-name beginnings.
SEARCHES = ["sm", "gar", "jo", "nguy", "li", "mar", "ol", "wil", "kow", "pat", "ha", "be"]
NOTE_WORDS = "bus loop"  # in many notes: the capped count stops early
RARE_WORD = "trampoline"  # in none: the whole table is searched


@dataclass
class Context:
    """What the requests and floors need: the people, the officer's schools, a student, a category."""

    coordinator: object
    sro: object
    officer_id: int
    school_id: int
    school_ids: list[int]
    student_number: str
    category_id: int
    counter: itertools.count = field(default_factory=itertools.count)

    @property
    def today(self) -> datetime.date:
        return timezone.localdate()


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    data: dict | None = None
    expect: int = 200


@dataclass(frozen=True)
class Page:
    label: str
    user: str  # "coordinator" or "sro"
    request: Callable[[Context], Request | None]  # None: the page is not built yet
    floor: Callable[[Context], list[tuple[str, list]]] | None = None
    target_ms: float | None = None
    # Work timed as a call rather than a request (the PDF, which a Celery worker draws): returns
    # the number of queries it ran. Timed ``slow_repeat`` times at most.
    call: Callable[[Context], int] | None = None


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _get(name: str, query: str = "", *args) -> Callable[[Context], Request | None]:
    def build(ctx: Context) -> Request | None:
        url = _url(name, *args)
        return None if url is None else Request("GET", url + query)

    return build


# --- the requests -----------------------------------------------------------------------------------


def quick_log_post(ctx: Context) -> Request:
    """A new interaction with one student, a new submit key each time (so each one is saved)."""
    now = timezone.localtime()
    data = {
        "key": str(uuid.uuid4()),
        "school": ctx.school_id,
        "occurred_on": now.date().isoformat(),
        "occurred_time": now.strftime("%H:%M"),
        "officer_role": "mentor",
        "category": ctx.category_id,
        "initiator": "student",
        "outcome_all": "resolved",
        "action_all": "none",
        "anonymous_students": "0",
        "duration_minutes": "10",
        "place": "Cafeteria",
        "narrative": "checked in at lunch about the week.",
        "students-TOTAL_FORMS": "1",
        "students-INITIAL_FORMS": "0",
        "students-MIN_NUM_FORMS": "0",
        "students-MAX_NUM_FORMS": "20",
        "students-0-student": ctx.student_number,
        "students-0-involvement": "involved",
        "students-0-outcome": "",
        "students-0-action": "",
        "students-0-arrest_school_related": "",
    }
    return Request("POST", reverse("incidents:interaction_create"), data, expect=302)


def type_ahead(ctx: Context) -> Request:
    text = SEARCHES[next(ctx.counter) % len(SEARCHES)]
    return Request("GET", reverse("incidents:student_search") + f"?q={text}")


# --- the floors: the bare SQL behind the same figures ----------------------------------------------


def _schools_today(ctx: Context) -> tuple[str, list]:
    return (
        "SELECT DISTINCT s.id, s.name FROM district_school s JOIN officers_assignment a ON a.school_id = s.id "
        "WHERE a.officer_id = %s AND a.start_date <= %s AND a.end_date >= %s ORDER BY s.name",
        [ctx.officer_id, ctx.today, ctx.today],
    )


def floor_quick_log(ctx: Context) -> list[tuple[str, list]]:
    """The officer's schools today, the categories, and the officer's last categories."""
    return [
        _schools_today(ctx),
        ("SELECT id, name FROM incidents_category WHERE active ORDER BY position, name", []),
        (
            "SELECT DISTINCT category_id FROM (SELECT category_id FROM incidents_interaction "
            "WHERE author_id = %s ORDER BY occurred_at DESC, id DESC LIMIT 30) recent",
            [ctx.sro.pk],
        ),
    ]


def floor_quick_log_save(ctx: Context) -> list[tuple[str, list]]:
    """One interaction and its student written (a copy of the officer's last one; rolled back)."""
    columns = _interaction_columns()
    listed = ", ".join(columns)
    copied = ", ".join("gen_random_uuid()" if c == "key" else c for c in columns)
    return [
        (
            f"WITH new AS (INSERT INTO incidents_interaction ({listed}) SELECT {copied} "
            "FROM incidents_interaction WHERE author_id = %s ORDER BY occurred_at DESC LIMIT 1 RETURNING id) "
            "INSERT INTO incidents_interactionstudent (interaction_id, student_id, involvement, outcome, action, "
            "crdc_referral, crdc_school_related_arrest) SELECT new.id, st.id, 'involved', 'resolved', 'none', "
            "false, false FROM new, district_student st WHERE st.student_number = %s",
            [ctx.sro.pk, ctx.student_number],
        )
    ]


def _interaction_columns() -> list[str]:
    from incidents.models import Interaction

    return [f.column for f in Interaction._meta.concrete_fields if not f.primary_key]


def floor_type_ahead(ctx: Context) -> list[tuple[str, list]]:
    prefix = "gar%"
    return [
        (
            "SELECT st.id, st.given_name, st.family_name, st.student_number, st.grade, sc.name "
            "FROM district_student st JOIN district_school sc ON sc.id = st.school_id "
            "WHERE st.active AND st.school_id = ANY(%s) AND (st.student_number LIKE %s "
            "OR UPPER(st.given_name) LIKE UPPER(%s) OR UPPER(st.family_name) LIKE UPPER(%s)) "
            "ORDER BY st.family_name, st.given_name, st.id LIMIT 10",
            [ctx.school_ids, prefix, prefix, prefix],
        )
    ]


_LIST_ROWS = (
    "SELECT i.id, i.occurred_at, i.officer_role, i.duration_minutes, s.name, c.name, o.family_name "
    "FROM incidents_interaction i JOIN district_school s ON s.id = i.school_id "
    "JOIN incidents_category c ON c.id = i.category_id JOIN officers_officer o ON o.id = i.officer_id "
)


def floor_list(ctx: Context) -> list[tuple[str, list]]:
    """The list's count as the paginator takes it (up to its cap) and its first page of 25."""
    return [
        (f"SELECT count(*) FROM (SELECT 1 FROM incidents_interaction LIMIT {CAP + 1}) capped", []),
        (_LIST_ROWS + "ORDER BY i.occurred_at DESC, i.id DESC LIMIT 25", []),
    ]


def floor_own_list(ctx: Context) -> list[tuple[str, list]]:
    return [
        (
            f"SELECT count(*) FROM (SELECT 1 FROM incidents_interaction WHERE author_id = %s LIMIT {CAP + 1}) c",
            [ctx.sro.pk],
        ),
        (_LIST_ROWS + "WHERE i.author_id = %s ORDER BY i.occurred_at DESC, i.id DESC LIMIT 25", [ctx.sro.pk]),
    ]


def floor_note_search(words: str, *, rows: bool = True) -> Callable[[Context], list[tuple[str, list]]]:
    """The capped count of the notes with ``words`` and, when some match (``rows``), the first page;
    with none the paginator asks for no page."""
    return lambda ctx: _floor_note_search(words)[: 2 if rows else 1]


def _floor_note_search(words: str) -> list[tuple[str, list]]:
    """The same full-text match as the list's search (the expression of the GIN index), compiled by
    the ORM so that the floor reads the index exactly as the page does."""
    from django.contrib.postgres.search import SearchQuery

    from incidents.models import Interaction, note_search_vector

    matching = Interaction.objects.annotate(words=note_search_vector()).filter(
        words=SearchQuery(words, config="simple", search_type="plain")
    )
    count_sql, count_params = matching.values("pk")[: CAP + 1].query.sql_with_params()
    page_sql, page_params = (
        matching.order_by("-occurred_at", "-pk")
        .values_list("pk", "occurred_at", "school_id", "officer_id", "category_id", "officer_role")[:25]
        .query.sql_with_params()
    )
    return [(f"SELECT count(*) FROM ({count_sql}) c", list(count_params)), (page_sql, list(page_params))]


def _term_start(day: datetime.date) -> datetime.date:
    """Terms start on 1 July and 1 January."""
    return datetime.date(day.year, 7 if day.month >= 7 else 1, 1)


def floor_dashboard(ctx: Context) -> list[tuple[str, list]]:
    """This term's and last term's interactions by category and school, and the focus figures."""
    this_term = _term_start(ctx.today)
    last_term = _term_start(this_term - datetime.timedelta(days=1))
    return [
        (
            "SELECT occurred_at >= %s AS this_term, category_id, school_id, count(*), sum(duration_minutes) "
            "FROM incidents_interaction WHERE occurred_at >= %s GROUP BY 1, 2, 3",
            [this_term, last_term],
        ),
        (
            "SELECT i.officer_role, st.action, st.outcome, count(*) FROM incidents_interactionstudent st "
            "JOIN incidents_interaction i ON i.id = st.interaction_id WHERE i.occurred_at >= %s GROUP BY 1, 2, 3",
            [this_term],
        ),
        ("SELECT count(*) FROM incidents_followup WHERE done_at IS NULL AND due_on < %s", [ctx.today]),
    ]


def floor_annual_report(ctx: Context) -> list[tuple[str, list]]:
    """Last school year's activity by role, category, month and school; students served; the civil
    rights counts per school."""
    start = datetime.date(ctx.today.year - (1 if ctx.today.month >= 7 else 2), 7, 1)
    end = start.replace(year=start.year + 1)
    return [
        (
            "SELECT officer_role, category_id, date_trunc('month', occurred_at), school_id, initiator, count(*), "
            "sum(duration_minutes) FROM incidents_interaction WHERE occurred_at >= %s AND occurred_at < %s "
            "GROUP BY 1, 2, 3, 4, 5",
            [start, end],
        ),
        (
            "SELECT i.school_id, st.outcome, st.action, count(*), count(DISTINCT st.student_id), "
            "count(*) FILTER (WHERE st.crdc_referral), count(*) FILTER (WHERE st.crdc_school_related_arrest) "
            "FROM incidents_interactionstudent st JOIN incidents_interaction i ON i.id = st.interaction_id "
            "WHERE i.occurred_at >= %s AND i.occurred_at < %s GROUP BY 1, 2, 3",
            [start, end],
        ),
    ]


def _last_year() -> str:
    today = timezone.localdate()
    start = today.year - (1 if today.month >= 7 else 2)
    return f"{start}-{start + 1}"


def _report(name: str) -> Callable[[Context], Request | None]:
    """The reports pages, when they exist: for the last full school year (by its id or its name)."""

    def build(ctx: Context) -> Request | None:
        from district.models import AcademicYear

        year = AcademicYear.objects.filter(name=_last_year()).first()
        url = _url(name) or (year and (_url(name, year.pk) or _url(name, year.name)))
        return None if not url else Request("GET", url)

    return build


def _last_year_object():
    from district.models import AcademicYear

    return AcademicYear.objects.filter(name=_last_year()).first()


def annual_pdf(ctx: Context) -> int:
    """What the worker does for a PDF of last year's district report: the figures, the HTML and
    WeasyPrint's drawing (the build row and its claim aside). Returns the queries it ran."""
    from django.test.utils import CaptureQueriesContext

    from agreements.services.pdf import html_to_pdf
    from reports.selectors.annual import annual_report
    from reports.services.annual import report_html

    with CaptureQueriesContext(connection) as queries:
        report = annual_report(year=_last_year_object(), school=None)
        html_to_pdf(html=report_html(report=report))
    return len(queries)


def _not_a_request(ctx: Context) -> Request | None:
    return Request("CALL", "") if _last_year_object() is not None else None


# fmt: off
PAGES: list[Page] = [
    Page("quick log (SRO)", "sro", _get("incidents:interaction_create"), floor_quick_log, 100),
    Page("quick log save (SRO)", "sro", quick_log_post, floor_quick_log_save, 100),
    Page("student type-ahead (SRO)", "sro", type_ahead, floor_type_ahead, 50),
    Page("interaction list (coordinator)", "coordinator", _get("incidents:interaction_list"), floor_list, 150),
    Page("interaction list, own (SRO)", "sro", _get("incidents:interaction_list"), floor_own_list, 150),
    Page("note search (coordinator)", "coordinator", _get("incidents:interaction_list", f"?text={NOTE_WORDS.replace(' ', '+')}"), floor_note_search(NOTE_WORDS), 150),
    Page("note search, a word in no note", "coordinator", _get("incidents:interaction_list", f"?text={RARE_WORD}"), floor_note_search(RARE_WORD, rows=False), 150),  # noqa: E501
    # The reports pages: measured as soon as their URLs exist under these names.
    Page("dashboard (coordinator)", "coordinator", _get("reports:dashboard"), floor_dashboard, 100),
    Page("annual report (coordinator)", "coordinator", _report("reports:annual_report"), floor_annual_report, 2000),
    Page("annual report PDF (drawn by the worker)", "coordinator", _not_a_request, floor_annual_report, 10000, call=annual_pdf),  # noqa: E501
]
# fmt: on


# --- measuring ------------------------------------------------------------------------------------


SLOW_REPEAT = 5  # the PDF takes seconds: five drawings after a warm-up


@dataclass
class Measure:
    label: str
    median_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    floor_ms: float | None = None
    target_ms: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.p95_ms is None or not self.floor_ms:
            return None
        return self.median_ms / self.floor_ms


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile (0.95: the 95th percentile), interpolated between the nearest ranks."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = share * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def signed_in_client(user):
    """A test client signed in as ``user`` with a verified second factor, as after a real sign-in."""
    from django.test import Client
    from django_otp import login as otp_login
    from django_otp.plugins.otp_static.models import StaticDevice

    client = Client()
    client.force_login(user)
    device, _ = StaticDevice.objects.get_or_create(user=user, name="bench")
    session = client.session
    otp_login(SimpleNamespace(session=session, user=user), device)
    session.save()
    return client


def context_for(*, sro_username: str = "sro.garcia") -> Context:
    """The demo's coordinator and an officer with a school today, a student there and a category."""
    from district.models import Student, User
    from incidents.models import Category
    from incidents.selectors.officers import officer_for_user, officer_schools_today

    sro = User.objects.get(username=sro_username)
    officer = officer_for_user(user=sro)
    schools = list(officer_schools_today(officer=officer).values_list("pk", flat=True))
    student = Student.objects.filter(active=True, school_id__in=schools).order_by("pk").first()
    return Context(
        coordinator=User.objects.get(username="coordinator"),
        sro=sro,
        officer_id=officer.pk,
        school_id=schools[0],
        school_ids=schools,
        student_number=student.student_number,
        category_id=Category.objects.filter(active=True)
        .order_by("position", "pk")
        .values_list("pk", flat=True)[0],
    )


def time_floor(statements: list[tuple[str, list]], repeat: int) -> float:
    """Median milliseconds of running the statements once each (writes rolled back)."""
    times = []
    for _ in range(repeat + 1):
        with transaction.atomic():
            sid = transaction.savepoint()
            start = time.perf_counter()
            with connection.cursor() as cursor:
                for sql, params in statements:
                    cursor.execute(sql, params)
                    if cursor.description is not None:
                        cursor.fetchall()
            times.append((time.perf_counter() - start) * 1000)
            transaction.savepoint_rollback(sid)
    return statistics.median(times[1:])  # the first run warms the cache


def measure(page: Page, ctx: Context, clients: dict, repeat: int) -> Measure:
    """Time ``page`` ``repeat`` times after one warm-up request, with its query count and floor."""
    from django.test.utils import CaptureQueriesContext

    result = Measure(page.label, target_ms=page.target_ms)
    if page.request(ctx) is None:
        result.note = "not built yet"
        return result
    if page.call is not None:
        repeat = min(repeat, SLOW_REPEAT)
        times, counts = [], []
        for n in range(repeat + 1):
            start = time.perf_counter()
            count = page.call(ctx)
            if n:
                times.append((time.perf_counter() - start) * 1000)
                counts.append(count)
        result.median_ms, result.p95_ms, result.queries = (
            statistics.median(times),
            percentile(times, 0.95),
            max(counts),
        )
        if page.floor is not None:
            result.floor_ms = time_floor(page.floor(ctx), repeat)
        return result
    client = clients[page.user]
    times, counts = [], []
    for n in range(repeat + 1):
        request = page.request(ctx)
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.generic(
                request.method, request.url, _encoded(request.data), **_form_type(request)
            )
            elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != request.expect:
            raise AssertionError(f"{page.label}: {request.method} {request.url} gave {response.status_code}")
        if n:  # the first is the warm-up
            times.append(elapsed)
            counts.append(len(queries))
    result.median_ms = statistics.median(times)
    result.p95_ms = percentile(times, 0.95)
    result.queries = max(counts)
    if page.floor is not None:
        result.floor_ms = time_floor(page.floor(ctx), repeat)
    return result


def _encoded(data: dict | None) -> str:
    from urllib.parse import urlencode

    return urlencode(data or {})


def _form_type(request: Request) -> dict:
    return {"content_type": "application/x-www-form-urlencoded"} if request.method == "POST" else {}


def table(measures: list[Measure]) -> str:
    """The results as a Markdown table."""
    lines = [
        "| page | median ms | p95 ms | target p95 | queries | SQL floor ms | median / floor |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for m in measures:
        if m.median_ms is None:
            lines.append(f"| {m.label} | {m.note} | | {_ms(m.target_ms)} | | | |")
            continue
        met = "" if m.target_ms is None else (" ✓" if m.p95_ms < m.target_ms else " ✗")
        ratio = "" if m.ratio is None else f"{m.ratio:.1f}×"
        lines.append(
            f"| {m.label} | {m.median_ms:.0f} | {m.p95_ms:.0f}{met} | {_ms(m.target_ms)} | {m.queries} "
            f"| {_ms(m.floor_ms, 1)} | {ratio} |"
        )
    return "\n".join(lines)


def _ms(value: float | None, digits: int = 0) -> str:
    return "" if value is None else f"{value:.{digits}f}"
