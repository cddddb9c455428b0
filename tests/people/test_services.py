"""The People services: inviting, accepting once, roles and scope, deactivation, authenticators."""

import datetime
import threading

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from district.models import User
from district.roles import Role
from people.models import AccessChange, AccessChangeAction, Invitation, InvitationStatus, UserSession
from people.selectors.invitations import invitation_for_token
from people.services.access import (
    LAST_COORDINATOR,
    user_access_update,
    user_authenticator_reset,
    user_deactivate,
    user_reactivate,
)
from people.services.invitations import (
    InvitationUnusable,
    invitation_accept,
    invitation_cancel,
    invitation_resend,
)
from people.sessions.db import SessionStore
from tests.officers.factories import OfficerFactory
from tests.people.factories import invitation_with_token, invite

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "a-long-and-unusual-passphrase-7"


# --- Inviting --------------------------------------------------------------------------------------


def test_an_invitation_keeps_only_a_hash_of_its_link_and_is_emailed_after_commit(
    coordinator, school, settings, django_capture_on_commit_callbacks
):
    settings.INVITATION_DAYS = 3
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation, token = invite(
            invited_by=coordinator,
            email="Nadia.Okafor@District.example",
            district_wide=False,
            schools=[school],
        )
    assert mail.outbox == [], "nothing is sent before the invitation is committed"
    for callback in callbacks:
        callback()

    invitation.refresh_from_db()
    assert invitation.email == "nadia.okafor@district.example"
    assert invitation.status == InvitationStatus.PENDING
    assert invitation.token_hash != token and token not in str(Invitation.objects.values().get())
    assert invitation_for_token(token=token) == invitation
    assert list(invitation.schools.all()) == [school]
    assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=3)
    (message,) = mail.outbox
    assert message.to == ["nadia.okafor@district.example"]
    assert f"/people/invitations/accept/{token}/" in message.body
    change = AccessChange.objects.get()
    assert (change.action, change.actor, change.invitation) == (
        AccessChangeAction.INVITED,
        coordinator,
        invitation,
    )
    assert change.details["after"]["schools"] == [school.name]


@pytest.mark.parametrize("address", ["principal@district.example", "PRINCIPAL@district.example"])
def test_an_email_an_account_uses_cannot_be_invited(coordinator, school_admin, address):
    with pytest.raises(ValidationError) as refused:
        invite(invited_by=coordinator, email=address)
    assert "already uses this email" in refused.value.message_dict["email"][0]
    assert not Invitation.objects.exists() and not AccessChange.objects.exists()


def test_an_email_with_a_pending_invitation_cannot_be_invited_again(coordinator, pending):
    with pytest.raises(ValidationError) as refused:
        invite(invited_by=coordinator, email="Invitee@district.example")
    assert "pending invitation" in refused.value.message_dict["email"][0]
    assert Invitation.objects.count() == 1


def test_an_expired_invitation_gives_way_to_a_new_one(coordinator, pending):
    old, _ = pending
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    new, _ = invite(invited_by=coordinator, email="invitee@district.example")
    old.refresh_from_db()
    assert old.status == InvitationStatus.SUPERSEDED
    assert new.status == InvitationStatus.PENDING


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"roles": []}, "roles"),
        ({"roles": [Role.ADMINISTRATOR], "district_wide": False}, "schools"),
        ({"roles": [Role.AGENCY_SUPERVISOR]}, "agency"),
        ({"roles": [Role.SRO]}, "officer"),
    ],
)
def test_each_role_needs_its_scope(coordinator, values, field):
    with pytest.raises(ValidationError) as refused:
        invite(invited_by=coordinator, **values)
    assert field in refused.value.message_dict
    assert not Invitation.objects.exists()


def test_an_officer_with_an_account_cannot_be_invited(coordinator, officer):
    with pytest.raises(ValidationError) as refused:
        invite(invited_by=coordinator, roles=[Role.SRO], officer=officer)
    assert "already belongs to an account" in refused.value.message_dict["officer"][0]


def test_scope_that_no_chosen_role_uses_is_dropped(coordinator, school, agency):
    invitation, _ = invite(
        invited_by=coordinator,
        roles=[Role.AGENCY_SUPERVISOR],
        schools=[school],
        district_wide=True,
        agency=agency,
    )
    assert (list(invitation.schools.all()), invitation.district_wide, invitation.agency) == (
        [],
        False,
        agency,
    )


# --- Accepting -------------------------------------------------------------------------------------


def test_accepting_creates_the_account_with_the_roles_and_scope(coordinator, agency, school, academic_year):
    officer = OfficerFactory(agency=agency, user=None)
    invitation, token = invite(
        invited_by=coordinator,
        email="deputy.sro@district.example",
        roles=[Role.SRO, Role.ADMINISTRATOR, Role.AGENCY_SUPERVISOR],
        district_wide=False,
        schools=[school],
        agency=agency,
        officer=officer,
    )
    user = invitation_accept(invitation=invitation, password=GOOD_PASSWORD)

    user.refresh_from_db()
    assert user.username == user.email == "deputy.sro@district.example"
    assert user.check_password(GOOD_PASSWORD) and user.is_active
    assert user.roles == {Role.SRO, Role.ADMINISTRATOR, Role.AGENCY_SUPERVISOR}
    assert list(user.schools.all()) == [school] and not user.district_wide
    assert list(agency.supervisors.all()) == [user]
    officer.refresh_from_db()
    assert officer.user == user
    invitation.refresh_from_db()
    assert (invitation.status, invitation.user) == (InvitationStatus.ACCEPTED, user)
    assert AccessChange.objects.filter(user=user, action=AccessChangeAction.ACCEPTED, actor=user).exists()


def test_a_weak_password_is_refused_and_nothing_is_saved(pending):
    invitation, _ = pending
    with pytest.raises(ValidationError) as refused:
        invitation_accept(invitation=invitation, password="password")
    assert any("too common" in message for message in refused.value.messages)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING
    assert not User.objects.filter(email=invitation.email).exists()


def test_an_invitation_works_once(pending):
    invitation, _ = pending
    invitation_accept(invitation=invitation, password=GOOD_PASSWORD)
    with pytest.raises(InvitationUnusable) as refused:
        invitation_accept(invitation=invitation, password=GOOD_PASSWORD + "x")
    assert refused.value.reason == "accepted"
    assert User.objects.filter(email=invitation.email).count() == 1


def test_an_expired_invitation_is_refused(pending):
    invitation, _ = pending
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    with pytest.raises(InvitationUnusable) as refused:
        invitation_accept(invitation=invitation, password=GOOD_PASSWORD)
    assert refused.value.reason == "expired"
    assert not User.objects.filter(email=invitation.email).exists()


def test_a_cancelled_invitation_is_refused(coordinator, pending):
    invitation, _ = pending
    invitation_cancel(actor=coordinator, invitation=invitation)
    with pytest.raises(InvitationUnusable) as refused:
        invitation_accept(invitation=invitation, password=GOOD_PASSWORD)
    assert refused.value.reason == "cancelled"
    assert AccessChange.objects.filter(
        action=AccessChangeAction.INVITATION_CANCELLED, actor=coordinator
    ).exists()


def test_sending_again_gives_a_new_link_and_the_old_one_stops_working(coordinator, pending):
    invitation, old_token = pending
    links = []
    invitation_resend(
        actor=coordinator, invitation=invitation, link_for=lambda token: links.append(token) or token
    )
    assert invitation_for_token(token=old_token) is None
    assert invitation_for_token(token=links[0]) == invitation
    assert AccessChange.objects.filter(action=AccessChangeAction.INVITATION_RESENT).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_tabs_accepting_at_once_make_one_account(coordinator):
    """Both requests read the invitation as pending; the conditional UPDATE lets only one use it."""
    invitation, _ = invitation_with_token(invited_by=coordinator, email="race@district.example")
    barrier = threading.Barrier(2)
    outcomes = []

    def accept(password):
        try:
            barrier.wait()
            outcomes.append(invitation_accept(invitation=invitation, password=password))
        except Exception as error:
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(GOOD_PASSWORD + s,)) for s in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    accounts = [o for o in outcomes if isinstance(o, User)]
    refusals = [o for o in outcomes if isinstance(o, InvitationUnusable)]
    assert len(accounts) == 1 and len(refusals) == 1, outcomes
    assert refusals[0].reason == "accepted"
    assert User.objects.filter(email="race@district.example").count() == 1
    assert AccessChange.objects.filter(action=AccessChangeAction.ACCEPTED).count() == 1


# --- Roles and scope ---------------------------------------------------------------------------------


def test_changing_roles_and_scope_keeps_before_and_after(
    coordinator, school_admin, school, other_school, agency
):
    user_access_update(
        actor=coordinator,
        user=school_admin,
        roles=[Role.ADMINISTRATOR, Role.AGENCY_SUPERVISOR],
        schools=[other_school],
        agencies=[agency],
    )
    school_admin.refresh_from_db()
    assert school_admin.roles == {Role.ADMINISTRATOR, Role.AGENCY_SUPERVISOR}
    assert list(school_admin.schools.all()) == [other_school]
    assert list(school_admin.supervised_agencies.all()) == [agency]
    roles = AccessChange.objects.get(user=school_admin, action=AccessChangeAction.ROLES_CHANGED)
    assert roles.actor == coordinator
    assert roles.details == {"before": ["Administrator"], "after": ["Administrator", "Agency supervisor"]}
    scope = AccessChange.objects.get(user=school_admin, action=AccessChangeAction.SCOPE_CHANGED)
    assert scope.details["before"]["schools"] == [school.name]
    assert scope.details["after"]["schools"] == [other_school.name]
    assert scope.details["after"]["agencies"] == [agency.name]


def test_an_unchanged_form_records_nothing(coordinator, school_admin, school):
    assert (
        user_access_update(actor=coordinator, user=school_admin, roles=[Role.ADMINISTRATOR], schools=[school])
        == []
    )
    assert not AccessChange.objects.exists()


def test_linking_another_officer_record_unlinks_the_first(coordinator, officer, agency):
    other = OfficerFactory(agency=agency, user=None)
    user_access_update(actor=coordinator, user=officer.user, roles=[Role.SRO], officer=other)
    user = officer.user
    officer.refresh_from_db()
    other.refresh_from_db()
    assert (officer.user, other.user) == (None, user)


def test_the_last_coordinator_keeps_the_role(coordinator, school):
    with pytest.raises(ValidationError) as refused:
        user_access_update(
            actor=coordinator, user=coordinator, roles=[Role.ADMINISTRATOR], district_wide=True
        )
    assert refused.value.message_dict["roles"] == [LAST_COORDINATOR]
    coordinator.refresh_from_db()
    assert coordinator.roles == {Role.COORDINATOR} and not coordinator.district_wide
    assert not AccessChange.objects.exists()


def test_with_another_coordinator_the_role_may_go(coordinator, other_coordinator):
    user_access_update(actor=coordinator, user=coordinator, roles=[Role.ADMINISTRATOR], district_wide=True)
    coordinator.refresh_from_db()
    assert coordinator.roles == {Role.ADMINISTRATOR}


def test_a_deactivated_coordinator_does_not_count(coordinator, other_coordinator):
    other_coordinator.is_active = False
    other_coordinator.save()
    with pytest.raises(ValidationError):
        user_access_update(
            actor=coordinator, user=coordinator, roles=[Role.ADMINISTRATOR], district_wide=True
        )


# --- Deactivation and authenticators -------------------------------------------------------------------


def _session_of(user) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store.create()
    return store.session_key


def test_deactivating_ends_every_session_and_deletes_nothing(coordinator, officer):
    keys = [_session_of(officer.user), _session_of(officer.user)]
    other = _session_of(coordinator)
    user_deactivate(actor=coordinator, user=officer.user)

    officer.user.refresh_from_db()
    assert not officer.user.is_active
    assert not UserSession.objects.filter(session_key__in=keys).exists()
    assert all(not SessionStore().exists(key) for key in keys)
    assert UserSession.objects.filter(session_key=other).exists(), "only their sessions end"
    officer.refresh_from_db()
    assert officer.user is not None, "nothing is deleted or unlinked"
    change = AccessChange.objects.get(action=AccessChangeAction.DEACTIVATED)
    assert (change.actor, change.user, change.details) == (coordinator, officer.user, {"sessions_ended": 2})

    user_reactivate(actor=coordinator, user=officer.user)
    officer.user.refresh_from_db()
    assert officer.user.is_active
    assert AccessChange.objects.filter(action=AccessChangeAction.REACTIVATED, user=officer.user).exists()


def test_the_last_active_coordinator_cannot_be_deactivated_even_by_themselves(coordinator):
    with pytest.raises(ValidationError) as refused:
        user_deactivate(actor=coordinator, user=coordinator)
    assert refused.value.messages == [LAST_COORDINATOR]
    coordinator.refresh_from_db()
    assert coordinator.is_active and not AccessChange.objects.exists()


def test_a_coordinator_may_deactivate_themselves_when_another_remains(coordinator, other_coordinator):
    user_deactivate(actor=coordinator, user=coordinator)
    coordinator.refresh_from_db()
    assert not coordinator.is_active


def test_resetting_the_authenticator_removes_every_device_and_is_recorded(coordinator, officer_user):
    TOTPDevice.objects.create(user=officer_user, name="phone", confirmed=True)
    StaticDevice.objects.create(user=officer_user, name="backup")
    other = TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)

    assert user_authenticator_reset(actor=coordinator, user=officer_user) == 2

    assert not TOTPDevice.objects.filter(user=officer_user).exists()
    assert not StaticDevice.objects.filter(user=officer_user).exists()
    assert TOTPDevice.objects.filter(pk=other.pk).exists()
    change = AccessChange.objects.get(action=AccessChangeAction.AUTHENTICATOR_RESET)
    assert (change.actor, change.user) == (coordinator, officer_user)
    assert change.details["devices_removed"] == ["StaticDevice", "TOTPDevice"]
