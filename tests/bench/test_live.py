"""``newsbrief bench related --live``: the whole run on a tiny board, its figures sane."""

import io
import json

import pytest
from django.core.management import call_command


@pytest.mark.serial  # two servers and a worker: measured, they need the cores to themselves
# The servers' task queue and pages would be the run's shared Redis on PostgreSQL's run.
@pytest.mark.sqlite
def test_live_smoke(tmp_path, django_db_blocker):
    figures_path = tmp_path / "figures.json"
    out = io.StringIO()
    with django_db_blocker.unblock():
        call_command(
            "bench", "related", "--live", "--briefs", "200", "--workdir", str(tmp_path),
            "--seconds", "8", "--clients", "2", "--sample", "8", "--jobs", "1",
            "--no-progress", "--json", str(figures_path), stdout=out, stderr=io.StringIO(),
        )  # fmt: skip
    assert "goals: proposals p95 <= 100 ms" in out.getvalue()
    f = json.loads(figures_path.read_text())
    phases = f["rebuild"]["phases"]
    assert set(phases) == {
        "queue", "entries", "compaction", "synthetic_vectors", "compaction_with_vectors"
    }  # fmt: skip
    assert all(p["seconds"] >= 0 and p["per_s"] > 0 for p in phases.values())
    assert f["embedding"]["texts"] == 8 and f["embedding"]["per_s"] > 0
    live = f["live"]
    for name in ("desk_edit", "proposals_api"):
        assert live["requests"][name] > 0 and live["errors"][name] == 0
        assert 0 < live[name]["p50"] <= live[name]["p95"] <= live[name]["p99"]
    assert live["errors"]["publish"] == 0
    for server in live["publish_to_proposable"].values():
        assert server["published"] == live["rounds"] and server["not_within_30_s"] == 0
        assert 0 < server["max_s"] < 30
    for workers in live["memory"]["servers"]:
        assert len(workers) == 1  # serve --workers 1
        assert all(w["rss_anon_mib"] > 20 and w["rss_file_mib"] > 0 for w in workers)
    assert f["deleted_afterwards"] == 2 * live["rounds"]  # the probes and their briefs
    assert set(f["targets"]) >= {"proposals_p95_met", "proposable_met", "rss_met"}
