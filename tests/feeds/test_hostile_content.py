"""Feeds never break on what is stored, and put no markup where readers render HTML."""

import feedparser
import pytest

from newsbrief.briefs.models import Brief, Category
from tests.factories import make_brief

pytestmark = pytest.mark.django_db
FORMATS = ["rss", "atom"]


def parse(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, f"{url}: {feed.get('bozo_exception')}"
    return feed


@pytest.mark.parametrize("fmt", FORMATS)
def test_control_characters_stored_before_they_were_refused_never_break_a_feed(client, fmt):
    brief = make_brief("Vertical tab", tags=("Space",))
    Brief.objects.filter(pk=brief.pk).update(
        title="Vertical\u000b tab \u001b[31m", body_html="<p>Body\u0007</p>"
    )
    slug = Category.objects.get().slug
    feeds = [f"/en/feeds/{fmt}/", f"/en/feeds/en/{fmt}/", f"/en/feeds/categories/{slug}/en/{fmt}/"]
    for url in feeds:
        entry = parse(client, url).entries[0]
        assert entry.title == "Vertical tab [31m"


@pytest.mark.parametrize("name", ["<b>AI</b>", "R&D <script>alert(1)</script>"])
def test_rss_readers_show_a_category_name_as_text(client, name):
    """feedparser, like many readers, takes RSS titles and descriptions for HTML."""
    make_brief(name, tags=(name,))
    slug = Category.objects.get().slug
    feed = parse(client, f"/en/feeds/categories/{slug}/en/rss/")
    for detail in [feed.feed.title_detail, feed.feed.subtitle_detail, feed.entries[0].title_detail]:
        assert detail.type == "text/html"
        assert "<b>" not in detail.value and "<script>" not in detail.value
        assert "&lt;" in detail.value
    atom = parse(client, f"/en/feeds/categories/{slug}/en/atom/")
    assert f"Category: {name} · " in atom.feed.title and atom.entries[0].title == name
