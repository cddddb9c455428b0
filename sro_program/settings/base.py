"""Settings shared by every environment, read from environment variables.

Each environment module (local, test, production) imports this one and overrides a few values.
Without ``DATABASE_URL`` / ``REDIS_URL`` the project talks to the embedded PostgreSQL and Redis
servers that ``sro_program.embedded`` starts under the data folder.
"""

import os
from pathlib import Path

import dj_database_url

from . import ConfigurationError

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("SRO_DATA_DIR", BASE_DIR / ".data")).resolve()


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a whole number, not {value!r}.") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def embedded_database_url() -> str:
    """The URL of the PostgreSQL server that ``sro_program.embedded`` runs under the data folder."""
    return f"postgresql://postgres@/sro?host={DATA_DIR / 'pg'}"


def embedded_redis_url() -> str:
    return f"unix://{DATA_DIR / 'redis' / 'redis.sock'}?db=0"


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

DATABASE_URL = env("DATABASE_URL") or embedded_database_url()
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ConfigurationError("DATABASE_URL must point at PostgreSQL (postgresql://...).")
DATABASES["default"]["ATOMIC_REQUESTS"] = False

REDIS_URL = env("REDIS_URL") or embedded_redis_url()


def celery_broker_url(redis_url: str) -> str:
    """Kombu spells a Redis unix socket ``redis+socket://``; redis-py spells it ``unix://``."""
    if redis_url.startswith("unix://"):
        return "redis+socket://" + redis_url.removeprefix("unix://")
    return redis_url


CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "sro",
        "TIMEOUT": 300,
    }
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "axes",
    "simple_history",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "csp",
    # The project's own apps, lowest first: outbox <- district <- officers <- agreements, incidents,
    # feedback <- reports.
    "outbox",
    "district",
    "officers",
    "people",
    "agreements",
    "incidents",
    "feedback",
    "reports",
    # The project package itself, for project-wide management commands (seed_demo, demo_logins).
    "sro_program",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "district.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages, so that it can say why it signed someone out.
    "sro_program.sessions.AbsoluteSessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes last: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sro_program.urls"
WSGI_APPLICATION = "sro_program.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sro_program.navigation.navigation",
            ],
        },
    },
]

AUTH_USER_MODEL = "district.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "two_factor:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "two_factor:login"

# Sessions end after a stretch of inactivity: every request pushes the expiry forward.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# cached_db, with the signed-in user recorded on each session so that deactivating someone ends them.
SESSION_ENGINE = "people.sessions"
# And after this long from signing in, whatever the activity (sro_program.sessions).
SRO_SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_HOURS", 12) * 60 * 60
# A password-reset link works once, for an hour.
PASSWORD_RESET_TIMEOUT = 60 * 60

# How long an emailed invitation link works.
INVITATION_DAYS = env_int("INVITATION_DAYS", 7)

# Second factor: required for the roles that see student names unless turned off (the demo).
SRO_REQUIRE_SECOND_FACTOR = env_bool("REQUIRE_SECOND_FACTOR", True)
TWO_FACTOR_PATCH_ADMIN = False
OTP_TOTP_ISSUER = env("OTP_ISSUER", "SRO Program Manager")

# Login throttling, two limits over the cool-off: AXES_FAILURE_LIMIT failures for a username from
# one address lock that username at that address; SRO_LOGIN_USERNAME_FAILURE_LIMIT failures for it
# from any addresses lock it everywhere. The handler (sro_program.sign_in) reads the two entries of
# AXES_LOCKOUT_PARAMETERS in this order.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
SRO_LOGIN_USERNAME_FAILURE_LIMIT = env_int("LOGIN_USERNAME_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_HANDLER = "sro_program.sign_in.SignInAttemptHandler"
AXES_RESET_ON_SUCCESS = True
# The client's address: REMOTE_ADDR, or behind this many reverse proxies (each appending to
# X-Forwarded-For) the address the outermost one saw. 0 ignores X-Forwarded-For, which anyone can send.
SRO_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "sro_program.sign_in.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "auth-username"


def axes_username(request, credentials: dict | None) -> str | None:
    """The username of a sign-in attempt. authenticate() names it ``username``; the login wizard's
    form posts ``auth-username``. Reading only the form field left every attempt without a username,
    so a locked-out account could still sign in with the right password."""
    if credentials and credentials.get("username"):
        return credentials["username"]
    return getattr(request, "POST", {}).get(AXES_USERNAME_FORM_FIELD)


AXES_USERNAME_CALLABLE = "sro_program.settings.base.axes_username"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(DATA_DIR / "staticfiles")))


def _bootstrap_dir() -> Path:
    """Bootstrap's built CSS and JS, installed from PyPI (XStatic-Bootstrap) with the rest."""
    import sysconfig

    return Path(sysconfig.get_paths()["purelib"]) / "xstatic" / "pkg" / "bootstrap" / "data"


STATICFILES_DIRS = [BASE_DIR / "static", ("vendor/bootstrap", _bootstrap_dir())]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads hold students' records: readable by the server's own user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "SRO Program <sro-program@district.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Every SMTP call gives up after this many seconds, so a send never outlives its outbox claim.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)

# The outbox (every email goes through it): a claim older than the timeout belongs to a worker that
# died and is released; a failed send is tried again after 1, 2, 4 ... minutes (capped at an hour),
# at most OUTBOX_MAX_ATTEMPTS times in all, then marked failed for the system administrator.
OUTBOX_CLAIM_TIMEOUT_SECONDS = env_int("OUTBOX_CLAIM_TIMEOUT_SECONDS", 600)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
OUTBOX_RETRY_BACKOFF_SECONDS = env_int("OUTBOX_RETRY_BACKOFF_SECONDS", 60)
OUTBOX_RETRY_BACKOFF_MAX_SECONDS = env_int("OUTBOX_RETRY_BACKOFF_MAX_SECONDS", 3600)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content Security Policy: everything from our own origin; no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Celery: Redis is the broker. Tasks take ids, call one service, and are safe to run twice.
CELERY_BROKER_URL = celery_broker_url(REDIS_URL)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_TASK_ALWAYS_EAGER = False

# District rules that the apps read.
SRO_DEMOGRAPHICS_ENABLED = env_bool("DEMOGRAPHICS_ENABLED", False)
SRO_SMALL_COUNT_THRESHOLD = env_int("SMALL_COUNT_THRESHOLD", 5)
# Where the site is reached from outside: links in emails (survey invitations) start with it.
SITE_URL = env("SITE_URL", "http://localhost:8000").rstrip("/")
# Survey results of a group with fewer answers than this are not shown, to protect anonymity.
FEEDBACK_MIN_GROUP_SIZE = env_int("FEEDBACK_MIN_GROUP_SIZE", 5)
SRO_ROSTER_SYNC_ROW_LIMIT = env_int("ROSTER_SYNC_ROW_LIMIT", 2000)
# An export whose files unzip to more than this is refused (a zip bomb, not a district); an import
# page keeps only the first problems, with the count of all.
SRO_ROSTER_MAX_UNCOMPRESSED_BYTES = env_int("ROSTER_MAX_UNCOMPRESSED_MB", 512) * 1024 * 1024
SRO_ROSTER_MAX_ERRORS_KEPT = env_int("ROSTER_MAX_ERRORS_KEPT", 1000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs each step of every PDF it draws at INFO; its warnings still show.
        "weasyprint.progress": {"level": "WARNING"},
    },
}
CSRF_FAILURE_VIEW = "sro_program.views.csrf_failure"
