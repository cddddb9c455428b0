"""``make run``: PostgreSQL and Redis (embedded unless configured), migrations, demo data, then the
web server, a Celery worker and Celery beat side by side. Ctrl-C stops everything it started.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from .embedded import BASE_DIR, services

HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "8000")
PYTHON = sys.executable


def _manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, check=True)


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
        ],
        "beat": [PYTHON, "-m", "celery", "-A", "sro_program", "beat", "--loglevel", "INFO"],
    }  # fmt: skip


def _stop(children: dict[str, subprocess.Popen]) -> None:
    for process in children.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    for process in children.values():
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sro_program.settings.local")
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    with services():
        _manage("migrate", "--noinput")
        _manage("seed_demo")
        children: dict[str, subprocess.Popen] = {}
        try:
            for name, command in _processes().items():
                children[name] = subprocess.Popen(command, cwd=BASE_DIR)
            _manage("demo_logins", "--address", f"http://{HOST}:{PORT}/")
            while True:
                for name, process in children.items():
                    if process.poll() is not None:
                        print(f"[run] {name} exited with {process.returncode}; stopping.", flush=True)
                        return process.returncode or 1
                time.sleep(0.5)
        except KeyboardInterrupt:
            print("\n[run] stopping web, worker and beat...", flush=True)
            return 0
        finally:
            _stop(children)


if __name__ == "__main__":
    sys.exit(main())
