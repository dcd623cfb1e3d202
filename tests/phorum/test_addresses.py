"""Every old address of the board answers 301 to where its page is now; the rest 404."""

import pytest
from django.urls import reverse
from django.utils import translation

from newsbrief.briefs.models import Brief, Category
from newsbrief.phorum import addresses, importing
from newsbrief.phorum.converting import message_uid
from newsbrief.pictures.models import Picture

from . import fake

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def board():
    importing.run(fake.board(), progress=False)


def page(message_id: int) -> str:
    brief = Brief.objects.get(uid=message_uid(message_id))
    with translation.override(brief.language):
        return reverse("briefs:detail", args=[brief.pk])


def category(name: str, language: str = "en") -> str:
    slug = Category.objects.get(
        **{"name_zh_hant" if language == "zh-hant" else "name_en": name}
    ).slug
    with translation.override(language):
        return reverse("briefs:category", args=[slug])


def history(message_id: int) -> str:
    brief = Brief.objects.get(uid=message_uid(message_id))
    with translation.override(brief.language):
        return reverse("desk:history", args=[brief.pk])


def forms():
    english, chinese = "International Cooperation News", "國際合作新聞"
    return [
        ("/read.php?1,10", lambda: page(10)),
        ("/read.php?1,10,10", lambda: page(10)),
        ("/read.php?1,10,12", lambda: page(12)),
        ("/read.php?1,10,12#msg-12", lambda: page(12)),  # the fragment stays in the browser
        ("/phorum/read.php?1,10,11", lambda: page(11)),  # wherever the board was installed
        ("/read.php?1,10,page=2", lambda: page(10)),
        ("/read.php?1,10,printview", lambda: page(10)),
        ("/read.php?1,10,newer", lambda: page(17)),  # the next thread that is public
        ("/read.php?1,17,older", lambda: page(10)),
        ("/read.php?1,10,gotonewpost", lambda: page(12)),
        ("/read.php?1,15", lambda: page(16)),  # a moved stub: the thread it points to
        ("/read.php?1,15,15", lambda: page(16)),
        ("/read.php?1,10,999", lambda: page(10)),  # a message that is gone: its thread
        ("/list.php?1", lambda: category(english)),
        ("/read.php?1", lambda: category(english)),  # no thread: the forum
        ("/list.php?1,page=3", lambda: category(english) + "?page=3"),
        ("/list.php?2", lambda: category(chinese, "zh-hant")),
        ("/index.php?1", lambda: category(english)),
        ("/index.php?3", lambda: "/en/"),  # a folder: the board
        ("/changes.php?1,10", lambda: history(10)),
        ("/feed.php?type=rss", lambda: "/en/feeds/rss/"),
        ("/feed.php?type=atom", lambda: "/en/feeds/atom/"),
        ("/feed.php", lambda: "/en/feeds/rss/"),
        ("/feed.php?1,type=atom", lambda: category_feed(english, "en", "atom")),
        ("/feed.php?2,type=rss", lambda: category_feed(chinese, "zh-hant", "rss")),
        ("/file.php?2,file=1", lambda: Picture.objects.get().jpeg(4096)["url"]),
        ("/file.php?2,file=2", lambda: "/phorum/files/2/report.pdf"),
        ("/profile.php?1,1", lambda: "/en/"),
    ]


def category_feed(name, language, fmt):
    slug = Category.objects.get(
        **{"name_zh_hant" if language == "zh-hant" else "name_en": name}
    ).slug
    with translation.override(language):
        return reverse("feeds:category", args=[slug, language, fmt])


@pytest.mark.parametrize("n", range(len(forms())))
def test_every_old_address_answers_301(client, n):
    address, where = forms()[n]
    response = client.get(address.split("#")[0])
    assert response.status_code == 301, address
    assert response["Location"] == where(), address


@pytest.mark.parametrize(
    "address",
    [
        "/read.php?1,13",  # held: not public, so not there
        "/read.php?1,14,14",  # hidden
        "/read.php?4,18",  # approved, in a forum that was not active
        "/changes.php?1,13",
        "/read.php?1,999",
        "/list.php?99",
        "/read.php?1,10,%00",
        "/read.php?1,10,rubbish",
        "/file.php?2,file=99",
        "/file.php?2,file=x",
        "/posting.php?1,reply,10",
        "/feed.php?99,type=rss",
        "/read.php?" + "9" * 5000,
    ],
)
def test_what_is_not_there_is_404(client, address):
    assert client.get(address).status_code == (400 if "%00" in address else 404)


def test_a_file_is_served_only_while_its_brief_is_public(client):
    assert client.get("/phorum/files/2/report.pdf").content == b"%PDF-1.4 a report"
    Brief.objects.filter(uid=message_uid(20)).update(status=Brief.Status.DRAFT)
    assert client.get("/phorum/files/2/report.pdf").status_code == 404
    assert client.get("/file.php?2,file=2").status_code == 404


def test_old_address_times():
    times = addresses.old_address_times(200)
    assert times["n"] == 200 and 0 < times["median_ms"] <= times["p99_ms"] <= times["max_ms"]
