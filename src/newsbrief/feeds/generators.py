"""Django's RSS 2.0 and Atom writers, with each entry's language and its links to the brief's
other-language versions (Atom's own ``link rel="alternate" hreflang``; in RSS, the same
element in the Atom namespace that RSS feeds already use for their ``self`` link)."""

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"


class RssFeed(Rss201rev2Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("dc:language", item["language"], {"xmlns:dc": DUBLIN_CORE})
        for language, url, title in item["alternates"]:
            handler.addQuickElement(
                "atom:link",
                None,
                {"rel": "alternate", "hreflang": language, "href": url, "title": title},
            )


class AtomFeed(Atom1Feed):
    def item_attributes(self, item):
        return {"xml:lang": item["language"]}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for language, url, title in item["alternates"]:
            handler.addQuickElement(
                "link", "", {"rel": "alternate", "hreflang": language, "href": url, "title": title}
            )
