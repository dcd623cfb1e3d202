"""The board's name, tagline and footer in the reader's language on every page: header,
title, footer and the brief's newsletter line; the English where no Chinese is given."""

import re

import pytest
from django.contrib.auth import get_user_model

from newsbrief.briefs.models import Board, Brief
from newsbrief.formats.management.commands.demo import BOARD_NAME, BOARD_WORDS

pytestmark = pytest.mark.django_db
SEED_UID = "48b2b6c8-786a-5894-b7fb-5bf4b93cc8a9"
WORDS = {
    "en": (BOARD_NAME, BOARD_WORDS["tagline"], BOARD_WORDS["footer"]),
    "zh-hant": (
        BOARD_WORDS["name_zh_hant"],
        BOARD_WORDS["tagline_zh_hant"],
        BOARD_WORDS["footer_zh_hant"],
    ),
}


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S)[1]


@pytest.mark.parametrize("language", ["en", "zh-hant"])
@pytest.mark.parametrize("page", ["", "categories/", "archive/", "search/?q=Japan", "digest/"])
def test_every_page_names_the_board_in_the_readers_language(client, demo, language, page):
    name, tagline, footer = WORDS[language]
    html = client.get(f"/{language}/{page}").content.decode()
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    assert f">{name}</a>" in header and f'<span class="site-tagline">{tagline}</span>' in header
    assert title(html).endswith(name)
    site_footer = html[html.index('<footer class="site-footer">') :]
    assert footer in site_footer
    powered = "，由 newsbrief 提供。" if language == "zh-hant" else "powered by newsbrief"
    assert name in site_footer and powered in site_footer


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_the_brief_footer_names_the_board_in_the_readers_language(client, demo, language):
    brief = Brief.objects.get(uid=SEED_UID)
    html = client.get(f"/{language}/briefs/{brief.pk}/").content.decode()
    name = WORDS[language][0]
    line = f'<p class="newsletter" lang="{language}"><a href="/{language}/">{name}</a></p>'
    assert line in html


def test_the_desk_names_the_board_in_chinese(client, demo):
    editor = get_user_model().objects.create_superuser("chief", "chief@example.org", "x")
    client.force_login(editor)
    html = client.get("/zh-hant/desk/").content.decode()
    assert f">{WORDS['zh-hant'][0]}</a>" in html


def test_a_board_named_only_in_english_reads_english_under_zh_hant(client, db):
    Board.objects.create(name="Plain Board")
    html = client.get("/zh-hant/").content.decode()
    assert ">Plain Board</a>" in html and title(html).endswith("Plain Board")
    assert 'class="site-tagline"' not in html


def test_a_site_without_a_board_has_the_default_name_in_each_language(client, db):
    assert title(client.get("/en/").content.decode()).endswith("Sci-Tech Newsbrief")
    assert title(client.get("/zh-hant/").content.decode()).endswith("科技簡訊")


def test_the_admin_groups_the_board_by_language(client, demo):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    board = Board.objects.get()
    html = client.get(f"/admin/briefs/board/{board.pk}/change/").content.decode()
    for field in ("name", "tagline", "footer", "name_zh_hant", "tagline_zh_hant"):
        assert f'name="{field}"' in html
    assert "Traditional Chinese" in html
    response = client.post(
        f"/admin/briefs/board/{board.pk}/change/",
        {
            "name": board.name,
            "tagline": "New tagline",
            "footer": "",
            "name_zh_hant": "新名稱",
            "tagline_zh_hant": "",
            "footer_zh_hant": "",
            "languages": '["en", "zh-hant"]',
        },
    )
    assert response.status_code == 302
    html = client.get("/zh-hant/").content.decode()
    # Saved in the admin, the stored pages are dropped: the header has the new words at once.
    assert ">新名稱</a>" in html and '<span class="site-tagline">New tagline</span>' in html
