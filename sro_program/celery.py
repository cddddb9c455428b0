"""The Celery app and the one place where the periodic schedule is defined.

Beat only runs dispatchers. What is due (survey rounds, reminders, training warnings) is read from
the apps' own tables, so a restart or a second beat never loses or doubles work.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sro_program.settings.local")

app = Celery("sro_program")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "beat-heartbeat": {
        "task": "sro_program.tasks.beat_heartbeat",
        "schedule": 60.0,
    },
    "roster-import-sweep": {
        "task": "district.tasks.roster_imports_resume",
        "schedule": crontab(minute="*/5"),
    },
    "training-warnings-dispatch": {
        "task": "officers.tasks.training_warnings_dispatch",
        "schedule": crontab(hour=6, minute=15),
    },
}
