"""Who may open the project's own pages; and, across every app, that sign-in is the default."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

LOGIN = reverse("two_factor:login")

# Pages anyone may open, on purpose: each is marked @login_not_required in its view.
PUBLIC = {
    "healthz",
    "two_factor:login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    # An invited person has no account yet: the single-use token in the link is the key.
    "people:invitation_accept",
    # The memorandum the coordinator chose to publish for families (404 unless published).
    "agreements:agreement_public",
    # Its PDF, under the same rule (404 unless published).
    "agreements:agreement_public_pdf",
    # Survey respondents have no account: a private single-use link, an event's shared link, the
    # page after answering, the opt-out link in every survey email, and the public complaints form.
    "feedback:answer",
    "feedback:event_answer",
    "feedback:thanks",
    "feedback:opt_out",
    "feedback:concern_public",
}


def _every_url_pattern(patterns=None, prefix="", namespace=None):
    """(route, name) for every URL pattern in the project, with placeholder arguments filled in."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            inner = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _every_url_pattern(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield route, name or route


def _sample_path(route: str) -> str:
    """A concrete path for a route: ``<int:pk>`` becomes 1, any other converter ``x``; regex admin
    routes get their simplest match."""
    path = re.sub(r"<int:\w+>", "1", route)
    path = re.sub(r"<(?:\w+:)?\w+>", "x", path)
    path = path.lstrip("^").rstrip("$").replace("\\Z", "")
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "x", path)
    return "/" + path


ALL_URLS = sorted(set(_every_url_pattern()))


def test_the_url_walk_sees_every_app():
    names = {name for _, name in ALL_URLS}
    for expected in ("home", "district:student_list", "officers:officer_list", "admin:index", "logout"):
        assert expected in names


@pytest.mark.parametrize(("route", "name"), [u for u in ALL_URLS if u[1] not in PUBLIC], ids=lambda v: v)
def test_every_other_page_needs_sign_in(client, route, name):
    """Login is required by default (LoginRequiredMiddleware); a new page is public only on purpose.

    The admin checks sign-in itself and sends strangers to /admin/login/, which leads to ours.
    """
    path = _sample_path(route)
    response = client.get(path, follow=True)
    assert response.redirect_chain, f"{path} answered {response.status_code} to a stranger"
    first, status = response.redirect_chain[0]
    assert status == 302
    assert first.startswith((f"{LOGIN}?next=", "/admin/login/?next=")), first
    assert response.request["PATH_INFO"] == LOGIN
    assert response.status_code == 200


@pytest.mark.parametrize(
    "name",
    sorted(
        PUBLIC
        - {
            "password_reset_confirm",
            "people:invitation_accept",
            "agreements:agreement_public",
            "agreements:agreement_public_pdf",
            "feedback:answer",
            "feedback:event_answer",
            "feedback:opt_out",
        }
    ),
)
def test_public_pages_open_without_sign_in(client, name):
    with _patched_health():
        response = client.get(reverse(name))
    assert response.status_code == 200, name


def test_the_password_reset_link_opens_without_sign_in(client):
    response = client.get(reverse("password_reset_confirm", args=["MQ", "set-password"]))
    assert response.status_code == 200
    assert "This link has expired" in response.content.decode()


def test_the_invitation_link_opens_without_sign_in(client):
    response = client.get(reverse("people:invitation_accept", args=["not-a-token"]))
    assert response.status_code == 400
    assert "This invitation link is not valid" in response.content.decode()


def _patched_health():
    from unittest import mock

    return mock.patch("sro_program.health._worker_ok", return_value=True)


# --- The project's own pages, role by role ---------------------------------------------------------

PEOPLE = [
    "anonymous",
    "outsider",
    "officer_user",
    "school_admin",
    "district_admin",
    "supervisor",
    "coordinator",
    "system_admin",
]

# Expected status per person, in the order of PEOPLE. Everyone signed in has passed the second
# factor (verified_client). 302 for the anonymous is the sign-in redirect.
ACCESS = {
    "home": [302, 200, 200, 200, 200, 200, 200, 200],
    "two_factor:profile": [302, 200, 200, 200, 200, 200, 200, 200],
    "two_factor:backup_tokens": [302, 200, 200, 200, 200, 200, 200, 200],
    "password_change": [302, 200, 200, 200, 200, 200, 200, 200],
    # The admin is for the system administrator (is_staff) only; others meet its login redirect.
    "admin:index": [302, 302, 302, 302, 302, 302, 302, 200],
    # Signing out is a POST: a link or a prefetch must not end a session.
    "logout": [302, 405, 405, 405, 405, 405, 405, 405],
}


@pytest.fixture
def system_admin(db):
    """The district's system administrator: Django admin access, no program role."""
    from tests.district.factories import UserFactory

    return UserFactory(username="sysadmin", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("page", list(ACCESS))
def test_role_access_table(request, client, verified_client, officer, page):
    statuses = {}
    for person in PEOPLE:
        if person == "anonymous":
            client.logout()
            response = client.get(reverse(page))
        else:
            verified_client.login(request.getfixturevalue(person))
            response = verified_client.get(reverse(page))
        statuses[person] = response.status_code
    assert statuses == dict(zip(PEOPLE, ACCESS[page], strict=True))


@pytest.mark.parametrize(
    ("person", "sections"),
    [
        ("coordinator", {"Program overview"}),
        ("officer_user", {"Your schools today", "Your training", "Your follow-ups", "Feedback about you"}),
        ("school_admin", {"Your schools"}),
        ("supervisor", {"Your agency's officers today", "Your agency's officers: training and feedback"}),
        ("outsider", set()),
    ],
)
def test_each_home_shows_only_its_roles_sections(request, verified_client, officer, person, sections):
    verified_client.login(request.getfixturevalue(person))
    html = verified_client.get(reverse("home")).content.decode()
    headings = set(re.findall(r'<h2 id="[\w-]+-heading" class="h4">([^<]+)</h2>', html))
    assert headings == sections
    assert ("Your account has no role yet" in html) is (person == "outsider")


def test_the_admin_shows_only_to_staff_in_the_navigation(verified_client, coordinator, system_admin):
    verified_client.login(coordinator)
    assert 'href="/admin/"' not in verified_client.get(reverse("home")).content.decode()
    verified_client.login(system_admin)
    assert 'href="/admin/"' in verified_client.get(reverse("home")).content.decode()
