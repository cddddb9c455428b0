"""The coordinator's and officer's pages: surveys, campaigns (refused when they could reach nobody),
events with their shared link, actions ("you said, we did"), opting out, the complaints form."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from feedback.emails import opt_out_token
from feedback.models import (
    Audience,
    Campaign,
    Concern,
    ImprovementAction,
    OptOut,
    Question,
    Response,
    Round,
    Survey,
)
from feedback.services.responses import event_token, field_name
from feedback.services.surveys import surveys_default_install
from tests.district.factories import StudentFactory
from tests.feedback.factories import campaign_for, open_round, survey_with_questions

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_coordinator(verified_client, coordinator):
    verified_client.login(coordinator)
    return verified_client


def campaign_data(survey, school, **overrides):
    data = {
        "title": "Staff, every term", "survey": survey.pk, "schools": [school.pk], "anonymous": "on",
        "schedule": "term", "starts_on": timezone.localdate().isoformat(), "open_days": 14, "reminders": 2,
        "reminder_spacing_days": 4,
    }  # fmt: skip
    data.update(overrides)
    return data


def test_the_default_surveys_cover_every_audience_in_both_languages_once():
    surveys_default_install()
    surveys_default_install()
    defaults = Survey.objects.filter(is_default=True)
    assert sorted(defaults.values_list("audience", flat=True)) == sorted(Audience.values)
    for question in Question.objects.filter(survey__in=defaults).prefetch_related("choices"):
        assert question.text and question.text_es and question.text != question.text_es
        assert all(choice.text_es for choice in question.choices.all())
    kinds = set(Question.objects.filter(survey__in=defaults).values_list("kind", flat=True))
    assert kinds == {"scale", "single", "multiple", "yes_no", "text"}


def test_a_coordinator_builds_a_survey_question_by_question(as_coordinator):
    response = as_coordinator.post(
        reverse("feedback:survey_create"),
        {"title": "Bus stop pulse", "title_es": "Parada de autobús", "audience": "guardians"},
    )
    survey = Survey.objects.get(title="Bus stop pulse")
    assert response["Location"] == reverse("feedback:survey_detail", args=[survey.pk])
    url = reverse("feedback:survey_detail", args=[survey.pk])
    bad = as_coordinator.post(
        url, {"kind": "single", "theme": "trust", "text": "Q", "text_es": "P", "choices": "Only one | Una"}
    )
    assert "at least two choices" in bad.text and not survey.questions.exists()
    as_coordinator.post(
        url,
        {
            "kind": "single",
            "theme": "trust",
            "text": "Q",
            "text_es": "P",
            "choices": "A | A es\nB | B es",
            "required": "on",
        },
    )
    as_coordinator.post(url, {"kind": "text", "theme": "trust", "text": "Why?", "text_es": "¿Por qué?"})
    assert list(survey.questions.values_list("position", "kind", "required")) == [
        (1, "single", True),
        (2, "text", False),
    ]
    assert list(survey.questions.first().choices.values_list("text_es", flat=True)) == ["A es", "B es"]


def test_a_coordinator_creates_a_campaign(as_coordinator, survey, school, teachers):
    response = as_coordinator.post(reverse("feedback:campaign_create"), campaign_data(survey, school))
    campaign = Campaign.objects.get()
    assert response["Location"] == reverse("feedback:campaign_detail", args=[campaign.pk])
    assert list(campaign.schools.all()) == [school] and campaign.anonymous


def test_a_survey_with_no_questions_cannot_be_used(as_coordinator, school, teachers):
    empty = Survey.objects.create(title="Empty", title_es="Vacía", audience="staff")
    response = as_coordinator.post(reverse("feedback:campaign_create"), campaign_data(empty, school))
    assert response.status_code == 200 and "has no questions yet" in response.text
    assert not Campaign.objects.exists()


def test_an_audience_with_no_email_addresses_is_refused_and_nothing_is_saved(as_coordinator, survey, school):
    response = as_coordinator.post(reverse("feedback:campaign_create"), campaign_data(survey, school))
    assert response.status_code == 200 and "No one to ask" in response.text
    assert not Campaign.objects.exists()


def test_a_student_survey_needs_a_share_and_someone_to_reach(as_coordinator, school, teachers):
    students = survey_with_questions(audience=Audience.STUDENTS, title="Students")
    response = as_coordinator.post(reverse("feedback:campaign_create"), campaign_data(students, school))
    assert "Give the percent of students" in response.text and not Campaign.objects.exists()
    data = campaign_data(students, school) | {"student_share": "101"}
    response = as_coordinator.post(reverse("feedback:campaign_create"), data)
    assert response.status_code == 200 and not Campaign.objects.exists()
    StudentFactory(school=school, email="")  # in grade 7, but no address
    StudentFactory(school=school, grade="05", email="young@students.example")  # too young
    data = campaign_data(students, school) | {"student_share": "20"}
    response = as_coordinator.post(reverse("feedback:campaign_create"), data)
    assert "No one to ask" in response.text and not Campaign.objects.exists()
    StudentFactory(school=school, email="reachable@students.example")
    response = as_coordinator.post(reverse("feedback:campaign_create"), data)
    assert response.status_code == 302 and Campaign.objects.get().student_share == 20


def test_bad_campaign_input_is_a_form_error(as_coordinator, survey, school, teachers):
    for overrides, message in [
        ({"schools": []}, "at least one officer or one school"),
        ({"schedule": "dates", "dates": ""}, "Give at least one date"),
        ({"schedule": "dates", "dates": "2026-13-01"}, "is not a date"),
        ({"reminders": 4, "reminder_spacing_days": 4}, "after the round has closed"),
        ({"open_days": 0}, "greater than or equal to 1"),
    ]:
        response = as_coordinator.post(
            reverse("feedback:campaign_create"), campaign_data(survey, school, **overrides)
        )
        assert response.status_code == 200 and message in response.text, message
    assert not Campaign.objects.exists()


def test_an_officer_asks_for_feedback_on_an_event_and_the_room_answers(verified_client, officer, client):
    students = survey_with_questions(audience=Audience.STUDENTS, title="After the talk")
    verified_client.login(officer.user)
    closes = (timezone.localtime() + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = verified_client.post(
        reverse("feedback:event_create"),
        {"title": "Grade 8 online safety talk", "survey": students.pk, "max_answers": 1, "closes_at": closes},
    )
    round = Round.objects.get()
    assert response["Location"] == reverse("feedback:event_detail", args=[round.pk])
    page = verified_client.get(response["Location"])
    link = reverse("feedback:event_answer", args=[event_token(round_id=round.pk)])
    assert link in page.text and 'src="data:image/svg+xml;base64,' in page.text
    assert list(round.campaign.officers.all()) == [officer] and round.campaign.anonymous
    scale_q, single, _multiple, yes_no, _text = students.questions.order_by("position")
    answers = {
        field_name(scale_q): "5",
        field_name(single): str(single.choices.first().pk),
        field_name(yes_no): "no",
    }
    assert client.post(link, answers).status_code == 302
    assert Response.objects.get().officer == officer
    full = client.post(link, answers)
    assert full.status_code == 410 and "all the answers" in full.text
    assert client.get(link[:-3] + "xyz/").status_code == 400


def test_an_event_must_close_in_the_future(verified_client, officer, survey):
    verified_client.login(officer.user)
    past = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = verified_client.post(
        reverse("feedback:event_create"),
        {"title": "Talk", "survey": survey.pk, "max_answers": 10, "closes_at": past},
    )
    assert "must be in the future" in response.text and not Round.objects.exists()


def test_you_said_we_did_shows_earlier_actions_beside_the_next_round(
    verified_client, officer, coordinator, survey, school
):
    campaign = campaign_for(survey=survey, created_by=coordinator, schools=[school], officers=[officer])
    first = open_round(campaign=campaign, opens_on=timezone.localdate().replace(year=2025))
    second = open_round(campaign=campaign)
    verified_client.login(officer.user)
    response = verified_client.post(
        reverse("feedback:action_create", args=[first.pk]),
        {
            "theme": "complaints", "finding": "Families do not know how to complain",
            "change": "A card in every folder", "owner": "Officer and principal", "due_on": "2026-01-15",
            "status": "planned",
        },
    )  # fmt: skip
    assert response.status_code == 302
    action = ImprovementAction.objects.get()
    assert action.officer == officer and action.created_by == officer.user
    page = verified_client.get(reverse("feedback:round_results", args=[second.pk]))
    assert page.context["earlier_actions"] == [action] and "A card in every folder" in page.text
    verified_client.post(reverse("feedback:action_status", args=[action.pk]), {"status": "done"})
    action.refresh_from_db()
    assert action.status == "done"


def test_opting_out_is_honoured_and_a_forged_link_is_refused(client, round, teachers):
    from django.core import mail

    from feedback.services.rounds import round_invite

    token = opt_out_token(teachers[0].email)
    assert client.get(reverse("feedback:opt_out", args=[token])).status_code == 200
    assert not OptOut.objects.exists()  # a GET (a mail scanner's preview) changes nothing
    client.post(reverse("feedback:opt_out", args=[token]))
    assert OptOut.objects.filter(email=teachers[0].email).exists()
    assert client.get(reverse("feedback:opt_out", args=[token[:-1] + "x"])).status_code == 400
    round_invite(round_id=round.pk)
    assert teachers[0].email not in {m.to[0] for m in mail.outbox} and round.invitations.count() == 2


def test_the_public_complaints_form_files_and_is_rate_limited(client, officer):
    cache.clear()
    url = reverse("feedback:concern_public")
    page = client.get(url)
    assert "What happens to a complaint" in page.text
    data = {
        "kind": "complaint",
        "about": "Tone at dismissal",
        "description": "He shouted at my son.",
        "officer": officer.pk,
    }
    assert client.post(url, data).status_code == 200
    assert Concern.objects.get().officer == officer
    assert client.post(url, {"kind": "complaint"}).status_code == 200  # a form error, not a filing
    for _ in range(3):
        client.post(url, data)
    refused = client.post(url, data)
    assert refused.status_code == 429 and Concern.objects.count() == 4


def test_a_coordinator_answers_a_complaint(as_coordinator):
    concern = Concern.objects.create(kind="complaint", about="Parking", description="Blocked the bus lane")
    response = as_coordinator.post(
        reverse("feedback:concern_detail", args=[concern.pk]),
        {"status": "resolved", "response": "Spoke with the officer.", "outcome": "Parks elsewhere now"},
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.status, concern.outcome) == ("resolved", "Parks elsewhere now")
    listing = as_coordinator.get(reverse("feedback:concern_list") + "?status=resolved")
    assert "Parking" in listing.text


@pytest.mark.parametrize("page", ["campaign_list", "survey_list", "concern_list", "campaign_detail"])
def test_list_pages_run_the_same_queries_with_ten_times_the_rows(as_coordinator, coordinator, school, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = survey_with_questions(title="Survey 0")
    campaign = campaign_for(survey=first, created_by=coordinator, schools=[school])

    def add(n, start):
        for index in range(start, start + n):
            survey = survey_with_questions(title=f"Survey {index + 1}")
            campaign_for(survey=survey, created_by=coordinator, schools=[school], title=f"Campaign {index}")
            open_round(campaign=campaign, opens_on=timezone.localdate() - datetime.timedelta(days=index + 1))
            Concern.objects.create(kind="complaint", about=f"About {index}", description="…", officer=None)

    def count():
        args = [campaign.pk] if page == "campaign_detail" else []
        with CaptureQueriesContext(connection) as queries:
            assert as_coordinator.get(reverse(f"feedback:{page}", args=args)).status_code == 200
        return len(queries)

    add(2, 0)
    few = count()
    add(18, 2)
    assert count() == few


def test_the_complaints_form_shows_the_complaint_process_of_the_memorandum_in_effect(
    client, coordinator, agency
):
    from agreements.models import AgreementKind, SectionType
    from tests.agreements.factories import agreement_with_version

    url = reverse("feedback:concern_public")
    assert "Section 9 of the memorandum" not in client.get(url).text
    agreement_with_version(
        by=coordinator,
        kind=AgreementKind.MOU,
        title="Memorandum with the sheriff",
        agency=agency,
        sections=[
            (SectionType.COMPLAINTS, "Complaints", "Section 9 of the memorandum: write to the coordinator.")
        ],
    )
    page = client.get(url).text
    assert "Section 9 of the memorandum: write to the coordinator." in page
    assert "Memorandum with the sheriff, version 1" in page
