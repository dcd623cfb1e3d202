"""Settings from the environment, the database modes and the ``newsbrief`` command."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from newsbrief.settings import database_config


def test_the_suite_runs_on_the_database_it_was_given(db):
    url = os.environ.get("DATABASE_URL", "sqlite")
    assert connection.vendor == ("postgresql" if url.startswith("postgres") else "sqlite")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1


def test_database_urls():
    sqlite = database_config("sqlite:////tmp/x/board.sqlite3")
    assert sqlite["ENGINE"] == "django.db.backends.sqlite3"
    assert sqlite["NAME"] == "/tmp/x/board.sqlite3"
    assert "journal_mode=WAL" in sqlite["OPTIONS"]["init_command"]
    postgres = database_config("postgres://u:p@db.example:5433/news")
    assert postgres["ENGINE"] == "django.db.backends.postgresql"
    assert (postgres["HOST"], postgres["PORT"], postgres["NAME"]) == ("db.example", 5433, "news")


# The installed console script, as an operator runs it.
NEWSBRIEF = [str(Path(sys.executable).with_name("newsbrief"))]


def run_newsbrief(*args, env=None, cwd=None):
    return subprocess.run(
        [*NEWSBRIEF, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )


def test_production_settings_need_a_secret_key(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "NEWSBRIEF_DATA_DIR": str(tmp_path)}
    result = run_newsbrief("check", env=env)
    assert result.returncode != 0
    assert "Set NEWSBRIEF_SECRET_KEY" in result.stderr


def test_wal_file_mode_and_deploy_check_on_a_fresh_data_dir(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "NEWSBRIEF_DATA_DIR": str(tmp_path),
        "NEWSBRIEF_SECRET_KEY": "x" * 60 + "-a-long-random-secret-key-for-this-test",
        "NEWSBRIEF_ALLOWED_HOSTS": "news.example",
    }
    assert run_newsbrief("migrate", "-v0", env=env).returncode == 0
    import sqlite3

    mode = sqlite3.connect(tmp_path / "newsbrief.sqlite3").execute("PRAGMA journal_mode").fetchone()
    assert mode[0] == "wal"
    check = run_newsbrief("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert check.returncode == 0, check.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_when_up(url: str, timeout: float = 60) -> str:
    """The page at ``url`` once the server answers (its workers start after the banner)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_demo_then_serve_prints_its_address_and_serves_the_board(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "NEWSBRIEF_DATA_DIR": str(tmp_path), "NEWSBRIEF_DEBUG": "1"}
    demo = run_newsbrief("demo", env=env)
    assert "imported 15 (15 new, 0 updated), unchanged 0, failed 0" in demo.stdout, demo.stderr
    assert "unchanged 15" in run_newsbrief("demo", env=env).stdout
    port = free_port()
    server = subprocess.Popen(
        [*NEWSBRIEF, "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        line = ""
        while "http://" not in line:
            line = server.stdout.readline()
            assert line, "serve exited early"
        assert f"http://127.0.0.1:{port}/" in line
        page = get_when_up(f"http://127.0.0.1:{port}/en/")
        assert "Taiwan-Japan Industrial Cooperation Office Comes Into Being" in page
        taken = run_newsbrief("serve", "--port", str(port), env=env)
        assert taken.returncode == 1
        assert f"cannot listen on 127.0.0.1:{port}" in taken.stderr
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_cache_is_the_one_the_suite_was_given():
    """make test's second run holds the pages in a real Redis: check that it does."""
    from django.core.cache import cache

    from newsbrief.pages.store import CacheStore, FileStore, get_store
    from newsbrief.settings import cache_config

    url = os.environ.get("NEWSBRIEF_CACHE_URL", "")
    assert cache_config(url)["BACKEND"].rsplit(".", 1)[1] == (
        "RedisCache" if url else "LocMemCache"
    )
    if not url:
        assert isinstance(get_store(), FileStore)
        return
    import redis

    assert isinstance(get_store(), CacheStore)
    cache.set("suite-probe", "seen", timeout=30)
    keys = redis.Redis.from_url(url).keys("*suite-probe")
    assert keys and keys[0].decode().startswith(os.environ["NEWSBRIEF_CACHE_PREFIX"])


def test_cache_urls():
    from django.core.exceptions import ImproperlyConfigured

    from newsbrief.settings import cache_config

    assert cache_config("redis://10.0.0.5:6379/2")["LOCATION"] == "redis://10.0.0.5:6379/2"
    with pytest.raises(ImproperlyConfigured, match="redis://"):
        cache_config("memcached://10.0.0.5:11211")
