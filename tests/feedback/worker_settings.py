"""Settings for the Celery worker that tests/feedback/test_worker_smtp.py starts: the test settings,
with tasks sent through Redis (not run eagerly) and email delivered by SMTP to the test's server, on
the test's own database (its name passed in the environment)."""

import os

from sro_program.settings.test import *  # noqa: F403
from sro_program.settings.test import DATABASES

CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["TEST_SMTP_PORT"])
EMAIL_TIMEOUT = 10
DATABASES["default"]["NAME"] = os.environ["TEST_DATABASE_NAME"]
DATABASES["default"]["CONN_MAX_AGE"] = 0
