"""Principle 2 in the browser: a coordinator edits and publishes version 2 of the SRO statement and
reads what changed; an officer, asked on their home page, reads the changes and acknowledges it; the
coordinator's acknowledgement matrix shows it. Then every agreements page, as the people who use it,
at desktop width and at 375px: axe (WCAG 2.1 A/AA), no sideways scrolling, reachable table regions.
"""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from agreements import urls as agreements_urls
from agreements.models import (
    Acknowledgement,
    AgreementKind,
    BrightLine,
    CommenterRole,
    Goal,
    MeetingKind,
    VersionStatus,
)
from agreements.services.acknowledgements import acknowledgement_record
from agreements.services.comments import comment_period_set, comment_record
from agreements.services.meetings import action_item_create, meeting_save
from agreements.services.signatures import signature_sign
from agreements.services.versions import agreement_version_draft
from tests.agreements.factories import agreement_with_version
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.sweep import sweep
from tests.district.factories import PASSWORD

pytestmark = pytest.mark.browser

TITLE = "SRO role and expectations"
NEW_TEXT = "You do not administer school discipline: such matters return to administrators."


def test_coordinator_publishes_version_2_and_an_officer_acknowledges_it(
    page, new_page, login_as, assert_accessible, coordinator, officer
):
    agreement, v1 = agreement_with_version(by=coordinator, title=TITLE)
    acknowledgement_record(version=v1, user=officer.user)

    def arrive(on, name: str) -> None:
        on.get_by_role("heading", level=1, name=name, exact=True).wait_for()
        assert_accessible(on)

    login_as(page, coordinator)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Agreements", exact=True).click()
    arrive(page, "Agreements")
    page.get_by_role("link", name=TITLE, exact=True).click()
    arrive(page, TITLE)
    page.get_by_role("button", name="Edit a new draft").click()
    arrive(page, f"Edit draft 2 of {TITLE}")
    page.get_by_role("link", name="The bright line", exact=True).click()
    arrive(page, "Edit the section “The bright line”")
    page.get_by_label("Text").fill(NEW_TEXT)
    page.get_by_role("button", name="Save the section").click()
    arrive(page, f"Edit draft 2 of {TITLE}")
    page.get_by_role("button", name="Publish version 2").click()
    arrive(page, "What changed in version 2")
    changed = page.get_by_role("region", name="The bright line Changed")
    assert "such matters return to administrators" in changed.locator("ins").inner_text()
    v2 = agreement.versions.get(number=2)
    assert v2.status == VersionStatus.ACTIVE
    v1.refresh_from_db()
    assert v1.status == VersionStatus.SUPERSEDED

    page.goto(reverse("agreements:acknowledgement_matrix", args=[v2.pk]))
    arrive(page, "Who has acknowledged version 2")
    assert "0 of 1 acknowledged" in page.get_by_role("main").inner_text()
    row = page.get_by_role("row", name=officer.user.get_full_name())
    assert "Not yet" in row.inner_text() and "Version 1" in row.inner_text()

    # The officer is asked on their home page, reads what changed, and acknowledges.
    phone = new_page(PHONE, is_mobile=True, has_touch=True)
    login_as(phone, officer.user)
    phone.get_by_role("link", name=f"Read and acknowledge {TITLE}, version 2").click()
    arrive(phone, f"Acknowledge {TITLE}, version 2")
    assert (
        "such matters return" in phone.get_by_role("region", name="What changed since version 1").inner_text()
    )
    phone.get_by_role("button", name="I have read version 2 and acknowledge it").click()
    phone.get_by_text("you acknowledged version 2").wait_for()
    assert Acknowledgement.objects.filter(version=v2, user=officer.user).exists()

    page.reload()
    arrive(page, "Who has acknowledged version 2")
    assert "1 of 1 acknowledged" in page.get_by_role("main").inner_text()
    assert "Acknowledged" in page.get_by_role("row", name=officer.user.get_full_name()).inner_text()


# --- Every page, every screen -----------------------------------------------------------------

# Addresses that are not pages: POST-only actions whose buttons sit on pages that are checked, and
# the PDFs (their message when the PDF cannot be made is checked below).
NOT_PAGES = {
    "version_draft",
    "version_publish",
    "section_move",
    "section_delete",
    "action_item_close",
    "version_pdf",
    "agreement_public_pdf",
}
SCREENS = {
    "desktop": {"viewport_size": DESKTOP},
    "phone": {"viewport_size": PHONE, "is_mobile": True, "has_touch": True, "device_scale_factor": 2},
}


def _pages(*, coordinator, officer, district_admin, supervisor, agency):
    sro, sro_v1 = agreement_with_version(by=coordinator, title=TITLE)
    acknowledgement_record(version=sro_v1, user=officer.user)
    draft = agreement_version_draft(agreement=sro, created_by=coordinator)
    mou, mou_v1 = agreement_with_version(
        by=coordinator, kind=AgreementKind.MOU, agency=agency, district_signatory=district_admin,
        title="Memorandum of understanding between the Alder Spa Central School District and the Sheriff",
    )  # fmt: skip
    mou.is_public = True
    mou.save()
    signature_sign(version=mou_v1, signer=supervisor, password=PASSWORD, typed_name="Robert Kaminski",
                   typed_title="Sergeant, School Resource Unit")  # fmt: skip
    today = timezone.localdate()
    comment_period_set(version=draft, opens_on=today, closes_on=today)
    comment = comment_record(
        version=draft, commenter_role=CommenterRole.PARENT, commenter_name="Jordan Avery-Castellanos",
        received_on=today, text="Please say who a family calls with a complaint.", recorded_by=coordinator,
    )  # fmt: skip
    meeting = meeting_save(
        meeting=None, kind=MeetingKind.KICKOFF, title="Kickoff with the Sheriff's Office", held_on=today,
        version=mou_v1, attendees=[coordinator, district_admin, supervisor], agenda="Roles and bright lines",
        minutes="The bright line was read aloud and agreed.", created_by=coordinator,
    )  # fmt: skip
    action_item_create(meeting=meeting, description="Introduce the officer at the staff meeting",
                       owner=officer.user, due_on=today)  # fmt: skip
    line = BrightLine.objects.create(
        agreement=mou, code="no-discipline", statement="Officers do not discipline."
    )
    goal = Goal.objects.create(
        agreement=mou, code="fewer-arrests", statement="Fewer arrests", measure="Arrests"
    )
    coordinator_pages = [
        ("agreement list", reverse("agreements:agreement_list")),
        ("new agreement", reverse("agreements:agreement_new")),
        ("memorandum", reverse("agreements:agreement_detail", args=[mou.pk])),
        ("settings", reverse("agreements:agreement_settings", args=[mou.pk])),
        ("new bright line", reverse("agreements:bright_line_new", args=[mou.pk])),
        ("bright line", reverse("agreements:bright_line_edit", args=[line.pk])),
        ("new goal", reverse("agreements:goal_new", args=[mou.pk])),
        ("goal", reverse("agreements:goal_edit", args=[goal.pk])),
        ("version", reverse("agreements:version_detail", args=[mou_v1.pk])),
        ("print", reverse("agreements:version_print", args=[mou_v1.pk])),
        ("draft", reverse("agreements:version_edit", args=[draft.pk])),
        ("new section", reverse("agreements:section_new", args=[draft.pk])),
        ("section", reverse("agreements:section_edit", args=[draft.sections.first().pk])),
        ("diff", reverse("agreements:version_diff", args=[draft.pk])),
        ("history", reverse("agreements:version_history", args=[mou_v1.pk])),
        ("matrix", reverse("agreements:acknowledgement_matrix", args=[sro_v1.pk])),
        ("comments on the draft", reverse("agreements:version_comments", args=[draft.pk])),
        ("comment period", reverse("agreements:comment_period", args=[draft.pk])),
        ("new comment", reverse("agreements:comment_new", args=[draft.pk])),
        ("respond", reverse("agreements:comment_respond", args=[comment.pk])),
        ("meetings", reverse("agreements:meeting_list")),
        ("new meeting", reverse("agreements:meeting_new")),
        ("meeting", reverse("agreements:meeting_detail", args=[meeting.pk])),
        ("meeting form", reverse("agreements:meeting_edit", args=[meeting.pk])),
        ("meeting history", reverse("agreements:meeting_history", args=[meeting.pk])),
        ("new action item", reverse("agreements:action_item_new", args=[meeting.pk])),
        ("public memorandum", reverse("agreements:agreement_public", args=[mou.pk])),
    ]
    return {
        "coordinator": coordinator_pages,
        "sro": [
            ("home", reverse("home")),
            ("acknowledge", reverse("agreements:version_acknowledge", args=[sro_v1.pk])),
            ("meetings, own items", reverse("agreements:meeting_list")),
            ("meeting with own item", reverse("agreements:meeting_detail", args=[meeting.pk])),
        ],
        "district_admin": [("sign", reverse("agreements:version_sign", args=[mou_v1.pk]))],
    }


@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_agreements_page_is_accessible_and_fits_the_screen(
    screen, new_page, login_as, assert_accessible, assert_no_horizontal_scroll,
    coordinator, officer, district_admin, supervisor, agency,
):  # fmt: skip
    pages = _pages(
        coordinator=coordinator,
        officer=officer,
        district_admin=district_admin,
        supervisor=supervisor,
        agency=agency,
    )
    visited = {resolve(path).url_name for by_role in pages.values() for _name, path in by_role}
    every = {pattern.name for pattern in agreements_urls.urlpatterns}
    assert every - NOT_PAGES - visited == set(), "agreements pages this test does not visit yet"
    people = {"coordinator": coordinator, "sro": officer.user, "district_admin": district_admin}
    options = dict(SCREENS[screen])
    viewport_size = options.pop("viewport_size")
    problems = sweep(pages, people=people, new_page=new_page, login_as=login_as,
                     viewport_size=viewport_size, options=options, assert_accessible=assert_accessible,
                     assert_no_horizontal_scroll=assert_no_horizontal_scroll)  # fmt: skip
    if problems:
        pytest.fail(f"{len(problems)} problem(s) on {screen}:\n\n" + "\n\n".join(problems), pytrace=False)


def test_the_pdf_downloads_and_its_message_without_the_library_is_accessible(
    page, login_as, assert_accessible, assert_no_horizontal_scroll, coordinator, agency, district_admin,
    monkeypatch,
):  # fmt: skip
    import builtins

    from django.core.cache import cache

    _, mou_v1 = agreement_with_version(
        by=coordinator, kind=AgreementKind.MOU, title="Memorandum of understanding", agency=agency,
        district_signatory=district_admin,
    )  # fmt: skip
    cache.clear()
    login_as(page, coordinator)
    page.goto(reverse("agreements:version_detail", args=[mou_v1.pk]))
    href = page.get_by_role("link", name="PDF of version 1").get_attribute("href")
    response = page.context.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

    real_import = builtins.__import__

    def without_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    cache.clear()
    monkeypatch.setattr(builtins, "__import__", without_pango)
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        assert page.goto(href).status == 503
        page.get_by_role("heading", level=1, name="The PDF is not available").wait_for()
        assert_accessible(page)
        assert_no_horizontal_scroll(page)
    page.get_by_role(
        "link", name="Read Memorandum of understanding, version 1, on a page you can print"
    ).click()
    page.get_by_role("heading", level=1, name="Memorandum of understanding").wait_for()
