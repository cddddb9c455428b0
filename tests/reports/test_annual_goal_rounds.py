"""The annual report's goals measured by survey rounds: each goal's figure at the year's baseline,
mid-year and end-of-year rounds against its target, beside the end of the year before, with small
groups suppressed, checked against hand-counted answers; in the CSV zip too."""

import io
import zipfile
from decimal import Decimal

import pytest

from agreements.models import Goal
from feedback.models import Figure, Phase, Theme
from feedback.services.goals import goal_measure_set
from reports.selectors.annual import SUPPRESSED, annual_report
from reports.services.annual_exports import report_csv_zip
from tests.agreements.factories import agreement_with_version
from tests.feedback.factories import campaign_for, survey_with_questions
from tests.feedback.test_goals import answer, rounds_of
from tests.reports.annual_factories import years

pytestmark = pytest.mark.django_db


def test_goal_rounds_against_the_target_and_the_year_before(settings, coordinator, school, officer):
    settings.FEEDBACK_MIN_GROUP_SIZE = 5
    last, before = years()
    agreement, _version = agreement_with_version(by=coordinator, publish=False)
    goal = Goal.objects.create(
        agreement=agreement, code="feel-safe", statement="Students and staff feel safe",
        measure="Share who agree they feel safe", target="80% or more",
    )  # fmt: skip
    Goal.objects.create(agreement=agreement, code="other", statement="Unmeasured goal", measure="Words")
    survey = survey_with_questions()
    campaign = campaign_for(survey=survey, created_by=coordinator, schools=[school], officers=[officer])
    goal_measure_set(
        goal=goal, campaign=campaign, theme=Theme.SAFETY, figure=Figure.AGREE, target=Decimal(80)
    )
    now, then = rounds_of(campaign, last), rounds_of(campaign, before)
    # Last year. Baseline 5, 4, 4, 2, 1: 3 of 5 agree (60%). Mid-year: 4 answers, under the smallest
    # group. End of year 5, 5, 4, 4, 4, 3: 5 of 6 agree (83.3%), the target of 80 reached.
    for scale in (5, 4, 4, 2, 1):
        answer(now[Phase.BASELINE], survey, scale=scale)
    for scale in (5, 5, 5, 5):
        answer(now[Phase.MID_YEAR], survey, scale=scale)
    for scale in (5, 5, 4, 4, 4, 3):
        answer(now[Phase.END_OF_YEAR], survey, scale=scale)
    # The year before, end of year 4, 4, 2, 2, 1: 2 of 5 agree (40%).
    for scale in (4, 4, 2, 2, 1):
        answer(then[Phase.END_OF_YEAR], survey, scale=scale)

    report = annual_report(year=last, school=None)
    table = report.goal_rounds
    assert table.columns[-2:] == ["End of 2024-2025", "End of year against target"]
    (row,) = table.rows  # the unmeasured goal has no row here (the goals table carries it)
    assert [row[0], *row[2:]] == [
        "Students and staff feel safe",
        Decimal(80),
        60.0,
        SUPPRESSED,
        83.3,
        40.0,
        "reached",
    ]
    assert row[1].startswith("Feeling safe")
    with zipfile.ZipFile(io.BytesIO(report_csv_zip(report=report))) as archive:
        (name,) = [n for n in archive.namelist() if "goal-rounds" in n]
        text = archive.read(name).decode("utf-8-sig")
    assert "83.3" in text and "suppressed" in text

    # The oldest year has nothing before it, and no answers: the figures are empty, not zero.
    (older,) = annual_report(year=before, school=None).goal_rounds.rows
    assert older[3:] == [None, None, 40.0, None, "below target"]
