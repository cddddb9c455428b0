"""Who may open each feedback page: coordinators run surveys, campaigns and the register; an SRO and
an agency supervisor see the results about their officers; the respondents' pages are public."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Goal
from feedback.emails import opt_out_token
from feedback.models import Concern, ConcernKind, ImprovementAction
from feedback.services.campaigns import event_round_create
from feedback.services.responses import event_token
from tests.access import access_table, status_for
from tests.agreements.factories import agreement_with_version
from tests.feedback.factories import invitation_with_token
from tests.officers.factories import AgencyFactory, OfficerFactory

pytestmark = pytest.mark.django_db

# In the order of tests.access.PEOPLE: anonymous, outsider, officer_user, supervisor, school_admin,
# other_school_admin, district_admin, coordinator. 302 for the anonymous is the sign-in redirect.
GETS = {
    "round_list": [302, 403, 200, 200, 403, 403, 403, 200],
    "round_results": [302, 403, 200, 200, 403, 403, 403, 200],
    "round_export": [302, 403, 403, 403, 403, 403, 403, 200],
    "action_create": [302, 403, 200, 403, 403, 403, 403, 200],
    "goal_results": [302, 403, 200, 200, 403, 403, 403, 200],
    "goal_measure": [302, 403, 403, 403, 403, 403, 403, 200],
    "goal_round_create": [302, 403, 403, 403, 403, 403, 403, 200],
    "survey_list": [302, 403, 403, 403, 403, 403, 403, 200],
    "survey_create": [302, 403, 403, 403, 403, 403, 403, 200],
    "survey_detail": [302, 403, 403, 403, 403, 403, 403, 200],
    "question_edit": [302, 403, 403, 403, 403, 403, 403, 200],
    "campaign_list": [302, 403, 403, 403, 403, 403, 403, 200],
    "campaign_create": [302, 403, 403, 403, 403, 403, 403, 200],
    "campaign_detail": [302, 403, 403, 403, 403, 403, 403, 200],
    "event_create": [302, 403, 200, 403, 403, 403, 403, 200],
    "event_detail": [302, 403, 200, 200, 403, 403, 403, 200],
    "concern_list": [302, 403, 403, 403, 403, 403, 403, 200],
    "concern_detail": [302, 403, 403, 403, 403, 403, 403, 200],
    # Public on purpose: respondents have no account.
    "answer": [200] * 8,
    "event_answer": [200] * 8,
    "thanks": [200] * 8,
    "opt_out": [200] * 8,
    "concern_public": [200] * 8,
}
POSTS = {
    "action_status": [302, 403, 302, 403, 403, 403, 403, 302],
    "question_move": [302, 403, 403, 403, 403, 403, 403, 302],
    "question_delete": [302, 403, 403, 403, 403, 403, 403, 302],
    "survey_copy": [302, 403, 403, 403, 403, 403, 403, 302],
}


@pytest.fixture
def pages(round, coordinator, officer, survey):
    _invitation, token = invitation_with_token(round=round)
    event = event_round_create(
        created_by=coordinator, title="Grade 8 talk", survey=survey, officer=officer, school=None,
        max_answers=30, closes_at=timezone.now() + datetime.timedelta(hours=3),
    )  # fmt: skip
    action = ImprovementAction.objects.create(
        round=round, finding="Few know how to complain", change="Posters in every hall", owner="Coordinator",
        due_on=timezone.localdate(), created_by=coordinator,
    )  # fmt: skip
    concern = Concern.objects.create(
        kind=ConcernKind.COMMENDATION, about="Helped at the game", description="Thanks"
    )
    agreement, _version = agreement_with_version(by=coordinator, publish=False)
    goal = Goal.objects.create(agreement=agreement, code="safe", statement="Safe", measure="Share safe")
    return {
        "goal_measure": [goal.pk], "survey_copy": [round.campaign.survey_id],
        "question_edit": [survey.pk, survey.questions.first().pk],
        "question_move": [survey.pk, survey.questions.first().pk],
        "question_delete": [survey.pk, survey.questions.first().pk], "goal_round_create": [round.campaign_id],
        "round_results": [round.pk], "round_export": [round.pk], "action_create": [round.pk],
        "survey_detail": [round.campaign.survey_id], "campaign_detail": [round.campaign_id],
        "event_detail": [event.pk], "concern_detail": [concern.pk], "answer": [token],
        "event_answer": [event_token(round_id=event.pk)], "opt_out": [opt_out_token("a@school.example")],
        "action_status": [action.pk],
    }  # fmt: skip


@pytest.mark.parametrize(("page", "person", "expected"), access_table(GETS))
def test_who_may_open_each_page(request, client, verified_client, pages, page, person, expected):
    url = reverse(f"feedback:{page}", args=pages.get(page, []))
    assert status_for(request, client, verified_client, person, url) == expected


@pytest.mark.parametrize(("page", "person", "expected"), access_table(POSTS))
def test_who_may_post_to_each_action(request, client, verified_client, pages, page, person, expected):
    url = reverse(f"feedback:{page}", args=pages[page])
    assert (
        status_for(
            request,
            client,
            verified_client,
            person,
            url,
            method="post",
            data={"status": "done", "direction": "down"},
        )
        == expected
    )


def test_a_supervisor_gets_404_for_a_round_about_another_agencys_officer(
    verified_client, supervisor, coordinator, survey
):
    from tests.feedback.factories import campaign_for, open_round

    stranger = OfficerFactory(agency=AgencyFactory(name="Harbor City Police"))  # another agency
    other = open_round(campaign=campaign_for(survey=survey, created_by=coordinator, officers=[stranger]))
    verified_client.login(supervisor)
    assert verified_client.get(reverse("feedback:round_results", args=[other.pk])).status_code == 404


def test_an_officer_gets_404_for_a_round_about_someone_else(verified_client, officer, coordinator, survey):
    from tests.feedback.factories import campaign_for, open_round

    stranger = OfficerFactory(agency=AgencyFactory(name="Harbor City Police"))  # another agency
    other = open_round(campaign=campaign_for(survey=survey, created_by=coordinator, officers=[stranger]))
    verified_client.login(officer.user)
    assert verified_client.get(reverse("feedback:round_results", args=[other.pk])).status_code == 404
