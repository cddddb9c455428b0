"""The program's goals measured by rounds: a baseline, a mid-year pulse and an end-of-year round per
campaign and year (one of each, the database's constraint turned into a form error), each goal's
figure at each against its target, small groups suppressed, and a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agreements.models import Goal
from feedback.models import Figure, GoalMeasure, Phase, Response, Round, RoundStatus, Theme
from feedback.selectors.goals import goal_figures
from feedback.services.goals import goal_measure_set, goal_round_set_up
from feedback.services.responses import _store, answers_clean
from tests.agreements.factories import agreement_with_version
from tests.district.factories import AcademicYearFactory
from tests.feedback.factories import answers_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal(coordinator):
    agreement, _version = agreement_with_version(by=coordinator, publish=False)
    return Goal.objects.create(
        agreement=agreement,
        code="feel-safe",
        statement="Students and staff feel safe",
        measure="Share who agree they feel safe",
        target="80% or more",
    )


def rounds_of(campaign, year):
    """The year's three goal rounds, set up through the service."""
    days = {Phase.BASELINE: 10, Phase.MID_YEAR: 150, Phase.END_OF_YEAR: 330}
    return {
        phase: goal_round_set_up(
            campaign=campaign,
            academic_year=year,
            phase=phase,
            opens_on=year.start_date + datetime.timedelta(days=offset),
        )
        for phase, offset in days.items()
    }


def answer(round, survey, *, scale, yes=True, officer=None):
    yes_no = survey.questions.get(position=4)
    rows = answers_clean(survey=survey, answers=answers_for(survey, scale=scale) | {yes_no.pk: yes})
    return _store(round=round, rows=rows, language="en", school_id=None,
                  officer_id=officer.pk if officer else None, email="")  # fmt: skip


def test_each_phase_once_per_campaign_and_year(campaign, academic_year):
    rounds = rounds_of(campaign, academic_year)
    assert {r.phase for r in rounds.values()} == set(Phase.values)
    assert all(
        r.status == RoundStatus.SCHEDULED and r.academic_year == academic_year for r in rounds.values()
    )
    with pytest.raises(ValidationError) as error:
        goal_round_set_up(
            campaign=campaign, academic_year=academic_year, phase=Phase.BASELINE,
            opens_on=academic_year.start_date + datetime.timedelta(days=20),
        )  # fmt: skip
    assert error.value.message_dict == {
        "phase": [f"This campaign already has its baseline round in {academic_year}."]
    }
    assert Round.objects.filter(campaign=campaign).count() == 3


def test_an_existing_round_of_that_day_is_tagged_not_doubled(campaign, academic_year):
    day = academic_year.start_date + datetime.timedelta(days=40)
    existing = Round.objects.create(campaign=campaign, opens_on=day, status=RoundStatus.CLOSED)
    tagged = goal_round_set_up(
        campaign=campaign, academic_year=academic_year, phase=Phase.MID_YEAR, opens_on=day
    )
    assert tagged.pk == existing.pk and tagged.phase == Phase.MID_YEAR and tagged.status == RoundStatus.CLOSED
    with pytest.raises(ValidationError) as error:
        goal_round_set_up(
            campaign=campaign, academic_year=academic_year, phase=Phase.END_OF_YEAR, opens_on=day
        )
    assert "already the mid-year pulse round" in str(error.value)


def test_a_goal_round_must_open_within_its_year(campaign, academic_year):
    with pytest.raises(ValidationError) as error:
        goal_round_set_up(
            campaign=campaign, academic_year=academic_year, phase=Phase.BASELINE,
            opens_on=academic_year.end_date + datetime.timedelta(days=1),
        )  # fmt: skip
    assert "opens_on" in error.value.message_dict
    assert not Round.objects.exists()


def test_the_same_phase_may_recur_in_another_year(campaign, academic_year):
    rounds_of(campaign, academic_year)
    next_year = AcademicYearFactory(
        name="next", start_date=academic_year.end_date + datetime.timedelta(days=1),
        end_date=academic_year.end_date.replace(year=academic_year.end_date.year + 1), is_current=False,
    )  # fmt: skip
    rounds_of(campaign, next_year)
    assert Round.objects.filter(phase=Phase.BASELINE).count() == 2


def test_a_measure_needs_a_question_the_figure_can_be_read_from(goal, campaign):
    with pytest.raises(ValidationError) as error:
        goal_measure_set(goal=goal, campaign=campaign, theme=Theme.TRUST, figure=Figure.MEAN)
    assert "theme" in error.value.message_dict
    with pytest.raises(ValidationError):  # the safety question is a scale, not yes/no
        goal_measure_set(goal=goal, campaign=campaign, theme=Theme.SAFETY, figure=Figure.YES)
    with pytest.raises(ValidationError) as error:
        goal_measure_set(
            goal=goal, campaign=campaign, theme=Theme.SAFETY, figure=Figure.MEAN, target=Decimal(7)
        )
    assert "target" in error.value.message_dict
    assert not GoalMeasure.objects.exists()
    measure = goal_measure_set(
        goal=goal, campaign=campaign, theme=Theme.SAFETY, figure=Figure.AGREE, target=80
    )
    again = goal_measure_set(goal=goal, campaign=campaign, theme=Theme.SAFETY, figure=Figure.MEAN, target=4)
    assert again.pk == measure.pk and GoalMeasure.objects.get().figure == Figure.MEAN


def test_figures_by_phase_hand_counted(goal, campaign, survey, academic_year):
    rounds = rounds_of(campaign, academic_year)
    goal_measure_set(
        goal=goal, campaign=campaign, theme=Theme.SAFETY, figure=Figure.AGREE, target=Decimal(80)
    )
    # Baseline: 5, 4, 4, 2, 1 -> 3 of 5 agree (60%), mean 16 / 5 = 3.2; yes 2 of 5.
    for scale, yes in ((5, True), (4, False), (4, True), (2, False), (1, False)):
        answer(rounds[Phase.BASELINE], survey, scale=scale, yes=yes)
    # Mid-year: only 4 answers -> not shown.
    for scale in (5, 5, 5, 5):
        answer(rounds[Phase.MID_YEAR], survey, scale=scale)
    # End of year: 5, 5, 4, 4, 4, 3 -> 5 of 6 agree (83.3%), mean 25 / 6 = 4.17.
    for scale in (5, 5, 4, 4, 4, 3):
        answer(rounds[Phase.END_OF_YEAR], survey, scale=scale)

    def figures():
        (row,) = goal_figures(
            year=academic_year, rounds=Round.objects.all(), responses=Response.objects.all()
        )
        return {p.phase: (p.value, p.people, p.suppressed, p.reached) for p in row.phases}

    assert figures() == {
        Phase.BASELINE: (60.0, 5, False, False),
        Phase.MID_YEAR: (None, 4, True, None),
        Phase.END_OF_YEAR: (83.3, 6, False, True),
    }
    goal_measure_set(goal=goal, campaign=campaign, theme=Theme.SAFETY, figure=Figure.MEAN)
    assert figures()[Phase.BASELINE] == (3.2, 5, False, None)  # no target: nothing to reach
    assert figures()[Phase.END_OF_YEAR][0] == 4.17
    goal_measure_set(goal=goal, campaign=campaign, theme=Theme.COMPLAINTS, figure=Figure.YES, target=40)
    assert figures()[Phase.BASELINE] == (40.0, 5, False, True)


def test_the_threshold_and_the_viewers_scope_apply(goal, campaign, survey, academic_year, officer, settings):
    rounds = rounds_of(campaign, academic_year)
    goal_measure_set(goal=goal, campaign=campaign, theme=Theme.SAFETY, figure=Figure.MEAN)
    for _ in range(3):
        answer(rounds[Phase.BASELINE], survey, scale=5, officer=officer)
    for _ in range(3):
        answer(rounds[Phase.BASELINE], survey, scale=1)
    mine = Response.objects.filter(officer=officer)
    (row,) = goal_figures(year=academic_year, rounds=Round.objects.all(), responses=mine)
    assert row.phases[0].suppressed and row.phases[0].value is None
    settings.FEEDBACK_MIN_GROUP_SIZE = 3
    (row,) = goal_figures(year=academic_year, rounds=Round.objects.all(), responses=mine)
    assert row.phases[0].value == 5.0
    (row,) = goal_figures(year=academic_year, rounds=Round.objects.all(), responses=Response.objects.all())
    assert row.phases[0].value == 3.0


def test_the_goals_page_shows_each_goal_against_its_target(verified_client, coordinator, goal, campaign,
                                                          survey, academic_year):  # fmt: skip
    rounds = rounds_of(campaign, academic_year)
    goal_measure_set(goal=goal, campaign=campaign, theme=Theme.SAFETY, figure=Figure.AGREE, target=80)
    for scale in (5, 5, 4, 4, 4, 3):
        answer(rounds[Phase.END_OF_YEAR], survey, scale=scale)
    for scale in (5, 5):
        answer(rounds[Phase.BASELINE], survey, scale=scale)
    verified_client.login(coordinator)
    page = verified_client.get(reverse("feedback:goal_results")).text
    assert "Students and staff feel safe" in page and "80% or more" in page
    assert "83.3%" in page and "Target reached" in page
    assert "Not shown (fewer than 5)" in page  # the baseline's two answers
    assert "No answers yet" in page  # the mid-year round has none
    assert reverse("feedback:goal_measure", args=[goal.pk]) in page


def test_the_goal_forms_save_and_refuse_with_form_errors(
    verified_client, coordinator, goal, campaign, academic_year
):
    verified_client.login(coordinator)
    url = reverse("feedback:goal_round_create", args=[campaign.pk])
    data = {"academic_year": academic_year.pk, "phase": Phase.BASELINE, "opens_on": academic_year.start_date}
    assert verified_client.post(url, data).status_code == 302
    again = verified_client.post(
        url, data | {"opens_on": academic_year.start_date + datetime.timedelta(days=1)}
    )
    assert again.status_code == 200 and "already has its baseline round" in again.text
    bad = verified_client.post(url, {"academic_year": "nope", "phase": "sometime", "opens_on": "yesterday"})
    assert bad.status_code == 200 and Round.objects.count() == 1
    measure_url = reverse("feedback:goal_measure", args=[goal.pk])
    refused = verified_client.post(
        measure_url, {"campaign": campaign.pk, "theme": Theme.TRUST, "figure": Figure.MEAN}
    )
    assert refused.status_code == 200 and "asks no" in refused.text and not GoalMeasure.objects.exists()
    saved = verified_client.post(
        measure_url, {"campaign": campaign.pk, "theme": Theme.SAFETY, "figure": Figure.AGREE, "target": "80"}
    )
    assert saved.status_code == 302 and GoalMeasure.objects.get().target == 80


def test_the_goals_page_runs_the_same_queries_with_ten_times_the_data(
    verified_client, coordinator, campaign, survey, academic_year
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    agreement, _version = agreement_with_version(by=coordinator, publish=False)
    verified_client.login(coordinator)

    def add(n):
        for i in range(n):
            code = f"g{Goal.objects.count()}-{i}"
            goal = Goal.objects.create(agreement=agreement, code=code, statement="A goal", measure="A figure")
            goal_measure_set(goal=goal, campaign=campaign, theme=Theme.SAFETY, figure=Figure.MEAN)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert verified_client.get(reverse("feedback:goal_results")).status_code == 200
        return len(queries)

    rounds = rounds_of(campaign, academic_year)
    add(1)
    for _ in range(5):
        answer(rounds[Phase.BASELINE], survey, scale=4)
    few = count()
    add(9)
    for phase in (Phase.MID_YEAR, Phase.END_OF_YEAR):
        for _ in range(25):
            answer(rounds[phase], survey, scale=3)
    assert count() == few
