"""Every GET page of the officers app, as the person who uses it, at desktop width and on a phone:
no WCAG 2.1 A/AA violation (axe), no sideways scrolling of the page at 375px, and every
``.table-responsive`` wrapper reachable from the keyboard (``tabindex="0"``, ``role="region"`` and
a name), since a wide table scrolls inside it and a keyboard user must be able to scroll it too.
Two checks axe does not make: a table's caption stays readable without scrolling the table, and
form fields' borders reach 3:1 contrast (WCAG 1.4.11).

The data is built once per test with the factories, so each page has rows to show (long names
included, to push the tables wide); each role signs in once. Every page is checked and all the
problems are reported together, not only the first.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from district.roles import Role
from officers import urls as officers_urls
from officers.models import AssignmentRole, OfficerStatus, SessionParticipant
from officers.services.selection import candidate_nominate, cycle_decide, panel_set
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.sweep import sweep
from tests.district.factories import StaffFactory, UserFactory
from tests.officers.factories import (
    AgencyFactory,
    AssignmentDayFactory,
    AssignmentFactory,
    OfficerFactory,
    OfficerLeaveFactory,
    TrainingCourseFactory,
    TrainingPolicyFactory,
    TrainingRecordFactory,
    TrainingSessionFactory,
    open_cycle,
    submit_all,
)

pytestmark = pytest.mark.browser

# The officers app's addresses that are not pages: POST-only actions (their forms sit on pages that
# are checked) and file downloads. Every other address of the app must be in pages_by_role().
NOT_PAGES = {
    "criterion_add",  # form on cycle_detail
    "criterion_remove",
    "criterion_move",
    "candidate_withdraw",
    "candidate_resume",  # a download
    "cycle_cancel",
    "record_verify",  # button on officer_training
    "record_certificate",  # a download
    "session_invite",  # form on session_detail
    "session_participant_remove",
    "assignment_end",  # form on assignment_detail
}

SCREENS = {
    "desktop": {"viewport_size": DESKTOP},
    "phone": {"viewport_size": PHONE, "is_mobile": True, "has_touch": True, "device_scale_factor": 2},
}


def build_program(*, coordinator, officer, supervisor, academic_year, school, other_school):
    """A program in full swing: officers, assignments with schedules and leave, training records of
    every status, sessions past and upcoming, and selections open, scored and decided."""
    today = timezone.localdate()
    agency = officer.agency
    agency.address, agency.phone = "12 Court Street\nNorwood, NY 13668", "315-555-0100"
    agency.contact_name, agency.contact_email = "Lt. Maria Ostrowski", "ostrowski@sheriff.example"
    agency.save()
    AgencyFactory(name="Village of Potsdam Police Department")

    long_named = OfficerFactory(
        agency=agency,
        given_name="Maximiliana",
        family_name="Featherstonehaugh-Worthington",
        rank="Sergeant",
        email="maximiliana.featherstonehaugh-worthington@sheriff.example",
    )
    backup = OfficerFactory(agency=agency, given_name="Dana", family_name="Reyes")
    OfficerFactory(agency=agency, status=OfficerStatus.ON_LEAVE)

    # Assignments: the SRO is primary at `school` today; backup and long-named officer elsewhere.
    primary = officer.assignments.get()
    AssignmentDayFactory(assignment=primary, weekday=today.weekday())
    elsewhere = AssignmentFactory(officer=long_named, school=other_school, academic_year=academic_year)
    for weekday in range(5):
        AssignmentDayFactory(assignment=elsewhere, weekday=weekday)
    AssignmentFactory(officer=backup, school=school, academic_year=academic_year, role=AssignmentRole.BACKUP)
    leave = OfficerLeaveFactory(
        officer=backup, start_date=today, end_date=today + datetime.timedelta(days=3), reason="Court"
    )

    # Training: required courses (the matrix's columns), a retired one, records of every status.
    courses = [
        TrainingCourseFactory(title="NASRO Basic School Resource Officer Course", hours=Decimal("40")),
        TrainingCourseFactory(title="Adolescent Mental Health First Aid", hours=Decimal("8")),
        TrainingCourseFactory(title="Trauma-Informed De-escalation", hours=Decimal("4"), renewal_months=12),
    ]
    TrainingCourseFactory(title="Legacy Firearms Refresher", required_for=[], active=False)
    TrainingPolicyFactory(academic_year=academic_year)
    record = TrainingRecordFactory(officer=officer, course=courses[0], completed_on=today)
    TrainingRecordFactory(
        officer=officer,
        course=courses[2],
        completed_on=today - datetime.timedelta(days=330),
        verified_at=timezone.now(),
        verified_by=coordinator,
    )
    TrainingRecordFactory(officer=long_named, course=courses[1], completed_on=datetime.date(2020, 9, 1))

    yesterday = today - datetime.timedelta(days=1)
    past = TrainingSessionFactory(course=courses[1], date=yesterday, notes="Bring the workbook.")
    TrainingSessionFactory(course=courses[2], date=today + datetime.timedelta(days=30))
    SessionParticipant.objects.create(session=past, officer=officer)
    SessionParticipant.objects.create(session=past, user=coordinator)
    SessionParticipant.objects.create(session=past, staff=StaffFactory())

    # Selection: one cycle just opened (criteria still editable), one being scored, one decided.
    principal = UserFactory(username="panel_principal", roles=[Role.ADMINISTRATOR])
    fresh = open_cycle(
        opened_by=coordinator,
        agency=agency,
        academic_year=academic_year,
        schools=[school],
        title="SRO for Ballston High School, spring opening",
    )
    scoring = open_cycle(
        opened_by=coordinator,
        agency=agency,
        academic_year=academic_year,
        schools=[school, other_school],
        title="SRO for Milton Middle School",
    )
    decided = open_cycle(
        opened_by=coordinator,
        agency=agency,
        academic_year=academic_year,
        schools=[other_school],
        title="SRO for the district, last year",
    )
    for cycle in (scoring, decided):
        panel_set(cycle=cycle, members={coordinator: "district", principal: "district", supervisor: "agency"})
    scored, unscored, chosen = (
        candidate_nominate(
            cycle=cycle,
            nominated_by=coordinator,
            given_name=given,
            family_name=family,
            badge_number=badge,
            years_of_service=years,
            youth_experience="Coached a youth hockey league for six years; crossing duty.",
        )
        for cycle, given, family, badge, years in (
            (scoring, "Bartholomew", "Vandenberghe-Oyelaran", "7001", 12),
            (scoring, "Omar", "Haddad", "7002", 6),
            (decided, "Nadia", "Kowalski", "7003", 9),
        )
    )
    seats = {seat.user_id: seat for seat in scoring.panelists.all()}
    submit_all(panelist=seats[coordinator.pk], candidate=scored, values=[5, 4, 4, 3, 5, 4])
    submit_all(panelist=seats[principal.pk], candidate=scored, values=[4, 4, 3, 3, 5, 5])
    decided_seat = decided.panelists.get(user=coordinator)
    submit_all(panelist=decided_seat, candidate=chosen, values=4)
    cycle_decide(
        cycle=decided,
        chosen=chosen,
        rationale="Strongest scores on every criterion.",
        decided_by=coordinator,
        program_start_date=academic_year.start_date,
    )

    return SimpleNamespace(
        agency=agency,
        officer=officer,
        primary=primary,
        leave=leave,
        course=courses[0],
        record=record,
        session=past,
        fresh=fresh,
        criterion=fresh.criteria.first(),
        scoring=scoring,
        scored=scored,
        unscored=unscored,
        decided=decided,
    )


def pages_by_role(data) -> dict[str, list[tuple[str, str]]]:
    """(what the page is, its address) for each role, in the order a person would meet them."""
    officers = [
        ("officer list", reverse("officers:officer_list")),
        ("officer list, filtered", reverse("officers:officer_list") + "?status=active&q=Feather"),
        ("officer detail", reverse("officers:officer_detail", args=[data.officer.pk])),
        ("new officer form", reverse("officers:officer_create")),
        ("officer form", reverse("officers:officer_edit", args=[data.officer.pk])),
        ("agency list", reverse("officers:agency_list")),
        ("agency detail", reverse("officers:agency_detail", args=[data.agency.pk])),
        ("new agency form", reverse("officers:agency_create")),
        ("agency form", reverse("officers:agency_edit", args=[data.agency.pk])),
    ]
    fresh, scoring, decided = data.fresh.pk, data.scoring.pk, data.decided.pk
    selection = [
        ("selection list", reverse("officers:cycle_list")),
        ("open a selection", reverse("officers:cycle_open")),
        ("new cycle (criteria editable)", reverse("officers:cycle_detail", args=[fresh])),
        ("criterion form", reverse("officers:criterion_edit", args=[fresh, data.criterion.pk])),
        ("nominate", reverse("officers:candidate_nominate", args=[fresh])),
        ("cycle being scored", reverse("officers:cycle_detail", args=[scoring])),
        ("panel form", reverse("officers:panel_edit", args=[scoring])),
        ("candidate with scores", reverse("officers:candidate_detail", args=[scoring, data.scored.pk])),
        ("scorecard, submitted", reverse("officers:scorecard_edit", args=[scoring, data.scored.pk])),
        ("candidate, not scored", reverse("officers:candidate_detail", args=[scoring, data.unscored.pk])),
        ("scorecard form", reverse("officers:scorecard_edit", args=[scoring, data.unscored.pk])),
        ("results", reverse("officers:cycle_results", args=[scoring])),
        ("decision form", reverse("officers:cycle_decide", args=[scoring])),
        ("decided cycle", reverse("officers:cycle_detail", args=[decided])),
        ("decided results", reverse("officers:cycle_results", args=[decided])),
    ]
    training = [
        ("course list", reverse("officers:course_list")),
        ("new course form", reverse("officers:course_new")),
        ("course form", reverse("officers:course_edit", args=[data.course.pk])),
        ("policy form", reverse("officers:policy_edit")),
        ("officer training, coordinator", reverse("officers:officer_training", args=[data.officer.pk])),
        ("record edit form", reverse("officers:record_edit", args=[data.record.pk])),
        ("session list", reverse("officers:session_list")),
        ("new session form", reverse("officers:session_new")),
        ("session detail with invite form", reverse("officers:session_detail", args=[data.session.pk])),
        ("session form", reverse("officers:session_edit", args=[data.session.pk])),
        ("attendance", reverse("officers:session_attendance", args=[data.session.pk])),
    ]
    assignments = [
        ("assignment list", reverse("officers:assignment_list")),
        ("assignment detail", reverse("officers:assignment_detail", args=[data.primary.pk])),
        ("new assignment form", reverse("officers:assignment_new")),
        ("assignment form", reverse("officers:assignment_edit", args=[data.primary.pk])),
        ("coverage today", reverse("officers:coverage")),
        ("coverage, a day that is not a date", reverse("officers:coverage") + "?day=31/02/2027"),
        ("leave list", reverse("officers:leave_list")),
        ("new leave form", reverse("officers:leave_new")),
        ("leave form", reverse("officers:leave_edit", args=[data.leave.pk])),
    ]
    return {
        "coordinator": officers + selection + training + assignments,
        "sro": [
            ("own training", reverse("officers:officer_training", args=[data.officer.pk])),
            ("record form", reverse("officers:record_new")),
            ("own contact details", reverse("officers:officer_edit", args=[data.officer.pk])),
        ],
        "supervisor": [
            ("training matrix", reverse("officers:training_matrix")),
        ],
    }


@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_officers_page_is_accessible_and_fits_the_screen(
    screen,
    new_page,
    login_as,
    assert_accessible,
    assert_no_horizontal_scroll,
    coordinator,
    officer,
    supervisor,
    academic_year,
    school,
    other_school,
):
    data = build_program(
        coordinator=coordinator,
        officer=officer,
        supervisor=supervisor,
        academic_year=academic_year,
        school=school,
        other_school=other_school,
    )
    people = {"coordinator": coordinator, "sro": officer.user, "supervisor": supervisor}
    options = dict(SCREENS[screen])
    viewport_size = options.pop("viewport_size")

    pages = pages_by_role(data)
    visited = {resolve(path.split("?")[0]).url_name for by_role in pages.values() for _name, path in by_role}
    every = {pattern.name for pattern in officers_urls.urlpatterns}
    assert every - NOT_PAGES - visited == set(), "officers pages this test does not visit yet"

    problems = sweep(pages, people=people, new_page=new_page, login_as=login_as,
                     viewport_size=viewport_size, options=options, assert_accessible=assert_accessible,
                     assert_no_horizontal_scroll=assert_no_horizontal_scroll)  # fmt: skip
    if problems:
        pytest.fail(f"{len(problems)} problem(s) on {screen}:\n\n" + "\n\n".join(problems), pytrace=False)
