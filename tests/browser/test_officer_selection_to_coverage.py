"""Principle 1, selection, from end to end in the browser: a coordinator runs a selection by fit
(opens the cycle, nominates two candidates, names the panel, scores and submits, reads the ranking,
records the decision), finds the chosen candidate among the active officers, assigns that officer
to one of the cycle's schools as its primary with a weekly schedule, and sees on today's coverage
that the school is covered by them.

Only the starting point (an agency, the academic year, two schools, the coordinator) is made with
factories; everything after is done by clicking and typing, as a person would. Every page on the
way is checked with axe for WCAG 2.1 A/AA.

This test replaces ``test_selection_flow.py`` and ``test_coverage_flow.py``, whose steps and checks
it contains; their phone-width check of the selection and officer pages is part of
``test_officers_pages_accessible.py``, which covers every officers page at 375px.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from officers.models import (
    Assignment,
    AssignmentRole,
    CandidateStatus,
    CycleStatus,
    Officer,
    OfficerStatus,
    SelectionCycle,
)
from tests.officers.factories import AgencyFactory

pytestmark = pytest.mark.browser

TITLE = "SRO for Ballston High School"
CANDIDATES = [
    # given, family, badge, years of service, the score this panel gives on every criterion
    ("Nadia", "Kowalski", "5120", "9", "4"),
    ("Omar", "Haddad", "5233", "6", "3"),
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def test_coordinator_selects_an_officer_assigns_them_and_sees_the_coverage(
    page, login_as, assert_accessible, coordinator, academic_year, school, other_school
):
    agency = AgencyFactory(name="Norwood County Sheriff's Office")
    today = timezone.localdate()

    def arrive(name: str) -> None:
        """Wait for the page whose main heading is ``name``, then check it with axe."""
        page.get_by_role("heading", level=1, name=name, exact=True).wait_for()
        assert_accessible(page)

    def main_nav(name: str) -> None:
        page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()

    login_as(page, coordinator)
    assert_accessible(page)  # the home page the sign-in leads to

    # --- Open the selection for the two schools.
    main_nav("Selection")
    arrive("Selection by fit")
    page.get_by_role("link", name="Open a selection").click()
    arrive("Open a selection")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Agency").select_option(label=agency.name)
    page.get_by_label("Academic year").select_option(label=academic_year.name)
    page.get_by_label(school.name).check()
    page.get_by_label(other_school.name).check()
    page.get_by_role("button", name="Open the selection").click()
    arrive(TITLE)
    cycle = SelectionCycle.objects.get()
    assert set(cycle.schools.all()) == {school, other_school}
    assert cycle.criteria.count() == 6, "the district's default fit criteria"

    # --- Nominate two candidates.
    for given, family, badge, years, _score in CANDIDATES:
        page.get_by_role("link", name="Nominate a candidate").click()
        arrive("Nominate a candidate")
        page.get_by_label("Given name").fill(given)
        page.get_by_label("Family name").fill(family)
        page.get_by_label("Badge number").fill(badge)
        page.get_by_label("Rank").fill("Deputy")
        page.get_by_label("Years of service").fill(years)
        page.get_by_label("Experience with young people").fill(
            "Coached a youth league; school crossing duty."
        )
        page.get_by_role("button", name="Nominate").click()
        page.get_by_text(f"{given} {family} was nominated.").wait_for()
        arrive(TITLE)

    # --- Name the panel: the coordinator sits on it.
    page.get_by_role("link", name="Name the panel").click()
    arrive("Interview panel")
    page.get_by_role("group", name="District members").get_by_label(str(coordinator)).check()
    page.get_by_role("button", name="Save the panel").click()
    page.get_by_text("The panel was saved.").wait_for()
    arrive(TITLE)

    # --- Score each candidate and submit the scorecard.
    criteria = list(cycle.criteria.values_list("name", flat=True))
    for given, family, _badge, _years, score in CANDIDATES:
        page.get_by_role("link", name=re.compile(rf"^Score\s+{given} {family}$")).click()
        arrive(f"Your scorecard for {given} {family}")
        for criterion in criteria:
            page.get_by_label(f"{criterion}: score").fill(score)
        page.get_by_label("Communication: note").fill("Listens first.")
        page.get_by_role("button", name="Submit scorecard").click()
        page.get_by_text(f"Your scorecard for {given} {family} was submitted.").wait_for()
        arrive(f"{given} {family}")  # the candidate page, now with the panel's scores
        page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=TITLE).click()
        arrive(TITLE)

    # --- The ranking.
    page.get_by_role("link", name="Results and ranking").click()
    arrive("Results and ranking")
    first_row = page.get_by_role("table", name="Ranking").get_by_role("row").nth(1)
    assert "Nadia Kowalski" in first_row.inner_text() and "4.00" in first_row.inner_text()

    # --- The decision: the top-ranked candidate.
    page.get_by_role("link", name="Record the decision").click()
    arrive("Record the decision")
    page.get_by_label("Nadia Kowalski").check()
    page.get_by_label("First day in the program").fill(today.isoformat())
    page.get_by_label("Rationale").fill("Highest scores on every criterion; strong work with teens.")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Decided: Deputy Nadia Kowalski is an active officer in the program.").wait_for()
    arrive(TITLE)
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.DECIDED
    assert dict(cycle.candidates.values_list("badge_number", "status")) == {
        "5120": CandidateStatus.SELECTED,
        "5233": CandidateStatus.NOT_SELECTED,
    }

    # --- The new officer is among the active officers.
    main_nav("Officers")
    arrive("Officers")
    page.get_by_label("Status").select_option(label="Active")
    page.get_by_role("button", name="Find").click()
    page.wait_for_url(re.compile(r"status=active"))
    arrive("Officers")
    row = page.get_by_role("row").filter(has_text="Nadia Kowalski")
    assert "5120" in row.inner_text() and "Active" in row.inner_text()
    officer = Officer.objects.get(agency=agency, badge_number="5120")
    assert officer.status == OfficerStatus.ACTIVE and officer.program_start_date == today

    # --- Assign the officer to one of the cycle's schools as its primary, with a weekly schedule
    # of every weekday plus today (so that the officer is on duty on the day we then look at).
    main_nav("Assignments")
    arrive("Assignments")
    page.get_by_role("link", name="Assign an officer").click()
    arrive("Assign an officer to a school")
    page.get_by_label("Officer").select_option(label=str(officer))
    page.get_by_label("School").select_option(label=school.name)
    page.get_by_label("Academic year").select_option(label=academic_year.name)
    page.get_by_label("Role").select_option(label="Primary")
    start = max(academic_year.start_date, today - datetime.timedelta(days=7))
    page.get_by_label("Start date").fill(start.isoformat())
    page.get_by_label("End date").fill(academic_year.end_date.isoformat())
    on_duty = {*WEEKDAYS[:5], WEEKDAYS[today.weekday()]}
    for day in on_duty:
        page.get_by_label(day, exact=True).check()
        page.get_by_label(f"{day} start time").fill("07:30")
        page.get_by_label(f"{day} end time").fill("15:30")
    page.get_by_role("button", name="Save the assignment").click()
    arrive(f"{officer} at {school.name}")
    page.get_by_text(f"Saved: {officer}").wait_for()
    assert page.get_by_role("heading", name="History").is_visible()
    assignment = Assignment.objects.get(officer=officer)
    assert (assignment.school, assignment.role) == (school, AssignmentRole.PRIMARY)
    assert assignment.start_date <= today <= assignment.end_date
    assert {day.get_weekday_display() for day in assignment.days.all()} == on_duty

    # --- Today's coverage: the school's primary is the new officer, on duty today.
    page.get_by_role("navigation", name="Assignment sections").get_by_role("link", name="Coverage").click()
    arrive(f"Coverage on {today:%A, %B} {today.day}, {today.year}")
    assert page.get_by_label("Day").input_value() == today.isoformat()
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=school.name))
    primary, backup, status = (row.get_by_role("cell").nth(n) for n in range(3))
    assert str(officer) in primary.inner_text(), "the new officer is the school's primary"
    assert "7:30 AM to 3:30 PM" in primary.inner_text()
    assert backup.inner_text().strip() == "None"
    assert "Covered" in status.inner_text()
    primary.get_by_role("link", name=str(officer)).wait_for()
    # The cycle's other school has nobody yet, and says so.
    nobody = page.get_by_role("region", name="Schools with nobody").inner_text()
    assert other_school.name in nobody and school.name not in nobody
    assert page.url.endswith(reverse("officers:coverage"))
