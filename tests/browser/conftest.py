"""Browser test harness: headless Chromium (Playwright) against pytest-django's live server.

Every browser test is marked ``@pytest.mark.browser`` (``pytest -m "not browser"`` leaves them out)
and asks for some of these fixtures:

``page``
    A fresh browser context and page per test (en-US, reduced motion, so Bootstrap's collapses
    and dropdowns open at once), at ``viewport`` (1280x800 unless the test
    parametrizes ``viewport``, e.g. ``@pytest.mark.parametrize("viewport", [{"width": 1024,
    "height": 768}])``). Its ``base_url`` is the live server, so ``page.goto(reverse("home"))``
    works. Guard rails, checked when the test ends (the test errors if any tripped):
    no request may leave the live server (the app loads nothing from the internet; such
    requests are aborted and reported); no sub-resource (CSS, JS, image) may answer 4xx/5xx;
    no uncaught JavaScript error and no console error (a CSP violation shows up there).
    A page the test navigates to may answer 403/404 on purpose: only sub-resources count.
``phone_page``
    The same at 375x812 with touch and a mobile viewport: an SRO's phone.
``new_page(viewport=None, **context_options)``
    Another page in its own context (a second person, a second device) with the same guard
    rails; closed when the test ends.
``browser_problems``
    The list the guard rails collect into; a test that provokes a problem on purpose inspects
    it and calls ``browser_problems.clear()``.
``login_as(page, user, *, password=PASSWORD, second_factor=None, next_url=None)``
    Signs in through the real login form, as a person would. When the user needs a second
    factor (``district.middleware.second_factor_required``) or ``second_factor=True``, the
    user gets a confirmed TOTP device (kept if they already have one) and the current token
    from ``django_otp.oath.totp`` is typed on the token step. Fails clearly if the sign-in
    does not leave the login page. Users come from ``tests.district.factories`` (password ``PASSWORD``).
``assert_accessible(page, *, context=None)``
    Runs axe-core (bundled in axe-playwright-python and injected with ``page.evaluate``;
    nothing is fetched) with only the WCAG 2.0/2.1 A and AA rules, and fails listing every
    violation with its elements. It first checks that Bootstrap's CSS is applied, since colour
    contrast results on an unstyled page mean nothing.
``assert_no_horizontal_scroll(page)``
    Fails if the document is wider than the viewport (``scrollWidth > clientWidth``), naming
    the elements that stick out.
``browser``
    The session's Chromium (Debian's, ``/usr/bin/chromium``; never downloaded). Without it the
    browser tests are skipped, except under ``CI=true``, where they fail.

Importable helpers: ``DESKTOP`` and ``PHONE`` (viewport sizes), ``totp_device_for(user)`` and
``current_token(device)`` (for tests that drive the token step themselves).

The database: a live server serves requests from other threads, so browser tests run with
``transactional_db`` and a serialized rollback (set up here for every test in this folder;
do not add a ``django_db`` mark), which restores the rows the migrations created (the role
groups and their permissions) before each test. Create data with the factories as usual.
Playwright's sync API keeps an asyncio loop in the main thread, so Django's async-safety check
is switched off (``DJANGO_ALLOW_ASYNC_UNSAFE``) while the browser runs.

On a failing test, a screenshot and the page's HTML are saved under ``test-results/browser/``.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.urls import reverse

from district.middleware import second_factor_required
from tests.district.factories import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_EXECUTABLE", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-results" / "browser"


def require_chromium(path: str = CHROMIUM) -> None:
    """Skip when there is no Chromium, unless under CI, where a skipped browser test hides a gap."""
    if Path(path).is_file():
        return
    reason = f"Chromium not found at {path}; install it with: apt-get install -y chromium"
    if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason} (CI=true: browser tests may not be skipped)", pytrace=False)
    pytest.skip(reason)


# ---------------------------------------------------------------- the browser, once per session


@pytest.fixture(scope="session")
def _playwright(django_db_setup, django_db_blocker) -> Iterator:
    require_chromium()
    from django.db import connections
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # While Playwright's loop runs in this thread, Django keeps this thread's connections apart
    # (asgiref's Local switches to context-local storage), so the test code gets fresh connection
    # objects. Hand them the copy of the migrated database that the serialized rollback restores.
    snapshot = {
        conn.alias: conn._test_serialized_contents
        for conn in connections.all(initialized_only=True)
        if hasattr(conn, "_test_serialized_contents")
    }
    manager = sync_playwright().start()
    for alias, contents in snapshot.items():
        connections[alias]._test_serialized_contents = contents
    try:
        yield manager
    finally:
        with django_db_blocker.unblock():
            connections.close_all()  # Or dropping the test database at the end would wait on them.
        manager.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(_playwright):
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


# ---------------------------------------------------------------- database for a live server


@pytest.fixture(autouse=True)
def _browser_database(transactional_db, django_db_serialized_rollback):
    """Commit for real (the live server reads from other threads); restore migration data."""


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Remember each phase's outcome on the test item, for the failure artifacts below.
    report = yield
    setattr(item, f"_report_{report.when}", report)
    return report


# ---------------------------------------------------------------- pages


@pytest.fixture
def viewport() -> dict[str, int]:
    return dict(DESKTOP)


@pytest.fixture
def browser_problems() -> list[str]:
    return []


def _watch(page, origin: str, problems: list[str]) -> None:
    """Keep every request on the live server, and note what went wrong while the page ran."""

    def route(route):
        url = route.request.url
        if url.startswith(origin) or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            problems.append(f"request left the live server (blocked): {route.request.method} {url}")
            route.abort("blockedbyclient")

    page.route("**/*", route)

    def response(response):
        request = response.request
        top_level_page = request.is_navigation_request() and request.frame.parent_frame is None
        if response.status >= 400 and not top_level_page:
            problems.append(f"{request.resource_type} {response.url} answered {response.status}")

    page.on("response", response)
    page.on("pageerror", lambda error: problems.append(f"uncaught JavaScript error: {error}"))

    def console(message):
        # A failed load is reported (with its URL) by the response handler instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"console error on {page.url}: {message.text}")

    page.on("console", console)


def _save_artifacts(request, pages) -> None:
    name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for number, page in enumerate(pages):
        stem = ARTIFACTS / f"{name}-{number}"
        try:
            page.screenshot(path=f"{stem}.png", full_page=True)
            Path(f"{stem}.html").write_text(page.content())
        except Exception as exc:  # The page may be gone; the test's own failure matters more.
            Path(f"{stem}.txt").write_text(f"could not save the page: {exc!r}")


@pytest.fixture
def new_page(request, browser, live_server, viewport, browser_problems) -> Iterator[Callable]:
    if request.node.get_closest_marker("browser") is None:
        pytest.fail("a test that drives the browser must be marked @pytest.mark.browser", pytrace=False)
    origin = live_server.url
    contexts = []
    pages = []

    def make(viewport_size: dict[str, int] | None = None, **context_options):
        options = {"locale": "en-US", "reduced_motion": "reduce", **context_options}
        context = browser.new_context(base_url=origin, viewport=viewport_size or viewport, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        _watch(page, origin, browser_problems)
        pages.append(page)
        return page

    yield make

    call = getattr(request.node, "_report_call", None)
    if call is not None and call.failed:
        _save_artifacts(request, pages)
    for context in contexts:
        context.close()
    if browser_problems and (call is None or call.passed):
        pytest.fail("the browser reported problems:\n  " + "\n  ".join(browser_problems), pytrace=False)


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def phone_page(new_page):
    return new_page(PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)


# ---------------------------------------------------------------- signing in


def totp_device_for(user):
    """The user's confirmed TOTP device, created if they have none (as after the setup wizard)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="default", confirmed=True)


def current_token(device) -> str:
    """The code an authenticator app shows now; waits for the next one if this one was used."""
    from django_otp.oath import TOTP, totp

    device.refresh_from_db()
    clock = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if clock.t() <= device.last_t:  # Replay protection would refuse it: wait, as a person would.
        time.sleep(device.step - (time.time() - device.t0) % device.step + 0.1)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(code).zfill(device.digits)


@pytest.fixture
def login_as() -> Callable:
    def sign_in(page, user, *, password: str = PASSWORD, second_factor: bool | None = None, next_url=None):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        if second_factor is None:
            second_factor = (
                second_factor_required(user) or TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            )
        device = totp_device_for(user) if second_factor else None

        login_path = reverse("two_factor:login")
        page.goto(login_path + (f"?next={quote(next_url)}" if next_url else ""))
        page.get_by_label("Username").fill(user.get_username())
        page.get_by_label("Password").fill(password)
        with page.expect_navigation():  # The next page, not the one still showing, is what counts.
            page.get_by_role("button", name="Sign in").click()
        if device is not None:
            token = page.get_by_label("Token")
            if not token.is_visible():
                pytest.fail(f"no token step after the password of {user}:\n{_main_text(page)}", pytrace=False)
            token.fill(current_token(device))
            with page.expect_navigation():
                page.get_by_role("button", name="Verify").click()
        if urlsplit(page.url).path == login_path:
            pytest.fail(f"{user} could not sign in; the login page says:\n{_main_text(page)}", pytrace=False)
        return page

    return sign_in


def _main_text(page) -> str:
    main = page.locator("main")
    return main.inner_text() if main.count() else page.content()[:2000]


# ---------------------------------------------------------------- checks


@pytest.fixture
def assert_accessible() -> Callable:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, *, context: str | dict | None = None) -> None:
        page.wait_for_load_state("load")  # Stylesheets included: contrast depends on them.
        bootstrap_font = page.evaluate(
            "getComputedStyle(document.documentElement).getPropertyValue('--bs-body-font-family')"
        )
        if not bootstrap_font.strip():
            pytest.fail(f"Bootstrap's CSS is not applied on {page.url}; contrast needs it", pytrace=False)
        options = {"runOnly": {"type": "tag", "values": WCAG_A_AA}, "resultTypes": ["violations"]}
        results = axe.run(page, context=context, options=options)
        violations = results.response["violations"]
        if violations:
            lines = [f"{len(violations)} WCAG 2.1 A/AA violation(s) on {page.url}:"]
            for violation in violations:
                lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
                for node in violation["nodes"]:
                    lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:200]}")
                    lines.extend(f"      {item}" for item in node["failureSummary"].splitlines()[1:])
            pytest.fail("\n".join(lines), pytrace=False)

    return check


@pytest.fixture
def assert_no_horizontal_scroll() -> Callable:
    def check(page) -> None:
        page.wait_for_load_state("load")
        widths = page.evaluate(
            # clientWidth, not innerWidth: a phone browser zooms out to fit a too-wide page,
            # which widens innerWidth along with it.
            "({scroll: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth})"
        )
        if widths["scroll"] > widths["viewport"]:
            wide = page.evaluate(
                """() => [...document.querySelectorAll('body *')]
                     .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                     .slice(0, 10)
                     .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                          + (e.className && typeof e.className === 'string'
                             ? '.' + e.className.trim().split(/\\s+/).join('.') : ''))"""
            )
            pytest.fail(
                f"{page.url} scrolls sideways: {widths['scroll']}px wide in a {widths['viewport']}px "
                f"viewport; too wide: {', '.join(wide)}",
                pytrace=False,
            )

    return check
