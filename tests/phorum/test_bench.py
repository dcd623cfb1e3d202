import pytest

from newsbrief.bench.phorum import phorum_read_rate

pytestmark = pytest.mark.mysql


def test_read_rate_reads_every_message_both_ways(phorum_url):
    rate = phorum_read_rate(phorum_url, 60, seed=3)
    assert rate.messages >= 60
    assert rate.raw_rate > 0 and rate.source_rate > 0
