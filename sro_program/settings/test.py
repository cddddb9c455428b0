"""Tests: PostgreSQL always, tasks run eagerly, mail kept in memory, fast password hashing."""

from .base import *  # noqa: F403

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
