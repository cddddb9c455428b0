"""The dashboard in a browser: a coordinator opens it, narrows it to one school and follows a tile to
the list behind it; and the dashboard and each role's home pass the accessibility sweep at desktop
width and on a phone."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import ActionItem, Meeting, MeetingKind
from feedback.models import Invitation
from incidents.models import Case, FollowUp, Interaction, InteractionStudent, OfficerRole
from tests.agreements.factories import agreement_with_version
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.sweep import sweep
from tests.district.factories import StudentFactory
from tests.feedback.factories import campaign_for, open_round, survey_with_questions
from tests.incidents.factories import category
from tests.officers.factories import OfficerFactory, TrainingCourseFactory, TrainingRecordFactory

pytestmark = pytest.mark.browser

SCREENS = {
    "desktop": {"viewport_size": DESKTOP},
    "phone": {"viewport_size": PHONE, "is_mobile": True, "has_touch": True, "device_scale_factor": 2},
}


def build_program(*, officer, school, other_school, coordinator, agency):
    """Interactions this term and last at two schools, cases, training, an agreement, a survey round."""
    today = timezone.localdate()
    student = StudentFactory(school=school)
    roles = [OfficerRole.MENTOR, OfficerRole.LAW_ENFORCEMENT, OfficerRole.TEACHER]
    names = ["Family dynamics", "Criminal matter", "Classroom presentation"]
    for n in range(9):
        when = timezone.now() - datetime.timedelta(days=n % 3, hours=1 + n)
        if n % 4 == 3:
            when -= datetime.timedelta(days=183)
        made = Interaction.objects.create(
            key=uuid.uuid4(), officer=officer, author=officer.user, school=school if n % 2 else other_school,
            occurred_at=when, officer_role=roles[n % 3], category=category(names[n % 3]),
            initiator="student", duration_minutes=10 + n, record_class="school",
        )  # fmt: skip
        if n % 3 == 1:
            InteractionStudent.objects.create(
                interaction=made, student=student, involvement="involved",
                outcome="returned_to_administration", action="referral", crdc_referral=True,
            )  # fmt: skip
    case = Case.objects.create(title="Attendance at the high school", school=school, opened_by=coordinator)
    Case.objects.create(title="Family at the middle school", school=other_school, opened_by=coordinator)
    FollowUp.objects.create(
        case=case, task="Call home", owner=officer.user, due_on=today - datetime.timedelta(1)
    )
    course = TrainingCourseFactory(title="Basic School Resource Officer course")
    TrainingRecordFactory(officer=officer, course=course, expires_on=today + datetime.timedelta(days=9))
    OfficerFactory(agency=agency, given_name="Maximiliana", family_name="Vandenberghe-Oyelaran")
    agreement_with_version(by=coordinator)
    survey = survey_with_questions()
    round_ = open_round(
        campaign=campaign_for(survey=survey, created_by=coordinator, schools=[school], officers=[officer])
    )
    for k in range(3):
        Invitation.objects.create(round=round_, email=f"staff{k}@district.example", status="answered")
    meeting = Meeting.objects.create(
        kind=MeetingKind.CHECK_IN, title="Fall check-in", held_on=today, created_by=coordinator
    )
    ActionItem.objects.create(meeting=meeting, description="Share the plan", owner=coordinator, due_on=today)


def test_a_coordinator_filters_by_a_school_and_follows_a_tile(
    page, login_as, officer, school, other_school, coordinator, agency
):
    build_program(
        officer=officer, school=school, other_school=other_school, coordinator=coordinator, agency=agency
    )
    login_as(page, coordinator)
    page.get_by_role("link", name="Dashboard").first.click()
    page.get_by_role("heading", name="Dashboard", exact=True).wait_for()
    by_school = page.locator("section", has=page.get_by_role("heading", name="Interactions by school"))
    assert by_school.get_by_role("link", name=str(other_school)).is_visible()

    page.get_by_label("School", exact=True).select_option(label=str(school))
    with page.expect_navigation():
        page.get_by_role("button", name="Show", exact=True).click()
    page.get_by_role("heading", name=f"Dashboard: {school.name}").wait_for()
    assert by_school.get_by_role("link", name=str(other_school)).count() == 0
    assert by_school.get_by_role("link", name=str(school)).is_visible()

    with page.expect_navigation():
        page.get_by_role("link", name="Open cases").click()
    assert page.url.split("?")[0].endswith(reverse("incidents:case_list"))
    assert "Attendance at the high school" in page.content()
    assert "Family at the middle school" not in page.content()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_dashboard_and_the_homes_pass_the_accessibility_sweep(
    new_page, login_as, assert_accessible, assert_no_horizontal_scroll, officer, school, other_school,
    coordinator, school_admin, district_admin, supervisor, agency, screen,
):  # fmt: skip
    build_program(
        officer=officer, school=school, other_school=other_school, coordinator=coordinator, agency=agency
    )
    dashboard = reverse("reports:dashboard")
    pages = {
        "coordinator": [
            ("dashboard", dashboard),
            ("dashboard for one school", f"{dashboard}?school={school.pk}"),
            ("dashboard with a bad filter", f"{dashboard}?start=2026-03-01&end=2026-01-01"),
            ("home", reverse("home")),
        ],
        "school_admin": [("dashboard", dashboard), ("home", reverse("home"))],
        "district_admin": [("dashboard", dashboard)],
        "officer": [("home", reverse("home"))],
        "supervisor": [("home", reverse("home"))],
    }
    people = {
        "coordinator": coordinator,
        "school_admin": school_admin,
        "district_admin": district_admin,
        "officer": officer.user,
        "supervisor": supervisor,
    }
    options = dict(SCREENS[screen])
    viewport_size = options.pop("viewport_size")
    problems = sweep(pages, people=people, new_page=new_page, login_as=login_as,
                     viewport_size=viewport_size, options=options, assert_accessible=assert_accessible,
                     assert_no_horizontal_scroll=assert_no_horizontal_scroll)  # fmt: skip
    assert problems == []
