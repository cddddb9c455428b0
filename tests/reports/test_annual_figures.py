"""The annual report's figures against hand-counted fixtures: the CRDC tables with small counts
suppressed (and their complements), zero shown as zero, and the year-on-year column."""

from __future__ import annotations

import datetime

import pytest

from district.roles import Role
from incidents.models import EnforcementAction, Incident, IncidentStatus, IncidentType, OfficerRole
from reports.selectors.annual import SUPPRESSED, annual_report, suppress
from tests.district.factories import UserFactory
from tests.officers.factories import AssignmentFactory, OfficerFactory
from tests.reports.annual_factories import contact, referral, student, years

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(settings):
    settings.SRO_SMALL_COUNT_THRESHOLD = 5
    settings.SRO_DEMOGRAPHICS_ENABLED = True
    return settings


@pytest.fixture
def district(rules, school, other_school, officer_user, agency):
    """Last year: 7 referrals of 6 students at the high school (one student twice), 2 referrals of 2
    students at the middle school, 3 mentoring contacts and 1 lesson at the high school. The year
    before: 5 referrals of 5 students at the high school, nothing at the middle school."""
    last, before = years()
    officer = OfficerFactory(user=officer_user, agency=agency)
    other = OfficerFactory(user=UserFactory(roles=[Role.SRO]), agency=agency)
    AssignmentFactory(officer=officer, school=school, academic_year=last)
    AssignmentFactory(officer=other, school=other_school, academic_year=last)
    AssignmentFactory(officer=officer, school=school, academic_year=before)
    day = datetime.date(2025, 10, 6)
    high = [student(school=school) for _ in range(5)] + [student(school=school, disability="idea")]
    for person in high:
        referral(officer=officer, school=school, day=day, student=person)
    referral(officer=officer, school=school, day=day + datetime.timedelta(days=1), student=high[0])
    for _ in range(2):
        referral(
            officer=other,
            school=other_school,
            day=day,
            student=student(school=other_school, disability="section_504"),
        )
    for _ in range(3):
        contact(officer=officer, school=school, day=day, anonymous=4)
    contact(officer=officer, school=school, day=datetime.date(2026, 2, 2), role=OfficerRole.TEACHER)
    for _ in range(5):
        referral(
            officer=officer, school=school, day=datetime.date(2024, 11, 4), student=student(school=school)
        )
    return last, before


def _table(report, slug):
    return next(table for table in report.tables if table.slug == slug)


def _row(table, label):
    return next(row for row in table.rows if row[0] == label)


def test_suppress_hides_small_counts_and_one_more_so_none_can_be_worked_out(rules):
    assert suppress([6, 2], 8) == ([SUPPRESSED, SUPPRESSED], 8)
    # One small cell among others: the smallest published one goes too; zero stays zero.
    assert suppress([9, 7, 2, 0], 18) == ([9, SUPPRESSED, SUPPRESSED, 0], 18)
    # Two small cells hide each other; nothing more is needed.
    assert suppress([9, 2, 3], 14) == ([9, SUPPRESSED, SUPPRESSED], 14)
    # A small cell beside zeros only: the total would give it away, so the total goes.
    assert suppress([3, 0, 0], 3) == ([SUPPRESSED, 0, 0], SUPPRESSED)
    assert suppress([3, 0, 0], 7) == ([SUPPRESSED, 0, 0], SUPPRESSED)
    assert suppress([0, 0], 0) == ([0, 0], 0)
    assert suppress([5, 0], 5) == ([5, 0], 5)


def test_referrals_and_arrests_by_school_count_instances_and_students_apart(district, school, other_school):
    last, _ = district
    table = _table(annual_report(year=last, school=None), "law-enforcement-by-school")
    assert table.columns[:5] == [
        "School",
        "Referrals to law enforcement, instances, 2025-2026",
        "Referrals to law enforcement, instances, 2024-2025",
        "Referrals to law enforcement, students, 2025-2026",
        "Referrals to law enforcement, students, 2024-2025",
    ]
    high, middle = _row(table, school.name), _row(table, other_school.name)
    # Last year: 7 and 2 instances, 6 and 2 students: the 2s are under 5, and each column's other
    # cell goes with them, since the published total would give a lone hidden cell away.
    assert high[1] is SUPPRESSED and middle[1] is SUPPRESSED
    assert high[3] is SUPPRESSED and middle[3] is SUPPRESSED
    assert table.total[1] == 9 and table.total[3] == 8
    # The year before: 5 at the high school, none at the middle school (a zero, shown).
    assert (high[2], middle[2], table.total[2]) == (5, 0, 5)
    assert (high[4], middle[4], table.total[4]) == (5, 0, 5)
    # No school-related arrests in either year: counted, and none.
    assert high[5:] == [0, 0, 0, 0] and middle[5:] == [0, 0, 0, 0]
    assert table.display_rows[0][5:] == ["0", "0", "0", "0"]


def test_students_by_disability_are_suppressed_below_the_threshold(district):
    last, _ = district
    table = _table(annual_report(year=last, school=None), "law-enforcement-by-disability")
    assert [row[0] for row in table.rows] == ["None", "IDEA", "Section 504 only", "Not reported"]
    # Last year's referrals: 5 with none, 1 IDEA, 2 Section 504 only (both small: they hide each other).
    assert [row[1] for row in table.rows] == [5, SUPPRESSED, SUPPRESSED, 0]
    assert table.total[1] == 8
    # The year before: 5 with none.
    assert [row[2] for row in table.rows] == [5, 0, 0, 0]


def test_every_figure_sits_beside_the_previous_years(district):
    last, _ = district
    report = annual_report(year=last, school=None)
    roles = _table(report, "activity-by-role")
    assert roles.columns == ["Role", "2025-2026", "2024-2025", "Change"]
    assert _row(roles, "Law enforcement")[1:] == [9, 5, "+4"]
    assert _row(roles, "Informal counselor and mentor")[1:] == [3, 0, "+3"]
    assert _row(roles, "Teacher")[1:] == [1, 0, "+1"]
    summary = _table(report, "activity-summary")
    assert _row(summary, "Contacts logged")[1:] == [13, 5, "+8"]
    assert _row(summary, "Students served (each counted once)")[1:] == [8, 5, "+3"]
    assert _row(summary, "Students present but not named")[1:] == [12, 0, "+12"]
    assert _row(summary, "Matters returned to administration")[1:] == [9, 5, "+4"]
    overview = _table(report, "overview")
    assert _row(overview, "Officers assigned")[1:] == [2, 1, "+1"]
    months = _table(report, "activity-by-month")
    assert _row(months, "Oct")[1:] == [12, 0, "+12"] and _row(months, "Nov")[1:] == [0, 5, "−5"]
    per_100 = _table(report, "law-enforcement-per-100-contacts")
    # 9 actions in 13 contacts; 5 in 5 the year before.
    assert per_100.total[1:] == [69.2, 100.0, "−30.8"]


def test_the_oldest_year_has_nothing_to_compare_with(district):
    _, before = district
    report = annual_report(year=before, school=None)
    assert report.previous is None
    row = _row(_table(report, "activity-summary"), "Contacts logged")
    assert row[1:] == [5, None, None]
    assert _table(report, "activity-summary").display_rows[0][2:] == ["—", "—"]


def test_one_schools_report_counts_that_school_only(district, other_school):
    last, _ = district
    report = annual_report(year=last, school=other_school)
    assert _row(_table(report, "activity-summary"), "Contacts logged")[1:] == [2, 0, "+2"]
    table = _table(report, "law-enforcement-by-school")
    assert [row[0] for row in table.rows] == [other_school.name]


def test_incidents_follow_the_ssec_year_july_to_june(district, school, officer_user):
    last, _ = district
    parent = IncidentType.objects.filter(parent=None).order_by("position").first()
    child = IncidentType.objects.create(name="A sub-category for the test", parent=parent)
    officer = officer_user.officer
    dates = [
        (datetime.date(2025, 7, 1), IncidentStatus.SUBMITTED, True),
        (datetime.date(2026, 6, 30), IncidentStatus.CLOSED, False),
        (datetime.date(2026, 1, 5), IncidentStatus.DRAFT, True),
        (datetime.date(2025, 6, 30), IncidentStatus.SUBMITTED, False),
    ]
    import uuid

    from tests.reports.annual_factories import at

    for day, status, weapon in dates:
        Incident.objects.create(
            key=uuid.uuid4(), officer=officer, author=officer_user, school=school, occurred_at=at(day),
            incident_type=child, status=status, weapon=weapon,
        )  # fmt: skip
    table = _table(annual_report(year=last, school=None), "incidents-by-type")
    row = _row(table, parent.name)
    # July 1 and June 30 are in; the draft is not; June 30 of the year before counts there.
    assert row[1] == 2 and row[2] == 1
    assert row[-2:] == [1, "+1"]
    assert len(table.rows) == IncidentType.objects.filter(parent=None).count()


def test_the_fingerprint_changes_with_the_figures_and_only_then(district, school):
    last, _ = district
    first = annual_report(year=last, school=None).fingerprint
    assert annual_report(year=last, school=None).fingerprint == first
    contact(officer=school.interactions.first().officer, school=school, day=datetime.date(2026, 3, 3))
    assert annual_report(year=last, school=None).fingerprint != first


def test_no_demographics_no_civil_rights_split(district, settings):
    settings.SRO_DEMOGRAPHICS_ENABLED = False
    last, _ = district
    report = annual_report(year=last, school=None)
    assert not any(table.slug == "law-enforcement-by-disability" for table in report.tables)
    section = next(section for section in report.sections if section.slug == "law-enforcement")
    assert "keeps no student demographics" in section.note


def test_arrests_count_only_when_school_related(rules, school, officer_user, agency):
    last, _ = years()
    officer = OfficerFactory(user=officer_user, agency=agency)
    day = datetime.date(2025, 9, 9)
    for related in (True, False):
        referral(officer=officer, school=school, day=day, student=student(school=school),
                 action=EnforcementAction.CUSTODIAL_ARREST, arrest=related)  # fmt: skip
    table = _table(annual_report(year=last, school=None), "law-enforcement-by-school")
    row = _row(table, school.name)
    # One school-related arrest (under 5: suppressed, and the total with it as it stands alone).
    assert row[5] is SUPPRESSED and table.total[5] is SUPPRESSED


def test_feedback_scores_hide_small_groups_and_rates_count_answered_invitations(rules, school, coordinator):
    from feedback.models import Answer, Invitation, InvitationStatus, Response
    from tests.feedback.factories import campaign_for, open_round, survey_with_questions

    rules.FEEDBACK_MIN_GROUP_SIZE = 5
    last, before = years()
    staff_survey = survey_with_questions()
    student_survey = survey_with_questions(audience="students", title="Student pulse")
    for survey, year, people, score in (
        (staff_survey, last, 6, 4), (staff_survey, before, 5, 3), (student_survey, last, 4, 5),
    ):  # fmt: skip
        round_ = open_round(campaign=campaign_for(survey=survey, created_by=coordinator, schools=[school]),
                            opens_on=year.start_date + datetime.timedelta(days=60))  # fmt: skip
        question = survey.questions.get(kind="scale")
        for n in range(people):
            response = Response.objects.create(round=round_, school=school)
            Answer.objects.create(response=response, question=question, value=score if n else score - 1)
        for n in range(people * 2):
            Invitation.objects.create(
                round=round_, email=f"{survey.pk}-{year.pk}-{n}@example.org", school=school,
                status=InvitationStatus.ANSWERED if n < people else InvitationStatus.SENT,
            )  # fmt: skip
    report = annual_report(year=last, school=None)
    scores = _table(report, "feedback-scores")
    # Staff: five answers of 4 and one of 3 (mean 3.83), against four of 3 and one of 2 (2.8).
    assert _row(scores, "Staff: Feeling safe")[1:] == [3.83, 2.8, "+1.03"]
    # Students: four people, under the smallest group: no score; no student survey the year before.
    assert _row(scores, "Students: Feeling safe")[1:] == [SUPPRESSED, None, None]
    rates = _table(report, "feedback-response-rates")
    assert _row(rates, "Staff (%)")[1:] == [50, 50, "no change"]
    assert _row(_table(report, "feedback-responses"), "Answers received")[1:] == [10, 5, "+5"]


def test_who_started_the_contact_against_how_it_ended(district, school, officer_user):
    """Every referral of the fixture was started by a student and went back to administration: 9
    involved students last year, 5 the year before. A teacher's contact whose student was referred
    to the counselor adds a pair of its own; pairs counted in neither year are left out. Rows follow
    the form's order of who starts a contact."""
    from incidents.models import InteractionStudent, Involvement
    from officers.models import Officer

    last, _before = district
    started = contact(
        officer=Officer.objects.get(user=officer_user),
        school=school,
        day=datetime.date(2026, 3, 2),
        initiator="teacher",
    )
    InteractionStudent.objects.create(
        interaction=started, student=student(school=school), involvement=Involvement.INVOLVED,
        outcome="referred_counselor", action=EnforcementAction.NONE,
    )  # fmt: skip
    table = _table(annual_report(year=last, school=None), "activity-initiators-by-outcome")
    assert table.rows == [
        ["A teacher: Referred to the counselor", 1, 0, "+1"],
        ["A student: Returned to administration", 9, 5, "+4"],
    ]
