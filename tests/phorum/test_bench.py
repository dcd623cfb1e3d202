import pytest

from newsbrief.bench import phorum
from newsbrief.bench.phorum import phorum_read_rate

pytestmark = pytest.mark.mysql


def test_read_rate_reads_every_message_both_ways(phorum_url):
    rate = phorum_read_rate(phorum_url, 60, seed=3)
    assert rate.messages >= 60
    assert rate.raw_rate > 0 and rate.source_rate > 0


def test_the_benchmark_imports_through_the_command(mysql_url, tmp_path):
    """``newsbrief bench phorum``: the board filled, imported by the user's command into a
    fresh SQLite file, its old addresses answered; the scratch database dropped."""
    from newsbrief.phorum.source import connect

    figures = phorum.run(40, mysql_url, tmp_path, seed=2, addresses=30, log=lambda _m: None)
    assert (
        38 <= figures["briefs"] <= figures["messages"] and figures["revisions"] > figures["briefs"]
    )
    assert figures["edited_briefs"] > 0 and figures["import_rate"] > 0
    assert figures["addresses"]["n"] == 30
    assert any(line.startswith("imported ") for line in figures["report"])
    text = phorum.report(figures)
    assert "briefs/s" in text and "p99" in text and "of the raw read" in text
    server = connect(mysql_url)
    with server.cursor() as cursor:
        cursor.execute("SHOW DATABASES LIKE %s", [figures["database"]])
        assert cursor.fetchall() == ()
    server.close()
