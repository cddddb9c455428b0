"""The interaction summary stays equal to the logs it counts, whichever way the logs are written:
the quick log, an officer's edit, a deletion, the retention rule, a bulk insert, raw SQL."""

import datetime
import uuid

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from district.models import Student
from incidents.models import Interaction, InteractionStudent, OfficerRole
from incidents.selectors.focus import (
    enforcement_per_100_contacts,
    interactions_between,
    returned_to_administration,
    role_time_share,
    time_and_count_by_role_and_category,
)
from incidents.services.interactions import StudentEntry, interaction_update
from incidents.services.retention import retention_apply
from reports.models import InteractionSummary
from reports.selectors.dashboard import (
    Period,
    comparison_period,
    default_period,
    interaction_figures,
    interaction_figures_raw,
    split_by_month,
    summary_between,
)
from reports.services.summary import raw_figures, summary_differences, summary_figures, summary_rebuild
from tests.district.factories import StudentFactory
from tests.incidents.factories import category, log

pytestmark = pytest.mark.django_db


def assert_exact():
    differences = summary_differences()
    assert differences == {}, differences
    assert summary_figures(), "an empty summary proves nothing"


def _entry(student, outcome="resolved", action="none", **kwargs):
    return StudentEntry(student=student, outcome=outcome, action=action, **kwargs)


@pytest.fixture
def students(school):
    return [StudentFactory(school=school) for _ in range(4)]


@pytest.fixture
def logged(officer, school, students):
    s1, s2, s3, _ = students
    arrest = _entry(s1, "returned_to_administration", "custodial_arrest", arrest_school_related=True)
    return [
        log(
            author=officer.user,
            school=school,
            officer_role=OfficerRole.LAW_ENFORCEMENT,
            category=category("Criminal matter"),
            duration_minutes=30,
            students=[arrest, _entry(s2, "returned_to_administration"), StudentEntry(s3, "witness")],
        ),
        log(author=officer.user, school=school, duration_minutes=20, students=[_entry(s1)]),
        log(
            author=officer.user,
            school=school,
            officer_role=OfficerRole.TEACHER,
            category=category("Classroom presentation"),
            duration_minutes=50,
            anonymous_students=25,
        ),
    ]


def test_the_quick_log_is_counted_by_hand(logged, school, officer):
    assert_exact()
    today = timezone.localdate()
    rows = {
        (row.officer_role, row.category.name): row
        for row in InteractionSummary.objects.select_related("category").filter(day=today)
    }
    enforcement = rows[("law_enforcement", "Criminal matter")]
    assert (enforcement.contacts, enforcement.minutes, enforcement.school_id, enforcement.officer_id) == (
        1,
        30,
        school.pk,
        officer.pk,
    )
    assert (
        enforcement.students_involved,
        enforcement.witnesses,
        enforcement.enforcement_actions,
        enforcement.crdc_referrals,
        enforcement.crdc_arrests,
        enforcement.returned_to_administration,
    ) == (2, 1, 1, 1, 1, 2)
    teacher = rows[("teacher", "Classroom presentation")]
    assert (teacher.contacts, teacher.minutes, teacher.anonymous_students, teacher.students_involved) == (
        1,
        50,
        25,
        0,
    )


def test_an_officers_edit_moves_the_record_and_its_students(logged, officer, students, school):
    first = logged[0]
    s1, s2, _, s4 = students
    interaction_update(
        user=officer.user,
        interaction=first,
        school=school,
        occurred_at=first.occurred_at - datetime.timedelta(days=1),
        officer_role=OfficerRole.MENTOR,
        category=category("Family dynamics"),
        initiator=first.initiator,
        duration_minutes=45,
        # s1's arrest becomes a warning, s2 is taken off, s4 added, the witness removed.
        students=[_entry(s1, "guardian_contacted", "warning"), _entry(s4, "returned_to_administration")],
    )
    assert_exact()
    assert not InteractionSummary.objects.filter(category=category("Criminal matter")).exists()
    moved = InteractionSummary.objects.get(category=category("Family dynamics"))
    assert moved.day == timezone.localdate(first.occurred_at) - datetime.timedelta(days=1)
    assert (moved.minutes, moved.students_involved, moved.enforcement_actions, moved.crdc_arrests) == (
        45,
        2,
        1,
        0,
    )


def test_per_student_rows_changed_on_their_own(logged):
    row = InteractionStudent.objects.filter(action="custodial_arrest").get()
    row.action, row.crdc_referral, row.crdc_school_related_arrest = "none", False, False
    row.save()
    InteractionStudent.objects.filter(involvement="witness").delete()
    assert_exact()
    assert InteractionSummary.objects.filter(enforcement_actions__gt=0).count() == 0


def test_deleting_interactions_removes_their_rows(logged):
    Interaction.objects.filter(pk=logged[0].pk).delete()
    assert_exact()
    for interaction in logged[1:]:
        interaction.delete()
    assert InteractionSummary.objects.count() == 0
    assert raw_figures() == {}


def test_the_retention_rule_changes_no_figure(logged, coordinator):
    before = summary_figures()
    Student.objects.update(birth_date=datetime.date(1990, 1, 1))
    assert retention_apply(user=coordinator, interaction_ids=[i.pk for i in logged]) >= 1
    assert InteractionStudent.objects.filter(student__isnull=False).count() == 0
    assert summary_figures() == before
    assert_exact()


def test_a_bulk_insert_as_the_demo_seed_does(officer, school, students, logged):
    when = timezone.now() - datetime.timedelta(days=3)
    made = Interaction.objects.bulk_create(
        Interaction(
            key=uuid.uuid4(),
            officer=officer,
            author=officer.user,
            school=school,
            occurred_at=when - datetime.timedelta(hours=n),
            officer_role=[OfficerRole.MENTOR, OfficerRole.LAW_ENFORCEMENT][n % 2],
            category=category(),
            initiator="student",
            duration_minutes=10 + n,
            record_class="school",
        )
        for n in range(40)
    )
    InteractionStudent.objects.bulk_create(
        InteractionStudent(
            interaction=interaction,
            student=students[n % 4],
            involvement="involved",
            outcome=["resolved", "returned_to_administration"][n % 2],
            action=["none", "referral"][n % 2],
            crdc_referral=n % 2 == 1,
        )
        for n, interaction in enumerate(made)
    )
    assert_exact()
    assert sum(row["contacts"] for row in summary_figures().values()) == 43


def test_raw_sql_in_either_order_within_a_transaction(logged):
    """The foreign keys are deferred: an interaction may go before its students, or after."""
    first, second = logged[0], logged[1]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM incidents_interaction WHERE id = %s", [first.pk])
        cursor.execute("DELETE FROM incidents_interactionstudent WHERE interaction_id = %s", [first.pk])
        cursor.execute("UPDATE incidents_interaction SET duration_minutes = 99 WHERE id = %s", [second.pk])
    assert_exact()


def test_a_local_evening_counts_on_its_own_day(officer, school):
    evening = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() - datetime.timedelta(days=2), datetime.time(23, 30))
    )
    log(author=officer.user, school=school, when=evening)
    assert InteractionSummary.objects.get().day == timezone.localdate(evening)
    assert_exact()


def test_the_rebuild_gives_the_same_table(logged):
    before = summary_figures()
    InteractionSummary.objects.update(contacts=0)  # spoil it
    assert summary_differences()
    assert summary_rebuild() == len(before)
    assert summary_figures() == before
    call_command("summary_rebuild", "--check")


def test_the_summary_reproduces_the_focus_figures(logged, other_school, academic_year):
    today = timezone.localdate()
    start = today - datetime.timedelta(days=30)
    raw = interactions_between(start=start, end=today)
    summary = summary_between(start=start, end=today)
    share = role_time_share(interactions=raw)
    minutes = dict.fromkeys(OfficerRole.values, 0)
    for row in summary.values("officer_role", "minutes"):
        minutes[row["officer_role"]] += row["minutes"]
    assert minutes == share["minutes"]
    contacts = {
        (r["officer_role"], r["category__name"]): (r["contacts"], r["minutes"])
        for r in time_and_count_by_role_and_category(interactions=raw)
    }
    from_summary = {}
    for row in summary.select_related("category"):
        key = (row.officer_role, row.category.name)
        c, m = from_summary.get(key, (0, 0))
        from_summary[key] = (c + row.contacts, m + row.minutes)
    assert from_summary == contacts
    assert sum(row.returned_to_administration for row in summary) == returned_to_administration(
        interactions=raw
    )
    per_school = enforcement_per_100_contacts(interactions=raw, by="school")
    assert [(r["key"], r["contacts"], r["actions"]) for r in per_school] == [
        (
            school_id,
            sum(r.contacts for r in summary if r.school_id == school_id),
            sum(r.enforcement_actions for r in summary if r.school_id == school_id),
        )
        for school_id in sorted({r.school_id for r in summary})
    ]


def test_a_period_reads_whole_months_and_the_days_at_either_end():
    d = datetime.date
    # July from the 17th (15 of 31 days) is read day by day; August to October whole; November (29 of 30 days)
    # whole, less its last day.
    assert split_by_month(Period(d(2026, 7, 17), d(2026, 11, 29))) == (
        (d(2026, 8, 1), d(2026, 12, 1)),
        [(Period(d(2026, 7, 17), d(2026, 7, 31)), 1), (Period(d(2026, 11, 30), d(2026, 11, 30)), -1)],
    )
    assert split_by_month(Period(d(2026, 7, 1), d(2026, 9, 30))) == ((d(2026, 7, 1), d(2026, 10, 1)), [])
    # Most of February: the month less its first two days and its last day.
    assert split_by_month(Period(d(2026, 2, 3), d(2026, 2, 27))) == (
        (d(2026, 2, 1), d(2026, 3, 1)),
        [(Period(d(2026, 2, 1), d(2026, 2, 2)), -1), (Period(d(2026, 2, 28), d(2026, 2, 28)), -1)],
    )
    assert split_by_month(Period(d(2026, 2, 3), d(2026, 2, 9))) == (
        None,
        [(Period(d(2026, 2, 3), d(2026, 2, 9)), 1)],
    )
    assert split_by_month(Period(d(2026, 12, 1), d(2026, 12, 31))) == ((d(2026, 12, 1), d(2027, 1, 1)), [])


def test_the_figures_from_the_summaries_equal_the_logs_for_any_period(officer, school, students):
    """Logs spread over eight months, edited and deleted; then periods of whole months, of part
    months, of one day, with and without a school."""
    today = timezone.localdate()
    made = []
    for n in range(60):
        when = timezone.now() - datetime.timedelta(days=4 * n, hours=n % 5)
        interaction = Interaction.objects.create(
            key=uuid.uuid4(), officer=officer, author=officer.user, school=school, occurred_at=when,
            officer_role=list(OfficerRole)[n % 3], category=category(), initiator="student",
            duration_minutes=n, record_class="school",
        )  # fmt: skip
        InteractionStudent.objects.create(
            interaction=interaction, student=students[n % 4], involvement="involved",
            outcome=["resolved", "returned_to_administration"][n % 2], action=["none", "warning"][n % 2],
        )  # fmt: skip
        made.append(interaction)
    Interaction.objects.filter(pk=made[5].pk).update(
        occurred_at=made[5].occurred_at - datetime.timedelta(days=40)
    )
    InteractionStudent.objects.filter(interaction=made[7]).delete()
    made[7].delete()
    assert_exact()
    periods = [
        default_period(today=today),
        Period(today - datetime.timedelta(days=40), today - datetime.timedelta(days=12)),
        Period(today - datetime.timedelta(days=75), today - datetime.timedelta(days=50)),
        Period(today - datetime.timedelta(days=200), today),
        Period(today.replace(day=1) - datetime.timedelta(days=1), today),
        Period(today - datetime.timedelta(days=8), today - datetime.timedelta(days=8)),
    ]
    for period in periods:
        for school_ids in (None, [school.pk], []):
            expected = interaction_figures_raw(
                school_ids=school_ids, period=period, comparison=comparison_period(period)
            )
            assert (
                interaction_figures(
                    school_ids=school_ids, period=period, comparison=comparison_period(period)
                )
                == expected
            ), period
    long = periods[3]
    assert interaction_figures(school_ids=None, period=long, comparison=comparison_period(long))[
        "contacts"
    ] == sum(1 for i in Interaction.objects.all() if timezone.localdate(i.occurred_at) >= long.start)
