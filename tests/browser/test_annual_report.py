"""The annual report in the browser: in June a superintendent opens last year's report, compares it
with the year before, and downloads the PDF (built by the worker, with the report's headings) and
the CSV zip (one file per table). Then the report page, as coordinator and superintendent, at
desktop width and at 375px: axe (WCAG 2.1 A/AA), no sideways scrolling, reachable table regions."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.urls import reverse

from agreements.services.pdf import pdf_available
from district.roles import Role
from reports.selectors.annual import annual_report
from tests.agreements.pdf_text import flat, pdf_text
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.sweep import sweep
from tests.district.factories import UserFactory
from tests.officers.factories import AssignmentFactory, OfficerFactory
from tests.reports.annual_factories import contact, referral, student, years

pytestmark = pytest.mark.browser

HEADINGS = ["Program overview", "Training", "Agreements", "Activity", "Law-enforcement actions",
            "Incidents", "Feedback", "Goals of the agreement"]  # fmt: skip


@pytest.fixture
def two_years(academic_year, school, other_school, agency):
    last, before = years()
    officer = OfficerFactory(user=UserFactory(roles=[Role.SRO]), agency=agency)
    for year, scale in ((last, 6), (before, 3)):
        AssignmentFactory(officer=officer, school=school, academic_year=year)
        for n in range(scale):
            day = year.start_date + datetime.timedelta(days=70 + 9 * n)
            referral(officer=officer, school=school, day=day, student=student(school=school))
            contact(officer=officer, school=other_school, day=day, anonymous=3)
    return last, before


def test_a_superintendent_compares_last_year_and_downloads_the_pdf_and_the_tables(
    page, login_as, assert_accessible, district_admin, two_years
):
    last, before = two_years
    login_as(page, district_admin)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Annual report", exact=True).click()
    page.get_by_role("heading", level=1).wait_for()
    page.get_by_label("Year", exact=True).select_option(label=last.name)
    page.get_by_role("button", name="Show the report").click()
    page.get_by_role("heading", level=1, name=f"Annual program report, {last.name}").wait_for()
    assert_accessible(page)
    for heading in HEADINGS:
        page.get_by_role("heading", level=2, name=heading, exact=True).wait_for()
    # Each figure beside the year before's: 6 contacts logged at each school, 3 the year before.
    summary = page.get_by_role("table", name="Contacts and students")
    assert summary.get_by_role("columnheader").all_inner_texts() == [
        "Figure",
        last.name,
        before.name,
        "Change",
    ]
    row = summary.get_by_role("row", name="Contacts logged")
    assert row.get_by_role("cell").all_inner_texts() == ["12", "6", "+6"]

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Every table as CSV (zip)").click()
    archive = zipfile.ZipFile(io.BytesIO(csv_download.value.path().read_bytes()))
    report = annual_report(year=last, school=None)
    assert len(archive.namelist()) == len(report.tables)
    assert all(name.endswith(".csv") for name in archive.namelist())

    if not pdf_available():
        page.get_by_text("PDFs cannot be made on this server").wait_for()
        pytest.skip("WeasyPrint cannot load Pango here: the page said so plainly")
    page.get_by_role("button", name="Make the PDF").click()
    # The worker runs at once in tests (eager Celery), so the page comes back with the download.
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Download the PDF").click()
    pdf = pdf_download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-")
    text = flat(pdf_text(pdf))
    for heading in [f"Annual program report, {last.name}", *HEADINGS, "Contents"]:
        assert heading in text, heading


SCREENS = {
    "desktop": {"viewport_size": DESKTOP},
    "phone": {"viewport_size": PHONE, "is_mobile": True, "has_touch": True, "device_scale_factor": 2},
}


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_report_page_is_accessible_and_fits_the_screen(
    screen, new_page, login_as, assert_accessible, assert_no_horizontal_scroll, coordinator, district_admin,
    school_admin, school, two_years, settings,
):  # fmt: skip
    settings.SRO_DEMOGRAPHICS_ENABLED = True
    last, _ = two_years
    url = reverse("reports:annual_report", args=[last.pk])
    pages = {
        "coordinator": [("report", url), ("latest", reverse("reports:annual_report_latest"))],
        "district_admin": [("report", url)],
        "school_admin": [("school report", url + f"?school={school.pk}")],
    }
    people = {"coordinator": coordinator, "district_admin": district_admin, "school_admin": school_admin}
    problems = sweep(pages, people=people, new_page=new_page, login_as=login_as,
                     viewport_size=SCREENS[screen]["viewport_size"],
                     options={k: v for k, v in SCREENS[screen].items() if k != "viewport_size"},
                     assert_accessible=assert_accessible,
                     assert_no_horizontal_scroll=assert_no_horizontal_scroll)  # fmt: skip
    if problems:
        pytest.fail(f"{len(problems)} problem(s) on {screen}:\n\n" + "\n\n".join(problems), pytrace=False)
