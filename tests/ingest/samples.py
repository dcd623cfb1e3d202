"""Feeds and article pages for the ingestion tests, built small and readable."""

from xml.sax.saxutils import escape

HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
ATOM = {"Content-Type": "application/atom+xml; charset=utf-8"}


def article(title: str, *paragraphs: str, site: str = "Science Daily Taiwan", extra: str = ""):
    """An article page that trafilatura recognises: a title, a site name, a date, and a
    body long enough to count as the main text."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="2024-03-05T08:00:00+08:00">
</head><body><nav><a href="/">Home</a> <a href="/about">About</a></nav>
<article><h1>{title}</h1>{extra}{body}</article>
<footer>Copyright the publisher</footer></body></html>""".encode()


def text(topic: str) -> tuple[str, str]:
    """Two paragraphs about ``topic``, long enough for extraction."""
    return (
        f"Researchers in Taipei announced new results on {topic} this week, after three "
        f"years of joint work with partners in Japan and Germany on {topic}.",
        f"The team expects the {topic} findings to reach industry within two years, and "
        "plans a second phase with more partners from universities across the region.",
    )


def rss(title: str, items: list[dict]) -> bytes:
    """An RSS 2.0 feed; each item: ``title``, ``link``, ``guid``, ``summary``, ``date``."""
    parts = [
        f"<item><title>{escape(i['title'])}</title><link>{escape(i['link'])}</link>"
        f"<guid>{escape(i.get('guid', i['link']))}</guid>"
        f"<description>{escape(i.get('summary', ''))}</description>"
        f"<pubDate>{i.get('date', 'Tue, 05 Mar 2024 08:00:00 GMT')}</pubDate></item>"
        for i in items
    ]
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>http://example.org/</link>"
        f"<description>News</description>{''.join(parts)}</channel></rss>"
    ).encode()


def atom(title: str, entries: list[dict]) -> bytes:
    parts = [
        f'<entry><title>{escape(e["title"])}</title><link href="{escape(e["link"])}"/>'
        f"<id>{escape(e['id'])}</id><updated>{e.get('date', '2024-04-01T10:00:00Z')}</updated>"
        f"<summary>{escape(e.get('summary', ''))}</summary></entry>"
        for e in entries
    ]
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:feed</id><updated>2024-04-01T10:00:00Z</updated>"
        f"{''.join(parts)}</feed>"
    ).encode()
