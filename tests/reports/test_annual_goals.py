"""The annual report's goals table: each goal shows the program figure it names, this year against the
year before, and whether the figure moved the way the goal wants, checked against hand-counted
fixtures; goals with no figure say how they are measured instead."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from agreements.models import LOWER_IS_BETTER, Goal, GoalFigure
from district.models import AcademicYear
from feedback.models import GoalMeasure, Theme
from incidents.models import EnforcementAction
from reports.selectors.annual import GOAL_FIGURES, NOT_AVAILABLE, SUPPRESSED, _direction, annual_report
from tests.agreements.factories import agreement_with_version
from tests.feedback.factories import campaign_for, survey_with_questions
from tests.officers.factories import AssignmentFactory, OfficerFactory
from tests.reports.annual_factories import contact, referral, student, years

pytestmark = pytest.mark.django_db

LAST_DAY, BEFORE_DAY = datetime.date(2025, 10, 6), datetime.date(2024, 11, 4)


@pytest.fixture
def program(settings, school, officer_user, agency, coordinator):
    """Last year: 5 referrals of 5 students and 3 mentoring contacts, 30 minutes each (8 contacts,
    5 actions, 5 matters returned to administration, 3 of 8 half-hours as mentor). The year before:
    6 referrals of 6 students and 4 mentoring contacts (10 contacts, 6 actions, 6 returned, 4 of 10)."""
    settings.SRO_SMALL_COUNT_THRESHOLD = 5
    last, before = years()
    officer = OfficerFactory(user=officer_user, agency=agency)
    for year in (last, before):
        AssignmentFactory(officer=officer, school=school, academic_year=year)
    for day, referrals, mentoring in ((LAST_DAY, 5, 3), (BEFORE_DAY, 6, 4)):
        for _ in range(referrals):
            referral(officer=officer, school=school, day=day, student=student(school=school))
        for _ in range(mentoring):
            contact(officer=officer, school=school, day=day)
    agreement, _version = agreement_with_version(by=coordinator, publish=False)
    return last, before, officer, agreement


def _goal(agreement, code, figure=""):
    return Goal.objects.create(
        agreement=agreement, code=code, statement=f"Goal {code}", measure="In words", figure=figure
    )


def _rows(report) -> dict:
    return {row[0]: row[3:] for row in report.goals.rows}


def test_each_goal_shows_its_figure_against_the_year_before_and_which_way_it_moved(program):
    last, _, _, agreement = program
    _goal(agreement, "a-referrals", GoalFigure.REFERRALS)
    _goal(agreement, "b-rate", GoalFigure.ACTIONS_PER_100)
    _goal(agreement, "c-contacts", GoalFigure.CONTACTS)
    _goal(agreement, "d-returned", GoalFigure.RETURNED)
    _goal(agreement, "e-arrests", GoalFigure.ARRESTS)
    _goal(agreement, "f-share", GoalFigure.PREVENTION_SHARE)
    report = annual_report(year=last, school=None)
    assert report.goals.columns == [
        "Goal", "Measure", "Target", "Figure", "2025-2026", "2024-2025", "Change", "Against the goal",
    ]  # fmt: skip
    rows = _rows(report)
    # Fewer is better: 6 referrals down to 5 is progress; 60 actions per 100 contacts up to 62.5 is not.
    assert rows["Goal a-referrals"] == [GoalFigure.REFERRALS.label, 5, 6, "−1", "better"]
    assert rows["Goal b-rate"] == [GoalFigure.ACTIONS_PER_100.label, 62.5, 60.0, "+2.5", "worse"]
    # More is better: 10 contacts down to 8, 6 matters returned down to 5, 40% as mentor down to 38%.
    assert rows["Goal c-contacts"] == [GoalFigure.CONTACTS.label, 8, 10, "−2", "worse"]
    assert rows["Goal d-returned"] == [GoalFigure.RETURNED.label, 5, 6, "−1", "worse"]
    assert rows["Goal f-share"] == [GoalFigure.PREVENTION_SHARE.label, 38, 40, "−2", "worse"]
    # None in either year: counted, and no change.
    assert rows["Goal e-arrests"] == [GoalFigure.ARRESTS.label, 0, 0, "no change", "no change"]


def test_a_rise_is_progress_when_more_is_better(program, school):
    last, _, officer, agreement = program
    _goal(agreement, "contacts", GoalFigure.CONTACTS)
    _goal(agreement, "referrals", GoalFigure.REFERRALS)
    for _ in range(3):  # 11 contacts against 10; 8 referrals against 6
        referral(officer=officer, school=school, day=LAST_DAY, student=student(school=school))
    rows = _rows(annual_report(year=last, school=None))
    assert rows["Goal contacts"][1:] == [11, 10, "+1", "better"]
    assert rows["Goal referrals"][1:] == [8, 6, "+2", "worse"]


def test_a_small_count_of_arrests_is_suppressed_as_in_the_civil_rights_tables(program, school):
    last, _, officer, agreement = program
    _goal(agreement, "arrests", GoalFigure.ARRESTS)
    for _ in range(2):
        referral(
            officer=officer, school=school, day=LAST_DAY, student=student(school=school),
            action=EnforcementAction.CUSTODIAL_ARREST, arrest=True,
        )  # fmt: skip
    rows = _rows(annual_report(year=last, school=None))
    assert rows["Goal arrests"][1:] == [SUPPRESSED, 0, None, "—"]


def test_the_oldest_year_has_no_direction(program):
    _, before, _, agreement = program
    _goal(agreement, "contacts", GoalFigure.CONTACTS)
    rows = _rows(annual_report(year=before, school=None))
    assert rows["Goal contacts"][1:] == [10, NOT_AVAILABLE, None, "—"]


def test_a_goal_with_no_figure_says_how_it_is_measured(program, coordinator, school):
    last, _, officer, agreement = program
    surveyed = _goal(agreement, "surveyed")
    _goal(agreement, "words")
    campaign = campaign_for(
        survey=survey_with_questions(), created_by=coordinator, schools=[school], officers=[officer]
    )
    GoalMeasure.objects.create(goal=surveyed, campaign=campaign, theme=Theme.SAFETY)
    rows = _rows(annual_report(year=last, school=None))
    assert rows["Goal surveyed"] == ["measured by survey rounds", None, None, None, "—"]
    assert rows["Goal words"] == ["no figure chosen", None, None, None, "—"]


def test_the_fingerprint_changes_with_the_goals_figure(program):
    last, _, _, agreement = program
    goal = _goal(agreement, "contacts", GoalFigure.CONTACTS)
    first = annual_report(year=last, school=None).fingerprint
    assert annual_report(year=last, school=None).fingerprint == first
    goal.figure = GoalFigure.STUDENTS_SERVED
    goal.save()
    assert annual_report(year=last, school=None).fingerprint != first


def test_every_figure_on_the_menu_is_computed_from_a_year_with_nothing_in_it(program):
    _, before, _, agreement = program
    for figure in GoalFigure:
        _goal(agreement, figure.value, figure)
    assert set(GOAL_FIGURES) == set(GoalFigure)
    rows = _rows(annual_report(year=before, school=None))
    for figure in GoalFigure:
        label, _now, then, change, direction = rows[f"Goal {figure.value}"]
        assert (label, then, change, direction) == (figure.label, NOT_AVAILABLE, None, "—")


def test_the_demo_report_follows_each_demo_goal_by_its_figure(db):
    call_command("seed_demo", "--scale=0.05", stdout=StringIO())
    year = AcademicYear.objects.get(is_current=True)
    rows = {row[0]: row for row in annual_report(year=year, school=None).goals.rows}
    figures = {goal.statement: goal.get_figure_display() for goal in Goal.objects.filter(is_active=True)}
    assert len(figures) == 3
    for statement, label in figures.items():
        assert rows[statement][3] == label
        assert rows[statement][7] in {"better", "worse", "no change", "—"}


@pytest.mark.parametrize(
    ("now", "then", "lower", "expected"),
    [
        (3, 5, True, "better"),
        (5, 3, True, "worse"),
        (5, 3, False, "better"),
        (3, 5, False, "worse"),
        (4.0, 4, False, "no change"),
        (SUPPRESSED, 5, True, "—"),
        (3, None, True, "—"),
    ],
)
def test_direction(now, then, lower, expected):
    assert _direction(now, then, lower_is_better=lower) == expected


def test_fewer_is_better_exactly_for_the_counts_of_harm():
    assert {
        GoalFigure.ARRESTS,
        GoalFigure.REFERRALS,
        GoalFigure.ACTIONS_PER_100,
        GoalFigure.COMPLAINTS,
    } == LOWER_IS_BETTER
    for figure in GoalFigure:
        assert ("fewer is better" in figure.label) == (figure in LOWER_IS_BETTER)
