"""The results page and the search box on every page."""

import pytest

pytestmark = pytest.mark.django_db


def test_every_page_has_a_search_box(client, demo):
    page = client.get("/zh-hant/").content.decode()
    assert 'role="search" action="/zh-hant/search/" method="get"' in page
    assert 'for="site-search-q"' in page


def test_results_are_ranked_and_marked(client, demo):
    page = client.get("/en/search/", {"q": "cooperating"}).content.decode()
    assert "briefs found." in page
    assert "<mark>cooperation</mark>" in page.lower() or "<mark>Cooperation</mark>" in page
    assert 'lang="en"' in page


def test_simplified_query_on_the_chinese_page(client, demo):
    response = client.get("/zh-hant/search/", {"q": "台湾 日本 产业合作"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "台日<mark>產業合作</mark>推動辦公室成立" in page


def test_no_results_suggests_removing_filters(client, demo):
    page = client.get("/en/search/", {"q": "cooperating", "lang": "zh-hant"}).content.decode()
    assert "No briefs match" in page
    assert 'href="?q=cooperating"' in page
    page = client.get("/en/search/", {"q": "xyzzy"}).content.decode()
    assert "No briefs match" in page and "Try fewer or different words." in page


def test_pages(client, demo, settings):
    settings.NEWSBRIEF_PAGE_SIZE = 2
    first = client.get("/en/search/", {"q": "taiwan"}).content.decode()
    assert 'rel="next"' in first and "Page 1 of" in first
    second = client.get("/en/search/", {"q": "taiwan", "page": "2"}).content.decode()
    assert 'rel="prev"' in second and '<ol class="brief-list" start="3">' in second


@pytest.mark.parametrize(
    "params",
    [
        {"q": '"unbalanced'},
        {"q": "OR"},
        {"q": "x" * 10_000},
        {"q": 'NEAR( "* \x01 -'},
        {"q": "taiwan", "date_from": "not a date", "category": "nope", "lang": "xx"},
        {"q": "taiwan", "page": "999"},
        {"q": "taiwan", "page": "99999999999999999999"},
        {"q": "taiwan", "date_from": "0001-01-01", "date_to": "9999-12-31"},
        {"q": "taiwan", "date_from": "9999-12-31", "date_to": "0001-01-01"},
        {},
    ],
)
def test_bad_input_never_errors(client, demo, params):
    assert client.get("/en/search/", params).status_code == 200


def test_the_query_is_escaped(client, demo):
    page = client.get("/en/search/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_filters_narrow_the_results(client, demo):
    page = client.get(
        "/en/search/", {"q": "taiwan", "category": "energy", "lang": "en"}
    ).content.decode()
    assert "1 brief found." in page


# -- what search now knows: the relaxed notice, counts to narrow by, other versions --------


def tree(response):
    import lxml.html

    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def find(element, selector: str) -> list:
    """Elements under ``element`` for a simple selector: ``tag.class`` steps (either part
    optional) joined by spaces, e.g. ``.facet-year li``; ``[attr]`` or ``[attr="v"]`` may
    end a step."""
    import re

    path = "."
    for step in selector.split():
        tag, classes, attr = re.fullmatch(r"([\w*]*)((?:\.[\w-]+)*)(\[.+\])?", step).groups()
        tests = [
            f"contains(concat(' ', normalize-space(@class), ' '), ' {c} ')"
            for c in classes.split(".")[1:]
        ]
        if attr:
            name, _, value = attr[1:-1].partition("=")
            tests.append(f"@{name}={value}" if value else f"@{name}")
        path += f"//{tag or '*'}" + "".join(f"[{t}]" for t in tests)
    return element.xpath(path)


def facet(page, name: str) -> list[tuple[str, str, str]]:
    """``[(label, count, href)]`` of a facet list; href is "" for the active value."""
    values = []
    for item in find(page, f".facet-{name} li"):
        link = [a for a in find(item, "a") if a.get("class") != "facet-remove"]
        label = (link[0] if link else find(item, ".facet-active")[0]).text.strip()
        count = find(item, ".facet-count")[0].text_content().strip("()")
        values.append((label, count, link[0].get("href") if link else ""))
    return values


@pytest.mark.parametrize(
    ("language", "query", "notice"),
    [
        ("en", "311 japan 地震", "No brief has all of your words; these have most of them."),
        ("zh-hant", "311 japan 地震", "沒有任何簡訊包含您輸入的所有字詞；以下簡訊包含其中大部分。"),
        (
            "en",
            "taiwan satellite launch",
            "Only 1 brief has all of your words; the others below have most of them.",
        ),
        (
            "zh-hant",
            "taiwan satellite launch",
            "只有 1 則簡訊包含您輸入的所有字詞；以下其他簡訊包含其中大部分。",
        ),
    ],
)
def test_briefs_with_most_of_the_words_say_so(client, demo, language, query, notice):
    page = tree(client.get(f"/{language}/search/", {"q": query}))
    (shown,) = find(page, ".relaxed-notice")
    assert shown.get("role") == "status" and shown.text_content() == notice
    # above the hits
    assert shown.getparent().index(shown) < shown.getparent().index(find(page, ".brief-list")[0])


def test_no_notice_when_enough_briefs_have_every_word(client, demo):
    assert not find(tree(client.get("/en/search/", {"q": "taiwan"})), ".relaxed-notice")


def test_facets_are_links_that_set_one_filter_and_keep_the_rest(client, demo):
    page = tree(client.get("/en/search/", {"q": "taiwan", "author": "techman", "page": "2"}))
    assert [e.text for e in find(page, ".facet-label")] == ["Language", "Category", "Year"]
    assert facet(page, "lang") == [("English", "8", "?q=taiwan&author=techman&lang=en")]
    categories = facet(page, "category")
    assert categories[0] == (
        "International Cooperation",
        "5",
        "?q=taiwan&author=techman&category=international-cooperation",
    )
    assert ("Energy", "1", "?q=taiwan&author=techman&category=energy") in categories
    assert facet(page, "year") == [  # newest first, whatever the counts
        ("2012", "4", "?q=taiwan&author=techman&date_from=2012-01-01&date_to=2012-12-31"),
        ("2011", "4", "?q=taiwan&author=techman&date_from=2011-01-01&date_to=2011-12-31"),
    ]
    assert not find(page, ".facets [aria-current]")


def test_a_chosen_facet_applies_is_marked_and_can_be_removed(client, demo):
    href = facet(tree(client.get("/en/search/", {"q": "taiwan"})), "year")[0][2]
    response = client.get("/en/search/" + href)
    page = tree(response)
    assert "4 briefs found." in response.content.decode()
    (active,) = find(page, '.facet-year [aria-current="true"]')
    assert active.text.strip() == "2012"
    (remove,) = find(page, ".facet-year .facet-remove")
    assert remove.get("href") == "?q=taiwan"
    assert "the filter “2012”" in remove.text_content()
    # the other lists now count within 2012, and keep the year when followed
    assert facet(page, "lang")[0][2] == "?q=taiwan&date_from=2012-01-01&date_to=2012-12-31&lang=en"
    category = tree(client.get("/en/search/", {"q": "taiwan", "category": "energy"}))
    assert find(category, '.facet-category [aria-current="true"]')[0].text.strip() == "Energy"


def test_facets_in_chinese(client, demo):
    page = tree(client.get("/zh-hant/search/", {"q": "taiwan OR 臺灣"}))
    assert [e.text for e in find(page, ".facet-label")] == ["語言", "類別", "年份"]
    assert [label for label, _, _ in facet(page, "lang")] == ["英文", "繁體中文"]
    assert facet(page, "category")[0][0] == "國際合作"


@pytest.mark.parametrize("params", [{"q": "xyzzy"}, {"q": ""}, {}])
def test_no_facets_when_nothing_is_found(client, demo, params):
    page = tree(client.get("/en/search/", params))
    assert not find(page, ".facets")


def test_versions_on_one_page_are_one_row_with_an_also_in_link(client, demo):
    from newsbrief.briefs.models import Brief

    english = Brief.objects.get(language="en", title__contains="IMEC")
    chinese = Brief.objects.get(language="zh-hant", title__contains="IMEC")
    response = client.get("/en/search/", {"q": "imec"})
    page = tree(response)
    assert "2 briefs found." in response.content.decode()  # the backend's count
    (row,) = find(page, ".search-hit")
    (also,) = find(row, ".also-in")
    assert also.text_content().startswith("Also in ")
    assert find(also, "span")[0].get("lang") in {"en", "zh-hant"}
    (link,) = find(also, "a")
    shown = english if find(row, "article")[0].get("lang") == "en" else chinese
    other = chinese if shown is english else english
    assert link.get("href") == f"/en/briefs/{other.pk}/"
    assert (link.get("hreflang"), link.get("lang")) == (other.language, other.language)
    assert link.text == other.title
    assert find(also, "span")[0].text == {"en": "English", "zh-hant": "中文"}[other.language]


def test_also_in_names_the_other_language_in_chinese_too(client, demo):
    page = tree(client.get("/zh-hant/search/", {"q": "311 japan 地震"}))
    rows = find(page, ".search-hit")
    assert len(rows) == 2  # three hits; one is the other version of the first
    assert find(page, ".brief-list")[0].get("start") == "1"
    first = find(rows[0], ".also-in")[0]
    other = "en" if find(rows[0], "article")[0].get("lang") == "zh-hant" else "zh-hant"
    name = {"en": "English", "zh-hant": "中文"}[other]  # which version ranks first may differ
    assert first.text_content().startswith(f"另有 {name} 版：")
    assert find(first, "a")[0].get("hreflang") == other


def test_a_hit_without_other_versions_has_no_also_in(client, demo):
    page = tree(client.get("/en/search/", {"q": "formosat"}))
    assert find(page, ".search-hit") and not find(page, ".also-in")
