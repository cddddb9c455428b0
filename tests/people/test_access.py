"""Who may open each People page: coordinators only; the invitation link is public on purpose."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from district.roles import Role
from tests.access import access_table, status_for
from tests.district.factories import UserFactory
from tests.people.factories import invitation_with_token

pytestmark = pytest.mark.django_db

# Expected status per person, in the order of tests.access.PEOPLE (anonymous, outsider, officer_user,
# supervisor, school_admin, other_school_admin, district_admin, coordinator). 302 for the anonymous
# is the sign-in redirect; a coordinator's POST is answered with a redirect to the page it changed.
GETS = {
    "user_list": [302, 403, 403, 403, 403, 403, 403, 200],
    "user_detail": [302, 403, 403, 403, 403, 403, 403, 200],
    "user_access_edit": [302, 403, 403, 403, 403, 403, 403, 200],
    "invitation_list": [302, 403, 403, 403, 403, 403, 403, 200],
    "invitation_create": [302, 403, 403, 403, 403, 403, 403, 200],
    # Public: the invited person has no account yet; the token in the link is the key.
    "invitation_accept": [200, 200, 200, 200, 200, 200, 200, 200],
}
POSTS = {
    "user_deactivate": [302, 403, 403, 403, 403, 403, 403, 302],
    "user_reactivate": [302, 403, 403, 403, 403, 403, 403, 302],
    "user_authenticator_reset": [302, 403, 403, 403, 403, 403, 403, 302],
    "invitation_resend": [302, 403, 403, 403, 403, 403, 403, 302],
    "invitation_cancel": [302, 403, 403, 403, 403, 403, 403, 302],
}


@pytest.fixture
def target(db):
    return UserFactory(username="target", roles=[Role.ADMINISTRATOR], district_wide=True)


@pytest.fixture
def invitation(coordinator):
    return invitation_with_token(invited_by=coordinator, email="someone.new@district.example")


def _url(page, target, invitation):
    if page == "invitation_accept":
        return reverse("people:invitation_accept", args=[invitation[1]])
    if page.startswith("invitation_") and page not in ("invitation_list", "invitation_create"):
        return reverse(f"people:{page}", args=[invitation[0].pk])
    if page.startswith("user_") and page != "user_list":
        return reverse(f"people:{page}", args=[target.pk])
    return reverse(f"people:{page}")


@pytest.mark.parametrize(("page", "person", "expected"), access_table(GETS))
def test_who_may_open_each_page(
    request, client, verified_client, officer, target, invitation, page, person, expected
):
    url = _url(page, target, invitation)
    assert status_for(request, client, verified_client, person, url) == expected


@pytest.mark.parametrize(("page", "person", "expected"), access_table(POSTS))
def test_who_may_change_access(
    request, client, verified_client, officer, target, invitation, page, person, expected
):
    if page == "user_reactivate":
        target.is_active = False
        target.save()
    url = _url(page, target, invitation)
    assert status_for(request, client, verified_client, person, url, method="post") == expected
    target.refresh_from_db()
    invitation[0].refresh_from_db()
    # Only the coordinator's request changed anything.
    if page == "user_deactivate":
        assert target.is_active is (person != "coordinator")
    if page == "invitation_cancel":
        assert (invitation[0].status == "cancelled") is (person == "coordinator")


def test_the_door_itself_refuses_anyone_but_a_coordinator(school_admin, district_admin, coordinator, target):
    from django.http import Http404

    from people.access import user_get_for_user, users_for_user

    for person in (school_admin, district_admin):
        assert not users_for_user(user=person).exists()
        with pytest.raises(Http404):
            user_get_for_user(user=person, pk=target.pk)
    assert user_get_for_user(user=coordinator, pk=target.pk) == target


def test_a_superuser_without_the_coordinator_role_does_not_manage_people(verified_client):
    admin = UserFactory(username="sysadmin", is_staff=True, is_superuser=True)
    verified_client.login(admin)
    assert verified_client.get(reverse("people:user_list")).status_code == 403


def test_the_people_list_costs_the_same_queries_for_ten_times_the_people(
    verified_client, coordinator, school, other_school, agency
):
    verified_client.login(coordinator)
    counts = []
    for total in (5, 50):
        while UserFactory._meta.model.objects.count() < total:
            user = UserFactory(roles=[Role.ADMINISTRATOR, Role.AGENCY_SUPERVISOR])
            user.schools.add(school, other_school)
            agency.supervisors.add(user)
        with CaptureQueriesContext(connection) as queries:
            response = verified_client.get(reverse("people:user_list"))
        assert response.status_code == 200
        assert len(response.context["page"]) == total
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
