"""``newsbrief bench search`` end to end on a tiny corpus."""

import io
import json

import pytest
from django.core.management import CommandError, call_command


@pytest.fixture
def bench(tmp_path, django_db_blocker):
    from newsbrief.search.backends import reset_backends

    def run(*args):
        out = io.StringIO()
        with django_db_blocker.unblock():
            call_command(
                "bench", "search", "--workdir", str(tmp_path), "--no-progress", *args,
                stdout=out, stderr=io.StringIO(),
            )  # fmt: skip
        return out.getvalue()

    yield run
    reset_backends()


def test_search_smoke(bench, tmp_path):
    figures_path = tmp_path / "figures.json"
    args = ["--briefs", "200", "--queries", "24", "--repeat", "1", "--jobs", "1"]
    out = bench(*args, "--json", str(figures_path))
    for expected in ("newsbrief", "newsbrief_hydrated", "tantivy", "fts5", "p50", "p99"):
        assert expected in out
    assert "ratios: p50 newsbrief/tantivy" in out
    figures = json.loads(figures_path.read_text())
    assert figures["briefs"] == 200 and figures["loaded_now"] == 200
    for engine in ("newsbrief", "newsbrief_hydrated", "tantivy", "fts5"):
        row = figures["latency_ms"][engine]
        assert 0 < row["p50"] <= row["p95"] <= row["p99"]
    for engine in ("newsbrief", "tantivy", "fts5"):
        assert figures[f"{engine}_build"]["bytes"] > 0
    assert set(figures["ratios"]) >= {"p50 newsbrief/tantivy", "p99 newsbrief/fts5"}
    assert figures["top10_overlap"]["tantivy"] > 0.5
    assert set(figures["newsbrief_parts_ms"]) == {"parse_query", "catch_up", "backend _query"}

    # a rerun finds the loaded corpus and can reuse the indexes
    bench(*args, "--reuse-index", "--peers", "tantivy", "--json", str(figures_path))
    again = json.loads(figures_path.read_text())
    assert again["loaded_now"] == 0 and "fts5" not in again["latency_ms"]


def test_unknown_peer(bench):
    with pytest.raises(CommandError, match="unknown peers"):
        bench("--briefs", "10", "--peers", "lucene")
