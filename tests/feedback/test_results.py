"""Results: distribution, mean and count per question; small groups suppressed; each person sees only
the answers about their officers; the CSV export; query counts that do not grow with the data."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback import access
from feedback.models import Invitation, InvitationStatus, Response, Round
from feedback.selectors.results import round_summary
from feedback.services.responses import _store, answers_clean
from tests.feedback.factories import answers_for, campaign_for, open_round
from tests.officers.factories import AgencyFactory, OfficerFactory

pytestmark = pytest.mark.django_db


def answer(round, survey, *, scale=4, officer=None, school=None, text="Fine."):
    rows = answers_clean(
        survey=survey, answers=answers_for(survey, scale=scale) | {survey.questions.get(position=5).pk: text}
    )
    return _store(round=round, rows=rows, language="en", school_id=school.pk if school else None,
                  officer_id=officer.pk if officer else None, email="")  # fmt: skip


def test_distribution_mean_and_count_of_a_scale_question(round, survey, officer, school):
    for scale in (5, 5, 4, 2, 1):
        answer(round, survey, scale=scale, officer=officer, school=school)
    summary = round_summary(
        round=round, responses=Response.objects.all(), invitations=Invitation.objects.all()
    )
    assert not summary.suppressed and summary.responses == 5
    scale_result = summary.questions[0]
    assert scale_result.count == 5 and scale_result.mean == 3.4
    assert [count for _label, count, _pct in scale_result.rows] == [1, 1, 0, 1, 2]
    assert [pct for _label, _count, pct in scale_result.rows] == [20, 20, 0, 20, 40]
    assert len(summary.comments) == 5


def test_a_group_of_fewer_than_five_shows_nothing_but_a_note(
    client, verified_client, round, survey, coordinator, officer
):
    for _ in range(4):
        answer(round, survey, officer=officer, text="Only I would write this.")
    summary = round_summary(
        round=round, responses=Response.objects.all(), invitations=Invitation.objects.all()
    )
    assert summary.suppressed and summary.questions == [] and summary.comments == []
    verified_client.login(coordinator)
    page = verified_client.get(reverse("feedback:round_results", args=[round.pk])).text
    assert "Fewer than 5 answers" in page and "Only I would write this." not in page
    answer(round, survey, officer=officer)
    page = verified_client.get(reverse("feedback:round_results", args=[round.pk])).text
    assert "Fewer than 5 answers" not in page and "Only I would write this." in page


def test_the_threshold_is_a_setting(round, survey, settings):
    settings.FEEDBACK_MIN_GROUP_SIZE = 1
    answer(round, survey)
    assert not round_summary(
        round=round, responses=Response.objects.all(), invitations=Invitation.objects.all()
    ).suppressed


def test_the_response_rate_counts_answered_invitations(round, survey):
    Invitation.objects.bulk_create(
        Invitation(
            round=round, email=f"p{n}@district.example", status=InvitationStatus.ANSWERED if n < 3 else "sent"
        )
        for n in range(10)
    )
    summary = round_summary(
        round=round, responses=Response.objects.all(), invitations=Invitation.objects.all()
    )
    assert (summary.invited, summary.answered, summary.response_rate) == (10, 3, 30)


def test_an_officer_sees_only_the_answers_about_themself(round, survey, officer, coordinator):
    colleague = OfficerFactory(agency=AgencyFactory(name="Harbor City Police"))
    round.campaign.officers.add(colleague)
    for _ in range(5):
        answer(round, survey, officer=colleague, scale=1)
    for _ in range(5):
        answer(round, survey, officer=officer, scale=5)
    own = access.responses_for_user(user=officer.user)
    summary = round_summary(round=round, responses=own, invitations=Invitation.objects.all())
    assert summary.responses == 5 and summary.questions[0].mean == 5
    assert access.responses_for_user(user=coordinator).count() == 10


def test_the_trend_across_rounds_suppresses_small_rounds(
    verified_client, coordinator, survey, school, officer
):
    campaign = campaign_for(survey=survey, created_by=coordinator, schools=[school], officers=[officer])
    early = open_round(campaign=campaign, opens_on=timezone.localdate().replace(year=2024))
    late = open_round(campaign=campaign)
    for _ in range(5):
        answer(early, survey, scale=2)
    for _ in range(2):
        answer(late, survey, scale=5)
    verified_client.login(coordinator)
    trend = verified_client.get(reverse("feedback:round_results", args=[late.pk])).context["trend"]
    assert [(p.responses, p.mean, p.suppressed) for p in trend] == [(5, 2.0, False), (2, None, True)]


def test_the_csv_export_has_numbers_per_group_and_no_names(
    verified_client, coordinator, round, survey, officer, school
):
    for scale in (5, 4, 4, 3, 5):
        answer(round, survey, scale=scale, officer=officer, school=school)
    verified_client.login(coordinator)
    response = verified_client.get(reverse("feedback:round_export", args=[round.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["group", "question", "theme", "option"]
    whole = [r for r in rows if r[0] == "Whole round" and r[1] == "I feel safe."]
    assert [r[4] for r in whole] == ["0", "0", "1", "2", "2"] and whole[0][7] == "4.2"
    assert any(r[0] == f"School: {school.name}" for r in rows)
    assert "@" not in response.content.decode()


def _many(round, survey, officer, n):
    for _ in range(n):
        answer(round, survey, officer=officer)


@pytest.mark.parametrize("page", ["round_list", "round_results"])
def test_query_counts_do_not_grow_with_ten_times_the_data(
    verified_client, coordinator, survey, officer, school, page
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    verified_client.login(coordinator)
    campaign = campaign_for(survey=survey, created_by=coordinator, schools=[school], officers=[officer])

    def count():
        target = Round.objects.filter(campaign=campaign).order_by("pk").first()
        url = (
            reverse("feedback:round_list")
            if page == "round_list"
            else reverse("feedback:round_results", args=[target.pk])
        )
        with CaptureQueriesContext(connection) as queries:
            assert verified_client.get(url).status_code == 200
        return len(queries)

    round = open_round(campaign=campaign, opens_on=timezone.localdate().replace(year=2020))
    _many(round, survey, officer, 6)
    few = count()
    for year in range(2021, 2030):
        _many(
            open_round(campaign=campaign, opens_on=timezone.localdate().replace(year=year)),
            survey,
            officer,
            6,
        )
    _many(round, survey, officer, 54)
    assert count() == few
    assert few <= 25


def test_a_schools_group_is_shown_on_its_own_and_marked_current(
    verified_client, coordinator, round, survey, school
):
    from tests.district.factories import SchoolFactory

    elsewhere = SchoolFactory(code="XS", name="Cedar Terrace Elementary")
    for _ in range(5):
        answer(round, survey, school=school, scale=5)
    for _ in range(5):
        answer(round, survey, school=elsewhere, scale=1)
    verified_client.login(coordinator)
    page = verified_client.get(reverse("feedback:round_results", args=[round.pk]) + f"?school={school.pk}")
    assert page.context["summary"].responses == 5 and page.context["summary"].questions[0].mean == 5
    assert f'href="?school={school.pk}" aria-current="page"' in page.text
