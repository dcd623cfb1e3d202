"""``newsbrief worker`` as an operator runs it: a real consumer process on a queue of its own
(a SQLite file in a temporary directory, or a Redis queue under a name of its own), against
the test database, killed with SIGKILL in the middle of a task."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.test_settings import NEWSBRIEF, free_port, get_when_up

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The test database, as the worker process's ``DATABASE_URL``."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def queue_env(tmp_path):
    """The environment of a worker on a queue of its own, and that queue emptied after."""
    name = f"newsbrief-worker-test-{uuid.uuid4().hex[:8]}"
    env = {key: value for key, value in os.environ.items() if key != "PYTEST_XDIST_WORKER"} | {
        "DJANGO_SETTINGS_MODULE": "tests.worker.probe_settings",
        "DATABASE_URL": database_url(),
        "NEWSBRIEF_DATA_DIR": str(tmp_path),  # the SQLite queue: tmp_path/tasks.sqlite3
        "NEWSBRIEF_CACHE_PREFIX": name,  # the Redis queue's name
        "NEWSBRIEF_RELATED_EMBEDDINGS": "0",
    }
    yield env
    if settings.HUEY["huey_class"] == "huey.RedisHuey":
        from huey import RedisHuey

        RedisHuey(name, url=settings.HUEY["url"]).flush()


@pytest.fixture
def probe_table(transactional_db):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE worker_probe (what varchar(10) NOT NULL)")
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE worker_probe")


def count(what: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM worker_probe WHERE what = %s", [what])
        return cursor.fetchone()[0]


def start_worker(env, log: Path) -> subprocess.Popen:
    with log.open("a") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "newsbrief.cli", "worker"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=ROOT,
        )


def wait_for(condition, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, log.read_text()[-3000:]
        time.sleep(0.1)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)


def test_a_worker_killed_during_a_task_is_restarted_and_the_task_completes_once(
    probe_table, queue_env, tmp_path
):
    log = tmp_path / "worker.log"
    started = time.monotonic()
    first = start_worker(queue_env, log)
    try:
        # The worker runs the sweeps when it starts; kill it in the middle of the probe's.
        wait_for(lambda: count("attempt") == 1, 20, log)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        stop(first)
    assert count("done") == 0
    second = start_worker(queue_env, log)
    try:
        wait_for(lambda: count("done") == 1, 20, log)
        time.sleep(1)  # anything else queued (the periodic tick, a retry) finds it done
        assert (count("attempt"), count("done")) == (2, 1)
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=20) == 0
    finally:
        stop(second)
    assert "Shutting down gracefully" in log.read_text()
    assert time.monotonic() - started < 30


def child_commands(pid: int) -> list[str]:
    """The command lines of ``pid``'s children."""
    commands = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            if parent == pid:
                commands.append((stat.parent / "cmdline").read_bytes().replace(b"\0", b" "))
        except (OSError, ValueError, IndexError):
            continue
    return [command.decode() for command in commands]


@pytest.mark.sqlite
def test_serve_forks_no_release_job_and_runs_a_worker_only_when_asked(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "NEWSBRIEF_DATA_DIR": str(tmp_path),
        "NEWSBRIEF_DEBUG": "1",
        "NEWSBRIEF_RELATED_EMBEDDINGS": "0",
    }
    if "PYTHONPATH" in os.environ:
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    assert subprocess.run([*NEWSBRIEF, "migrate", "-v0"], env=env, timeout=120).returncode == 0
    for asked in (False, True):
        port = free_port()
        extra = ["--with-worker"] if asked else []
        server = subprocess.Popen(
            [*NEWSBRIEF, "serve", "--port", str(port), "--workers", "1", *extra],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        try:
            get_when_up(f"http://127.0.0.1:{port}/en/")
            children = child_commands(server.pid)
            assert not [c for c in children if "release" in c]
            workers = [c for c in children if c.endswith("newsbrief.cli worker ")]
            assert len(workers) == (1 if asked else 0), children
            server.send_signal(signal.SIGINT)  # Ctrl-C, as in make run
            server.wait(timeout=30)
            assert child_commands(server.pid) == []
        finally:
            stop(server)
