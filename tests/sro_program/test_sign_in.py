"""Signing in and out: the second factor, throttling, passwords and sessions."""

import datetime
import re
import time
from types import SimpleNamespace

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


# --- Throttling behind the reverse proxy -----------------------------------------------------------

PROXY = "10.0.0.2"


def from_client(address: str, forwarded_by_client: str = "") -> dict:
    """A request through one proxy: it appends the address it was reached from to X-Forwarded-For."""
    chain = f"{forwarded_by_client}, {address}" if forwarded_by_client else address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chain}


def locked(response) -> bool:
    return response.status_code in (403, 429) and "Sign-in paused" in response.content.decode()


def test_behind_one_trusted_proxy_failures_lock_the_username_only_from_that_client(
    client, settings, supervisor
):
    settings.SRO_TRUSTED_PROXY_COUNT = 1
    for _ in range(4):
        response = sign_in(client, supervisor.username, "wrong-password", **from_client("203.0.113.5"))
        assert response.status_code == 200
    assert locked(sign_in(client, supervisor.username, "wrong-password", **from_client("203.0.113.5")))
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}

    # The same client is locked out even with the right password, and cannot escape by writing
    # its own X-Forwarded-For: the proxy appends the address it really came from.
    assert locked(sign_in(client, supervisor.username, **from_client("203.0.113.5")))
    assert locked(sign_in(client, supervisor.username, **from_client("203.0.113.5", "198.51.100.99")))

    # The account's owner, elsewhere behind the same proxy, still signs in.
    response = sign_in(client, supervisor.username, **from_client("198.51.100.7"))
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(supervisor.pk)


def test_the_username_wide_limit_locks_it_from_every_address_at_its_higher_threshold(
    client, settings, supervisor
):
    settings.SRO_TRUSTED_PROXY_COUNT = 1
    assert settings.SRO_LOGIN_USERNAME_FAILURE_LIMIT == 20
    # 19 failures from five addresses, under five from each: nothing is locked yet.
    for n in range(19):
        address = f"203.0.113.{n // 4}"
        response = sign_in(client, supervisor.username, "wrong-password", **from_client(address))
        assert response.status_code == 200, n
    response = sign_in(client, supervisor.username, **from_client("198.51.100.7"))
    assert response.status_code == 302, "below the username-wide limit the owner signs in"
    client.post(reverse("logout"))

    # The owner's success cleared only their own address's failures: the 20th failure, from a new
    # address, reaches the username-wide limit.
    response = sign_in(client, supervisor.username, "wrong-password", **from_client("192.0.2.1"))
    assert response.status_code != 302
    assert locked(sign_in(client, supervisor.username, **from_client("198.51.100.8")))
    # Another account is not affected.
    other = UserFactory(username="deputy2")
    assert sign_in(client, other.username, **from_client("203.0.113.0")).status_code == 302


def test_without_a_trusted_proxy_a_forged_x_forwarded_for_is_ignored(client, settings, supervisor):
    assert settings.SRO_TRUSTED_PROXY_COUNT == 0
    for n in range(4):
        extra = {"REMOTE_ADDR": "192.0.2.50", "HTTP_X_FORWARDED_FOR": f"203.0.113.{n}"}
        assert sign_in(client, supervisor.username, "wrong-password", **extra).status_code == 200
    extra = {"REMOTE_ADDR": "192.0.2.50", "HTTP_X_FORWARDED_FOR": "203.0.113.200"}
    assert locked(sign_in(client, supervisor.username, "wrong-password", **extra))
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.50"}


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "client_address"),
    [
        (0, "192.0.2.1", "203.0.113.5", "192.0.2.1"),
        (1, PROXY, "203.0.113.5", "203.0.113.5"),
        (1, PROXY, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the client wrote the first one
        (2, PROXY, "6.6.6.6, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
        (2, PROXY, "203.0.113.5", "203.0.113.5"),  # fewer hops than proxies: the leftmost
        (1, PROXY, "", PROXY),  # reached the server directly
        (1, PROXY, "not-an-address", PROXY),
        (1, PROXY, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_read_through_the_trusted_proxies(
    rf, settings, proxies, remote, forwarded, client_address
):
    from sro_program.sign_in import client_address as read

    settings.SRO_TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert read(request) == client_address


# --- Backup codes ----------------------------------------------------------------------------------


def test_a_backup_code_signs_in_once(client, officer, officer_user):
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    TOTPDevice.objects.create(user=officer_user, name="default", confirmed=True)
    backup = StaticDevice.objects.create(user=officer_user, name="backup")
    StaticToken.objects.create(device=backup, token="k3x9p2m7")

    def sign_in_with_backup_code():
        sign_in(client, officer_user.username)
        return client.post(LOGIN, {"login_view-current_step": "backup", "backup-otp_token": "k3x9p2m7"})

    response = sign_in_with_backup_code()
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert not StaticToken.objects.filter(device=backup).exists(), "a backup code is used up"

    client.post(reverse("logout"))
    backup.throttle_reset()
    response = sign_in_with_backup_code()
    assert response.status_code == 200
    assert response.context["wizard"]["steps"].current == "backup"
    assert response.context["wizard"]["form"].errors
    assert "_auth_user_id" not in client.session


# --- Password-reset links and the absolute session lifetime -----------------------------------------


def emailed_reset_link() -> str:
    return re.search(r"https?://[^/]+(/account/password/reset/\S+/)", mail.outbox[-1].body).group(1)


def test_a_password_reset_link_older_than_an_hour_is_refused(client, supervisor, monkeypatch):
    assert settings.PASSWORD_RESET_TIMEOUT == 60 * 60
    client.post(reverse("password_reset"), {"email": supervisor.email})
    link = emailed_reset_link()

    # An hour and a minute later (the token carries the time it was made, read through now()).
    from django.contrib.auth.tokens import default_token_generator

    later = default_token_generator._now() + datetime.timedelta(minutes=61)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is False
    page = response.content.decode()
    assert "This link has expired or was already used" in page
    assert "works once, for one hour" in page

    # Posting a new password to the form's address changes nothing either.
    uidb64 = link.strip("/").split("/")[-2]
    new = "a-new-long-passphrase-42"
    form_url = reverse("password_reset_confirm", args=[uidb64, "set-password"])
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 200
    supervisor.refresh_from_db()
    assert supervisor.check_password(PASSWORD) and not supervisor.check_password(new)


def test_a_password_reset_link_works_within_the_hour(client, supervisor, monkeypatch):
    from django.contrib.auth.tokens import default_token_generator

    client.post(reverse("password_reset"), {"email": supervisor.email})
    later = default_token_generator._now() + datetime.timedelta(minutes=59)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    response = client.get(emailed_reset_link(), follow=True)
    assert response.context["validlink"] is True


def move_clock(monkeypatch, seconds: float) -> None:
    """Move the clock the session lifetime reads forward by ``seconds``."""
    import sro_program.sessions

    now = time.time() + seconds
    monkeypatch.setattr(sro_program.sessions, "time", SimpleNamespace(time=lambda: now))


def test_a_session_ends_twelve_hours_after_sign_in_however_active(verified_client, supervisor, monkeypatch):
    assert settings.SRO_SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60
    verified_client.login(supervisor)
    assert verified_client.get(reverse("home")).status_code == 200
    move_clock(monkeypatch, 11 * 60 * 60 + 59 * 60)
    assert verified_client.get(reverse("home")).status_code == 200, "still within the twelve hours"

    move_clock(monkeypatch, 12 * 60 * 60)
    response = verified_client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in verified_client.session
    response = verified_client.get(response["Location"])
    assert "a session lasts at most 12 hours" in response.content.decode()


def test_the_absolute_lifetime_is_configurable_and_counts_from_each_sign_in(
    client, settings, supervisor, monkeypatch
):
    settings.SRO_SESSION_ABSOLUTE_SECONDS = 2 * 60 * 60
    move_clock(monkeypatch, -3 * 60 * 60)
    client.force_login(supervisor)  # three hours ago
    move_clock(monkeypatch, 0)
    assert client.get(reverse("home")).status_code == 302

    client.force_login(supervisor)  # now: a new sign-in starts a new lifetime
    assert client.get(reverse("home")).status_code == 200


def test_a_signed_in_session_without_a_sign_in_time_is_ended(client, supervisor):
    client.force_login(supervisor)
    session = client.session
    del session["signed_in_at"]
    session.save()
    assert client.get(reverse("home")).status_code == 302
