"""Enrolling a second factor: a user with no device first proves they hold the account's email."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from sro_program.enrolment import (
    CONFIRMED_SESSION_KEY,
    MAX_SENDS,
    code_cache_key,
    sends_cache_key,
    wrong_tries_cache_key,
)

pytestmark = pytest.mark.django_db

CONFIRM = reverse("second_factor_email_confirm")
SETUP = reverse("two_factor:setup")
QR = reverse("two_factor:qr")


def test_the_guards_keep_two_factors_paths():
    assert CONFIRM == "/account/two_factor/confirm-email/"
    assert SETUP == "/account/two_factor/setup/" == reverse("second_factor_setup")
    assert QR == "/account/two_factor/qrcode/" == reverse("second_factor_qr")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def send_code(client):
    return client.post(CONFIRM, {"send": "1"})


def emailed_code() -> str:
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def type_code(client, code):
    return client.post(CONFIRM, {"code": code})


def shift_code(user, **seconds):
    """Move the user's pending code's clock back, as if that many seconds had passed."""
    pending = cache.get(code_cache_key(user.pk))
    for field, delta in seconds.items():
        pending[field] -= delta
    cache.set(code_cache_key(user.pk), pending)


def page_messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_a_coordinator_without_a_device_goes_from_home_to_setup_to_confirm(signed_in):
    response = signed_in.get(reverse("home"))
    assert response["Location"] == SETUP
    response = signed_in.get(SETUP)
    assert response.status_code == 302
    assert response["Location"] == CONFIRM
    response = signed_in.get(CONFIRM)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Confirm your email" in page and "Email me a code" in page
    assert "Code from the email" in page


def test_setup_and_qr_refuse_without_confirmation_even_by_post(signed_in):
    assert signed_in.get(QR)["Location"] == CONFIRM
    response = signed_in.post(SETUP, {"setup_view-current_step": "welcome"})
    assert response["Location"] == CONFIRM
    session = signed_in.session
    assert "django_two_factor-qr_secret_key" not in session


def test_get_never_sends(signed_in, coordinator):
    for _ in range(3):
        assert signed_in.get(CONFIRM).status_code == 200
    assert mail.outbox == []
    assert cache.get(code_cache_key(coordinator.pk)) is None


def test_sending_a_code_emails_it_once_and_a_second_send_within_a_minute_is_refused(signed_in, coordinator):
    response = send_code(signed_in)
    assert response["Location"] == CONFIRM
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [coordinator.email]
    assert message.subject == "Your SRO Program Manager confirmation code"
    code = emailed_code()
    assert code not in str(dict(signed_in.session)), "only the code's hash is kept"
    assert code not in str(cache.get(code_cache_key(coordinator.pk)))

    response = send_code(signed_in)
    assert len(mail.outbox) == 1
    response = signed_in.get(CONFIRM)
    assert "less than a minute ago" in page_messages(response)

    shift_code(coordinator, sent_at=61)
    send_code(signed_in)
    assert len(mail.outbox) == 2
    assert type_code(signed_in, code).status_code == 200, "a new code replaces the old one"
    assert type_code(signed_in, emailed_code())["Location"] == SETUP


def test_a_badly_formed_code_is_a_form_error(signed_in, coordinator):
    send_code(signed_in)
    response = type_code(signed_in, "12ab")
    assert response.status_code == 200
    assert "The code is six digits" in response.content.decode()
    response = type_code(signed_in, "")
    assert "Enter the six-digit code from the email." in response.content.decode()
    assert cache.get(wrong_tries_cache_key(coordinator.pk)) == 0


def test_a_code_before_any_was_sent_is_refused(signed_in):
    response = type_code(signed_in, "123456")
    assert response.status_code == 200
    assert "There is no code waiting" in response.content.decode()
    assert signed_in.get(SETUP)["Location"] == CONFIRM


def test_a_wrong_code_is_refused_and_five_wrong_tries_void_the_code(signed_in, coordinator):
    send_code(signed_in)
    code = emailed_code()
    response = type_code(signed_in, wrong(code))
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "That code is wrong. Check the email and try again (4 tries left)."
    ]
    for _ in range(4):
        response = type_code(signed_in, wrong(code))
    assert "this code no longer works" in response.content.decode()

    response = type_code(signed_in, code)
    assert response.status_code == 200, "the right code, too late"
    assert "There is no code waiting" in response.content.decode()
    assert signed_in.get(SETUP)["Location"] == CONFIRM

    shift_code(coordinator, sent_at=61)
    send_code(signed_in)
    assert len(mail.outbox) == 2
    assert type_code(signed_in, emailed_code())["Location"] == SETUP


def test_an_expired_code_is_refused(signed_in, coordinator):
    send_code(signed_in)
    code = emailed_code()
    shift_code(coordinator, sent_at=15 * 60 + 1, expires_at=15 * 60 + 1)
    response = type_code(signed_in, code)
    assert response.status_code == 200
    assert "This code has expired" in response.content.decode()
    assert signed_in.get(SETUP)["Location"] == CONFIRM


def test_the_right_code_unlocks_setup_and_the_qr_code(signed_in, coordinator):
    send_code(signed_in)
    response = type_code(signed_in, emailed_code())
    assert response.status_code == 302
    assert response["Location"] == SETUP
    confirmed = signed_in.session[CONFIRMED_SESSION_KEY]
    assert confirmed["user"] == str(coordinator.pk) and confirmed["at"]
    assert cache.get(code_cache_key(coordinator.pk)) is None

    response = signed_in.get(SETUP)
    assert response.status_code == 200
    assert "Set up two-factor sign-in" in response.content.decode()
    # Reached: a 404 only because no key has been chosen yet.
    assert signed_in.get(QR).status_code == 404
    assert signed_in.get(CONFIRM)["Location"] == SETUP, "no need to confirm twice"


def test_a_confirmation_belongs_to_the_user_who_made_it(client, coordinator, school_admin):
    client.force_login(school_admin)
    session = client.session
    session[CONFIRMED_SESSION_KEY] = {"user": str(coordinator.pk), "at": 10**12}
    session.save()
    assert client.get(SETUP)["Location"] == CONFIRM


def test_a_user_with_no_email_is_told_to_ask_the_coordinator_and_no_mail_is_sent(signed_in, coordinator):
    coordinator.email = ""
    coordinator.save()
    response = signed_in.get(CONFIRM)
    page = response.content.decode()
    assert "Ask the program coordinator" in page
    assert "Email me a code" not in page
    response = send_code(signed_in)
    assert response["Location"] == CONFIRM
    assert mail.outbox == []
    assert "no email address on your account" in page_messages(signed_in.get(CONFIRM))
    assert signed_in.get(SETUP)["Location"] == CONFIRM


def test_a_user_with_a_device_is_not_asked(verified_client, coordinator):
    verified_client.login(coordinator)
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    response = verified_client.get(SETUP)
    assert response.status_code == 200
    assert "Set up two-factor sign-in" in response.content.decode()
    assert verified_client.get(QR).status_code == 404
    assert verified_client.get(CONFIRM)["Location"] == SETUP
    assert mail.outbox == []


def test_the_confirm_page_needs_sign_in(client):
    response = client.get(CONFIRM)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor:login"))


# --- Counted per user, not per session ------------------------------------------------------------


def test_a_new_session_keeps_the_count_of_wrong_tries_and_the_wait(client, coordinator):
    first = client
    first.force_login(coordinator)
    send_code(first)
    code = emailed_code()
    for _ in range(3):
        type_code(first, wrong(code))

    # Signing in again (a new session, as an attacker with the password would) starts nothing anew.
    second = Client()
    second.force_login(coordinator)
    assert second.session.session_key != first.session.session_key
    response = type_code(second, wrong(code))
    assert response.context["form"].errors["code"] == [
        "That code is wrong. Check the email and try again (1 try left)."
    ]
    send_code(second)
    assert len(mail.outbox) == 1
    assert "less than a minute ago" in page_messages(second.get(CONFIRM))

    response = type_code(second, wrong(code))
    assert "this code no longer works" in response.content.decode()
    third = Client()
    third.force_login(coordinator)
    assert "There is no code waiting" in type_code(third, code).content.decode()
    assert third.get(SETUP)["Location"] == CONFIRM


def test_tries_beyond_the_limit_are_refused_even_with_the_right_code(signed_in, coordinator):
    """The try is counted before the code is compared: tries sent at once cannot all be the fifth."""
    send_code(signed_in)
    code = emailed_code()
    cache.set(wrong_tries_cache_key(coordinator.pk), 5)  # five tries counted, none answered yet
    assert "There is no code waiting" in type_code(signed_in, code).content.decode()
    assert signed_in.get(SETUP)["Location"] == CONFIRM


def test_at_most_five_codes_an_hour_whatever_the_sessions(client, coordinator):
    for n in range(MAX_SENDS):
        session = Client()
        session.force_login(coordinator)
        send_code(session)
        assert len(mail.outbox) == n + 1
        shift_code(coordinator, sent_at=61)
    session = Client()
    session.force_login(coordinator)
    send_code(session)
    assert len(mail.outbox) == MAX_SENDS
    assert "no more are sent for now" in page_messages(session.get(CONFIRM))

    cache.delete(sends_cache_key(coordinator.pk))  # the hour has passed
    send_code(session)
    assert len(mail.outbox) == MAX_SENDS + 1
    assert type_code(session, emailed_code())["Location"] == SETUP
