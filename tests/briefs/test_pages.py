"""The reader's pages, rendered by Django's test client over the demo board."""

import datetime as dt
import html
import re

import pytest
from django.utils import timezone

from newsbrief.briefs.models import Brief, Category, RelatedLink
from tests.factories import make_brief

pytestmark = pytest.mark.django_db
SEED_TITLE = "Taiwan-Japan Industrial Cooperation Office Comes Into Being"


@pytest.fixture
def seed_brief(demo):
    return Brief.objects.get(title=SEED_TITLE)


def text_of(response) -> str:
    """The visible text of the page's main content, whitespace collapsed."""
    assert response.status_code == 200
    main = re.search(r"<main\b.*?</main>", response.content.decode(), flags=re.S)[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def url(brief, language="en") -> str:
    return f"/{language}/briefs/{brief.pk}/"


def assert_in_order(text: str, *parts: str) -> None:
    found = [text.find(part) for part in parts]
    assert -1 not in found, [p for p, i in zip(parts, found, strict=True) if i == -1]
    assert found == sorted(found)


def test_root_redirects_to_a_language(client):
    assert client.get("/").headers["Location"] == "/en/"
    assert (
        client.get("/", headers={"accept-language": "zh-TW,zh;q=0.9"}).headers["Location"]
        == "/zh-hant/"
    )


SEED_PAGE_PARTS = {
    "en": [
        "techman / March 20, 2012 09:20PM",
        f"[International Cooperation] {SEED_TITLE}",
        "( Chinese Version )",
        "CENS.com (2012/03/19) Taiwan and Japan industrial cooperation promotion office",
        "Related Historical Messages:",
        "[International Cooperation] Taiwan and Japan Should Increase Sci-tech Cooperation",
        "Science and Technology Forum 2011/09/05",
        "[International Cooperation][Metal Industry] Taiwan-Japan Cooperation on Metal "
        "Technology, Upgrading Heavy Industries 2011/10/25",
        "Further Information:",
        "CENS.com 2012/03/19",
        "National Science Council International Cooperation Sci-Tech Newsbrief",
        "Edited 2 time(s). Last edit at 03/20/2012 09:25PM by techman.",
    ],
    "zh-hant": [
        "techman / 2012年3月20日 下午09:20",
        f"[International Cooperation] {SEED_TITLE}",
        "( 中文版 )",
        "相關歷史訊息：",
        "延伸資訊：",
        "國科會國際合作科技新知簡訊",  # the board's name in the reader's language
        "已編輯 2 次。最後編輯於 2012/03/20 下午09:25，編輯者：techman。",
    ],
}


@pytest.mark.parametrize("language", SEED_PAGE_PARTS)
def test_brief_page_shows_the_seed_parts_in_order_per_language(client, seed_brief, language):
    response = client.get(url(seed_brief, language))
    assert f'<html lang="{language}">' in response.content.decode()
    assert_in_order(text_of(response), *SEED_PAGE_PARTS[language])


def test_brief_page_links_tags_versions_and_related(client, seed_brief):
    html = client.get(f"/en/briefs/{seed_brief.pk}/").content.decode()
    chinese = seed_brief.other_versions().get()
    assert chinese.language == "zh-hant"
    # The Chinese version opens in the Chinese interface, and back.
    assert (
        f'href="/zh-hant/briefs/{chinese.pk}/" hreflang="zh-hant" rel="alternate">Chinese Version'
        in html
    )
    back = client.get(f"/zh-hant/briefs/{chinese.pk}/").content.decode()
    assert f'href="/en/briefs/{seed_brief.pk}/" hreflang="en" rel="alternate">英文版' in back
    assert (
        'href="/en/categories/international-cooperation/">[International Cooperation]</a>' in html
    )
    for link in seed_brief.related_links.all():
        assert link.target is not None
        assert f'href="/en/briefs/{link.target.pk}/"' in html


def test_version_link_only_when_a_version_exists(client, demo):
    alone = Brief.objects.get(title__startswith="NSPO and NOAA")
    assert not alone.other_versions().exists()
    text = text_of(client.get(url(alone)))
    assert "Chinese Version" not in text and "English Version" not in text


def test_unresolved_reference_shows_its_title_unlinked(client, demo):
    link = RelatedLink.objects.get(target=None, brief__language="en")
    text = text_of(client.get(url(link.brief)))
    assert f"{link.cited_title} {link.cited_date:%Y/%m/%d} (not in the archive yet)" in text


def test_later_messages_link_back(client, seed_brief):
    citing = Brief.objects.filter(related_links__target=seed_brief).get()
    text = text_of(client.get(url(seed_brief)))
    assert "Later messages:" in text and citing.title in text


def test_no_edit_trail_for_an_unedited_brief(client, demo):
    brief = next(b for b in Brief.objects.all() if b.latest_revision().number == 0)
    text = text_of(client.get(url(brief)))
    assert "Edited" not in text


def test_board_index_newest_first_in_the_readers_language(client, demo):
    text = text_of(client.get("/en/"))
    english = Brief.objects.filter(language="en").order_by("-published_at")
    assert_in_order(text, *english.values_list("title", flat=True))
    assert "臺日" not in text and "台日" not in text
    both = text_of(client.get("/en/?lang=all"))
    assert all(title in both for title in Brief.objects.values_list("title", flat=True))
    chinese = text_of(client.get("/zh-hant/"))
    assert "最新簡訊" in chinese
    assert all(
        t in chinese
        for t in Brief.objects.filter(language="zh-hant").values_list("title", flat=True)
    )


def test_board_index_paginates(client, demo, settings):
    settings.NEWSBRIEF_PAGE_SIZE = 3
    first = client.get("/en/?lang=all")
    assert 'rel="next" href="?lang=all&amp;page=2"' in first.content.decode()
    assert "Page 1" in first.content.decode() and 'rel="prev"' not in first.content.decode()
    last = client.get("/en/?lang=all&page=5")  # 15 briefs
    assert len(last.context["briefs"]) == 3
    assert not last.context["page"].has_next() and 'rel="prev"' in last.content.decode()
    shown = [
        b for n in range(1, 6) for b in client.get(f"/en/?lang=all&page={n}").context["briefs"]
    ]
    assert len({b.pk for b in shown}) == 15
    # A page past the last leads to the last, keeping the query.
    assert client.get("/en/?lang=all&page=99").headers["Location"] == "/en/?lang=all&page=5"
    assert client.get("/en/?lang=all&page=x").context["page"].number == 1


def test_category_page_lists_its_briefs_in_both_names(client, demo):
    category = Category.objects.get(slug="international-cooperation")
    english = text_of(client.get("/en/categories/international-cooperation/"))
    assert "Category: International Cooperation" in english
    assert f"[International Cooperation] {SEED_TITLE}" in english
    chinese = text_of(client.get("/zh-hant/categories/international-cooperation/"))
    assert "類別：國際合作" in chinese
    assert category.briefs.filter(language="zh-hant").first().title in chinese
    assert client.get("/en/categories/no-such-thing/").status_code == 404


def test_category_list_counts_published_briefs(client, demo):
    metal = Brief.objects.filter(brief_tags__category__slug="metal-industry")
    english = metal.filter(language="en").count()
    assert f"Metal Industry {english} brief" in text_of(client.get("/en/categories/"))
    assert f"Metal Industry {metal.count()} briefs" in text_of(
        client.get("/en/categories/?lang=all")
    )
    assert "金屬工業" in text_of(client.get("/zh-hant/categories/"))
    html = client.get("/en/categories/?lang=all").content.decode()
    assert 'href="/en/categories/metal-industry/?lang=all"' in html


def test_monthly_archive(client, demo):
    assert "March 2012 1 brief " in text_of(client.get("/en/archive/"))
    assert "March 2012 2 briefs" in text_of(client.get("/en/archive/?lang=all"))
    assert "2012年3月" in text_of(client.get("/zh-hant/archive/"))
    march = text_of(client.get("/en/archive/2012/3/?lang=all"))
    chinese_version = Brief.objects.get(title=SEED_TITLE).other_versions().get().title
    assert "Briefs of March 2012" in march and SEED_TITLE in march and chinese_version in march
    assert SEED_TITLE not in text_of(client.get("/en/archive/2012/2/"))
    assert client.get("/en/archive/2012/13/").status_code == 404


def test_language_switch_keeps_the_page(client, seed_brief):
    html = client.get(f"/en/briefs/{seed_brief.pk}/?x=1").content.decode()
    assert (
        f'href="/zh-hant/briefs/{seed_brief.pk}/?x=1" hreflang="zh-hant" lang="zh-hant">繁體中文'
        in html
    )
    html = client.get(f"/zh-hant/briefs/{seed_brief.pk}/").content.decode()
    assert f'href="/en/briefs/{seed_brief.pk}/" hreflang="en" lang="en">English' in html


def test_accessible_structure(client, seed_brief):
    html = client.get(f"/en/briefs/{seed_brief.pk}/").content.decode()
    assert html.count("<h1") == 1
    for landmark in ("<header", "<main", "<footer", 'aria-label="Main"', 'class="skip-link"'):
        assert landmark in html
    assert '<article class="brief" lang="en"' in html
    assert '<meta name="viewport"' in html


def test_drafts_and_future_briefs_are_not_shown(client, demo):
    future = timezone.now() + dt.timedelta(days=1)
    scheduled = make_brief("Not yet", body="Soon.", published_at=future)
    draft = make_brief("Draft", body="x", status=Brief.Status.DRAFT)
    assert client.get(url(scheduled)).status_code == 404
    assert client.get(url(draft)).status_code == 404
    assert "Not yet" not in text_of(client.get("/en/"))


def test_static_files_are_served(client):
    response = client.get("/static/newsbrief/board.css")
    assert response.status_code == 200
