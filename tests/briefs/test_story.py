"""A brief's story drawn in time: its related historical messages, itself and the later
messages that cite it, on one axis in date order, in both interface languages."""

import datetime as dt
import html as html_lib
import re

import pytest

from newsbrief import charts
from newsbrief.briefs.content import Citation
from tests.factories import make_brief

pytestmark = pytest.mark.django_db


def _at(year, month, day):
    return dt.datetime(year, month, day, 4, tzinfo=dt.UTC)


def events(html: str) -> list[tuple[str, str]]:
    """The drawn events as (role, "date title"), left to right."""
    found = re.findall(
        r'<circle class="chart-event chart-event-(\w+)" cx="([\d.]+)"[^>]*><title>([^<]+)</title>',
        html,
    )
    return [
        (role, html_lib.unescape(title))
        for role, _x, title in sorted(found, key=lambda f: float(f[1]))
    ]


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_the_story_runs_from_the_earliest_message_to_the_latest(client, language):
    older = make_brief("Office plans", published_at=_at(2010, 1, 5))
    brief = make_brief(
        "Office opens",
        published_at=_at(2012, 6, 1),
        related=(
            Citation("Not here yet", date=dt.date(2011, 3, 1)),
            Citation(older.title, date=older.local_published_date, uid=older.uid),
            Citation("Undated reference"),
        ),
    )
    make_brief(
        "Office's first year",
        published_at=_at(2013, 6, 2),
        related=(Citation(brief.title, date=brief.local_published_date, uid=brief.uid),),
    )
    html = client.get(f"/{language}/briefs/{brief.pk}/").content.decode()
    assert events(html) == [
        ("earlier", "2010-01-05 Office plans"),
        ("earlier", "2011-03-01 Not here yet"),
        ("this", "2012-06-01 Office opens"),
        ("later", "2013-06-02 Office's first year"),
    ]
    assert 'role="img"' in html and 'aria-labelledby="story-title story-desc"' in html
    desc = re.search(r'<desc id="story-desc">([^<]+)</desc>', html)[1]
    assert "2" in desc and "1" in desc and "2010/01/05" in desc and "2013/06/02" in desc
    assert [year for _x, year in charts.events(
        [charts.Event(dt.date(2010, 1, 5), "a", "earlier")], chart_id="x", title="", description=""
    ).ticks] == [2010, 2011]  # fmt: skip


def test_a_brief_alone_has_no_story(client):
    brief = make_brief("Alone")
    assert "chart-event" not in client.get(f"/en/briefs/{brief.pk}/").content.decode()
