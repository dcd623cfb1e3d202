"""The desk's list of all briefs: who sees it and which briefs, the title search, the
filters, the sortable columns and the pages, with the filters kept in every link."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from newsbrief.briefs.models import Brief
from newsbrief.desk import listing

from .conftest import client_for, write_brief

pytestmark = pytest.mark.django_db

URL = "/en/desk/briefs/"


def titles(response) -> list[str]:
    return [b.title for b in response.context["briefs"]]


@pytest.fixture
def archive(users) -> dict:
    ed, olga = users["editor"], users["other_editor"]
    briefs = {
        "ed_draft": write_brief(ed, title="Ed's draft about wind", tags=("Energy",)),
        "olga_draft": write_brief(olga, title="Olga's draft about wind", tags=()),
        "review": write_brief(olga, Brief.Status.REVIEW, title="Solar cells in review", tags=()),
        "space": write_brief(
            ed,
            Brief.Status.PUBLISHED,
            title="Satellites over Taiwan",
            tags=("Space",),
            published_at=dt.datetime(2012, 5, 22, 1, 0, tzinfo=dt.UTC),
        ),
        "wind_zh": write_brief(
            olga,
            Brief.Status.PUBLISHED,
            language="zh-hant",
            title="離岸風電合作",
            tags=("Energy",),
            published_at=dt.datetime(2011, 11, 2, 1, 0, tzinfo=dt.UTC),
        ),
    }
    # Distinct update times, oldest first in this order.
    start = dt.datetime(2013, 1, 1, 12, 0, tzinfo=dt.UTC)
    for n, brief in enumerate(briefs.values()):
        Brief.objects.filter(pk=brief.pk).update(updated_at=start + dt.timedelta(days=n))
    return briefs


def test_the_url_and_the_links_to_it(users):
    assert reverse("desk:briefs") == URL
    client = client_for(users["editor"])
    for page in ("/en/desk/", "/en/desk/new/"):
        assert f'href="{URL}"' in client.get(page).content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("reader", 403), ("editor", 200), ("chief", 200), ("admin", 200)],
)
def test_who_may_see_the_list(users, role, status):
    response = client_for(users[role]).get(URL)
    assert response.status_code == status
    if status == 302:
        assert response["Location"] == "/en/accounts/login/?next=/en/desk/briefs/"


def test_editors_do_not_see_other_peoples_drafts(users, archive):
    ed_sees = titles(client_for(users["editor"]).get(URL))
    assert "Ed's draft about wind" in ed_sees
    assert "Olga's draft about wind" not in ed_sees
    assert "Solar cells in review" in ed_sees  # others' briefs in review and published: yes
    chief_sees = titles(client_for(users["chief"]).get(URL))
    assert len(chief_sees) == 5
    # Not by asking for drafts, or for Olga's, either.
    response = client_for(users["editor"]).get(URL, {"status": "draft", "author": "olga"})
    assert titles(response) == []


def test_the_default_order_is_the_latest_update_first(users, archive):
    response = client_for(users["chief"]).get(URL)
    assert titles(response) == [b.title for b in reversed(archive.values())]
    assert response.context["page"].paginator.count == 5


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("wind", ["Olga's draft about wind", "Ed's draft about wind"]),
        ("WIND", ["Olga's draft about wind", "Ed's draft about wind"]),
        ("  satellites   over ", ["Satellites over Taiwan"]),
        ("風電", ["離岸風電合作"]),
        ("nothing like it", []),
    ],
)
def test_search_by_title(users, archive, query, found):
    assert titles(client_for(users["chief"]).get(URL, {"title": query})) == found


@pytest.mark.parametrize(
    ("params", "found"),
    [
        ({"status": "published"}, ["離岸風電合作", "Satellites over Taiwan"]),
        ({"status": "review"}, ["Solar cells in review"]),
        ({"language": "zh-hant"}, ["離岸風電合作"]),
        ({"category": "space"}, ["Satellites over Taiwan"]),
        ({"author": "ed"}, ["Satellites over Taiwan", "Ed's draft about wind"]),
        ({"author": "ed", "title": "wind"}, ["Ed's draft about wind"]),
        # Dates are days in the board's time zone; "to" includes its day.
        (
            {"date_field": "published", "date_from": "2012-01-01"},
            ["Satellites over Taiwan"],
        ),
        (
            {"date_field": "published", "date_to": "2011-11-02"},
            ["離岸風電合作"],
        ),
        (
            {"date_from": "2013-01-02", "date_to": "2013-01-03"},
            ["Solar cells in review", "Olga's draft about wind"],
        ),
        # What does not validate is ignored, not an error page.
        ({"status": "nonsense", "category": "nope", "date_from": "yesterday"}, None),
    ],
)
def test_filters(users, archive, params, found):
    response = client_for(users["chief"]).get(URL, params)
    assert response.status_code == 200
    if found is None:
        assert len(titles(response)) == 5
    else:
        assert titles(response) == found


def test_the_date_range_follows_the_boards_time_zone(users, archive, settings):
    # 2012-05-22 01:00 UTC is 09:00 that day in Taipei: found by the day in Taipei.
    assert settings.TIME_ZONE == "Asia/Taipei"
    response = client_for(users["chief"]).get(
        URL, {"date_field": "published", "date_from": "2012-05-22", "date_to": "2012-05-22"}
    )
    assert titles(response) == ["Satellites over Taiwan"]


@pytest.mark.parametrize(
    ("sort", "first", "last"),
    [
        ("title", "Ed's draft about wind", "離岸風電合作"),
        ("-title", "離岸風電合作", "Ed's draft about wind"),
        ("-published", "Satellites over Taiwan", None),
        ("published", "離岸風電合作", None),
        ("status", None, None),
        ("updated", "Ed's draft about wind", "離岸風電合作"),
        ("bogus", "離岸風電合作", "Ed's draft about wind"),  # not a sort key: the default
        ("body", "離岸風電合作", "Ed's draft about wind"),
    ],
)
def test_sorts(users, archive, sort, first, last):
    response = client_for(users["chief"]).get(URL, {"sort": sort})
    found = titles(response)
    if first:
        assert found[0] == first
    if last:
        assert found[-1] == last
    if "published" in sort:
        # Briefs not published yet come last, either way.
        assert [b.published_at is None for b in response.context["briefs"]] == [
            False,
            False,
            True,
            True,
            True,
        ]
    if sort == "status":
        statuses = [b.status for b in response.context["briefs"]]
        assert statuses == sorted(statuses)


def test_the_sorted_column_says_so_and_links_to_the_other_way(users, archive):
    page = client_for(users["chief"]).get(URL, {"sort": "title", "title": "a"}).content.decode()
    header = re.search(r'<th scope="col" aria-sort="ascending"><a href="([^"]+)">Brief', page)
    assert header, "the Brief column is sorted ascending"
    assert html.unescape(header[1]) == "?sort=-title&title=a"
    assert page.count("aria-sort=") == 1
    # The other sortable columns link to their own sort, with the search kept.
    assert 'href="?sort=-updated&amp;title=a"' in page
    assert 'href="?sort=status&amp;title=a"' in page
    # The filter form keeps the sort.
    assert '<input type="hidden" name="sort" value="title">' in page


def test_every_filter_has_a_label(users):
    page = client_for(users["chief"]).get(URL).content.decode()
    start = page.index('class="brief-filters"')
    form = page[start : page.index("</form>", start)]
    ids = re.findall(r'<(?:input|select)[^>]* id="([^"]+)"', form)
    assert len(ids) == 8
    for id_ in ids:
        assert f'for="{id_}"' in form


def test_pages_keep_the_filters_and_the_sort(users, monkeypatch):
    monkeypatch.setattr(listing, "PAGE_SIZE", 3)
    ed = users["editor"]
    for n in range(8):
        write_brief(ed, Brief.Status.PUBLISHED, title=f"Wind brief {n}")
    write_brief(ed, Brief.Status.PUBLISHED, title="Solar brief")
    client = client_for(users["chief"])
    params = {"title": "wind", "sort": "title"}
    first = client.get(URL, params)
    assert titles(first) == ["Wind brief 0", "Wind brief 1", "Wind brief 2"]
    assert first.context["page"].paginator.num_pages == 3
    page = first.content.decode()
    assert 'rel="next" href="?title=wind&amp;sort=title&amp;page=2"' in page
    assert "8 briefs" in page
    last = client.get(URL, {**params, "page": "3"})
    assert titles(last) == ["Wind brief 6", "Wind brief 7"]
    assert 'rel="prev" href="?title=wind&amp;sort=title&amp;page=2"' in last.content.decode()
    # Past the end, or not a number: the nearest page.
    assert titles(client.get(URL, {**params, "page": "99"})) == titles(last)
    assert titles(client.get(URL, {**params, "page": "x"})) == titles(first)
    # Sorting starts again at the first page.
    assert "page=" not in re.search(r'<th scope="col"><a href="([^"]+)">Status', page)[1]


def test_a_page_counts_the_archive_once(users, archive, django_assert_max_num_queries):
    client = client_for(users["chief"])
    with django_assert_max_num_queries(12) as captured:
        client.get(URL, {"title": "wind", "status": "draft"})
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1


def test_the_list_in_chinese(users, archive):
    client = client_for(users["chief"])
    response = client.get("/zh-hant/desk/briefs/", {"category": "space"})
    page = response.content.decode()
    assert response.status_code == 200 and '<html lang="zh-hant">' in page
    assert "所有簡訊" in page  # All briefs
    assert "標題包含" in page  # Title contains
    assert "1 則簡訊" in page
    assert titles(response) == ["Satellites over Taiwan"]


def test_times_are_shown_in_the_boards_time(users, archive):
    page = client_for(users["chief"]).get(URL, {"title": "satellites"}).content.decode()
    local = timezone.localtime(archive["space"].published_at)
    assert f"{local:%m/%d/%Y}" in page
