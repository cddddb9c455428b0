"""A coordinator runs a selection by fit from start to finish in the browser: open the cycle,
nominate two candidates, name the panel (including themselves), score and submit, read the
ranking, record the decision, and find the new active officer in the officer list."""

import re

import pytest
from django.urls import reverse

from officers.models import CandidateStatus, CycleStatus, Officer, OfficerStatus, SelectionCycle
from tests.factories import AcademicYearFactory, AgencyFactory, SchoolFactory

pytestmark = pytest.mark.browser

CANDIDATES = [
    # given, family, badge, years, the score this panel gives on every criterion
    ("Nadia", "Kowalski", "5120", "9", "4"),
    ("Omar", "Haddad", "5233", "6", "3"),
]


def test_coordinator_runs_a_selection_to_a_new_active_officer(page, login_as, assert_accessible, coordinator):
    def accessible(page):
        page.wait_for_load_state("load")  # the stylesheets too: contrast is checked on the styled page
        assert_accessible(page)

    agency = AgencyFactory(name="Norwood County Sheriff's Office")
    year = AcademicYearFactory()
    school = SchoolFactory(code="NRHS", name="Norwood Ridge High School", level="high")
    login_as(page, coordinator)

    # Open the cycle.
    page.goto(reverse("officers:cycle_list"))
    accessible(page)
    page.get_by_role("link", name="Open a selection").click()
    heading(page, "Open a selection")
    accessible(page)
    page.get_by_label("Title").fill("SRO for Norwood Ridge High School")
    page.get_by_label("Agency").select_option(label=agency.name)
    page.get_by_label("Academic year").select_option(label=year.name)
    page.get_by_label(school.name).check()
    page.get_by_role("button", name="Open the selection").click()
    page.get_by_role("heading", level=1, name="SRO for Norwood Ridge High School").wait_for()
    accessible(page)
    cycle = SelectionCycle.objects.get()
    assert cycle.criteria.count() == 6

    # Nominate two candidates.
    for given, family, badge, years, _score in CANDIDATES:
        page.get_by_role("link", name="Nominate a candidate").click()
        heading(page, "Nominate a candidate")
        accessible(page)
        page.get_by_label("Given name").fill(given)
        page.get_by_label("Family name").fill(family)
        page.get_by_label("Badge number").fill(badge)
        page.get_by_label("Years of service").fill(years)
        page.get_by_label("Experience with young people").fill(
            "Coached a youth league; school crossing duty."
        )
        page.get_by_role("button", name="Nominate").click()
        page.get_by_text(f"{given} {family} was nominated.").wait_for()

    # Name the panel: the coordinator sits on it.
    page.get_by_role("link", name="Name the panel").click()
    heading(page, "Interview panel")
    accessible(page)
    page.get_by_role("group", name="District members").get_by_label(str(coordinator)).check()
    page.get_by_role("button", name="Save the panel").click()
    page.get_by_text("The panel was saved.").wait_for()
    accessible(page)

    # Score each candidate and submit.
    for given, family, _badge, _years, score in CANDIDATES:
        page.get_by_role("link", name=re.compile(rf"^Score\s+{given} {family}$")).click()
        heading(page, f"Your scorecard for {given} {family}")
        accessible(page)
        for criterion in cycle.criteria.all():
            page.get_by_label(f"{criterion.name}: score").fill(score)
        page.get_by_label("Communication: note").fill("Listens first.")
        page.get_by_role("button", name="Submit scorecard").click()
        page.get_by_text(f"Your scorecard for {given} {family} was submitted.").wait_for()
        accessible(page)  # the candidate page, now showing the panel's scores
        page.get_by_role("link", name=cycle.title).click()
        heading(page, cycle.title)

    # The ranking.
    page.get_by_role("link", name="Results and ranking").click()
    page.get_by_role("heading", level=1, name="Results and ranking").wait_for()
    accessible(page)
    ranking = page.get_by_role("table", name="Ranking")
    first_row = ranking.get_by_role("row").nth(1)
    assert "Nadia Kowalski" in first_row.inner_text() and "4.00" in first_row.inner_text()

    # The decision.
    page.get_by_role("link", name="Record the decision").click()
    heading(page, "Record the decision")
    accessible(page)
    page.get_by_label("Nadia Kowalski").check()
    page.get_by_label("First day in the program").fill(year.start_date.isoformat())
    page.get_by_label("Rationale").fill("Highest scores on every criterion; strong work with teens.")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Decided: Nadia Kowalski is an active officer in the program.").wait_for()
    accessible(page)

    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.DECIDED
    assert set(cycle.candidates.values_list("status", flat=True)) == {
        CandidateStatus.SELECTED,
        CandidateStatus.NOT_SELECTED,
    }

    # The new officer, active, in the officer list.
    page.get_by_role("link", name="Officers", exact=True).first.click()
    heading(page, "Officers")
    page.get_by_label("Status").select_option(label="Active")
    page.get_by_role("button", name="Find").click()
    page.wait_for_url(re.compile(r"status=active"))
    accessible(page)
    row = page.get_by_role("row").filter(has_text="Nadia Kowalski")
    assert "5120" in row.inner_text() and "Active" in row.inner_text()
    officer = Officer.objects.get(agency=agency, badge_number="5120")
    assert officer.status == OfficerStatus.ACTIVE and officer.program_start_date == year.start_date


def heading(page, text: str) -> None:
    """Wait for the next page: its main heading."""
    page.get_by_role("heading", level=1, name=text, exact=True).wait_for()


def test_selection_and_officer_pages_fit_a_phone(
    phone_page, login_as, assert_accessible, assert_no_horizontal_scroll, coordinator, officer
):
    from officers.services.selection import candidate_nominate, cycle_open, panel_set
    from tests.officers.factories_selection import submit_all

    cycle = cycle_open(
        title="SRO for Norwood Ridge High School",
        agency=officer.agency,
        academic_year=AcademicYearFactory(),
        schools=[SchoolFactory(code="NRHS", name="Norwood Ridge High School", level="high")],
        opened_by=coordinator,
    )
    (seat,) = panel_set(cycle=cycle, members={coordinator: "district"})
    scored, unscored = (
        candidate_nominate(
            cycle=cycle,
            nominated_by=coordinator,
            given_name=given,
            family_name=family,
            badge_number=badge,
            years_of_service=int(years),
            youth_experience="Youth league coach.",
        )
        for given, family, badge, years, _score in CANDIDATES
    )
    submit_all(panelist=seat, candidate=scored, values=[5, 4, 4, 3, 5, 4])
    login_as(phone_page, coordinator)
    pages = [
        reverse("officers:cycle_detail", args=[cycle.pk]),
        reverse("officers:cycle_results", args=[cycle.pk]),
        reverse("officers:candidate_detail", args=[cycle.pk, scored.pk]),
        reverse("officers:scorecard_edit", args=[cycle.pk, unscored.pk]),
        reverse("officers:panel_edit", args=[cycle.pk]),
        reverse("officers:cycle_decide", args=[cycle.pk]),
        reverse("officers:officer_list"),
        reverse("officers:officer_detail", args=[officer.pk]),
        reverse("officers:officer_edit", args=[officer.pk]),
        reverse("officers:agency_list"),
        reverse("officers:agency_detail", args=[officer.agency_id]),
    ]
    for path in pages:
        response = phone_page.goto(path)
        assert response.status == 200, path
        phone_page.wait_for_load_state("load")
        assert_accessible(phone_page)
        assert_no_horizontal_scroll(phone_page)
