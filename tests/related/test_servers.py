"""Scale-out as deployed: two app servers (``newsbrief serve``) and one worker (``newsbrief
worker``) on one database and one queue. A brief published through the first server becomes
proposable from both within 5 seconds, and both answer the same proposals."""

import json
import subprocess
import sys
import time
import urllib.request

import pytest

from newsbrief.accounts.models import ApiToken
from newsbrief.briefs import roles
from tests.factories import make_user
from tests.related.conftest import draft
from tests.test_settings import free_port
from tests.worker.test_consumer import ROOT, queue_env  # noqa: F401  (a queue of its own)

pytestmark = [pytest.mark.serial, pytest.mark.django_db(transaction=True)]

FRESH_WITHIN = 5.0


def call(base: str, token: str, method: str, path: str, data=None) -> dict:
    request = urllib.request.Request(
        f"{base}/api{path}",
        method=method,
        data=None if data is None else json.dumps(data).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def start(args, env, log) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "newsbrief.cli", *args],
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
        env=env,
        cwd=ROOT,
    )


def serve(env, log, processes, tries: int = 3) -> str:
    """One more ``newsbrief serve`` on a free port, once it answers; a port taken between
    choosing and binding it is tried again with another."""
    for _try in range(tries):
        port = free_port()
        process = start(
            ["serve", "--port", str(port), "--workers", "1", "--threads", "2"], env, log
        )
        processes.append(process)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while process.poll() is None and time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/api/briefs", timeout=10).close()
                return base
            except OSError:
                time.sleep(0.2)
    raise AssertionError(log.read_text()[-3000:])


@pytest.fixture
def scale_out(queue_env, tmp_path, users, archive):  # noqa: F811
    """Two servers and a worker; yields the servers' base addresses and the processes."""
    # The product's own settings (not the suite's), on the test database and a queue of its own.
    env = {
        **queue_env,
        "DJANGO_SETTINGS_MODULE": "newsbrief.settings",
        "NEWSBRIEF_STATIC_ROOT": str(tmp_path / "static"),
        "NEWSBRIEF_SSL_REDIRECT": "0",  # plain HTTP on loopback
        "NEWSBRIEF_ALLOWED_HOSTS": "127.0.0.1",
    }
    log = tmp_path / "processes.log"
    processes = [start(["worker"], env, log)]
    bases = []
    try:
        for _server in range(2):
            bases.append(serve(env, log, processes))
        yield bases, log
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def test_a_brief_published_on_one_server_is_proposable_from_both(scale_out, users, archive):
    bases, log = scale_out
    chief = make_user("chiefly", roles.CHIEF_EDITORS)
    token = ApiToken.issue(chief, "tests")[1]
    probe = draft(users, title="Geothermal drilling in Yilan", body="Yilan geothermal drilling.")

    def proposed(base) -> list[int]:
        found = call(base, token, "GET", f"/briefs/{probe.pk}/proposals")
        return [p["brief"]["id"] for p in found["related"]]

    created = call(
        bases[0],
        token,
        "POST",
        "/briefs",
        {"language": "en", "title": "Yilan geothermal drilling starts", "body": "Geothermal."},
    )
    call(bases[0], token, "POST", f"/briefs/{created['id']}/publish", {})
    published_at = time.monotonic()
    for base in bases:
        while created["id"] not in proposed(base):
            waited = time.monotonic() - published_at
            assert waited < FRESH_WITHIN, log.read_text()[-3000:]
            time.sleep(0.1)
    first, second = (call(b, token, "GET", f"/briefs/{probe.pk}/proposals") for b in bases)
    assert without_addresses(first) == without_addresses(second)


def without_addresses(answer):
    """Each server names itself in its links (``url``); the rest must be the same."""
    if isinstance(answer, dict):
        return {k: without_addresses(v) for k, v in answer.items() if k != "url"}
    if isinstance(answer, list):
        return [without_addresses(v) for v in answer]
    return answer
