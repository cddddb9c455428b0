"""/healthz: is the database answering, Redis answering, and a Celery worker alive?"""

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .celery import app as celery_app
from .tasks import BEAT_HEARTBEAT_KEY


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _redis_ok() -> bool:
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        return bool(client.ping())
    except Exception:
        return False


def _worker_ok() -> bool:
    try:
        return bool(celery_app.control.ping(timeout=1.0))
    except Exception:
        return False


@login_not_required  # Load balancers and monitors call this without an account.
@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database_ok(), "redis": _redis_ok()}
    checks["celery_worker"] = checks["redis"] and _worker_ok()
    try:
        beat_last_seen = cache.get(BEAT_HEARTBEAT_KEY)
    except Exception:
        beat_last_seen = None
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        "checks": {name: "ok" if ok else "down" for name, ok in checks.items()},
        "beat_last_seen": beat_last_seen,
    }
    return JsonResponse(body, status=200 if healthy else 503)
