"""Django's RSS 2.0 and Atom writers, with each entry's language and its links to the brief's
other-language versions (Atom's own ``link rel="alternate" hreflang``; in RSS, the same
element in the Atom namespace that RSS feeds already use for their ``self`` link).

The version links come before the entry's own link: feedparser takes an entry's last
``alternate`` link as *the* link, and RFC 4287 readers tell them apart by ``hreflang``.

Both writers take out of every text what XML cannot carry (``Storable``), so a brief stored
with a control character in its title never breaks a feed. RSS has no way to say that a
title or a description is text: readers (feedparser among them) read them as HTML, so the
RSS writer escapes them, and a ``<`` in a category's name or a title is shown, not obeyed.
Atom says ``type="text"`` (its default), and its text stays as it is.

Both name their stylesheets (``<?xml-stylesheet?>``, the view's ``feed.xsl``): Django 5.2's
Atom writer does not, so ``AtomFeed.write`` is Django's with that one call added.
"""

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.xmlutils import SimplerXMLGenerator

from newsbrief.briefs.content import CONTROLS

DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"


def _storable(value):
    """``value`` (a text, or a list, tuple or dict of them) without what XML cannot carry."""
    if isinstance(value, str):
        return CONTROLS.sub("", value)
    if isinstance(value, dict):
        return {k: _storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_storable(v) for v in value)
    return value


class Storable:
    """A feed writer whose channel and items hold only what XML can carry; the texts that
    ``channel_html`` and ``item_html`` name are read as HTML, and escaped as such."""

    channel_html: tuple[str, ...] = ()
    item_html: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed = _as_html(_storable(self.feed), self.channel_html)

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        self.items[-1] = _as_html(_storable(self.items[-1]), self.item_html)


def _as_html(fields: dict, names: tuple[str, ...]) -> dict:
    return fields | {name: escape(fields[name]) for name in names if fields.get(name)}


def version_links(handler, item, element: str) -> None:
    for language, url, title in item["alternates"]:
        handler.addQuickElement(
            element, None, {"rel": "alternate", "hreflang": language, "href": url, "title": title}
        )


class RssFeed(Storable, Rss201rev2Feed):
    name = "RSS"
    channel_html = ("title", "description")
    item_html = ("title",)

    def add_item_elements(self, handler, item):
        version_links(handler, item, "atom:link")
        super().add_item_elements(handler, item)
        handler.addQuickElement("dc:language", item["language"], {"xmlns:dc": DUBLIN_CORE})


class AtomFeed(Storable, Atom1Feed):
    name = "Atom"
    add_stylesheets = Rss201rev2Feed.add_stylesheets

    def write(self, outfile, encoding):
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        self.add_stylesheets(handler)
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def item_attributes(self, item):
        return {"xml:lang": item["language"]}

    def add_item_elements(self, handler, item):
        version_links(handler, item, "link")
        super().add_item_elements(handler, item)
