"""Development and the `make run` demo: mail written to files, a secret key generated once and kept.

DEBUG is on by default for ``manage.py runserver``; ``make run`` serves through gunicorn and turns it
off (``DEBUG=true make run`` turns it back on).
"""

import secrets

from .base import *  # noqa: F403
from .base import DATA_DIR, STATIC_ROOT, env, env_bool

DEBUG = env_bool("DEBUG", True)


def _local_secret_key() -> str:
    """Generate a secret key on first use and keep it in the data folder, never in git."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env("SECRET_KEY") or _local_secret_key()
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
SRO_REQUIRE_SECOND_FACTOR = env_bool("REQUIRE_SECOND_FACTOR", False)

# WhiteNoise serves the static files straight from the apps and STATICFILES_DIRS, with DEBUG on or
# off, so neither runserver nor `make run` needs a collectstatic first (production runs one). It
# also looks in STATIC_ROOT, and warns at every start if that folder does not exist.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
