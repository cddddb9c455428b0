"""A coordinator invites an administrator, who sets a password, proves the email, enrols an
authenticator and arrives home; and the People pages pass the accessibility sweep."""

from __future__ import annotations

import base64
import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp

from district.models import User
from district.roles import Role
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.sweep import sweep
from tests.district.factories import UserFactory
from tests.people.factories import invitation_with_token

pytestmark = pytest.mark.browser

PASSWORD = "a-long-and-unusual-passphrase-7"
SCREENS = {
    "desktop": {"viewport_size": DESKTOP},
    "phone": {"viewport_size": PHONE, "is_mobile": True, "has_touch": True, "device_scale_factor": 2},
}


def test_an_invited_administrator_joins_and_enrols_a_second_factor(
    new_page, login_as, assert_accessible, coordinator, school
):
    page = new_page()
    login_as(page, coordinator)
    page.get_by_role("link", name="People").click()
    page.get_by_role("link", name="Invite a person").click()
    page.get_by_label("Email").fill("nadia.okafor@district.example")
    page.get_by_label("First name").fill("Nadia")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Administrator", exact=True).check()
    page.get_by_label(school.name).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send the invitation").click()
    assert "An invitation is on its way" in page.locator("main").inner_text()
    assert_accessible(page)

    (message,) = mail.outbox
    link = re.search(r"https?://\S+/people/invitations/accept/\S+/", message.body).group(0)
    invitee = new_page()
    invitee.goto(link)
    invitee.get_by_role("heading", name="Set up your account").wait_for()
    assert_accessible(invitee)
    invitee.get_by_label(re.compile(r"^\s*Password\W*$")).fill(PASSWORD)
    invitee.get_by_label("Password again").fill(PASSWORD)
    with invitee.expect_navigation():
        invitee.get_by_role("button", name="Save the password").click()

    assert invitee.get_by_role("heading", level=1).inner_text() == "Confirm your email"
    with invitee.expect_navigation():
        invitee.get_by_role("button", name="Email me a code").click()
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    invitee.get_by_label("Code from the email").fill(code)
    with invitee.expect_navigation():
        invitee.get_by_role("button", name="Confirm", exact=True).click()
    invitee.get_by_role("button", name="Next").click()
    if invitee.get_by_label("Token generator").count():
        invitee.get_by_label("Token generator").check()
        invitee.get_by_role("button", name="Next").click()
    secret = invitee.get_by_test_id("totp-secret").inner_text().strip()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    invitee.get_by_label("Token").fill(str(totp(key)).zfill(6))
    invitee.get_by_role("button", name="Next").click()
    invitee.wait_for_load_state()

    user = User.objects.get(email="nadia.okafor@district.example")
    assert user.totpdevice_set.filter(confirmed=True).exists()
    invitee.goto(reverse("home"))
    invitee.get_by_role("heading", name="Your schools", exact=True).wait_for()
    assert user.roles == {Role.ADMINISTRATOR} and list(user.schools.all()) == [school]


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_people_pages_are_accessible_and_fit_the_screen(
    screen,
    new_page,
    login_as,
    assert_accessible,
    assert_no_horizontal_scroll,
    coordinator,
    school_admin,
    agency,
):
    UserFactory(
        username="a-very-long-username-for-a-deputy-superintendent",
        first_name="Maximiliana",
        last_name="Featherstonehaugh-Okonkwo",
        roles=[Role.ADMINISTRATOR, Role.AGENCY_SUPERVISOR],
        district_wide=True,
    )
    invitation, token = invitation_with_token(invited_by=coordinator, email="invited.person@district.example")
    pages = {
        "coordinator": [
            ("people", reverse("people:user_list")),
            ("person", reverse("people:user_detail", args=[school_admin.pk])),
            ("roles and scope", reverse("people:user_access_edit", args=[school_admin.pk])),
            ("invitations", reverse("people:invitation_list")),
            ("invite", reverse("people:invitation_create")),
            ("accept", reverse("people:invitation_accept", args=[token])),
        ]
    }
    problems = sweep(
        pages,
        people={"coordinator": coordinator},
        new_page=new_page,
        login_as=login_as,
        assert_accessible=assert_accessible,
        assert_no_horizontal_scroll=assert_no_horizontal_scroll,
        viewport_size=SCREENS[screen]["viewport_size"],
        options={k: v for k, v in SCREENS[screen].items() if k != "viewport_size"},
    )
    # The page a used or expired link shows, to anyone.
    page = new_page(SCREENS[screen]["viewport_size"])
    response = page.goto(reverse("people:invitation_accept", args=["not-a-token"]))
    assert response.status == 400
    for check in (assert_accessible, assert_no_horizontal_scroll):
        try:
            check(page)
        except pytest.fail.Exception as failure:
            problems.append(f"unusable link: {failure.msg}")
    assert not problems, "\n".join(problems)
