"""Read replicas: which requests may read from one (the router's decision, recorded), and the
setting that declares them."""

import json
import os
import subprocess
import sys

import pytest

from newsbrief import replicas

pytestmark = pytest.mark.django_db


@pytest.fixture
def decisions(monkeypatch):
    """Pretend a replica is configured; record, for each read, whether it could go there
    (the reads themselves stay on the test database)."""
    seen = []
    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica1"])

    def db_for_read(self, model, **hints):
        seen.append(replicas._replica_reads.get())
        return "default"

    monkeypatch.setattr(replicas.ReplicaRouter, "db_for_read", db_for_read)
    return seen


def reads_of(client, decisions, path, **extra) -> set[bool]:
    decisions.clear()
    client.get(path, **extra)
    assert decisions, f"{path} read nothing"
    return set(decisions)


def test_anonymous_reads_of_pages_that_are_not_stored_go_to_a_replica(client, demo, decisions):
    assert reads_of(client, decisions, "/en/search/", QUERY_STRING="q=Taiwan") == {True}
    assert reads_of(client, decisions, "/en/", QUERY_STRING="page=2") == {True}
    assert reads_of(client, decisions, "/en/feeds/rss/") == {True}


def test_stored_pages_and_signed_in_readers_read_the_primary(
    client, demo, decisions, django_user_model
):
    assert reads_of(client, decisions, "/en/briefs/1/") == {False}
    assert reads_of(client, decisions, "/en/") == {False}
    client.force_login(django_user_model.objects.create_user("ed", password="x-long-pass-1"))
    decisions.clear()
    client.get("/en/search/", {"q": "Taiwan"})
    assert set(decisions) == {False}


def test_without_replicas_everything_reads_the_primary(client, demo):
    assert replicas.ReplicaRouter().db_for_read(None) == "default"
    assert replicas.ReplicaRouter().allow_migrate("replica1", "briefs") is False


def test_replica_urls_become_mirrored_databases():
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps({k: [v['HOST'], v.get('TEST', {}).get('MIRROR')] "
        "for k, v in settings.DATABASES.items()}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsbrief.settings",
        "NEWSBRIEF_DEBUG": "1",
        "DATABASE_URL": "postgres://u@primary.example:5432/news",
        "NEWSBRIEF_REPLICA_URLS": "postgres://u@r1.example/news, postgres://u@r2.example/news",
    }
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert json.loads(done.stdout) == {
        "default": ["primary.example", None],
        "replica1": ["r1.example", "default"],
        "replica2": ["r2.example", "default"],
    }
