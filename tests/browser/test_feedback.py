"""A coordinator creates a campaign, the dispatcher opens its round, a teacher answers through the
link in the email, and the results page shows the answer; the respondent's and results pages pass
the accessibility sweep at desktop and phone width."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from feedback.models import Campaign, Round
from feedback.services.rounds import rounds_dispatch
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.sweep import sweep
from tests.district.factories import StaffFactory
from tests.feedback.factories import campaign_for, invitation_with_token, open_round, survey_with_questions

pytestmark = pytest.mark.browser

SCREENS = {
    "desktop": {"viewport_size": DESKTOP},
    "phone": {"viewport_size": PHONE, "is_mobile": True, "has_touch": True, "device_scale_factor": 2},
}


def test_a_campaign_is_created_opened_answered_and_its_result_shown(
    new_page, login_as, assert_accessible, coordinator, school, live_server, settings
):
    settings.SITE_URL = live_server.url
    settings.FEEDBACK_MIN_GROUP_SIZE = 1  # one answer shows in this test; the rule itself is tested elsewhere
    survey = survey_with_questions(title="Working with our SRO")
    StaffFactory(email="ms.alvarez@district.example").schools.add(school)

    page = new_page()
    login_as(page, coordinator)
    page.get_by_role("link", name="Feedback").click()
    page.get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name="New campaign").click()
    page.get_by_label("Title").fill("Staff check-in")
    page.get_by_label("Survey").select_option(label=survey.title)
    page.get_by_label(school.name).check()
    page.get_by_label("Anonymous").uncheck()
    page.get_by_label("Schedule").select_option(label="On chosen dates")
    page.get_by_label("Dates").fill(timezone.localdate().isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Create the campaign").click()
    assert "The campaign was created" in page.locator("main").inner_text()
    campaign = Campaign.objects.get(title="Staff check-in")
    assert not campaign.anonymous

    rounds_dispatch()  # what beat runs every few minutes
    round = Round.objects.get(campaign=campaign)
    (message,) = mail.outbox
    assert message.to == ["ms.alvarez@district.example"]
    link = re.search(r"https?://\S+/feedback/answer/\S+/", message.body).group(0)

    teacher = new_page(PHONE, is_mobile=True, has_touch=True)
    teacher.goto(link)
    teacher.get_by_role("heading", name=survey.title).wait_for()
    assert_accessible(teacher)
    teacher.get_by_role("group", name=re.compile("I feel safe")).get_by_label("4 – Agree").check()
    teacher.get_by_role("group", name=re.compile("How often")).get_by_label("Daily").check()
    teacher.get_by_role("group", name=re.compile("Know how to complain")).get_by_label("Yes").check()
    teacher.get_by_label("Anything else?").fill("The officer greets every class by name.")
    with teacher.expect_navigation():
        teacher.get_by_role("button", name="Send my answers").click()
    teacher.get_by_role("heading", name="Thank you").wait_for()
    teacher.goto(link)
    assert "already been used" in teacher.locator("main").inner_text()

    page.goto(reverse("feedback:round_results", args=[round.pk]))
    main = page.locator("main").inner_text()
    assert "1 answer from 1 people asked: a response rate of 100%" in main
    assert "mean 4.0 of 5" in main and "The officer greets every class by name." in main
    assert_accessible(page)


def _goal_rounds_and_an_editable_survey(coordinator, campaign):
    """A goal measured by the campaign's baseline round, and a survey no round has used."""
    from agreements.models import Goal
    from district.models import AcademicYear
    from feedback.models import Figure, Phase, Theme
    from feedback.services.goals import goal_measure_set, goal_round_set_up
    from tests.agreements.factories import agreement_with_version

    agreement, _version = agreement_with_version(by=coordinator, publish=False)
    goal = Goal.objects.create(
        agreement=agreement, code="safe", statement="Students and staff feel safe at school",
        measure="Share who agree they feel safe", target="80% or more",
    )  # fmt: skip
    goal_measure_set(goal=goal, campaign=campaign, theme=Theme.SAFETY, figure=Figure.AGREE, target=80)
    year = AcademicYear.objects.get(is_current=True)
    goal_round_set_up(
        campaign=campaign, academic_year=year, phase=Phase.BASELINE, opens_on=timezone.localdate()
    )
    return goal, survey_with_questions(title="Next year's staff pulse")


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_feedback_pages_are_accessible_and_fit_the_screen(
    screen,
    new_page,
    login_as,
    assert_accessible,
    assert_no_horizontal_scroll,
    coordinator,
    officer,
    school,
    settings,
):
    settings.FEEDBACK_MIN_GROUP_SIZE = 1
    survey = survey_with_questions(title="Staff pulse with a rather long title for a narrow phone screen")
    campaign = campaign_for(survey=survey, created_by=coordinator, schools=[school], officers=[officer])
    round = open_round(campaign=campaign)
    _invitation, token = invitation_with_token(round=round)
    _other, used = invitation_with_token(round=round, email="another@district.example")
    from feedback.services.responses import response_submit
    from tests.feedback.factories import answers_for

    response_submit(token=used, answers=answers_for(survey), language="en")
    from feedback.services.campaigns import event_round_create

    event = event_round_create(
        created_by=coordinator, title="Grade 8 talk", survey=survey, officer=officer, school=school,
        max_answers=30, closes_at=timezone.now() + datetime.timedelta(hours=2),
    )  # fmt: skip
    goal, editable = _goal_rounds_and_an_editable_survey(coordinator, campaign)
    pages = {
        "coordinator": [
            ("goals", reverse("feedback:goal_results")),
            ("goal measure", reverse("feedback:goal_measure", args=[goal.pk])),
            ("goal round", reverse("feedback:goal_round_create", args=[campaign.pk])),
            ("editable survey", reverse("feedback:survey_detail", args=[editable.pk])),
            (
                "question",
                reverse("feedback:question_edit", args=[editable.pk, editable.questions.first().pk]),
            ),
            ("respondent", reverse("feedback:answer", args=[token])),
            ("respondent in Spanish", reverse("feedback:answer", args=[token]) + "?lang=es"),
            ("results", reverse("feedback:round_results", args=[round.pk])),
            ("rounds", reverse("feedback:round_list")),
            ("campaigns", reverse("feedback:campaign_list")),
            ("new campaign", reverse("feedback:campaign_create")),
            ("campaign", reverse("feedback:campaign_detail", args=[campaign.pk])),
            ("surveys", reverse("feedback:survey_list")),
            ("survey", reverse("feedback:survey_detail", args=[survey.pk])),
            ("event", reverse("feedback:event_detail", args=[event.pk])),
            ("register", reverse("feedback:concern_list")),
            ("complaint form", reverse("feedback:concern_public")),
        ],
        "officer": [
            ("goals", reverse("feedback:goal_results")),
            ("results", reverse("feedback:round_results", args=[round.pk])),
            ("new event", reverse("feedback:event_create")),
            ("new action", reverse("feedback:action_create", args=[round.pk])),
        ],
    }
    problems = sweep(
        pages,
        people={"coordinator": coordinator, "officer": officer.user},
        new_page=new_page,
        login_as=login_as,
        assert_accessible=assert_accessible,
        assert_no_horizontal_scroll=assert_no_horizontal_scroll,
        viewport_size=SCREENS[screen]["viewport_size"],
        options={k: v for k, v in SCREENS[screen].items() if k != "viewport_size"},
    )
    page = new_page(SCREENS[screen]["viewport_size"])
    for name, path, status in [
        ("used link", reverse("feedback:answer", args=[used]), 410),
        ("tampered link", reverse("feedback:answer", args=["not-a-token"]), 400),
    ]:
        response = page.goto(path)
        assert response.status == status, name
        for check in (assert_accessible, assert_no_horizontal_scroll):
            try:
                check(page)
            except pytest.fail.Exception as failure:
                problems.append(f"{name}: {failure.msg}")
    assert not problems, "\n".join(problems)
