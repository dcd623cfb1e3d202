"""Django's RSS 2.0 and Atom writers, with each entry's language and its links to the brief's
other-language versions (Atom's own ``link rel="alternate" hreflang``; in RSS, the same
element in the Atom namespace that RSS feeds already use for their ``self`` link).

The version links come before the entry's own link: feedparser takes an entry's last
``alternate`` link as *the* link, and RFC 4287 readers tell them apart by ``hreflang``.
"""

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"


def version_links(handler, item, element: str) -> None:
    for language, url, title in item["alternates"]:
        handler.addQuickElement(
            element, None, {"rel": "alternate", "hreflang": language, "href": url, "title": title}
        )


class RssFeed(Rss201rev2Feed):
    def add_item_elements(self, handler, item):
        version_links(handler, item, "atom:link")
        super().add_item_elements(handler, item)
        handler.addQuickElement("dc:language", item["language"], {"xmlns:dc": DUBLIN_CORE})


class AtomFeed(Atom1Feed):
    def item_attributes(self, item):
        return {"xml:lang": item["language"]}

    def add_item_elements(self, handler, item):
        version_links(handler, item, "link")
        super().add_item_elements(handler, item)
