"""Error pages: friendly, in the site's layout, and never a stack trace."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from tests.district.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _assert_friendly(response, status: int, title: str) -> None:
    html = response.content.decode()
    assert response.status_code == status
    assert f"<h1>{title}</h1>" in html
    assert f"Error {status}." in html
    assert 'href="/static/vendor/bootstrap/css/bootstrap.min.css"' in html, "in the site's own layout"
    for leak in ("Traceback", "SECRET-DETAIL", "File &quot;", "django.", "Exception"):
        assert leak not in html


def test_a_forged_csrf_token_gets_the_friendly_403(supervisor):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("two_factor:login"))  # Sets the CSRF cookie, as a browser would.
    response = client.post(
        reverse("two_factor:login"),
        {
            "csrfmiddlewaretoken": "forged" * 8,
            "login_view-current_step": "auth",
            "auth-username": supervisor.username,
            "auth-password": PASSWORD,
        },
    )
    _assert_friendly(response, 403, "Form expired")
    assert "_auth_user_id" not in client.session


def test_a_post_without_any_csrf_token_is_refused_too(verified_client, supervisor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(supervisor)
    response = client.post(reverse("logout"))
    _assert_friendly(response, 403, "Form expired")
    assert client.get(reverse("home")).status_code == 200, "still signed in"


@pytest.mark.parametrize("signed_in", [False, True])
def test_an_unknown_address_gets_the_404_page(client, supervisor, signed_in):
    if signed_in:
        client.force_login(supervisor)
    response = client.get("/no/such/page/")
    _assert_friendly(response, 404, "Page not found")


def test_a_refused_page_gets_the_friendly_403(verified_client, supervisor):
    verified_client.login(supervisor)
    response = verified_client.get(reverse("district:student_list"))
    _assert_friendly(response, 403, "Not allowed")


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = "tests.sro_program.urls_with_errors"


def test_a_crash_gets_the_friendly_500_page(client, failing_urls):
    client.raise_request_exception = False
    response = client.get("/broken/")
    _assert_friendly(response, 500, "Something went wrong")


def test_the_500_page_renders_even_when_the_database_is_down(client, supervisor, failing_urls):
    """The handler must not need the database: the error it reports may be the database's."""
    client.force_login(supervisor)
    client.raise_request_exception = False
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load", side_effect=OperationalError("down")
    ):
        response = client.get("/database-down/")
    _assert_friendly(response, 500, "Something went wrong")


def test_the_error_pages_are_wired_to_the_project_handlers():
    from sro_program import urls

    assert urls.handler400 == "sro_program.views.bad_request"
    assert urls.handler403 == "sro_program.views.permission_denied"
    assert urls.handler404 == "sro_program.views.page_not_found"
    assert urls.handler500 == "sro_program.views.server_error"


def test_a_bad_request_gets_the_friendly_400(client):
    response = client.get("/", HTTP_HOST="bad host name")
    _assert_friendly(response, 400, "Bad request")
