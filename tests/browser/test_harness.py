"""The harness's own checks must be able to fail; these tests prove each one does."""

import pytest
from django.urls import reverse

from .conftest import require_chromium

pytestmark = pytest.mark.browser

Failed = pytest.fail.Exception


def _add_to_main(page, html: str) -> None:
    # DevTools-evaluated script is not bound by the page's CSP, so this works on a real page.
    page.evaluate("html => document.querySelector('main').insertAdjacentHTML('beforeend', html)", html)


def test_axe_reports_every_wcag_violation(page, assert_accessible):
    page.goto(reverse("two_factor:login"))
    _add_to_main(
        page,
        '<img src="/static/img/favicon.svg">'
        '<p class="text-warning">Yellow text on white</p>'
        '<input type="text" id="unlabelled">',
    )
    with pytest.raises(Failed) as failure:
        assert_accessible(page)
    message = str(failure.value)
    for rule in ("image-alt", "color-contrast", "label"):
        assert f"- {rule} " in message, message
    assert "#unlabelled" in message


def test_axe_runs_only_wcag_a_and_aa_rules(page, assert_accessible):
    """Best-practice rules (here: content outside any landmark) are not WCAG failures."""
    page.goto(reverse("two_factor:login"))
    page.evaluate("document.body.insertAdjacentHTML('afterbegin', '<p>Outside every landmark</p>')")
    assert_accessible(page)


def test_axe_refuses_to_judge_an_unstyled_page(page, assert_accessible):
    page.goto(reverse("two_factor:login"))
    page.evaluate("document.querySelectorAll('link[rel=stylesheet]').forEach(link => link.remove())")
    with pytest.raises(Failed, match="Bootstrap's CSS is not applied"):
        assert_accessible(page)


def test_the_content_security_policy_is_enforced_and_its_violations_reported(page, browser_problems):
    page.goto(reverse("two_factor:login"))
    outcome = page.evaluate("fetch('https://cdn.example.com/lib.js').then(() => 'loaded', () => 'blocked')")
    assert outcome == "blocked"
    assert any("violates the following Content Security Policy" in problem for problem in browser_problems)
    browser_problems.clear()


def test_requests_off_the_live_server_are_blocked_and_reported(page, browser_problems):
    # A page without our CSP, so that only the harness stands between it and the internet.
    page.set_content("<p>blank</p>")
    outcome = page.evaluate("fetch('https://cdn.example.com/lib.js').then(() => 'loaded', () => 'blocked')")
    assert outcome == "blocked"
    assert browser_problems == ["request left the live server (blocked): GET https://cdn.example.com/lib.js"]
    browser_problems.clear()


def test_a_missing_static_file_is_reported(page, browser_problems):
    page.goto(reverse("two_factor:login"))
    with page.expect_response("**/static/css/missing.css"):
        page.evaluate(
            "href => document.head.insertAdjacentHTML('beforeend', `<link rel=stylesheet href=${href}>`)",
            "/static/css/missing.css",
        )
    assert any("missing.css answered 404" in problem for problem in browser_problems), browser_problems
    browser_problems.clear()


def test_static_files_are_served_by_the_live_server(page):
    for path in (
        "/static/vendor/bootstrap/css/bootstrap.min.css",
        "/static/vendor/bootstrap/js/bootstrap.bundle.min.js",
        "/static/css/app.css",
        "/static/js/app.js",
    ):
        response = page.request.get(path)
        assert response.status == 200, path


def test_a_page_answering_404_on_purpose_is_no_problem(page, browser_problems):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert browser_problems == []


def test_sideways_scrolling_is_caught(phone_page, assert_no_horizontal_scroll):
    phone_page.goto(reverse("two_factor:login"))
    assert_no_horizontal_scroll(phone_page)
    _add_to_main(phone_page, '<img id="too-wide" src="/static/img/favicon.svg" width="600" alt="">')
    with pytest.raises(
        Failed, match=r"scrolls sideways: \d+px wide in a 375px viewport; too wide: .*#too-wide"
    ):
        assert_no_horizontal_scroll(phone_page)


def test_login_as_fails_clearly_with_a_wrong_password(page, login_as, supervisor):
    with pytest.raises(
        Failed, match=r"(?s)could not sign in; the login page says:.*correct username and password"
    ):
        login_as(page, supervisor, password="wrong-password-1")


def test_login_as_types_the_second_factor(page, login_as, officer_user):
    login_as(page, officer_user)
    assert officer_user.totpdevice_set.get().last_t > 0, "the token was verified, not skipped"
    page.get_by_role("heading", name="Your schools today").wait_for()


def test_without_chromium_browser_tests_skip_locally_and_fail_in_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Chromium not found at /nonexistent/chromium"):
        require_chromium("/nonexistent/chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(Failed, match="CI=true: browser tests may not be skipped"):
        require_chromium("/nonexistent/chromium")
