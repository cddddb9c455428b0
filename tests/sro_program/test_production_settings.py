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


@pytest.mark.parametrize("missing", list(PRODUCTION))
def test_each_required_variable_stops_the_import_with_a_clear_message(missing):
    env = {name: value for name, value in PRODUCTION.items() if name != missing}
    result = run("-c", "import sro_program.settings.production", **env)
    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr
    assert f"The environment variable {missing} is required in production" in result.stderr


def test_with_nothing_set_secret_key_is_named_first():
    result = run("-c", "import sro_program.settings.production")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: The environment variable SECRET_KEY is required "
        "in production; see README.md, Configuration."
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
    result = run("-c", f"import django; django.setup(); {script}", **PRODUCTION, DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "True", "True"]
