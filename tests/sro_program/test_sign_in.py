"""Signing in and out: the second factor, throttling, passwords and sessions."""

import datetime
import re
import time

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from people.models import UserSession as Session  # the session engine's table
from tests.district.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("two_factor:login")
SETUP = reverse("two_factor:setup")


def sign_in(client, username, password=PASSWORD, **extra):
    """The first step of the two-factor login wizard, as the form posts it."""
    return client.post(
        LOGIN,
        {"login_view-current_step": "auth", "auth-username": username, "auth-password": password},
        **extra,
    )


def current_token(device) -> str:
    return str(totp(device.bin_key, device.step, device.t0, device.digits)).zfill(device.digits)


def type_token(client, device, token=None):
    token = token or current_token(device)
    return client.post(LOGIN, {"login_view-current_step": "token", "token-otp_token": token})


@pytest.fixture
def system_admin(db):
    return UserFactory(username="sysadmin", is_staff=True, is_superuser=True)


# --- Second factor ---------------------------------------------------------------------------------

NEEDS_SECOND_FACTOR = ["coordinator", "officer_user", "school_admin", "district_admin", "system_admin"]


@pytest.mark.parametrize("person", NEEDS_SECOND_FACTOR)
@pytest.mark.parametrize(
    "page", ["home", "district:student_list", "officers:officer_list", "password_change"]
)
def test_without_a_device_the_roles_that_see_students_are_sent_to_set_one_up(request, client, person, page):
    client.force_login(request.getfixturevalue(person))
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response["Location"] == SETUP


@pytest.mark.parametrize("person", NEEDS_SECOND_FACTOR)
def test_the_setup_wizard_and_the_way_out_stay_open(request, client, person):
    client.force_login(request.getfixturevalue(person))
    # The wizard first asks for the account's email to be confirmed (tests/sro_program/test_enrolment.py).
    confirm = reverse("second_factor_email_confirm")
    assert client.get(SETUP)["Location"] == confirm
    assert client.get(confirm).status_code == 200
    session = client.session
    session["second_factor_email_confirmed"] = {"user": str(session["_auth_user_id"]), "at": time.time()}
    session.save()
    assert client.get(SETUP).status_code == 200
    # Reached, not redirected to the setup: a 404 only because no key has been chosen yet.
    assert client.get(reverse("two_factor:qr")).status_code == 404
    assert client.get(reverse("password_reset")).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_password_only_session_of_a_user_with_a_device_is_ended(client, coordinator):
    TOTPDevice.objects.create(user=coordinator, name="default", confirmed=True)
    client.force_login(coordinator)
    response = client.get(reverse("district:student_list") + "?q=ada&grade=07")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2Fdistrict%2Fstudents%2F%3Fq%3Dada%26grade%3D07"
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("person", ["supervisor", "outsider"])
def test_people_who_never_see_student_names_need_no_second_factor(request, client, officer, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("person", NEEDS_SECOND_FACTOR)
def test_when_the_district_turns_it_off_nobody_needs_a_second_factor(
    request, client, settings, officer, person
):
    settings.SRO_REQUIRE_SECOND_FACTOR = False
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("home")).status_code == 200


def test_signing_in_with_password_and_token(client, officer, officer_user):
    device = TOTPDevice.objects.create(user=officer_user, name="default", confirmed=True)
    response = sign_in(client, officer_user.username)
    assert response.status_code == 200
    assert response.context["wizard"]["steps"].current == "token"
    assert "_auth_user_id" not in client.session, "the password alone signs nobody in"

    wrong = str((int(current_token(device)) + 1) % 1_000_000).zfill(6)
    response = type_token(client, device, token=wrong)
    assert response.context["wizard"]["steps"].current == "token"
    assert "_auth_user_id" not in client.session

    device.throttle_reset()  # django-otp pauses verification for a second after a failure.
    response = type_token(client, device)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_a_second_factor_role_without_a_device_signs_in_and_is_led_to_setup(client, coordinator):
    response = sign_in(client, coordinator.username)
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == SETUP


# --- Throttling ------------------------------------------------------------------------------------


def test_a_wrong_password_is_a_form_error(client, coordinator):
    response = sign_in(client, coordinator.username, "not-my-password")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_after_the_failure_limit_the_account_is_locked_for_the_cool_off(client, supervisor):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for _ in range(limit - 1):
        assert sign_in(client, supervisor.username, "wrong-password").status_code == 200
    response = sign_in(client, supervisor.username, "wrong-password")
    assert response.status_code in (403, 429)
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert "Wait 15 minutes" in response.content.decode()

    # Locked even with the right password, and still not a 500.
    response = sign_in(client, supervisor.username)
    assert response.status_code in (403, 429)
    assert "Sign-in paused" in response.content.decode()
    assert "_auth_user_id" not in client.session

    # Another account from the same address (a school's shared network) is not locked out.
    other = UserFactory(username="deputy2")
    assert sign_in(client, other.username).status_code == 302

    # After the cool-off the right password works again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert sign_in(client, supervisor.username).status_code == 302


# --- Passwords -------------------------------------------------------------------------------------


def test_password_reset_by_email(client, supervisor):
    response = client.post(reverse("password_reset"), {"email": supervisor.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [supervisor.email]
    assert message.subject == "Reset your SRO Program Manager password"
    link = re.search(r"https?://[^/]+(/account/password/reset/\S+/)", message.body).group(1)

    response = client.get(link, follow=True)  # The token moves out of the address into the session.
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    new = "a-new-long-passphrase-42"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response["Location"] == reverse("password_reset_complete")
    supervisor.refresh_from_db()
    assert supervisor.check_password(new)
    assert client.get(link, follow=True).context["validlink"] is False, "the link works once"


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, supervisor):
    response = client.post(reverse("password_reset"), {"email": "nobody@district.example"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_change_keeps_the_session_and_retires_the_old_password(verified_client, officer_user):
    verified_client.login(officer_user)
    new = "another-long-passphrase-7"
    response = verified_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response["Location"] == reverse("password_change_done")
    officer_user.refresh_from_db()
    assert officer_user.check_password(new) and not officer_user.check_password(PASSWORD)
    assert verified_client.get(reverse("home")).status_code == 200


def test_password_change_refuses_a_weak_password(verified_client, officer_user):
    verified_client.login(officer_user)
    response = verified_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "password", "new_password2": "password"},
    )
    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()


# --- Signing out and sessions ----------------------------------------------------------------------


def test_logout_is_post_only(verified_client, supervisor):
    verified_client.login(supervisor)
    assert verified_client.get(reverse("logout")).status_code == 405
    assert verified_client.get(reverse("home")).status_code == 200, "a GET did not end the session"
    response = verified_client.post(reverse("logout"))
    assert response["Location"] == LOGIN
    assert verified_client.get(reverse("home")).status_code == 302


def test_sessions_end_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_each_request_pushes_the_idle_expiry_forward_and_an_idle_session_ends(client, supervisor):
    client.force_login(supervisor)
    session_key = client.session.session_key
    Session.objects.filter(pk=session_key).update(expire_date=timezone.now() + datetime.timedelta(minutes=2))
    assert client.get(reverse("home")).status_code == 200
    expiry = Session.objects.get(pk=session_key).expire_date
    assert expiry > timezone.now() + datetime.timedelta(minutes=29)

    Session.objects.filter(pk=session_key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
