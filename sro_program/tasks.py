"""Project-wide tasks that belong to no single app."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

BEAT_HEARTBEAT_KEY = "health:beat-last-seen"


@shared_task(name="sro_program.tasks.beat_heartbeat", ignore_result=True)
def beat_heartbeat() -> None:
    """Record that beat is scheduling and a worker is consuming; /healthz reports it."""
    cache.set(BEAT_HEARTBEAT_KEY, timezone.now().isoformat(), timeout=60 * 60)
