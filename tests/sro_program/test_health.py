"""/healthz: what a load balancer or monitor asks, without an account."""

import socket
import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse

from sro_program import health
from sro_program.tasks import BEAT_HEARTBEAT_KEY

pytestmark = pytest.mark.django_db

URL = reverse("healthz")


@pytest.fixture
def worker_answers():
    with mock.patch("sro_program.health._worker_ok", return_value=True) as ping:
        yield ping


@pytest.fixture
def closed_port() -> int:
    """A TCP port on this machine that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_all_ok_when_database_redis_and_a_worker_answer(client, worker_answers):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["checks"] == {"database": "ok", "redis": "ok", "celery_worker": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_it_needs_no_sign_in_not_even_a_second_factor(client, coordinator, worker_answers):
    assert client.get(URL).status_code == 200
    client.force_login(coordinator)  # Owes a second factor: every other page sends them to set it up.
    assert client.get(URL).status_code == 200


def test_503_when_redis_is_down(client, settings, closed_port, worker_answers):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port}/0"
    started = time.monotonic()
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"] == {"database": "ok", "redis": "down", "celery_worker": "down"}
    assert not worker_answers.called, "no worker ping through a broker that is down"
    assert time.monotonic() - started < 5, "a monitor's probe must not hang"


def test_503_when_no_worker_answers(client):
    with mock.patch("sro_program.health._worker_ok", return_value=False):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["checks"]["celery_worker"] == "down"
    assert response.json()["checks"]["database"] == "ok"


def test_503_when_the_database_is_down(client, worker_answers):
    with mock.patch("sro_program.health.connection.cursor", side_effect=Exception("down")):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "down"


def test_the_real_worker_ping_finds_no_worker_here():
    """With no Celery worker consuming from this Redis, the ping finds nobody (and gives up quickly)."""
    started = time.monotonic()
    assert health._worker_ok() is False
    assert time.monotonic() - started < 5


def test_the_beat_heartbeat_is_reported(client, worker_answers):
    cache.set(BEAT_HEARTBEAT_KEY, "2026-11-28T10:00:00+00:00")
    try:
        assert client.get(URL).json()["beat_last_seen"] == "2026-11-28T10:00:00+00:00"
    finally:
        cache.delete(BEAT_HEARTBEAT_KEY)


def test_only_get(client, worker_answers):
    assert client.post(URL).status_code in (403, 405)
