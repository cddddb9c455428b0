"""The roster and account pages, as the people who use them, at desktop width and on a phone: no
WCAG 2.1 A/AA violation (axe), no sideways scrolling at 375px, keyboard-reachable table wrappers,
field borders at 3:1 (the checks of ``tests.browser.sweep``)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from district.models import ImportStatus
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.sweep import sweep
from tests.district.factories import GuardianFactory, RosterImportFactory, StudentFactory

pytestmark = pytest.mark.browser

SCREENS = {
    "desktop": {"viewport_size": DESKTOP},
    "phone": {"viewport_size": PHONE, "is_mobile": True, "has_touch": True, "device_scale_factor": 2},
}


@pytest.mark.parametrize("screen", list(SCREENS))
def test_roster_and_account_pages_are_accessible_and_fit_the_screen(
    screen,
    new_page,
    login_as,
    assert_accessible,
    assert_no_horizontal_scroll,
    coordinator,
    school_admin,
    supervisor,
    school,
):
    student = StudentFactory(school=school, given_name="Maximiliana", family_name="Featherstonehaugh-Okonkwo")
    StudentFactory.create_batch(3, school=school)
    GuardianFactory(given_name="Bartholomew", family_name="Featherstonehaugh").students.add(student)
    imported = RosterImportFactory(
        uploaded_by=coordinator,
        summary={
            "mode": "bulk",
            "counts": [
                {"label": "Students", "created": 1200, "updated": 3, "deactivated": 2, "unchanged": 0},
                {"label": "Guardians", "created": 1800, "updated": 0, "deactivated": 1, "unchanged": 0},
            ],
            "guardian_links": {"added": 1800, "removed": 0},
        },
    )
    rejected = RosterImportFactory(
        uploaded_by=coordinator,
        status=ImportStatus.FAILED,
        summary={},
        errors=[
            {
                "file": "users.csv",
                "line": 12,
                "field": "identifier",
                "reason": "required: the district student id",
            },
            {"file": "enrollments.csv", "line": 40, "field": "schoolSourcedId", "reason": "no org org-x"},
        ],
        errors_total=1_200,  # more than are kept: the page says how many more
    )
    student_pages = [
        ("student_list", reverse("district:student_list")),
        ("student_list filtered", reverse("district:student_list") + f"?q=feather&school={school.pk}"),
        ("student_detail", reverse("district:student_detail", args=[student.pk])),
    ]
    account_pages = [
        ("home", reverse("home")),
        ("two_factor profile", reverse("two_factor:profile")),
        ("password_change", reverse("password_change")),
    ]
    pages = {
        "coordinator": student_pages
        + account_pages
        + [
            ("import_list", reverse("district:import_list")),
            ("import_new", reverse("district:import_new")),
            ("import_detail (imported)", reverse("district:import_detail", args=[imported.pk])),
            ("import_detail (rejected)", reverse("district:import_detail", args=[rejected.pk])),
            # After the student pages above, so it lists their openings and listings.
            ("student_access_log", reverse("district:student_access_log", args=[student.pk])),
        ],
        "administrator": student_pages + account_pages,
        "supervisor": account_pages,
    }
    people = {"coordinator": coordinator, "administrator": school_admin, "supervisor": supervisor}
    options = dict(SCREENS[screen])
    viewport_size = options.pop("viewport_size")

    problems = sweep(pages, people=people, new_page=new_page, login_as=login_as,
                     viewport_size=viewport_size, options=options, assert_accessible=assert_accessible,
                     assert_no_horizontal_scroll=assert_no_horizontal_scroll)  # fmt: skip

    if problems:
        pytest.fail(f"{len(problems)} problem(s) on {screen}:\n\n" + "\n\n".join(problems), pytrace=False)
