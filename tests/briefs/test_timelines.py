"""A category's timeline, from the counts kept per category and month, and a search's, from
the counts of every match by year: each agrees with counting the briefs directly."""

import dataclasses
import datetime as dt
import re

import pytest
from django.utils import timezone

from newsbrief.briefs import listing
from newsbrief.briefs.models import Brief
from newsbrief.briefs.publishing import content_of, save_brief
from tests.factories import make_brief

pytestmark = pytest.mark.django_db


def _at(year, month):
    return dt.datetime(year, month, 15, 4, tzinfo=dt.UTC)


def table(html: str, chart_id: str) -> dict[str, int]:
    start = html.index(f'id="{chart_id}-caption"')
    body = html[start : html.index("</table>", start)]
    return {k: int(v) for k, v in re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', body)}


def direct(category: str, language: str) -> dict[str, int]:
    years: dict[str, int] = {}
    for brief in Brief.objects.published().filter(
        language=language, brief_tags__category__slug=category
    ):
        year = str(timezone.localtime(brief.published_at).year)
        years[year] = years.get(year, 0) + 1
    return years


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_a_categorys_timeline_agrees_with_its_briefs(client, language):
    for when in [_at(2009, 3), _at(2011, 7), _at(2011, 8), _at(2011, 8)]:
        make_brief("Energy news", tags=("Energy",), language=language, published_at=when)
    moved = make_brief("Moved", tags=("Energy",), language=language, published_at=_at(2010, 1))
    save_brief(dataclasses.replace(content_of(moved), tags=("Health",)))
    make_brief("Later", tags=("Energy",), language=language,
               published_at=timezone.now() + dt.timedelta(days=2))  # fmt: skip
    make_brief("Draft", tags=("Energy",), language=language, status=Brief.Status.DRAFT)
    html = client.get(f"/{language}/categories/energy/").content.decode()
    years = table(html, "timeline-years")
    expected = direct("energy", language)
    assert {y: n for y, n in years.items() if n} == expected == {"2009": 1, "2011": 3}
    assert years["2010"] == 0
    months = table(html, "timeline-months")
    assert sum(months.values()) == 4 and len(months) == 30  # March 2009 .. August 2011
    assert listing.recount() == 0  # what was kept agrees with counting from scratch
    assert (
        "timeline-years"
        not in client.get(f"/{language}/categories/energy/?page=2").content.decode()
    )


def test_a_searchs_timeline_counts_every_match(client, settings):
    settings.NEWSBRIEF_PAGE_SIZE = 2
    for when in [_at(2009, 3), _at(2011, 7), _at(2011, 8), _at(2012, 1)]:
        make_brief("Photonics cooperation", published_at=when)
    make_brief("Something else", published_at=_at(2010, 1))
    html = client.get("/en/search/?q=photonics").content.decode()
    assert table(html, "search-years") == {"2009": 1, "2010": 0, "2011": 2, "2012": 1}
    assert "The 4 matching briefs, per year" in html
