"""The feedback demo: two years of termly rounds with answers about the demo officers, an event per
officer, the default surveys; a second run adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from district.models import AcademicYear
from feedback.models import Audience, Campaign, CampaignKind, Phase, Response, Round, Survey
from feedback.selectors.goals import goal_figures
from officers.models import Officer, OfficerStatus

pytestmark = pytest.mark.django_db


def test_two_years_of_rounds_with_answers_for_every_demo_officer():
    call_command("seed_demo", "--scale=0.05", stdout=StringIO())
    assert set(Survey.objects.filter(is_default=True).values_list("audience", flat=True)) == set(
        Audience.values
    )
    staff = Campaign.objects.get(title="Staff survey, every term")
    rounds = Round.objects.filter(campaign=staff).order_by("opens_on")
    assert rounds.count() >= 3
    assert (rounds.last().opens_on - rounds.first().opens_on).days > 365
    for officer in Officer.objects.filter(status=OfficerStatus.ACTIVE):
        assert Response.objects.filter(officer=officer, round__campaign=staff).exists(), officer
        assert Campaign.objects.filter(kind=CampaignKind.EVENT, officers=officer).exists()
    assert not Response.objects.exclude(respondent_email="").exists()  # every demo answer is anonymous
    # Last year's rounds are its baseline, mid-year and end-of-year rounds; a demo goal reads them.
    last_year = AcademicYear.objects.filter(end_date__lt=timezone.localdate()).order_by("-start_date").first()
    tagged = Round.objects.filter(campaign=staff, academic_year=last_year).order_by("opens_on")
    assert [r.phase for r in tagged] == [Phase.BASELINE, Phase.MID_YEAR, Phase.END_OF_YEAR]
    (measured,) = [
        row
        for row in goal_figures(year=last_year, rounds=Round.objects.all(), responses=Response.objects.all())
        if row.measure
    ]
    assert all(point.value is not None for point in measured.phases)
    counts = (Round.objects.count(), Response.objects.count(), Round.objects.exclude(phase="").count())
    call_command("seed_demo", "--scale=0.05", stdout=StringIO())
    assert (
        Round.objects.count(),
        Response.objects.count(),
        Round.objects.exclude(phase="").count(),
    ) == counts
