"""``make run``: PostgreSQL and Redis (embedded unless configured), migrations, demo data, then the
web server, a Celery worker and Celery beat side by side. Ctrl-C stops everything it started.

It serves through gunicorn the way production does, with DEBUG off unless ``DEBUG=true`` is set;
WhiteNoise serves the static files either way (see settings/local.py). HOST and PORT choose where
it listens (127.0.0.1:8000); DEMO_PASSWORD changes the demo accounts' password.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from .embedded import BASE_DIR, die_with_parent, services

HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "8000")
PYTHON = sys.executable
HEALTHY_WITHIN = 120  # seconds; a cold first start (initdb, migrations, demo data) takes a fraction


class StepFailed(Exception):
    pass


def _say(message: str) -> None:
    print(f"[run] {message}", flush=True)


def _manage(*args: str) -> None:
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, check=False)
    if result.returncode != 0:
        raise StepFailed(f"manage.py {' '.join(args)} exited with {result.returncode}.")


def _processes() -> dict[str, list[str]]:
    return {
        "web": [
            PYTHON, "-m", "gunicorn", "sro_program.wsgi:application",
            "--bind", f"{HOST}:{PORT}", "--workers", os.environ.get("WEB_CONCURRENCY", "2"),
            "--access-logfile", "-", "--graceful-timeout", "5",
        ],
        "worker": [
            PYTHON, "-m", "celery", "-A", "sro_program", "worker",
            "--loglevel", "INFO", "--concurrency", os.environ.get("CELERY_CONCURRENCY", "2"),
            "--hostname", "worker@%h",
            # One worker: nothing to sync with at start (mingle) or to chat with after (gossip).
            "--without-mingle", "--without-gossip",
        ],
        "beat": [PYTHON, "-m", "celery", "-A", "sro_program", "beat", "--loglevel", "INFO"],
    }  # fmt: skip


def _start(command: list[str]) -> subprocess.Popen:
    """Start a long-running child in a process group of its own.

    Ctrl-C then reaches only us, and each child gets exactly one signal, from ``_stop``: a second
    signal in the middle of a graceful shutdown turns it into a messy one (Celery beat prints a
    traceback, the worker abandons its tasks). If we are killed outright, the kernel stops them.
    """
    return subprocess.Popen(command, cwd=BASE_DIR, process_group=0, preexec_fn=die_with_parent)


def _local_address() -> str:
    """Where a browser on this machine reaches the server."""
    host = "127.0.0.1" if HOST in ("0.0.0.0", "", "::") else HOST  # noqa: S104 (a comparison)
    return f"http://{host}:{PORT}/"


def _check_port_free() -> None:
    """Fail at once, and say why, rather than after gunicorn has retried for a while."""
    family = socket.AF_INET6 if ":" in HOST else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, int(PORT)))
        except OSError as exc:
            raise StepFailed(
                f"cannot listen on {HOST}:{PORT} ({exc.strerror}); is another `make run` up? "
                "Choose another port with PORT=8001 make run."
            ) from exc


def _wait_until_healthy(children: dict[str, subprocess.Popen]) -> dict:
    """Poll /healthz until the database, Redis and a Celery worker all answer."""
    url = _local_address() + "healthz"
    deadline = time.monotonic() + HEALTHY_WITHIN
    body: dict = {}
    while time.monotonic() < deadline:
        for name, process in children.items():
            if process.poll() is not None:
                raise StepFailed(f"{name} exited with {process.returncode} while starting.")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (our own http URL)
                return json.load(response)
        except urllib.error.HTTPError as exc:  # 503 until every check passes
            with contextlib.suppress(ValueError):
                body = json.load(exc)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass  # gunicorn is not listening yet
        time.sleep(0.5)
    raise StepFailed(f"{url} still says {body or 'nothing'} after {HEALTHY_WITHIN} s.")


def _supervise(children: dict[str, subprocess.Popen]) -> int:
    """Wait; if any of the three stops on its own, stop the others too."""
    while True:
        for name, process in children.items():
            if process.poll() is not None:
                _say(f"{name} exited with {process.returncode}; stopping the rest.")
                return process.returncode or 1
        time.sleep(0.5)


def _stop(children: dict[str, subprocess.Popen]) -> None:
    """SIGTERM (a graceful stop for gunicorn and Celery), then SIGKILL for whatever is still up."""
    for process in children.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 20
    for name, process in children.items():
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _say(f"{name} did not stop in time; killing it.")
            process.kill()
            process.wait()


def _interrupt(signum, frame) -> None:
    """The first Ctrl-C, SIGTERM or SIGHUP starts the shutdown; later ones must not cut it short."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    raise KeyboardInterrupt


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sro_program.settings.local")
    os.environ.setdefault("DEBUG", "false")
    # A closed terminal or a `kill` must stop everything just as Ctrl-C does.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _interrupt)
    started = time.monotonic()
    children: dict[str, subprocess.Popen] = {}
    try:
        _check_port_free()
        with services():
            try:
                _manage("migrate", "--noinput")
                # The web server and Celery start while the demo data loads: they need only the schema.
                for name, command in _processes().items():
                    children[name] = _start(command)
                _manage("seed_demo")
                health = _wait_until_healthy(children)
                _manage("demo_logins", "--address", _local_address())
                _say(
                    f"healthy ({', '.join(f'{k} {v}' for k, v in health['checks'].items())}) "
                    f"{time.monotonic() - started:.1f} s after start. Ctrl-C stops everything."
                )
                return _supervise(children)
            finally:
                for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                    signal.signal(sig, signal.SIG_IGN)
                if children:
                    _say("stopping web, worker and beat...")
                    _stop(children)
    except KeyboardInterrupt:
        return 0
    except StepFailed as exc:
        _say(str(exc))
        return 1
    finally:
        _say(f"stopped after {time.monotonic() - started:.0f} s.")


if __name__ == "__main__":
    sys.exit(main())
