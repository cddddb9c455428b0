"""A coordinator assigns an officer to a school with a weekly schedule, then sees the coverage."""

import pytest
from django.urls import reverse
from django.utils import timezone

from officers.models import Assignment
from tests.factories import OfficerFactory

pytestmark = pytest.mark.browser


def test_coordinator_assigns_an_officer_and_sees_the_coverage(
    page, login_as, assert_accessible, coordinator, academic_year, school, other_school, agency
):
    officer = OfficerFactory(agency=agency, given_name="Dana", family_name="Reyes", rank="Deputy")
    login_as(page, coordinator)

    page.goto(reverse("officers:assignment_new"))
    assert page.get_by_role("heading", level=1).inner_text() == "Assign an officer to a school"
    assert_accessible(page)
    page.get_by_label("Officer").select_option(label=str(officer))
    page.get_by_label("School").select_option(label=other_school.name)
    page.get_by_label("Role").select_option("primary")
    # The start defaults to today and the end to the year's last day; the schedule is the week
    # (every weekday plus today, so the officer is on duty on the day we then look at).
    weekdays = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", timezone.localdate().strftime("%A")}
    for day in weekdays:
        page.get_by_label(day, exact=True).check()
        page.get_by_label(f"{day} start time").fill("07:30")
        page.get_by_label(f"{day} end time").fill("15:30")
    page.get_by_role("button", name="Save the assignment").click()

    assert page.get_by_role("heading", level=1).inner_text() == f"{officer} at {other_school.name}"
    assert page.get_by_text("Saved:").is_visible()
    assignment = Assignment.objects.get(officer=officer)
    assert assignment.days.count() == len(weekdays)
    assert page.get_by_role("heading", name="History").is_visible()
    assert_accessible(page)

    page.goto(reverse("officers:coverage"))
    assert_accessible(page)
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=other_school.name))
    cells = row.get_by_role("cell")
    assert str(officer) in cells.nth(0).inner_text(), "the officer is the school's primary"
    assert "Covered" in cells.nth(2).inner_text()
    # The school with nobody is listed as such.
    assert school.name in page.get_by_role("region", name="Schools with nobody").inner_text()
