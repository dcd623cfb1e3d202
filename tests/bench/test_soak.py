"""``newsbrief bench soak``: a few seconds of every client on the demo board, its figures
read back. (Its findings are the benchmark's business, not this test's: it checks that the
server was up, every kind of client ran and the figures add up.)"""

import io
import json

import pytest
from django.core.management import call_command

from newsbrief.bench.soak import KINDS


# The servers' task queue and pages would be the run's shared Redis on PostgreSQL's run.
@pytest.mark.sqlite
def test_soak_smoke(tmp_path, django_db_blocker):
    figures_path = tmp_path / "figures.json"
    out = io.StringIO()
    with django_db_blocker.unblock():
        call_command(
            "bench", "soak", "--seconds", "3", "--readers", "3", "--writers", "1",
            "--hostile", "1", "--import-briefs", "5", "--workers", "1", "--no-worker",
            "--workdir", str(tmp_path), "--json", str(figures_path),
            stdout=out, stderr=io.StringIO(),
        )  # fmt: skip
    text = out.getvalue()
    for figure in ("requests:", "5xx:", "lost", "doubled", "undone", "p50 ms", "goals:"):
        assert figure in text
    f = json.loads(figures_path.read_text())
    assert (
        f["requests"]
        == sum(f["statuses"].values())
        == sum(r["requests"] for r in f["routes"].values())
    )
    assert f["statuses"].get("200", 0) > 0 and f["no_answer"] == 0  # the server was up
    routes = f["routes"]
    assert "api: save" in routes and "api: unpublish" in routes  # the first round's race
    assert any(route.startswith("hostile: ") for route in routes)
    assert len(routes) > 8  # readers' routes among them
    assert all(0 <= r["p50"] <= r["p99"] for r in routes.values())
    races = f["races"]
    assert races["rounds"] >= 1 and races["by_kind"][KINDS[0]]["rounds"] >= 1
    assert races["undone"] == 0
    assert f["import"]["briefs"] == 5 and f["import"]["exit"] == 0
    assert f["import"]["lost"] == f["import"]["doubled"] == 0
    assert [p.name for p in tmp_path.iterdir()] == ["figures.json"]  # the throwaway board went
