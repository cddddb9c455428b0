"""The quick log on a phone: an officer logs two students with their own outcomes and a follow-up;
an administrator of another school cannot open the record; a note being typed survives a reload;
and the incidents pages pass the accessibility sweep at desktop and phone width."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import Interaction
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.sweep import sweep
from tests.district.factories import StudentFactory
from tests.incidents.factories import log

pytestmark = pytest.mark.browser

SCREENS = {
    "desktop": {"viewport_size": DESKTOP},
    "phone": {"viewport_size": PHONE, "is_mobile": True, "has_touch": True, "device_scale_factor": 2},
}


def _students(school):
    return (
        StudentFactory(school=school, given_name="Jordan", family_name="Ellis", student_number="200001"),
        StudentFactory(school=school, given_name="Riley", family_name="Moreno", student_number="200002"),
    )


def test_an_officer_logs_two_students_and_a_follow_up_on_a_phone(
    phone_page, new_page, login_as, assert_accessible, assert_no_horizontal_scroll, officer, school,
    other_school_admin,
):  # fmt: skip
    jordan, riley = _students(school)
    page = phone_page
    login_as(page, officer.user)
    page.get_by_role("link", name="Log an interaction").click()
    page.get_by_role("heading", name="Log an interaction").wait_for()
    assert page.locator("select[name='school']").input_value() == str(school.pk)
    assert_no_horizontal_scroll(page)

    page.get_by_label("Law enforcement").check()
    page.get_by_label("Category").select_option(label="Conflict mediation")
    page.get_by_label("Who started the contact").select_option(label="A teacher")
    page.get_by_label("Outcome for every involved student").select_option(label="Returned to administration")
    # The type-ahead offers the roster's students as the officer types.
    first = page.locator("input[name='students-0-student']")
    first.fill("Jor")
    page.locator("#student-suggestions option").first.wait_for(state="attached")
    option = page.locator("#student-suggestions option").first.get_attribute("value")
    assert option == "Jordan Ellis (200001)"
    first.fill(option)
    # Jordan was arrested; the school-related question appears only then.
    arrest = page.locator("select[name='students-0-arrest_school_related']")
    assert not arrest.is_visible()
    page.locator("select[name='students-0-action']").select_option(label="Custodial arrest")
    arrest.select_option(label="Yes, school-related")
    page.get_by_role("button", name="Add a student").click()
    page.locator("input[name='students-1-student']").fill("Riley Moreno (200002)")
    page.get_by_label("Duration (minutes)").fill("25")
    page.get_by_label("Short note").fill("Argument in the cafeteria line.")
    due = page.get_by_label("Follow-up due")
    assert not due.is_visible()
    page.get_by_label("Follow-up needed").check()
    due.fill((timezone.localdate() + datetime.timedelta(days=2)).isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()

    main = page.locator("main").inner_text()
    assert "Saved." in main and "Jordan Ellis" in main and "Riley Moreno" in main
    interaction = Interaction.objects.get()
    rows = {row.student_id: row for row in interaction.students.all()}
    assert rows[jordan.pk].action == "custodial_arrest" and rows[jordan.pk].crdc_school_related_arrest
    assert rows[riley.pk].action == "none"
    assert rows[riley.pk].outcome == rows[jordan.pk].outcome == "returned_to_administration"
    assert interaction.follow_up_due == timezone.localdate() + datetime.timedelta(days=2)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    # The draft was cleared once the record was saved.
    assert page.evaluate("window.localStorage.getItem('sro.quickLog.draft')") is None

    # The follow-up opened a case with both students and the task.
    page.get_by_role("link", name=f"Case #{interaction.case_id}").click()
    page.get_by_role("heading", name=re.compile(f"Case #{interaction.case_id}")).wait_for()
    case_text = page.locator("main").inner_text()
    assert "Jordan Ellis" in case_text and "Riley Moreno" in case_text
    assert "Follow up on the interaction" in case_text
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    other = new_page()
    login_as(other, other_school_admin)
    for url in (
        reverse("incidents:interaction_detail", args=[interaction.pk]),
        reverse("incidents:case_detail", args=[interaction.case_id]),
    ):
        response = other.goto(url)
        assert response.status == 404
        assert "Jordan Ellis" not in other.content()


def _bright_line_category():
    """A dress-code category tied to a bright line of the active agreement."""
    from agreements.models import Agreement, AgreementKind, BrightLine
    from incidents.models import Category
    from tests.officers.factories import AgencyFactory

    mou = Agreement.objects.create(
        kind=AgreementKind.MOU, title="Memorandum", agency=AgencyFactory(name="Sheriff")
    )
    BrightLine.objects.create(
        agreement=mou,
        code="no-dress-code",
        statement="Officers do not enforce dress code or classroom rules.",
    )
    return Category.objects.create(name="Dress code", position=5, bright_line_code="no-dress-code")


def test_a_bright_line_category_asks_at_once_whether_the_matter_went_back(
    phone_page, login_as, assert_accessible, assert_no_horizontal_scroll, officer, school
):
    jordan, _ = _students(school)
    _bright_line_category()
    page = phone_page
    login_as(page, officer.user)
    page.goto(reverse("incidents:interaction_create"))
    question = page.locator("[data-bright-line-question]")
    assert not question.is_visible()
    page.get_by_label("Category").select_option(label="Dress code (bright line)")
    assert question.is_visible()
    assert "Officers do not enforce dress code or classroom rules." in question.inner_text()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    # Another category: the question steps aside, and its answer with it.
    page.get_by_label("No", exact=True).check()
    page.get_by_label("Category").select_option(label="Conflict mediation")
    assert not question.is_visible()
    page.get_by_label("Category").select_option(label="Dress code (bright line)")
    assert not page.get_by_label("No", exact=True).is_checked()
    # "Yes" fills in the outcome for every involved student.
    page.get_by_label("Yes, it went back to administration").check()
    outcome = page.get_by_label("Outcome for every involved student")
    assert outcome.input_value() == "returned_to_administration"
    page.locator("input[name='students-0-student']").fill("Jordan Ellis (200001)")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    interaction = Interaction.objects.get()
    assert (interaction.bright_line_code, interaction.returned_to_administration) == ("no-dress-code", True)
    assert interaction.students.get().student == jordan
    main = page.locator("main").inner_text()
    assert "Officers do not enforce dress code or classroom rules." in main


def test_a_note_being_typed_survives_a_reload_and_is_saved_once(phone_page, login_as, officer, school):
    _students(school)
    page = phone_page
    login_as(page, officer.user)
    page.goto(reverse("incidents:interaction_create"))
    key = page.locator("input[name='key']").input_value()
    page.get_by_label("Category").select_option(label="Family dynamics")
    page.get_by_label("Informal counselor and mentor").check()
    page.get_by_role("button", name="Add a student").click()
    page.locator("input[name='students-1-student']").fill("200002")
    page.get_by_label("Short note").fill("Student worried about moving house.")
    page.reload()  # a dropped connection, a closed tab
    page.get_by_text("Your unsent note was restored").wait_for()
    assert page.get_by_label("Short note").input_value() == "Student worried about moving house."
    assert page.get_by_label("Category").locator("option:checked").inner_text() == "Family dynamics"
    assert page.locator("input[name='students-1-student']").input_value() == "200002"
    # The same key: a submit after the reload is still the one record the officer began.
    assert page.locator("input[name='key']").input_value() == key
    page.get_by_label("Outcome for every involved student").select_option(label="Guardian contacted")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    assert str(Interaction.objects.get().key) == key
    page.goto(reverse("incidents:interaction_create"))
    assert not page.get_by_text("Your unsent note was restored").is_visible()
    assert page.get_by_label("Short note").input_value() == ""


@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_incidents_page_is_accessible_and_fits_the_screen(
    screen, new_page, login_as, assert_accessible, assert_no_horizontal_scroll, officer, school,
    school_admin, coordinator,
):  # fmt: skip
    jordan, riley = _students(school)
    interaction = log(
        author=officer.user,
        school=school,
        students=[jordan, riley],
        narrative="A long note about a conflict in the gym " * 10,
        follow_up_due=timezone.localdate() + datetime.timedelta(days=3),
    )
    from incidents.services.interactions import addendum_add

    addendum_add(user=officer.user, interaction=interaction, text="Guardian called back.")
    detail = reverse("incidents:interaction_detail", args=[interaction.pk])
    listing = reverse("incidents:interaction_list")
    case = reverse("incidents:case_detail", args=[interaction.case_id])
    cases = reverse("incidents:case_list")
    from incidents.services.cases import referral_add

    referral_add(user=officer.user, case=interaction.case, referred_to="outside", to_whom="Family services")
    from incidents.models import IncidentType
    from incidents.services.incidents import incident_promote

    report = incident_promote(
        user=officer.user, interaction=interaction, incident_type=IncidentType.objects.get(name="Firearm")
    )
    report_url = reverse("incidents:incident_detail", args=[report.pk])
    pages = {
        "officer": [
            ("home", reverse("home")),
            ("quick log", reverse("incidents:interaction_create")),
            ("quick log with a student", reverse("incidents:interaction_create") + f"?student={jordan.pk}"),
            ("record", detail),
            ("change", reverse("incidents:interaction_edit", args=[interaction.pk])),
            ("list", listing),
            ("hand-over", reverse("incidents:interaction_disclose", args=[interaction.pk])),
            ("case", case),
            ("cases", cases),
            ("open a case", reverse("incidents:case_create")),
            ("incident report", report_url),
            ("change the report", reverse("incidents:incident_edit", args=[report.pk])),
            ("write a report", reverse("incidents:incident_create")),
            ("reports", reverse("incidents:incident_list")),
        ],
        "school_admin": [
            ("record", detail),
            ("list", listing),
            ("case", case),
            ("cases", cases),
            ("disclosures", reverse("incidents:student_disclosures", args=[jordan.pk])),
            ("incident report", report_url),
        ],
        "coordinator": [
            ("record", detail),
            ("list", listing + "?text=gym"),
            ("export", reverse("incidents:interaction_export")),
            ("retention", reverse("incidents:retention")),
            ("case", case),
            ("overdue follow-ups", reverse("incidents:follow_ups_overdue")),
            ("categories", reverse("incidents:category_list")),
            ("add a category", reverse("incidents:category_create")),
            ("change a category", reverse("incidents:category_edit", args=[interaction.category_id])),
            ("incident types", reverse("incidents:incident_type_list")),
            ("add an incident type", reverse("incidents:incident_type_create")),
            (
                "change an incident type",
                reverse("incidents:incident_type_edit", args=[report.incident_type_id]),
            ),
        ],
    }
    people = {"officer": officer.user, "school_admin": school_admin, "coordinator": coordinator}
    options = dict(SCREENS[screen])
    viewport_size = options.pop("viewport_size")
    problems = sweep(pages, people=people, new_page=new_page, login_as=login_as,
                     viewport_size=viewport_size, options=options, assert_accessible=assert_accessible,
                     assert_no_horizontal_scroll=assert_no_horizontal_scroll)  # fmt: skip
    # The quick log sent back with errors and the names warning, as the officer sees it.
    page = new_page(viewport_size, **options)
    login_as(page, officer.user)
    page.goto(reverse("incidents:interaction_create"))
    page.locator("input[name='students-0-student']").fill("200001")
    page.get_by_label("Short note").fill("Jordan Ellis and Riley Moreno argued.")
    page.get_by_label("Duration (minutes)").fill("-3")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    for check in (assert_accessible, assert_no_horizontal_scroll):
        try:
            check(page)
        except pytest.fail.Exception as failure:
            problems.append(f"quick log with errors: {failure.msg}")
    page.get_by_label("Duration (minutes)").fill("5")
    page.get_by_label("Category").select_option(label="Conflict mediation")
    page.get_by_label("Outcome for every involved student").select_option(label="Resolved, no further action")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("not on this record").first.wait_for()
    for check in (assert_accessible, assert_no_horizontal_scroll):
        try:
            check(page)
        except pytest.fail.Exception as failure:
            problems.append(f"quick log with the names warning: {failure.msg}")
    if problems:
        pytest.fail(f"{len(problems)} problem(s) on {screen}:\n\n" + "\n\n".join(problems), pytrace=False)
