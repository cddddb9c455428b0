"""Signing in, as each role, at a desk and on a phone: the way in must work and be accessible."""

import base64
import re
import time

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp

from tests.district.factories import PASSWORD

from .conftest import PHONE, current_token, totp_device_for

pytestmark = pytest.mark.browser

ROLES = [
    # (person fixture, whether the role needs a second factor, the heading its home page shows)
    ("coordinator", True, "Program overview"),
    ("officer_user", True, "Your schools today"),
    ("school_admin", True, "Your schools"),
    ("supervisor", False, "Your agency's officers today"),
]
SIZES = [pytest.param({"width": 1280, "height": 800}, id="desktop"), pytest.param(PHONE, id="phone")]


@pytest.mark.parametrize("viewport", SIZES)
@pytest.mark.parametrize(("person", "needs_second_factor", "heading"), ROLES, ids=[r[0] for r in ROLES])
def test_each_role_signs_in_and_lands_on_its_home(
    request,
    officer,
    new_page,
    viewport,
    login_as,
    assert_accessible,
    assert_no_horizontal_scroll,
    person,
    needs_second_factor,
    heading,
):
    user = request.getfixturevalue(person)
    page = new_page(viewport, is_mobile=viewport == PHONE, has_touch=viewport == PHONE)
    page.goto(reverse("home"))
    assert page.get_by_role("heading", name="Sign in").is_visible(), "anonymous visitors meet the login page"
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    login_as(page, user)

    assert page.url.rstrip("/") == live_url(page, reverse("home")).rstrip("/")
    assert page.get_by_role("heading", name=heading, exact=True).is_visible()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
    assert user.totpdevice_set.filter(confirmed=True).exists() is needs_second_factor
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def live_url(page, path: str) -> str:
    return page.evaluate("path => new URL(path, location.origin).href", path)


def test_the_navigation_menu_opens_on_a_phone(
    phone_page, coordinator, login_as, assert_accessible, assert_no_horizontal_scroll
):
    login_as(phone_page, coordinator)
    nav_link = phone_page.get_by_role("link", name="Officers")
    assert not nav_link.is_visible(), "at 375px the navigation starts folded"
    phone_page.get_by_role("button", name="Show or hide navigation").click()
    nav_link.wait_for(state="visible")
    phone_page.get_by_role("button", name=coordinator.get_full_name()).click()
    sign_out = phone_page.get_by_role("button", name="Sign out")
    sign_out.wait_for(state="visible")
    assert_accessible(phone_page)
    assert_no_horizontal_scroll(phone_page)
    sign_out.click()
    phone_page.get_by_role("heading", name="Sign in").wait_for()


def test_a_wrong_password_is_explained_accessibly(page, officer_user, assert_accessible):
    page.goto(reverse("two_factor:login"))
    page.get_by_label("Username").fill(officer_user.username)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "correct username and password" in page.locator("main").inner_text()
    assert_accessible(page)


@pytest.mark.parametrize("viewport", SIZES)
def test_the_token_step_is_accessible(page, officer_user, assert_accessible, assert_no_horizontal_scroll):
    device = totp_device_for(officer_user)
    page.goto(reverse("two_factor:login"))
    page.get_by_label("Username").fill(officer_user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    token = page.get_by_label("Token")
    token.wait_for()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    token.fill("000000" if current_token(device) != "000000" else "111111")
    page.get_by_role("button", name="Verify").click()
    page.wait_for_load_state()
    assert "Invalid token" in page.locator("main").inner_text(), "a wrong token is refused with a reason"
    assert_accessible(page)

    time.sleep(1.1)  # django-otp pauses verification for a second after a failure.
    token.fill(current_token(device))
    page.get_by_role("button", name="Verify").click()
    page.get_by_role("heading", name="Your schools today").wait_for()


@pytest.mark.parametrize("viewport", SIZES)
def test_a_new_coordinator_sets_up_a_second_factor(
    page, coordinator, login_as, assert_accessible, assert_no_horizontal_scroll
):
    """The first sign-in of a role that needs a second factor leads through the setup wizard."""
    login_as(page, coordinator, second_factor=False)
    # First the account's email is confirmed: the password alone does not enrol an authenticator.
    assert page.get_by_role("heading", level=1).inner_text() == "Confirm your email"
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Email me a code").click()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [coordinator.email]
    assert "We emailed a six-digit code" in page.locator("main").inner_text()
    assert_accessible(page)
    code = re.search(r"\b(\d{6})\b", mail.outbox[0].body).group(1)
    page.get_by_label("Code from the email").fill(f"{(int(code) + 1) % 1_000_000:06d}")
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm", exact=True).click()
    assert "That code is wrong" in page.locator("main").inner_text(), "a wrong code is refused with a reason"
    assert_accessible(page)
    page.get_by_label("Code from the email").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm", exact=True).click()

    assert page.get_by_role("heading", level=1).inner_text() == "Set up two-factor sign-in"
    assert_accessible(page)
    page.get_by_role("button", name="Next").click()

    # Method step (only when more than one method is offered), then the token generator step.
    if page.get_by_label("Token generator").count():
        assert_accessible(page)
        page.get_by_label("Token generator").check()
        page.get_by_role("button", name="Next").click()
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    assert page.get_by_role("img", name="QR code").is_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Token").fill(str(totp(key)).zfill(6))
    page.get_by_role("button", name="Next").click()
    page.wait_for_load_state()
    assert coordinator.totpdevice_set.filter(confirmed=True).exists(), page.locator("main").inner_text()
    assert_accessible(page)

    page.goto(reverse("home"))
    page.get_by_role("heading", name="Program overview").wait_for()


def test_keyboard_users_sign_in_and_skip_to_the_content_without_a_mouse(page, supervisor):
    page.goto(reverse("two_factor:login"))
    assert page.evaluate("document.activeElement.name") == "auth-username", "the username has focus"
    page.keyboard.type(supervisor.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Your agency's officers today").wait_for()

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("link => link === document.activeElement"), "the skip link is the first stop"
    assert skip.is_visible(), "and shows when it has focus"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_a_forgotten_password_is_reset_by_email(phone_page, supervisor, login_as, assert_accessible):
    page = phone_page
    page.goto(reverse("two_factor:login"))
    page.get_by_role("link", name="Forgot your password?").click()
    assert_accessible(page)
    page.get_by_label("Email").fill(supervisor.email)
    page.get_by_role("button", name="Send the link").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    assert_accessible(page)

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/account/password/reset/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("heading", name="Choose a new password").wait_for()
    assert_accessible(page)
    page.get_by_label(re.compile(r"^\s*New password\W*$")).fill("a-brand-new-passphrase-9")
    page.get_by_label("New password confirmation").fill("a-brand-new-passphrase-9")
    page.get_by_role("button", name="Save the password").click()
    page.get_by_role("heading", name="Password saved").wait_for()
    assert_accessible(page)

    login_as(page, supervisor, password="a-brand-new-passphrase-9")
    page.get_by_role("heading", name="Your agency's officers today").wait_for()


@pytest.mark.parametrize("viewport", SIZES)
def test_the_lockout_and_error_pages_are_accessible(
    page, supervisor, assert_accessible, assert_no_horizontal_scroll
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(reverse("two_factor:login"))
        page.get_by_label("Username").fill(supervisor.username)
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Sign-in paused").wait_for()
    assert "Wait 15 minutes" in page.locator("main").inner_text()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    response = page.goto("/no-such-page/")
    assert response.status == 404
    page.get_by_role("heading", name="Page not found").wait_for()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("viewport", SIZES)
def test_the_account_pages_are_accessible(
    page, officer_user, login_as, assert_accessible, assert_no_horizontal_scroll
):
    login_as(page, officer_user)
    for name in ("two_factor:profile", "two_factor:backup_tokens", "password_change"):
        response = page.goto(reverse(name))
        assert response.status == 200, name
        assert_accessible(page)
        assert_no_horizontal_scroll(page)
