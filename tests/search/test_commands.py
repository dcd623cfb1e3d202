"""``newsbrief search`` and ``newsbrief reindex``."""

import io
import json

import pytest
from django.core.management import call_command

from newsbrief.briefs.models import Brief


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_search_json_lists_hits_best_first(demo):
    hits = json.loads(run("search", "台湾 日本 产业合作", "--json"))
    assert hits and {"id", "title", "lang", "date", "url"} <= set(hits[0])
    first = Brief.objects.get(pk=hits[0]["id"])
    assert hits[0]["title"] == first.title == "台日產業合作推動辦公室成立"
    assert hits[0]["url"] == f"/en/briefs/{first.pk}/" and hits[0]["lang"] == "zh-hant"
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_search_language_filter_and_text_output(demo):
    hits = json.loads(run("search", "taiwan", "--lang", "zh-hant", "--json"))
    assert hits == []
    text = run("search", "cooperating", "--lang", "en")
    assert text.startswith("1. [en] ") and text.rstrip().endswith("found")
    assert run("search", '"*') == "no briefs match\n"


def test_search_says_when_briefs_have_most_of_the_words(demo):
    text = run("search", "taiwan japan xyzzyplugh")
    assert text.rstrip().endswith("0 with all of the words; the others have most of them")


def test_reindex_rebuilds_from_the_database(demo):
    assert run("reindex", "--verbosity", "0").startswith(f"indexed {Brief.objects.count()} briefs")
    assert json.loads(run("search", "FORMOSAT", "--json"))


@pytest.mark.django_db
def test_search_on_an_empty_board():
    assert json.loads(run("search", "anything", "--json")) == []
