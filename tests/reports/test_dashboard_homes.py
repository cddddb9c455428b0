"""Each role's home: the administrator's dashboard in brief, the officer's follow-ups and feedback,
the agency supervisor's officers (counts only, no student)."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.models import Invitation
from incidents.models import Case, FollowUp, Interaction, InteractionStudent
from officers.models import TrainingCourse
from tests.district.factories import StudentFactory
from tests.feedback.factories import campaign_for, open_round, survey_with_questions
from tests.incidents.factories import category
from tests.officers.factories import (
    AssignmentFactory,
    OfficerFactory,
    TrainingCourseFactory,
    TrainingRecordFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _home(verified_client, user) -> str:
    verified_client.login(user)
    response = verified_client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def _log(officer, school, *, student=None, outcome="resolved"):
    made = Interaction.objects.create(
        key=uuid.uuid4(), officer=officer, author=officer.user, school=school,
        occurred_at=timezone.now() - datetime.timedelta(hours=1), officer_role="mentor",
        category=category(), initiator="student", duration_minutes=10, record_class="school",
    )  # fmt: skip
    if student is not None:
        InteractionStudent.objects.create(
            interaction=made, student=student, involvement="involved", outcome=outcome, action="none"
        )
    return made


def test_the_administrators_home_sums_up_their_schools(
    verified_client, school_admin, officer, school, other_school, coordinator
):
    student = StudentFactory(school=school, given_name="Zebediah", family_name="Quillfeather")
    _log(officer, school, student=student, outcome="returned_to_administration")
    _log(officer, school)
    from tests.district.factories import UserFactory

    other = OfficerFactory(user=UserFactory(username="other_officer"))
    _log(other, other_school)
    Case.objects.create(title="Open", school=school, opened_by=coordinator)
    html = _home(verified_client, school_admin)
    assert "2 interactions so far" in html
    assert "1 matter returned to administration" in html
    assert "1 open case" in html
    assert f'href="{reverse("reports:dashboard")}"' in html
    assert "Zebediah" not in html


def test_the_officers_home_lists_open_follow_ups_and_feedback(verified_client, officer, school, coordinator):
    case = Case.objects.create(title="Attendance", school=school, opened_by=coordinator)
    FollowUp.objects.create(
        case=case, task="Call the family", owner=officer.user, due_on=TODAY - datetime.timedelta(1)
    )
    FollowUp.objects.create(case=case, task="Visit", owner=officer.user, due_on=TODAY + datetime.timedelta(5))
    FollowUp.objects.create(
        case=case, task="Finished task", owner=officer.user, due_on=TODAY, done_at=timezone.now()
    )
    FollowUp.objects.create(case=case, task="Someone else's", owner=coordinator, due_on=TODAY)
    survey = survey_with_questions()
    round_ = open_round(campaign=campaign_for(survey=survey, created_by=coordinator, officers=[officer]))
    Invitation.objects.create(round=round_, email="a@district.example", status="answered", officer=officer)
    Invitation.objects.create(round=round_, email="b@district.example", status="sent", officer=officer)
    html = _home(verified_client, officer.user)
    assert "2 open, 1 overdue." in html
    assert "Call the family" in html and "Visit" in html
    assert "Finished task" not in html and "Someone else" not in html
    assert "1 of 2" in html and "Too few answers to show" in html
    assert reverse("incidents:interaction_create") in html  # the large quick-log button stays


@pytest.fixture
def agency_officers(agency, officer, school, academic_year):
    TrainingCourse.objects.update(required_for=[])
    course = TrainingCourseFactory(title="Basic SRO course")
    TrainingRecordFactory(officer=officer, course=course, expires_on=TODAY - datetime.timedelta(days=3))
    second = OfficerFactory(agency=agency, given_name="Dana", family_name="Whitcombe")
    AssignmentFactory(officer=second, school=school, academic_year=academic_year, role="backup")
    TrainingRecordFactory(officer=second, course=course, expires_on=TODAY + datetime.timedelta(days=12))
    return course


def test_the_supervisors_home_shows_the_agencys_officers(
    verified_client, supervisor, officer, agency_officers, school
):
    student = StudentFactory(school=school, given_name="Ottoline", family_name="Marchbanks")
    _log(officer, school, student=student)
    html = _home(verified_client, supervisor)
    assert "Your agency's officers: training and feedback" in html
    assert "Whitcombe" in html and str(school) in html
    rows = verified_client.get(reverse("home")).context["agency_officers"]
    standing = {
        row["officer"].family_name: (row["current"], row["expiring"], row["expired"], row["missing"])
        for row in rows
    }
    assert standing == {officer.family_name: (0, 0, 1, 0), "Whitcombe": (0, 1, 0, 0)}
    assert "Ottoline" not in html and "Marchbanks" not in html


def test_the_supervisors_home_runs_the_same_queries_with_ten_times_the_officers(
    verified_client, supervisor, agency, agency_officers, school, academic_year
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            _home(verified_client, supervisor)
        return len(queries)

    def more(n):
        for _ in range(n):
            extra = OfficerFactory(agency=agency)
            AssignmentFactory(officer=extra, school=school, academic_year=academic_year, role="backup")
            TrainingRecordFactory(officer=extra, course=agency_officers)

    verified_client.login(supervisor)
    more(2)
    small = count()
    more(20)
    assert count() == small
