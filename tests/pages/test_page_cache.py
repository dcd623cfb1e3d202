"""The stored pages: kept for anonymous readers, answered before Django, and dropped exactly
when a brief they show changes, whichever way it changes (run against the configured store:
files, or the Redis cache in make test's PostgreSQL run)."""

import dataclasses
import datetime as dt
import functools
import gzip
import io
import wsgiref.util

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from django.utils import timezone

from newsbrief.briefs.models import Board, Brief, Category
from newsbrief.briefs.publishing import content_of, save_brief, set_status
from newsbrief.briefs.roles import SYSTEM
from newsbrief.pages import jobs
from newsbrief.pages.serving import StoredPages
from newsbrief.related import curation
from tests.factories import make_brief

pytestmark = pytest.mark.django_db(transaction=True)


@dataclasses.dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()


class Reader:
    """Requests straight to the WSGI application ``newsbrief serve`` runs."""

    def __init__(self):
        self.app = StoredPages(WSGIHandler())
        self.served_from_store = 0

    def get(self, path: str, query: str = "", **headers) -> Answer:
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query}
        environ.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
        environ["HTTP_HOST"] = "testserver"
        environ["wsgi.input"] = io.BytesIO()
        wsgiref.util.setup_testing_defaults(environ)
        if self.app._stored(dict(environ)) is not None:
            self.served_from_store += 1
        started = {}

        def start_response(status, response_headers, exc_info=None):
            started["status"] = int(status.split()[0])
            started["headers"] = {k.lower(): v for k, v in response_headers}

        body = b"".join(self.app(environ, start_response))
        return Answer(started["status"], started["headers"], body)


@pytest.fixture
def reader():
    return Reader()


# A published brief by techman in Energy (other tags by keyword).
brief = functools.partial(make_brief, author="techman", tags=("Energy",))


def edit(item: Brief, **changes) -> Brief:
    return save_brief(dataclasses.replace(content_of(item), **changes)).brief


def page(item: Brief, language="en") -> str:
    return f"/{language}/briefs/{item.pk}/"


def twice(reader, path):
    """Render a page, then read it from the store."""
    first = reader.get(path)
    before = reader.served_from_store
    second = reader.get(path)
    assert reader.served_from_store == before + 1, f"{path} was not stored"
    assert second.body == first.body
    return second


def test_a_page_is_stored_and_answered_with_djangos_headers(reader, page_store):
    item = brief("Solar cells reach record efficiency")
    rendered = reader.get(page(item))
    assert rendered.status == 200 and "Solar cells reach record efficiency" in rendered.text
    assert page_store.get(page(item)) == rendered.body
    stored = reader.get(page(item))
    assert reader.served_from_store == 1
    assert stored.body == rendered.body
    for header in (
        "content-type",
        "content-security-policy",
        "permissions-policy",
        "x-frame-options",
        "x-content-type-options",
        "referrer-policy",
        "cross-origin-opener-policy",
        "content-language",
    ):
        assert stored.headers[header] == rendered.headers[header], header
    assert stored.headers["cache-control"] == "no-cache"
    revalidated = reader.get(page(item), if_none_match=stored.headers["etag"])
    assert revalidated.status == 304 and revalidated.body == b""


def test_gzip_copy_for_readers_that_accept_it(reader, page_store):
    item = brief("Wind farms")
    plain = twice(reader, page(item))
    packed = reader.get(page(item), accept_encoding="gzip, br")
    if page_store.get_gzip(page(item)) is None:  # the cache store keeps no copy
        assert packed.body == plain.body
        return
    assert packed.headers["content-encoding"] == "gzip"
    assert gzip.decompress(packed.body) == plain.body
    assert packed.headers["etag"] != plain.headers["etag"]


def test_an_edit_shows_on_every_page_that_shows_the_brief(reader):
    cited = brief("Battery plant opens", tags=("Energy", "Industry"))
    citing = brief("Second battery plant", related=())
    curation.accept(SYSTEM, citing, cited)
    chinese = brief(
        "電池工廠開幕", language="zh-hant", tags=("Energy",), translation_key=cited.translation_key
    )
    month = timezone.localtime(cited.published_at)
    paths = [
        page(cited),
        page(cited, "zh-hant"),
        page(citing),  # cites it
        page(chinese),  # its other version (shows the title in its link's hreflang title)
        "/en/",
        "/en/categories/energy/",
        "/en/categories/industry/",
        f"/en/archive/{month.year}/{month.month}/",
    ]
    for path in paths:
        assert "Battery plant opens" in twice(reader, path).text, path
    edit(cited, title="Battery plant opens in Tainan")
    for path in paths:
        assert "Battery plant opens in Tainan" in reader.get(path).text, path
    assert reader.get(page(chinese)).status == 200


def test_untouched_pages_stay_stored(reader, page_store):
    item = brief("Fusion milestone")
    brief("In between")  # the brief next to one shows its title (previous / next)
    other = brief("Quantum chip", tags=("Computing",))
    twice(reader, page(other))
    twice(reader, "/en/categories/computing/")
    edit(item, title="Fusion milestone reached")
    assert page_store.get(page(other)) is not None
    assert page_store.get("/en/categories/computing/") is not None
    assert page_store.get(page(item)) is None


def test_retagging_moves_the_brief_between_category_pages(reader):
    item = brief("Smart grid pilot", tags=("Energy",))
    assert "Smart grid pilot" in twice(reader, "/en/categories/energy/").text
    assert "Computing" not in twice(reader, "/en/categories/").text
    edit(item, tags=("Computing",))
    assert "Smart grid pilot" not in reader.get("/en/categories/energy/").text
    assert "Smart grid pilot" in reader.get("/en/categories/computing/").text
    assert "Computing" in reader.get("/en/categories/").text


def test_the_archive_counts_follow_publication(reader):
    brief("First of the month")
    assert "1 brief" in " ".join(twice(reader, "/en/archive/").text.split())
    brief("Second of the month")
    assert "2 briefs" in " ".join(reader.get("/en/archive/").text.split())


def test_unpublishing_and_deleting_remove_the_brief_everywhere(reader):
    item = brief("Withdrawn report")
    gone = brief("Deleted report")
    for path in (page(item), page(gone), "/en/"):
        twice(reader, path)
    set_status(item, Brief.Status.DRAFT)
    Brief.objects.get(pk=gone.pk).delete()
    assert reader.get(page(item)).status == 404
    assert reader.get(page(gone)).status == 404
    index = reader.get("/en/").text
    assert "Withdrawn report" not in index and "Deleted report" not in index


def test_curating_related_messages_updates_both_ends(reader):
    earlier = brief("Earlier chip news")
    later = brief("Later chip news")
    twice(reader, page(earlier))
    twice(reader, page(later))
    curation.accept(SYSTEM, later, earlier)
    assert "Earlier chip news" in reader.get(page(later)).text
    assert "Later chip news" in reader.get(page(earlier)).text  # its "Later messages"
    twice(reader, page(earlier))
    later.related_links.all().delete()  # as the desk's Remove does
    assert "Later messages" not in reader.get(page(earlier)).text


def test_a_new_brief_is_linked_from_its_neighbours_and_their_months(reader):
    first = brief("Older news", published_at=dt.datetime(2012, 3, 5, 2, tzinfo=dt.UTC))
    last = brief("Newer news", published_at=dt.datetime(2012, 7, 5, 2, tzinfo=dt.UTC))
    assert "Older news" in twice(reader, page(last)).text
    assert "July 2012" in twice(reader, "/en/archive/2012/3/").text
    between = brief("News between", published_at=dt.datetime(2012, 5, 5, 2, tzinfo=dt.UTC))
    assert "News between" in reader.get(page(last)).text
    assert "News between" in reader.get(page(first)).text
    assert "May 2012" in reader.get("/en/archive/2012/3/").text
    assert "May 2012" in reader.get("/en/archive/2012/7/").text
    set_status(between, Brief.Status.DRAFT)
    assert "News between" not in reader.get(page(last)).text
    assert "July 2012" in reader.get("/en/archive/2012/3/").text


def test_publishing_a_version_links_it_from_the_other(reader):
    english = brief("Space telescope launched")
    assert "Chinese Version" not in twice(reader, page(english)).text
    brief("太空望遠鏡發射", language="zh-hant", translation_key=english.translation_key)
    assert "Chinese Version" in reader.get(page(english)).text


def test_a_scheduled_brief_appears_when_its_time_comes(reader):
    brief("Already out")
    soon = timezone.now() + dt.timedelta(minutes=5)
    brief("Scheduled news", published_at=soon)
    assert "Scheduled news" not in twice(reader, "/en/").text
    assert jobs.release_due(timezone.now(), soon - dt.timedelta(seconds=1)) == 0
    assert reader.get("/en/").status == 200 and reader.served_from_store == 2
    # Its time comes (moved to the past behind the signals' back, as the clock would).
    Brief.objects.filter(title="Scheduled news").update(published_at=timezone.now())
    assert jobs.release_due(timezone.now() - dt.timedelta(minutes=1), timezone.now()) == 1
    assert "Scheduled news" in reader.get("/en/").text


def test_renaming_a_category_or_the_board_drops_every_page(reader, page_store):
    item = brief("Hydrogen trucks")
    twice(reader, page(item))
    category = Category.objects.get(slug="energy")
    category.name_en = "Energy and Power"
    category.save()
    assert "[Energy and Power]" in reader.get(page(item)).text
    board = Board.current()
    board.footer = "A new footer line"
    board.save()
    assert "A new footer line" in reader.get(page(item)).text


def test_signed_in_readers_and_queries_get_their_own_pages(reader, page_store, django_user_model):
    item = brief("Robot surgery")
    twice(reader, page(item))
    user = django_user_model.objects.create_user("reader", password="pw-123-long-enough")
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    personal = reader.get(page(item), cookie=f"sessionid={session}")
    assert "reader" in personal.text and "Sign out" in personal.text
    assert b"Sign out" not in page_store.get(page(item))
    listing = reader.get("/en/", query="page=1")
    assert listing.status == 200 and page_store.get("/en/") is None


@pytest.mark.parametrize(
    "path",
    [
        "/en/" + "a" * 300 + "/",  # a file name holds 255 bytes
        "/en/" + "é" * 150 + "/",  # 300 bytes of UTF-8
        "/en/" + "a/" * 2100,  # over the store's 1024 bytes, and over PATH_MAX (4096)
    ],
)
def test_a_path_no_file_can_hold_is_answered_by_django(reader, page_store, path):
    """A stored page's language directory exists: there, an over-long name reaches the file
    system (with an empty store the lookup stops at the missing directory) and was an
    ENAMETOOLONG: a 500 without the security headers. Django answers it, with them."""
    brief("Something to store")
    twice(reader, "/en/")
    answer = reader.get(path.encode().decode("iso-8859-1"))  # PATH_INFO as a server gives it
    assert answer.status == 404
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "default-src" in answer.headers["content-security-policy"]
    assert answer.headers["x-frame-options"] == "DENY"


def test_a_render_that_overlaps_an_invalidation_is_not_kept(page_store):
    epoch = page_store.epoch()
    page_store.invalidate(["/en/briefs/1/"])
    assert not page_store.put("/en/briefs/1/", b"rendered from old data", epoch)
    assert page_store.get("/en/briefs/1/") is None
    assert page_store.put("/en/briefs/1/", b"fresh", page_store.epoch())
    assert page_store.get("/en/briefs/1/") == b"fresh"


@pytest.mark.parametrize("path", ["/en/../x/", "/en//", "/en/.hidden/", "relative/", "/no-slash"])
def test_only_plain_paths_are_stored(page_store, path):
    assert not page_store.put(path, b"x", page_store.epoch())
    assert page_store.get(path) is None


def test_clear_drops_everything(page_store):
    page_store.put("/en/", b"index", page_store.epoch())
    page_store.put("/en/briefs/1/", b"brief", page_store.epoch())
    page_store.clear()
    assert page_store.get("/en/") is None and page_store.get("/en/briefs/1/") is None


def test_a_restored_archive_drops_every_page(reader, page_store):
    from newsbrief.briefs.signals import archive_restored

    item = brief("Before the restore")
    twice(reader, page(item))
    archive_restored.send(sender=None)
    assert page_store.get(page(item)) is None
