"""Production: refuses to start without its secrets; HTTPS everywhere."""

from . import ConfigurationError
from .base import *  # noqa: F403
from .base import env, env_bool, env_int, env_list


def _required(name: str) -> str:
    value = env(name)
    if not value:
        raise ConfigurationError(
            f"The environment variable {name} is required in production; see README.md, Configuration."
        )
    return value


DEBUG = False
SECRET_KEY = _required("SECRET_KEY")
_required("DATABASE_URL")
_required("REDIS_URL")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [_required("ALLOWED_HOSTS")]

# The people who see student names always sign in with a second factor here: a stray
# REQUIRE_SECOND_FACTOR=false (the demo's setting) stops start-up rather than being obeyed.
if not env_bool("REQUIRE_SECOND_FACTOR", True):
    raise ConfigurationError(
        "REQUIRE_SECOND_FACTOR cannot be turned off in production; remove it or set it to true."
    )
SRO_REQUIRE_SECOND_FACTOR = True

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
