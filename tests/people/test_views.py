"""The People pages as a coordinator uses them, and the invitation link as the invited person does."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from district.models import User
from district.roles import Role
from people.models import AccessChange, AccessChangeAction, Invitation, InvitationStatus
from people.services.access import LAST_COORDINATOR
from tests.district.factories import PASSWORD, SchoolFactory, UserFactory
from tests.people.factories import invitation_with_token

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "a-long-and-unusual-passphrase-7"


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- Inviting --------------------------------------------------------------------------------------


def test_a_coordinator_invites_an_administrator_by_email(
    verified_client, coordinator, school, django_capture_on_commit_callbacks
):
    verified_client.login(coordinator)
    assert verified_client.get(reverse("people:invitation_create")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = verified_client.post(
            reverse("people:invitation_create"),
            {
                "email": "Nadia.Okafor@district.example",
                "first_name": "Nadia",
                "last_name": "Okafor",
                "roles": [Role.ADMINISTRATOR],
                "schools": [school.pk],
            },
        )
    assert response.status_code == 302 and response["Location"] == reverse("people:invitation_list")
    invitation = Invitation.objects.get()
    assert invitation.roles == [Role.ADMINISTRATOR] and list(invitation.schools.all()) == [school]
    (message,) = mail.outbox
    link = re.search(r"http://testserver/people/invitations/accept/[\w-]+/", message.body).group(0)
    assert verified_client.get(link).status_code == 200
    listing = _text(verified_client.get(reverse("people:invitation_list")))
    assert "nadia.okafor@district.example" in listing and "Send again" in listing


def test_inviting_an_email_in_use_is_a_form_error(verified_client, coordinator, school_admin):
    verified_client.login(coordinator)
    response = verified_client.post(
        reverse("people:invitation_create"),
        {"email": school_admin.email, "first_name": "A", "last_name": "B", "roles": [Role.ADMINISTRATOR],
         "district_wide": "on"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "An account already uses this email address." in _text(response)
    assert not Invitation.objects.exists() and mail.outbox == []


def test_an_administrator_without_schools_is_a_form_error(verified_client, coordinator, school):
    verified_client.login(coordinator)
    response = verified_client.post(
        reverse("people:invitation_create"),
        {"email": "x@district.example", "first_name": "A", "last_name": "B", "roles": [Role.ADMINISTRATOR]},
    )
    assert response.status_code == 200
    assert "Choose the administrator&#x27;s schools" in _text(response)
    assert not Invitation.objects.exists()


def test_a_coordinator_sends_again_and_cancels(
    verified_client, coordinator, pending, django_capture_on_commit_callbacks
):
    invitation, old_token = pending
    verified_client.login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        verified_client.post(reverse("people:invitation_resend", args=[invitation.pk]))
    assert len(mail.outbox) == 1 and old_token not in mail.outbox[0].body
    assert verified_client.get(reverse("people:invitation_accept", args=[old_token])).status_code == 400
    verified_client.post(reverse("people:invitation_cancel", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.CANCELLED
    response = verified_client.post(reverse("people:invitation_cancel", args=[invitation.pk]), follow=True)
    assert "This invitation was cancelled: it cannot change." in _text(response)


# --- Accepting -------------------------------------------------------------------------------------


def test_the_invited_person_sets_a_password_and_goes_on_to_the_second_factor(client, pending, accept_url):
    invitation, _ = pending
    page = _text(client.get(accept_url))
    assert "Set up your account" in page and invitation.email in page

    response = client.post(accept_url, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("two_factor:setup")
    user = User.objects.get(email=invitation.email)
    assert int(client.session["_auth_user_id"]) == user.pk, "signed in"
    # The enrolment first proves the email address with a code.
    assert client.get(reverse("two_factor:setup"))["Location"] == reverse("second_factor_email_confirm")


def test_an_agency_supervisor_needs_no_second_factor_and_lands_home(client, coordinator, agency):
    invitation, token = invitation_with_token(
        invited_by=coordinator, roles=[Role.AGENCY_SUPERVISOR], district_wide=False, agency=agency
    )
    url = reverse("people:invitation_accept", args=[token])
    response = client.post(url, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_a_weak_password_is_explained_and_nothing_saved(client, pending, accept_url):
    invitation, _ = pending
    response = client.post(accept_url, {"new_password1": "invitee123", "new_password2": "invitee123"})
    assert response.status_code == 200
    assert "too similar" in _text(response) or "too common" in _text(response)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING
    assert not User.objects.filter(email=invitation.email).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_used_link_shows_a_clear_page(client, pending, accept_url, method):
    client.post(accept_url, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    client.logout()
    response = getattr(client, method)(
        accept_url, {"new_password1": "x" + GOOD_PASSWORD, "new_password2": "x" + GOOD_PASSWORD}
    )
    assert response.status_code == 410
    assert "This invitation was already used" in _text(response)
    assert User.objects.filter(email=pending[0].email).count() == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_expired_link_shows_a_clear_page_and_saves_nothing(client, pending, accept_url, method):
    Invitation.objects.filter(pk=pending[0].pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = getattr(client, method)(
        accept_url, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD}
    )
    assert response.status_code == 410
    assert "This invitation has expired" in _text(response)
    assert not User.objects.filter(email=pending[0].email).exists()


def test_a_tampered_link_shows_a_clear_page(client, pending):
    response = client.get(reverse("people:invitation_accept", args=[pending[1][:-2] + "zz"]))
    assert response.status_code == 400
    assert "This invitation link is not valid" in _text(response)


def test_a_link_that_expires_while_the_form_is_open_is_refused_cleanly(
    client, pending, accept_url, monkeypatch
):
    """The page was opened in time; the POST arrives after the expiry: the service refuses, no 500."""
    from people import views

    monkeypatch.setattr(views, "invitation_problem", lambda **kwargs: None)
    Invitation.objects.filter(pk=pending[0].pk).update(expires_at=timezone.now())
    response = client.post(accept_url, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert response.status_code == 410
    assert not User.objects.filter(email=pending[0].email).exists()


# --- The list and a person -----------------------------------------------------------------------------


def test_the_list_filters_by_role_status_and_search(
    verified_client, coordinator, school_admin, officer, supervisor
):
    gone = UserFactory(username="gone", first_name="Zebulon", roles=[Role.ADMINISTRATOR], is_active=False)
    verified_client.login(coordinator)

    def listed(**params):
        return {
            user.username for user in verified_client.get(reverse("people:user_list"), params).context["page"]
        }

    assert listed(role=Role.ADMINISTRATOR) == {"principal", "gone"}
    assert listed(role=Role.ADMINISTRATOR, active="yes") == {"principal"}
    assert listed(active="no") == {"gone"}
    assert listed(q="zebulon") == {"gone"}
    html = _text(verified_client.get(reverse("people:user_list")))
    assert "Ballston High School" in html and "Deactivated" in html and gone.email in html


def test_the_detail_page_shows_the_history_with_who_made_each_change(
    verified_client, coordinator, school_admin, school
):
    other = SchoolFactory(name="Milton Middle School", code="MMS2")
    verified_client.login(coordinator)
    response = verified_client.post(
        reverse("people:user_access_edit", args=[school_admin.pk]),
        {"roles": [Role.ADMINISTRATOR], "schools": [school.pk, other.pk]},
    )
    assert response["Location"] == reverse("people:user_detail", args=[school_admin.pk])
    html = _text(verified_client.get(response["Location"]))
    assert "Scope changed" in html and str(coordinator) in html
    assert "Before: schools: Ballston High School" in html
    assert "After: schools: Ballston High School, Milton Middle School" in html


def test_removing_the_last_coordinators_role_is_a_form_error(verified_client, coordinator):
    verified_client.login(coordinator)
    response = verified_client.post(
        reverse("people:user_access_edit", args=[coordinator.pk]),
        {"roles": [Role.ADMINISTRATOR], "district_wide": "on"},
    )
    assert response.status_code == 200
    assert "This is the last active coordinator" in _text(response)
    coordinator.refresh_from_db()
    assert coordinator.has_role(Role.COORDINATOR) and not coordinator.district_wide


def test_deactivating_the_last_coordinator_is_refused_with_a_message(verified_client, coordinator):
    verified_client.login(coordinator)
    response = verified_client.post(reverse("people:user_deactivate", args=[coordinator.pk]), follow=True)
    assert response.status_code == 200
    assert LAST_COORDINATOR.replace("'", "&#x27;") in _text(response)
    coordinator.refresh_from_db()
    assert coordinator.is_active


def _signed_in_client(user):
    """A second browser: a client signed in as ``user`` with the second factor passed."""
    from types import SimpleNamespace

    from django.test import Client
    from django_otp import login as otp_login
    from django_otp.plugins.otp_static.models import StaticDevice

    other = Client()
    other.force_login(user)
    device = StaticDevice.objects.create(user=user, name="backup")
    session = other.session
    otp_login(SimpleNamespace(session=session, user=user), device)
    session.save()
    return other


def test_a_deactivated_person_is_signed_out_at_once_and_stays_out_when_reactivated(
    client, verified_client, coordinator, officer_user
):
    officer_client = _signed_in_client(officer_user)
    assert officer_client.get(reverse("home")).status_code == 200

    verified_client.login(coordinator)
    verified_client.post(reverse("people:user_deactivate", args=[officer_user.pk]))
    response = officer_client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor:login"))

    verified_client.post(reverse("people:user_reactivate", args=[officer_user.pk]))
    response = officer_client.get(reverse("home"))
    assert response.status_code == 302, "the old session does not come back with the account"
    officer_user.refresh_from_db()
    assert officer_user.is_active and officer_user.check_password(PASSWORD)


def test_resetting_an_authenticator_from_the_page(verified_client, coordinator, officer_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=officer_user, name="phone", confirmed=True)
    verified_client.login(coordinator)
    assert "Reset lost authenticator" in _text(
        verified_client.get(reverse("people:user_detail", args=[officer_user.pk]))
    )
    response = verified_client.post(
        reverse("people:user_authenticator_reset", args=[officer_user.pk]), follow=True
    )
    assert "they set up a new one at their next sign-in" in _text(response)
    assert "Authenticator reset" in _text(response)
    assert not TOTPDevice.objects.filter(user=officer_user).exists()
    assert AccessChange.objects.filter(
        action=AccessChangeAction.AUTHENTICATOR_RESET, user=officer_user
    ).exists()


def test_the_navigation_shows_people_to_coordinators_only(verified_client, coordinator, district_admin):
    verified_client.login(coordinator)
    assert "People" in [i["label"] for i in verified_client.get(reverse("home")).context["nav_items"]]
    verified_client.login(district_admin)
    assert "People" not in [i["label"] for i in verified_client.get(reverse("home")).context["nav_items"]]
