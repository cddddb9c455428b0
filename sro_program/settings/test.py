"""Tests: PostgreSQL always, tasks run eagerly, mail kept in memory, fast password hashing."""

from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, INSTALLED_APPS

SECRET_KEY = "tests-only-not-a-secret-" + "x" * 40
DEBUG = False
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
SRO_REQUIRE_SECOND_FACTOR = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The project's engine without the cache: a test may change a session's expiry in the database.
SESSION_ENGINE = "people.sessions.db"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}


def _migrations_digest() -> str:
    """A digest of every migration file the test database is built from, the libraries' included.

    pytest keeps the test database between runs (--reuse-db); naming it after this digest means a
    changed, added or removed migration gets a new database, built from scratch, never a stale schema.
    """
    import hashlib
    from importlib.util import find_spec

    digest = hashlib.sha256()
    for app in sorted(INSTALLED_APPS):
        top, *rest = app.split(".")
        spec = find_spec(top)  # finds a top-level package without importing it
        if spec is None or not spec.submodule_search_locations:
            continue
        folder = Path(next(iter(spec.submodule_search_locations)), *rest, "migrations")
        for path in sorted(folder.glob("*.py")):
            digest.update(f"{app}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _test_database_name(database_name: str, digest: str) -> str:
    """``test_<DATABASE_URL's name>_<digest>``: two checkouts with their own DATABASE_URL names never
    share a test database, and the name fits PostgreSQL's 63-byte limit."""
    return f"test_{database_name[: 63 - len('test__') - len(digest)]}_{digest}"


DATABASES["default"]["TEST"] = {
    "NAME": _test_database_name(DATABASES["default"]["NAME"], _migrations_digest())
}
