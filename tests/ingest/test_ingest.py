"""``newsbrief ingest`` end to end, against feeds and pages on a local server."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from newsbrief.briefs.models import Brief
from newsbrief.ingest.models import Item, Source
from newsbrief.ingest.signals import draft_ingested

from . import samples
from .conftest import conditional, slow

# The feeds are served on loopback: every test here is allowed to fetch from the server.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("allowed")]


def source(server, path, kind=Source.Kind.FEED, language="en", name=None) -> Source:
    return Source.objects.create(
        name=name or f"Source {path}", kind=kind, url=server.url(path), language=language
    )


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest", "--no-progress", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def serve_article(server, path, title, topic, **kwargs):
    page = samples.article(title, *samples.text(topic), **kwargs)
    server.routes[path] = (200, samples.HTML, page)


@pytest.fixture
def tech_feed(server):
    """An RSS feed of two articles, both served."""
    serve_article(server, "/a/1", "Wind power record", "offshore wind")
    serve_article(server, "/a/2", "Chip plant opens", "semiconductors")
    server.routes["/feed.xml"] = (
        200,
        samples.RSS,
        samples.rss(
            "Tech Feed",
            [
                {"title": "Wind power record", "link": server.url("/a/1")},
                {"title": "Chip plant opens", "link": server.url("/a/2")},
            ],
        ),
    )
    return source(server, "/feed.xml", name="Tech Feed")


def test_a_feed_becomes_drafts_with_source_date_and_link(server, tech_feed):
    out, err = run()
    assert out.strip() == ("fetched 1, new drafts 2, duplicates 0, not modified 0, failed 0"), err
    brief = Brief.objects.get(title="Wind power record")
    assert brief.status == Brief.Status.DRAFT
    assert brief.published_at is None
    assert brief.author.get_username() == "ingest"
    assert not brief.author.has_usable_password()
    assert brief.language == "en"
    assert brief.source_name == "Science Daily Taiwan"
    assert brief.source_date == dt.date(2024, 3, 5)
    assert brief.body.startswith("Researchers in Taipei announced new results on offshore wind")
    assert "Copyright" not in brief.body
    [link] = brief.source_links.all()
    assert (link.label, link.url) == ("Wind power record", server.url("/a/1"))
    assert brief.revisions.get().origin == "import"
    item = Item.objects.get(brief=brief)
    assert (item.source, item.url) == (tech_feed, server.url("/a/1"))
    tech_feed.refresh_from_db()
    assert tech_feed.last_fetched_at is not None and tech_feed.last_error == ""


def test_a_second_run_creates_nothing(server, tech_feed):
    run()
    requests = len(server.requests)
    out, _ = run()
    assert out.strip() == "fetched 1, new drafts 0, duplicates 2, not modified 0, failed 0"
    assert Brief.objects.count() == 2
    # Seen entries are recognised without fetching their articles again.
    assert [path for path, _ in server.requests[requests:]] == ["/feed.xml"]


def test_a_feed_that_has_not_changed_is_not_read_again(server):
    serve_article(server, "/a/1", "Wind power record", "offshore wind")
    feed = samples.rss("Feed", [{"title": "Wind power record", "link": server.url("/a/1")}])
    server.routes["/feed.xml"] = conditional('"v1"', (200, samples.RSS, feed))
    src = source(server, "/feed.xml")
    run()
    src.refresh_from_db()
    assert src.etag == '"v1"'
    out, _ = run()
    assert out.strip() == "fetched 0, new drafts 0, duplicates 0, not modified 1, failed 0"
    assert server.requests[-1][1]["If-None-Match"] == '"v1"'


def test_validators_are_kept_back_while_an_entry_fails(server):
    """An entry that could not be taken is tried again next run, not hidden by a 304."""
    feed = samples.rss("Feed", [{"title": "No page, no summary", "link": server.url("/gone")}])
    server.routes["/feed.xml"] = conditional('"v1"', (200, samples.RSS, feed))
    src = source(server, "/feed.xml")
    with pytest.raises(CommandError):
        run()
    src.refresh_from_db()
    assert src.etag == ""
    assert "HTTP 404" in src.last_error and src.last_error_at is not None


def test_an_atom_feed_in_chinese(server):
    serve_article(server, "/zh/1", "離岸風電創新紀錄", "離岸風電", site="科技新報")
    server.routes["/atom"] = (
        200,
        samples.ATOM,
        samples.atom("中文", [{"title": "離岸風電創新紀錄", "link": "/zh/1", "id": "urn:zh:1"}]),
    )
    source(server, "/atom", language="zh-hant")
    run()
    brief = Brief.objects.get()
    assert (brief.title, brief.language) == ("離岸風電創新紀錄", "zh-hant")
    assert brief.source_name == "科技新報"
    assert brief.source_date == dt.date(2024, 4, 1)  # the entry's date wins over the page's


def test_an_article_page_that_fails_falls_back_to_the_summary(server):
    feed = samples.rss(
        "Summaries",
        [{"title": "Slow", "link": server.url("/slow"), "summary": "<p>The <b>summary</b>.</p>"}],
    )
    server.routes["/feed.xml"] = (200, samples.RSS, feed)
    server.routes["/slow"] = slow(3, (200, samples.HTML, b"late"))
    source(server, "/feed.xml")
    out, _ = run()
    assert "new drafts 1" in out
    brief = Brief.objects.get()
    assert brief.body == "The summary."
    assert brief.source_name == "Summaries"  # the feed's name when the page gives none


def test_a_page_source(server):
    serve_article(server, "/story", "Quantum link", "quantum networks")
    source(server, "/story", kind=Source.Kind.PAGE)
    out, _ = run()
    assert "new drafts 1" in out
    assert Brief.objects.get().source_links.get().url == server.url("/story")
    assert "duplicates 1" in run()[0]


def test_the_same_article_in_two_feeds_is_one_draft(server, tech_feed):
    server.routes["/other.xml"] = (
        200,
        samples.RSS,
        samples.rss(
            "Other",
            [
                # The same address, dressed differently.
                {"title": "Wind again", "link": server.url("/a/1?utm_source=rss#x"), "guid": "o1"},
                # The same text under another address.
                {"title": "Chips again", "link": server.url("/mirror/2"), "guid": "o2"},
            ],
        ),
    )
    serve_article(server, "/mirror/2", "Chip plant opens", "semiconductors", site="Mirror")
    other = source(server, "/other.xml")
    out, _ = run()
    assert "new drafts 2, duplicates 2" in out
    assert Brief.objects.count() == 2
    chips = Brief.objects.get(title="Chip plant opens")
    assert set(Item.objects.filter(brief=chips).values_list("source", flat=True)) == {
        tech_feed.pk,
        other.pk,
    }


@pytest.mark.parametrize(
    ("route", "error"),
    [
        ((200, samples.RSS, b"<rss><channel><title>x</title><item><title>bad</ti"), "feed"),
        ((200, {}, b"x" * (64 * 1024 + 10)), "byte limit"),
        ("loop", "redirect loop"),
        ((302, {"Location": "ftp://127.0.0.1/feed"}, b""), "only http and https"),
        (slow(3, (200, samples.RSS, b"")), "within 1 seconds"),
        ((500, {}, b"oops"), "HTTP 500"),
        ((200, samples.RSS, b"\xff\xfe\x00<\x00r\x00s\x00s\x00garbage\xc3\x28"), "feed"),
    ],
    ids=["malformed", "huge", "loop", "ftp", "slow", "500", "bad-encoding"],
)
def test_a_failing_source_is_recorded_and_the_run_goes_on(server, tech_feed, route, error):
    if route == "loop":
        server.routes["/bad"] = (302, {"Location": "/bad2"}, b"")
        route = (302, {"Location": "/bad"}, b"")
        server.routes["/bad2"] = route
    else:
        server.routes["/bad"] = route
    bad = source(server, "/bad", name="Bad")
    out, err = run()
    assert "new drafts 2" in out and "failed 1" in out
    assert "error: Bad: " in err and error in err
    bad.refresh_from_db()
    assert error in bad.last_error and bad.last_fetched_at is not None


def test_every_source_failing_exits_non_zero(server):
    source(server, "/missing")
    with pytest.raises(CommandError, match="every source failed"):
        run()


def test_script_injection_never_reaches_a_brief(server):
    server.routes["/evil"] = (
        200,
        samples.HTML,
        samples.article(
            "Evil <script>alert(1)</script> title",
            *samples.text("security"),
            'Text &lt;script&gt;alert(2)&lt;/script&gt; and <a href="javascript:alert(3)">x</a>.',
            extra='<script>alert(4)</script><iframe src="http://x.org"></iframe>',
        ),
    )
    server.routes["/feed.xml"] = (
        200,
        samples.RSS,
        samples.rss(
            "Feed",
            [{"title": "<script>alert(5)</script>Evil", "link": server.url("/evil"),
              "summary": "<script>alert(6)</script>"}],
        ),
    )  # fmt: skip
    source(server, "/feed.xml")
    run()
    brief = Brief.objects.get()
    everything = brief.title + brief.body + brief.body_html + brief.source_name
    assert "<script" not in everything and "javascript:" not in brief.body_html
    for n in (1, 3, 4, 5, 6):
        assert f"alert({n})" not in everything
    assert "<iframe" not in brief.body_html


def test_a_big5_page_with_a_wrong_label(server):
    title = "半導體產業合作"
    paragraphs = [f"臺灣與日本的{title}推動辦公室正式成立，雙方將在綠能領域深化合作。" * 3] * 2
    page = samples.article(title, *paragraphs).decode().replace('charset="utf-8"', 'charset="big5"')
    # The server says UTF-8; the bytes are Big5, as the page's own <meta> says.
    server.routes["/big5"] = (200, samples.HTML, page.encode("big5"))
    server.routes["/feed.xml"] = (
        200, samples.RSS, samples.rss("Feed", [{"title": title, "link": server.url("/big5")}])
    )  # fmt: skip
    source(server, "/feed.xml", language="zh-hant")
    run()
    assert "推動辦公室正式成立" in Brief.objects.get().body


def test_dry_run_writes_nothing(server, tech_feed):
    out, _ = run("--dry-run")
    assert out.strip() == "dry run: fetched 1, new drafts 2, duplicates 0, not modified 0, failed 0"
    assert not Brief.objects.exists() and not Item.objects.exists()
    tech_feed.refresh_from_db()
    assert tech_feed.last_fetched_at is None


def test_only_the_named_sources_and_only_active_ones(server, tech_feed):
    serve_article(server, "/story", "Quantum link", "quantum networks")
    page = source(server, "/story", kind=Source.Kind.PAGE)
    page.active = False
    page.save()
    run()
    assert Brief.objects.count() == 2  # the paused page is skipped
    run("--source", str(page.pk))
    assert Brief.objects.filter(title="Quantum link").exists()
    with pytest.raises(CommandError, match="no source with id 999"):
        run("--source", "999")


def test_too_many_entries_are_left_for_the_next_run(server, settings):
    settings.NEWSBRIEF_INGEST_MAX_ENTRIES = 1
    entries = [{"title": f"T{n}", "link": server.url(f"/gone/{n}"), "summary": f"S{n}"}
               for n in range(3)]  # fmt: skip
    feed = samples.rss("F", entries)
    server.routes["/feed.xml"] = (200, samples.RSS, feed)
    source(server, "/feed.xml")
    assert "new drafts 1" in run()[0]


def test_the_proposals_hook_hears_of_each_new_draft(server, tech_feed):
    heard = []

    def receiver(sender, brief, source, url, **kwargs):
        heard.append((brief.title, source.pk, url))
        raise RuntimeError("a failing receiver does not stop the run")

    draft_ingested.connect(receiver)
    try:
        out, _ = run()
        run()
    finally:
        draft_ingested.disconnect(receiver)
    assert "new drafts 2" in out
    assert sorted(heard) == [
        ("Chip plant opens", tech_feed.pk, server.url("/a/2")),
        ("Wind power record", tech_feed.pk, server.url("/a/1")),
    ]
