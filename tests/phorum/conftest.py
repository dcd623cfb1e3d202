"""A MariaDB / MySQL server for the Phorum tests: ``NEWSBRIEF_TEST_MYSQL_URL`` (make test
sets it, starting a throwaway server when none answers on loopback), else the one at
127.0.0.1:3306. Each module gets a database of its own, dropped afterwards. Run by hand
without a server, the tests that need one are skipped; under make test they fail instead."""

import os
import secrets
import urllib.parse

import pytest

DEFAULT_URL = "mysql://root@127.0.0.1:3306/"  # no database of its own: each module makes one


@pytest.fixture(scope="session")
def mysql_url() -> str:
    from newsbrief.phorum.source import connect

    url = os.environ.get("NEWSBRIEF_TEST_MYSQL_URL", DEFAULT_URL)
    try:
        connect(url).close()
    except Exception as error:
        if "NEWSBRIEF_TEST_MYSQL_URL" in os.environ:
            pytest.fail(f"no MariaDB at NEWSBRIEF_TEST_MYSQL_URL: {error}")
        pytest.skip(f"no MariaDB at {DEFAULT_URL} (make test starts one): {error}")
    return url


@pytest.fixture(scope="module")
def phorum_url(mysql_url) -> str:
    """The address of a fresh, empty database on the test server."""
    from newsbrief.phorum.source import connect

    name = f"phorum_test_{secrets.token_hex(6)}"
    server = connect(mysql_url)
    with server.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    parts = urllib.parse.urlsplit(mysql_url)
    yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    with server.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
    server.close()


@pytest.fixture(autouse=True)
def _server_for_mysql_tests(request):
    """A test marked ``mysql`` needs the server whether or not it asks for it: skipped by
    hand without one, failed under make test."""
    if request.node.get_closest_marker("mysql"):
        request.getfixturevalue("mysql_url")
