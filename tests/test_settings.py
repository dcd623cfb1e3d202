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
    if env is not None and "PYTHONPATH" in os.environ:  # a checkout that is not the installed one
        env = {"PYTHONPATH": os.environ["PYTHONPATH"], **env}
    return subprocess.run(
        [*NEWSBRIEF, *args],
        stdin=subprocess.DEVNULL,  # as under cron: nothing to answer a question
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
        "NEWSBRIEF_BASE_URL": "https://news.example",
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


# The settings table (newsbrief/conf.py), its documentation, and the system checks.

README = Path(__file__).resolve().parent.parent / "README.md"


def documented_settings() -> dict[str, str]:
    """README's configuration table: each variable with the default it shows."""
    section = README.read_text().split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) == 3:
            name = cells[0].strip("`")
            assert name not in rows, f"{name} is documented twice"
            rows[name] = cells[1]
    return rows


def test_every_setting_is_documented_and_the_readme_documents_only_settings():
    from newsbrief.conf import SETTINGS

    declared = {setting.name for setting in SETTINGS}
    documented = documented_settings()
    assert sorted(declared - documented.keys()) == [], "settings missing from README.md"
    assert sorted(documented.keys() - declared) == [], "README.md documents unknown settings"
    for setting in SETTINGS:
        assert documented[setting.name] == setting.shown_default, setting.name
        assert setting.description and "\n" not in setting.description, setting.name


def test_the_readme_still_starts_with_the_two_commands():
    lines = README.read_text().splitlines()
    assert lines[3].startswith("make run") and lines[4].startswith("make test")


def test_defaults_from_an_empty_environment(tmp_path, monkeypatch):
    from newsbrief import conf

    monkeypatch.chdir(tmp_path)
    values = conf.read({})
    assert values["NEWSBRIEF_DEBUG"] is False
    assert values["NEWSBRIEF_DATA_DIR"] == tmp_path.resolve() / "var"
    assert values["DATABASE_URL"] == f"sqlite:///{tmp_path.resolve() / 'var/newsbrief.sqlite3'}"
    assert values["NEWSBRIEF_PAGES_PATH"] == tmp_path.resolve() / "var/pages"
    assert values["NEWSBRIEF_ALLOWED_HOSTS"] == []
    assert values["NEWSBRIEF_EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    assert (values["NEWSBRIEF_PAGE_SIZE"], values["NEWSBRIEF_WORKERS"]) == (20, 0)
    assert values["NEWSBRIEF_RELATED_EMBEDDINGS"] is values["NEWSBRIEF_SSL_REDIRECT"] is True
    debug = conf.read({"NEWSBRIEF_DEBUG": "1", "NEWSBRIEF_DATA_DIR": "/srv/board"})
    assert debug["NEWSBRIEF_ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]"]
    assert debug["NEWSBRIEF_EMAIL_BACKEND"].endswith("console.EmailBackend")
    assert debug["NEWSBRIEF_SEARCH_PATH"] == Path("/srv/board/search")
    assert conf.read({"NEWSBRIEF_THREADS": " 4 ", "NEWSBRIEF_PAGES_STORE": "Cache"}) == {
        **values,
        "NEWSBRIEF_THREADS": 4,
        "NEWSBRIEF_PAGES_STORE": "cache",
    }
    replicas = conf.read({"NEWSBRIEF_REPLICA_URLS": "postgres://a/n, ,postgres://b/n"})
    assert replicas["NEWSBRIEF_REPLICA_URLS"] == ["postgres://a/n", "postgres://b/n"]


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("NEWSBRIEF_PAGE_SIZE", "twenty", "NEWSBRIEF_PAGE_SIZE must be a whole number"),
        ("NEWSBRIEF_WORKERS", "-2", "NEWSBRIEF_WORKERS must be a whole number, at least 0"),
        ("NEWSBRIEF_DEBUG", "maybe", "NEWSBRIEF_DEBUG must be 1, true, yes or on"),
        ("NEWSBRIEF_PAGES_STORE", "redis", "NEWSBRIEF_PAGES_STORE must be one of files, cache"),
        ("NEWSBRIEF_SEARCH_BACKEND", "solr", "NEWSBRIEF_SEARCH_BACKEND must be one of tantivy"),
        ("NEWSBRIEF_INGEST_TIMEOUT", "0", "NEWSBRIEF_INGEST_TIMEOUT must be a number of seconds"),
        ("NEWSBRIEF_TIME_ZONE", "Mars/Olympus", "NEWSBRIEF_TIME_ZONE must be a time zone"),
        ("NEWSBRIEF_BASE_URL", "news.example", "NEWSBRIEF_BASE_URL must be an http://"),
    ],
)
def test_an_invalid_value_fails_naming_its_variable(name, value, message):
    from django.core.exceptions import ImproperlyConfigured

    from newsbrief import conf

    with pytest.raises(ImproperlyConfigured, match=message) as raised:
        conf.read({name: value})
    assert repr(value) in str(raised.value)


def test_an_invalid_secret_is_not_repeated():
    from newsbrief.conf import Setting, integer

    with pytest.raises(Exception) as raised:
        Setting("X_TOKEN", integer(1), 1, "a token", "`1`", secret=True).read({"X_TOKEN": "s3"}, {})
    assert "s3" not in str(raised.value) and "X_TOKEN" in str(raised.value)


def test_an_invalid_value_stops_the_command_with_its_name(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "NEWSBRIEF_DATA_DIR": str(tmp_path),
        "NEWSBRIEF_DEBUG": "1",
        "NEWSBRIEF_PAGE_SIZE": "lots",
    }
    result = run_newsbrief("check", env=env)
    assert result.returncode != 0
    assert "NEWSBRIEF_PAGE_SIZE must be a whole number, at least 1, not 'lots'" in result.stderr


def environment_reads(path: Path) -> set[str]:
    """The variables ``path`` reads with ``os.environ.get/[]/setdefault`` or ``os.getenv``
    (a name that is not a literal is reported as ``?``)."""
    import ast

    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        target = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            func = ast.unparse(node.func)
            if func in {"os.environ.get", "os.getenv", "os.environ.setdefault"}:
                target = node.args[0] if node.args else None
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            target = node.slice
        else:
            continue
        if isinstance(node, ast.Call) and target is None:
            continue
        if isinstance(target, ast.Constant):
            names.add(target.value)
        elif target is not None:
            names.add("?")
    return names


def test_the_product_reads_the_environment_only_through_the_settings_table():
    import newsbrief
    from newsbrief.conf import SETTINGS

    package = Path(newsbrief.__file__).resolve().parent
    reads = {
        str(path.relative_to(package)): names
        for path in sorted(package.rglob("*.py"))
        if path.name != "conf.py" and (names := environment_reads(path))
    }
    # The entry points name Django's settings module; nothing else reads a variable.
    assert reads == {"cli.py": {"DJANGO_SETTINGS_MODULE"}, "wsgi.py": {"DJANGO_SETTINGS_MODULE"}}
    assert "NEWSBRIEF_WORKERS" in {setting.name for setting in SETTINGS}


def test_serve_takes_its_defaults_from_the_settings(settings):
    from django.core.management import load_command_class

    settings.NEWSBRIEF_WORKERS, settings.NEWSBRIEF_THREADS = 3, 5
    command = load_command_class("newsbrief.pages", "serve")
    options = command.create_parser("newsbrief", "serve").parse_args([])
    assert (options.workers, options.threads) == (3, 5)
    settings.NEWSBRIEF_WORKERS = 0
    options = command.create_parser("newsbrief", "serve").parse_args([])
    assert options.workers >= 2


LOCAL_MEMORY = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}
}


def issue_ids(results) -> list[str]:
    return [issue.id for issue in results]


def test_the_checks_pass_on_the_suite_settings():
    from django.core import checks

    from newsbrief import checks as installation
    from newsbrief.pages import checks as pages
    from newsbrief.search import checks as search

    assert installation.check_secret_key() == installation.check_replicas() == []
    assert pages.check_pages_store() == search.check_search_backend() == []
    registered = {check.__name__ for check in checks.registry.registry.get_checks()}
    assert {"check_secret_key", "check_replicas", "check_pages_store"} <= registered
    assert "check_search_backend" in registered


def test_check_postgres_search_needs_a_postgres_database(settings):
    from django.db import connection

    from newsbrief.search.checks import check_search_backend

    settings.NEWSBRIEF_SEARCH_BACKEND = "postgres"
    expected = [] if connection.vendor == "postgresql" else ["search.E002"]
    results = check_search_backend()
    assert issue_ids(results) == expected
    if results:
        assert "NEWSBRIEF_SEARCH_BACKEND" in results[0].hint
    settings.NEWSBRIEF_SEARCH_BACKEND = "elastic"
    (unknown,) = check_search_backend()
    assert unknown.id == "search.E001" and "tantivy or postgres" in unknown.hint
    settings.NEWSBRIEF_SEARCH_BACKEND = "tantivy"
    assert check_search_backend() == []


def test_check_the_page_store(settings):
    from newsbrief.pages.checks import check_pages_store

    settings.NEWSBRIEF_PAGES_STORE = "memcached"
    assert issue_ids(check_pages_store()) == ["pages.E001"]
    settings.NEWSBRIEF_PAGES_STORE = "cache"
    settings.CACHES = LOCAL_MEMORY
    settings.NEWSBRIEF_WORKERS = 0
    (error,) = check_pages_store()
    assert error.id == "pages.E002" and "NEWSBRIEF_CACHE_URL" in error.hint
    settings.NEWSBRIEF_WORKERS = 1
    assert issue_ids(check_pages_store()) == ["pages.W001"]
    settings.CACHES = REDIS
    assert check_pages_store() == []
    settings.NEWSBRIEF_PAGES_STORE = "files"
    settings.CACHES = LOCAL_MEMORY
    assert check_pages_store() == []


def test_check_replicas_need_a_postgres_primary():
    from newsbrief.checks import replica_errors

    postgres = {"ENGINE": "django.db.backends.postgresql", "NAME": "news"}
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": "/tmp/x.sqlite3"}
    (error,) = replica_errors({"default": sqlite, "replica1": postgres})
    assert error.id == "newsbrief.E002" and "NEWSBRIEF_REPLICA_URLS" in error.hint
    mixed = {"default": postgres, "replica1": postgres, "replica2": sqlite}
    assert issue_ids(replica_errors(mixed)) == ["newsbrief.E003"]
    assert replica_errors({"default": postgres, "replica1": postgres}) == []
    assert replica_errors({"default": sqlite}) == []


def test_check_a_secret_key_outside_debug_mode(settings):
    from newsbrief.checks import check_secret_key

    settings.DEBUG, settings.SECRET_KEY = False, ""
    (error,) = check_secret_key()
    assert error.id == "newsbrief.E001" and "Set NEWSBRIEF_SECRET_KEY" in error.hint
    settings.DEBUG = True
    assert check_secret_key() == []


def test_newsbrief_check_reports_an_impossible_combination_with_its_fix(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.NEWSBRIEF_PAGES_STORE = "cache"
    settings.CACHES = LOCAL_MEMORY
    settings.NEWSBRIEF_WORKERS = 4
    with pytest.raises(SystemCheckError) as raised:
        call_command("check")
    assert "pages.E002" in str(raised.value)
    assert "HINT: Set NEWSBRIEF_CACHE_URL to a Redis" in str(raised.value)


def test_newsbrief_check_from_the_environment(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "NEWSBRIEF_DATA_DIR": str(tmp_path),
        "NEWSBRIEF_DEBUG": "1",
        "NEWSBRIEF_SEARCH_BACKEND": "postgres",
    }
    result = run_newsbrief("check", env=env)
    assert result.returncode == 1
    assert "(search.E002) NEWSBRIEF_SEARCH_BACKEND is postgres" in result.stderr
    assert "HINT: Unset NEWSBRIEF_SEARCH_BACKEND" in result.stderr
