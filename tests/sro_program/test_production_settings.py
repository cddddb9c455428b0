"""Production settings stop without their secrets and pass Django's deployment checklist."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent

PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "DATABASE_URL": "postgresql://sro@db.district.example:5432/sro",
    "REDIS_URL": "redis://cache.district.example:6379/0",
    "ALLOWED_HOSTS": "sro.district.example",
}


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run Python in a clean environment: only what a production host would set, and PATH."""
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "sro_program.settings.production",
        "PYTHONDONTWRITEBYTECODE": "1",
        **env,
    }
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=clean, capture_output=True, text=True, timeout=120
    )


def one_line(result: subprocess.CompletedProcess) -> str:
    """What a configuration error prints: exactly one line on stderr, no traceback, status 3."""
    assert result.returncode == 3, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("missing", list(PRODUCTION))
def test_each_required_variable_stops_start_up_with_one_line_naming_it(missing):
    env = {name: value for name, value in PRODUCTION.items() if name != missing}
    result = run("manage.py", "check", **env)
    assert one_line(result) == (
        f"Configuration error: The environment variable {missing} is required in production; "
        "see README.md, Configuration."
    )


def test_with_nothing_set_secret_key_is_named_first():
    assert "SECRET_KEY is required" in one_line(run("manage.py", "check"))


def test_the_web_server_stops_with_the_same_line():
    """gunicorn imports sro_program.wsgi; status 3 is its "failed to boot", which stops the master."""
    env = {name: value for name, value in PRODUCTION.items() if name != "REDIS_URL"}
    result = run("-c", "import sro_program.wsgi", **env)
    assert "REDIS_URL is required in production" in one_line(result)


@pytest.mark.parametrize("value", ["false", "0", "no", "off"])
def test_production_refuses_to_turn_the_second_factor_off(value):
    result = run("manage.py", "check", **PRODUCTION, REQUIRE_SECOND_FACTOR=value)
    assert one_line(result) == (
        "Configuration error: REQUIRE_SECOND_FACTOR cannot be turned off in production; "
        "remove it or set it to true."
    )


def test_a_number_that_is_not_one_is_named():
    result = run("manage.py", "check", **PRODUCTION, SESSION_ABSOLUTE_HOURS="twelve")
    assert one_line(result) == (
        "Configuration error: SESSION_ABSOLUTE_HOURS must be a whole number, not 'twelve'."
    )


def test_with_the_variables_set_the_deployment_checklist_passes():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_checklist_would_catch_a_weak_secret_key():
    """Proves the check above can fail: a short, guessable key is a deployment warning."""
    result = run(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION, "SECRET_KEY": "abc"}
    )
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


def test_debug_stays_off_and_https_is_enforced_whatever_the_environment_says():
    script = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS >= 31536000, s.SRO_REQUIRE_SECOND_FACTOR)"
    )
    env = {**PRODUCTION, "DEBUG": "true", "REQUIRE_SECOND_FACTOR": "true"}
    result = run("-c", f"import django; django.setup(); {script}", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "True", "True"]
