"""The dashboard: figures counted by hand, each role's scope, the filter's bad input, no names, and
the same number of queries with ten times the data."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import ActionItem, Meeting, MeetingKind
from district.roles import Role
from feedback.models import ImprovementAction, Invitation
from incidents.models import Case, CaseStatus, FollowUp, Interaction, InteractionStudent, OfficerRole
from officers.models import TrainingCourse
from reports.selectors.dashboard import (
    Period,
    comparison_period,
    dashboard,
    dashboard_floor,
    default_period,
    interaction_figures,
    interaction_figures_raw,
    term_start,
)
from tests.access import access_table, status_for
from tests.agreements.factories import agreement_with_version
from tests.district.factories import SchoolFactory, StudentFactory, UserFactory
from tests.feedback.factories import campaign_for, open_round, survey_with_questions
from tests.incidents.factories import category
from tests.officers.factories import (
    AgencyFactory,
    AssignmentFactory,
    OfficerFactory,
    TrainingCourseFactory,
    TrainingRecordFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PERIOD = Period(TODAY - datetime.timedelta(days=20), TODAY - datetime.timedelta(days=10))
BEFORE = comparison_period(PERIOD)
QUERY = {"start": PERIOD.start.isoformat(), "end": PERIOD.end.isoformat()}
NAMES = ("Zebediah", "Quillfeather", "Ottoline", "Marchbanks")


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def interaction(officer, school, when, role, category_name, minutes, students=(), anonymous=0):
    """A log written straight to the table (the summary's triggers count it as any other)."""
    made = Interaction.objects.create(
        key=uuid.uuid4(),
        officer=officer,
        author=officer.user,
        school=school,
        occurred_at=when,
        officer_role=role,
        category=category(category_name),
        initiator="student",
        duration_minutes=minutes,
        anonymous_students=anonymous,
        record_class="school",
    )
    for student, involvement, outcome, action, referral, arrest in students:
        InteractionStudent.objects.create(
            interaction=made,
            student=student,
            involvement=involvement,
            outcome=outcome,
            action=action,
            arrest_school_related=arrest if action == "custodial_arrest" else None,
            crdc_referral=referral,
            crdc_school_related_arrest=arrest,
        )
    return made


@pytest.fixture
def other_officer(other_school, academic_year):
    user = UserFactory(username="other_officer", roles=[Role.SRO])
    officer = OfficerFactory(user=user, agency=AgencyFactory(name="Milton Police"), badge_number="M-7")
    AssignmentFactory(officer=officer, school=other_school, academic_year=academic_year)
    return officer


@pytest.fixture
def program(officer, other_officer, school, other_school, coordinator):
    """The hand-counted program (see each figure's test)."""
    s1 = StudentFactory(school=school, given_name=NAMES[0], family_name=NAMES[1])
    s2 = StudentFactory(school=school)
    s3 = StudentFactory(school=other_school, given_name=NAMES[2], family_name=NAMES[3])
    day = PERIOD.start + datetime.timedelta(days=2)
    le, mentor, teacher = OfficerRole.LAW_ENFORCEMENT, OfficerRole.MENTOR, OfficerRole.TEACHER
    interaction(
        officer, school, at(day), mentor, "Family dynamics", 30, [(s1, "involved", "resolved", "none", 0, 0)]
    )
    interaction(
        officer,
        school,
        at(day + datetime.timedelta(days=1)),
        le,
        "Criminal matter",
        20,
        [(s1, "involved", "returned_to_administration", "referral", 1, 0), (s2, "witness", "", "", 0, 0)],
    )
    interaction(officer, school, at(PERIOD.end, 23), teacher, "Classroom presentation", 50, anonymous=20)
    interaction(officer, school, at(BEFORE.start), mentor, "Family dynamics", 10)
    interaction(officer, school, at(PERIOD.end + datetime.timedelta(days=1), 1), mentor, "Family dynamics", 5)
    interaction(
        other_officer,
        other_school,
        at(PERIOD.start),
        le,
        "Criminal matter",
        40,
        [(s3, "involved", "returned_to_administration", "custodial_arrest", 1, 1)],
    )
    interaction(other_officer, other_school, at(BEFORE.end), mentor, "Family dynamics", 15)
    # Cases: two open (one monitoring), one closed; one overdue follow-up, one not yet due, one done.
    open_case = Case.objects.create(title="Attendance", school=school, opened_by=coordinator)
    Case.objects.create(
        title="Family", school=other_school, opened_by=coordinator, status=CaseStatus.MONITORING
    )
    closed = Case.objects.create(
        title="Done", school=school, opened_by=coordinator, status=CaseStatus.CLOSED, closed_reason="Resolved"
    )
    FollowUp.objects.create(
        case=open_case, task="Call", owner=coordinator, due_on=TODAY - datetime.timedelta(1)
    )
    FollowUp.objects.create(
        case=open_case, task="Visit", owner=coordinator, due_on=TODAY + datetime.timedelta(3)
    )
    FollowUp.objects.create(
        case=closed,
        task="Old",
        owner=coordinator,
        due_on=TODAY - datetime.timedelta(9),
        done_at=timezone.now(),
    )
    # Training: one required course, expired for one officer and expiring in ten days for the other;
    # a second, current for the first and never taken by the second.
    TrainingCourse.objects.update(required_for=[])
    first = TrainingCourseFactory(title="Basic SRO course")
    second = TrainingCourseFactory(title="Youth mental health first aid")
    TrainingRecordFactory(officer=officer, course=first, expires_on=TODAY - datetime.timedelta(days=1))
    TrainingRecordFactory(officer=other_officer, course=first, expires_on=TODAY + datetime.timedelta(days=10))
    TrainingRecordFactory(officer=officer, course=second, expires_on=TODAY + datetime.timedelta(days=200))
    # Agreements: the SRO statement, acknowledged by neither officer.
    agreement_with_version(by=coordinator)
    # Feedback: a round with four invitations, three answered; an open improvement action.
    survey = survey_with_questions()
    round_ = open_round(campaign=campaign_for(survey=survey, created_by=coordinator, schools=[school]))
    for n, status in enumerate(["answered"] * 3 + ["sent"]):
        Invitation.objects.create(round=round_, email=f"t{n}@district.example", status=status)
    ImprovementAction.objects.create(
        round=round_, finding="Slow replies", change="Answer within a day", owner="Coordinator",
        due_on=TODAY, created_by=coordinator,
    )  # fmt: skip
    meeting = Meeting.objects.create(
        kind=MeetingKind.CHECK_IN, title="Check-in", held_on=TODAY, created_by=coordinator
    )
    ActionItem.objects.create(
        meeting=meeting, description="Share the plan", owner=coordinator, due_on=TODAY - datetime.timedelta(2)
    )
    ActionItem.objects.create(meeting=meeting, description="Print", owner=coordinator, due_on=TODAY)
    return {"students": (s1, s2, s3)}


def _get(verified_client, user, **params):
    verified_client.login(user)
    response = verified_client.get(reverse("reports:dashboard"), {**QUERY, **params})
    assert response.status_code == 200
    return response


# --- Who may open it ------------------------------------------------------------------------------

ACCESS = {"dashboard": [302, 403, 403, 403, 200, 200, 200, 200]}


@pytest.mark.parametrize(("page", "person", "expected"), access_table(ACCESS))
def test_role_access_table(request, client, verified_client, officer, page, person, expected):
    assert status_for(request, client, verified_client, person, reverse("reports:dashboard")) == expected


def test_the_navigation_offers_the_dashboard_to_those_it_opens_for(verified_client, coordinator, officer):
    for user, shown in ((coordinator, True), (officer.user, False)):
        verified_client.login(user)
        html = verified_client.get(reverse("home")).content.decode()
        assert (f'href="{reverse("reports:dashboard")}"' in html) is shown


# --- Figures counted by hand ----------------------------------------------------------------------


def test_the_coordinator_sees_the_whole_program(verified_client, coordinator, program, school, other_school):
    context = _get(verified_client, coordinator).context
    figures = context["interactions"]
    assert (figures["contacts"], figures["contacts_before"]) == (4, 2)
    assert {row["name"]: (row["now"], row["before"]) for row in figures["by_category"]} == {
        "Family dynamics": (1, 2),
        "Criminal matter": (2, 0),
        "Classroom presentation": (1, 0),
    }
    assert {row["pk"]: (row["now"], row["before"]) for row in figures["by_school"]} == {
        school.pk: (3, 1),
        other_school.pk: (1, 1),
    }
    assert figures["minutes_by_role"] == {"law_enforcement": 60, "mentor": 30, "teacher": 50}
    assert (figures["prevention_share"], figures["law_enforcement_share"]) == (57, 43)
    assert (figures["enforcement_actions"], figures["enforcement_per_100"]) == (2, 50.0)
    assert (figures["crdc_referrals"], figures["crdc_arrests"], figures["returned_to_administration"]) == (
        2,
        1,
        2,
    )
    assert context["cases"] == {"open": 2, "overdue_follow_ups": 1}
    assert context["training"] == {
        "expired": 1,
        "expiring": 1,
        "missing": 1,
        "officers": 2,
        "officers_behind": 2,
    }
    assert [
        (s["version"].title, s["pending"], s["required"]) for s in context["agreements"]["statements"]
    ] == [("SRO role and expectations", 2, 2)]
    (latest,) = context["feedback"]["rounds"]
    assert (latest["invited"], latest["answered"], latest["rate"], latest["point"].suppressed) == (
        4,
        3,
        75,
        True,
    )
    assert context["feedback"]["open_actions"] == 1
    assert context["action_items"] == {"open": 2, "overdue": 1}
    assert (context["coverage"]["uncovered"], len(context["coverage"]["schools"])) == (0, 2)


def test_the_summary_and_the_logs_give_the_same_figures(program, school, coordinator, school_admin):
    for school_ids in (None, [school.pk]):
        assert interaction_figures(school_ids=school_ids, period=PERIOD, comparison=BEFORE) == (
            interaction_figures_raw(school_ids=school_ids, period=PERIOD, comparison=BEFORE)
        )
    # The benchmark's pair: what the page computes, and its floor from the logs.
    for user in (coordinator, school_admin):
        page = dashboard(user=user, school=None, period=PERIOD)["interactions"]
        assert page == dashboard_floor(user=user, school=None, period=PERIOD)
        assert page["contacts"] == (4 if user == coordinator else 3)


def test_bright_lines_touched_and_kept_in_the_period(
    verified_client, coordinator, school_admin, officer, other_officer, school, other_school, program
):
    from agreements.models import Agreement, AgreementKind, BrightLine

    mou = Agreement.objects.create(kind=AgreementKind.MOU, title="MOU", agency=officer.agency)
    for code, statement, active in [
        ("no-discipline", "Officers do not administer school discipline.", True),
        ("no-dress-code", "Officers do not enforce dress code.", True),
        ("retired-line", "A line no longer in the agreement.", False),
    ]:
        BrightLine.objects.create(agreement=mou, code=code, statement=statement, is_active=active)
    day = PERIOD.start + datetime.timedelta(days=1)
    # In the period: at the first school, two touches of the discipline line (one returned) and one of
    # the dress code (returned); at the other school, one discipline touch (returned). Outside the
    # period, one more that is not counted.
    for who, where, when, code, returned in [
        (officer, school, at(day), "no-discipline", True),
        (officer, school, at(day), "no-discipline", False),
        (officer, school, at(day), "no-dress-code", True),
        (other_officer, other_school, at(day), "no-discipline", True),
        (officer, school, at(BEFORE.start), "no-discipline", True),
    ]:
        made = interaction(who, where, when, OfficerRole.MENTOR, "Conflict mediation", 10)
        Interaction.objects.filter(pk=made.pk).update(
            bright_line_code=code, returned_to_administration=returned
        )

    def lines(user):
        rows = _get(verified_client, user).context["bright_lines"]
        return {row["code"]: (row["touches"], row["returned"]) for row in rows}

    assert lines(coordinator) == {"no-discipline": (3, 2), "no-dress-code": (1, 1)}
    assert lines(school_admin) == {"no-discipline": (2, 1), "no-dress-code": (1, 1)}
    page = _get(verified_client, coordinator).content.decode()
    assert "Officers do not enforce dress code." in page
    assert "A line no longer in the agreement." not in page


def test_an_administrator_sees_only_their_schools(verified_client, school_admin, program, school):
    context = _get(verified_client, school_admin).context
    figures = context["interactions"]
    assert (figures["contacts"], figures["contacts_before"]) == (3, 1)
    assert [row["pk"] for row in figures["by_school"]] == [school.pk]
    assert figures["minutes_by_role"] == {"law_enforcement": 20, "mentor": 30, "teacher": 50}
    assert (
        figures["enforcement_actions"],
        figures["crdc_arrests"],
        figures["returned_to_administration"],
    ) == (
        1,
        0,
        1,
    )
    assert context["cases"] == {"open": 1, "overdue_follow_ups": 1}
    assert [item.school for item in context["coverage"]["schools"]] == [school]
    assert context["feedback"] is None  # administrators see no survey results


def test_an_administrator_never_sees_another_schools_name_or_figures(verified_client, school_admin, program):
    html = _get(verified_client, school_admin).content.decode()
    assert "Milton Middle School" not in html


def test_a_district_administrator_sees_every_school(verified_client, district_admin, program):
    assert _get(verified_client, district_admin).context["interactions"]["contacts"] == 4


def test_the_school_filter_narrows_every_tile(verified_client, coordinator, program, other_school):
    context = _get(verified_client, coordinator, school=other_school.pk).context
    assert context["interactions"]["contacts"] == 1
    assert context["cases"] == {"open": 1, "overdue_follow_ups": 0}
    assert [item.school for item in context["coverage"]["schools"]] == [other_school]
    assert context["training"]["officers"] == 1


@pytest.mark.parametrize("person", ["coordinator", "school_admin", "district_admin"])
def test_no_student_name_appears(request, verified_client, program, person):
    html = _get(verified_client, request.getfixturevalue(person)).content.decode()
    for name in NAMES:
        assert name not in html


def test_every_tile_links_to_the_list_behind_it(verified_client, coordinator, program, school):
    html = _get(verified_client, coordinator, school=school.pk).content.decode()
    for name in (
        "officers:coverage",
        "officers:training_matrix",
        "agreements:agreement_list",
        "incidents:case_list",
        "incidents:follow_ups_overdue",
        "incidents:interaction_list",
        "feedback:round_list",
        "agreements:meeting_list",
    ):
        assert f'href="{reverse(name)}' in html, name
    assert f"school={school.pk}" in html and f"occurred_from={PERIOD.start.isoformat()}" in html


# --- The filter -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "yesterday"}, "start"),
        ({"end": "2026-02-30"}, "end"),
        ({"start": "2026-03-01", "end": "2026-02-01"}, "end"),
        ({"start": "0001-01-01"}, "start"),
        ({"school": "abc"}, "school"),
    ],
)
def test_bad_filter_input_is_a_form_error(verified_client, coordinator, params, field):
    verified_client.login(coordinator)
    response = verified_client.get(reverse("reports:dashboard"), params)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["period"] == default_period(today=TODAY)


@pytest.mark.parametrize("which", ["other", "999999"])
def test_a_school_outside_the_scope_is_not_found(verified_client, school_admin, other_school, which):
    verified_client.login(school_admin)
    pk = other_school.pk if which == "other" else which
    assert verified_client.get(reverse("reports:dashboard"), {"school": pk}).status_code == 404


def test_the_periods():
    assert term_start(datetime.date(2027, 3, 9)) == datetime.date(2027, 1, 1)
    assert term_start(datetime.date(2026, 9, 9)) == datetime.date(2026, 7, 1)
    assert comparison_period(Period(datetime.date(2027, 1, 1), datetime.date(2027, 3, 31))) == Period(
        datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)
    )
    assert comparison_period(Period(datetime.date(2026, 8, 31), datetime.date(2026, 8, 31))) == Period(
        datetime.date(2026, 2, 28), datetime.date(2026, 2, 28)
    )
    # A period longer than a term is compared with the same length just before it.
    assert comparison_period(Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))) == Period(
        datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
    )


# --- Query counts ---------------------------------------------------------------------------------


def _more(n, *, officer, other_officer, school, other_school, coordinator, academic_year):
    """``n`` more of everything the dashboard counts: interactions with students, cases with
    follow-ups, schools with officers, training records, survey invitations."""
    for k in range(n):
        extra_school = SchoolFactory()
        extra = OfficerFactory()
        AssignmentFactory(officer=extra, school=extra_school, academic_year=academic_year)
        student = StudentFactory(school=school)
        for when in (PERIOD.start, BEFORE.start):
            interaction(
                officer,
                school,
                at(when, 9 + k % 8),
                OfficerRole.LAW_ENFORCEMENT,
                "Criminal matter",
                10,
                [(student, "involved", "resolved", "warning", 0, 0)],
            )
        case = Case.objects.create(title=f"Case {k}", school=other_school, opened_by=coordinator)
        FollowUp.objects.create(
            case=case, task="Call", owner=coordinator, due_on=TODAY - datetime.timedelta(2)
        )
        TrainingRecordFactory(
            officer=extra, course=TrainingCourse.objects.filter(required_for__len=1).first()
        )


@pytest.mark.parametrize("person", ["coordinator", "school_admin"])
def test_the_same_number_of_queries_with_ten_times_the_data(
    request, verified_client, program, person, officer, other_officer, school, other_school, coordinator,
    academic_year,
):  # fmt: skip
    user = request.getfixturevalue(person)
    places = {
        "officer": officer,
        "other_officer": other_officer,
        "school": school,
        "other_school": other_school,
        "coordinator": coordinator,
        "academic_year": academic_year,
    }
    verified_client.login(user)
    url = reverse("reports:dashboard")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert verified_client.get(url, QUERY).status_code == 200
        return len(queries)

    _more(2, **places)
    small = count()
    _more(20, **places)
    assert count() == small
