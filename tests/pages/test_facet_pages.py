"""Stored listing pages show their facets as they are: an entity decision drops the listings
that hold its brief (and nothing else), an entity renamed drops every page, and the browse
page (always a query) is never stored."""

import pytest

from newsbrief.entities import counting
from newsbrief.entities.models import BriefEntity, Entity
from tests.factories import make_brief
from tests.pages.test_page_cache import Reader, twice

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("registry_state")]


@pytest.fixture
def reader():
    return Reader()


def facets_of(html: str) -> str:
    start = html.find('class="entity-facets"')
    return html[start : html.find("</nav>", start)] if start >= 0 else ""


def test_a_decision_drops_the_listings_that_hold_the_brief(reader, page_store):
    japan = Entity.objects.create(slug="japan", kind="country", name_en="Japan")
    item = make_brief("Japan optics", tags=("Energy",))
    other = make_brief("Quantum chip", tags=("Computing",))
    BriefEntity.objects.create(brief=other, entity=japan)
    counting.follow(other)
    for path in ("/en/", "/en/categories/energy/", "/en/categories/computing/", "/zh-hant/"):
        twice(reader, path)
    assert "Japan" in facets_of(reader.get("/en/").text)
    field = Entity.objects.create(slug="optics", kind="field", name_en="Optics")
    BriefEntity.objects.create(brief=item, entity=field, decision=BriefEntity.Decision.CONFIRMED)
    counting.follow(item)
    assert page_store.get("/en/") is None
    assert page_store.get("/en/categories/energy/") is None
    assert page_store.get("/en/categories/computing/") is not None
    assert page_store.get("/zh-hant/") is not None  # Chinese briefs only: unchanged
    assert "Optics" in facets_of(reader.get("/en/").text)
    assert "Optics" in facets_of(reader.get("/en/categories/energy/").text)
    BriefEntity.objects.filter(entity=field).update(decision=BriefEntity.Decision.REMOVED)
    counting.follow(item)
    assert "Optics" not in facets_of(reader.get("/en/").text)


def test_renaming_an_entity_drops_every_page(reader, page_store):
    japan = Entity.objects.create(slug="japan", kind="country", name_en="Japan")
    item = make_brief("Japan optics")
    BriefEntity.objects.get_or_create(brief=item, entity=japan)  # or proposed on save
    counting.follow(item)
    twice(reader, "/en/")
    japan.acronym = "JP"
    japan.save()  # not shown on listings: the pages stay
    assert page_store.get("/en/") is not None
    japan.name_en = "Japan (Nippon)"
    japan.save()
    assert page_store.get("/en/") is None
    assert "Japan (Nippon)" in facets_of(reader.get("/en/").text)
    twice(reader, "/en/")
    japan.delete()
    assert page_store.get("/en/") is None
    assert facets_of(reader.get("/en/").text) == ""


def test_browse_pages_are_not_stored(reader, page_store):
    japan = Entity.objects.create(slug="japan", kind="country", name_en="Japan")
    item = make_brief("Japan optics")
    BriefEntity.objects.get_or_create(brief=item, entity=japan)  # or proposed on save
    counting.follow(item)
    answer = reader.get("/en/entities/browse/", "e=japan")
    assert answer.status == 200 and "Japan optics" in answer.text
    reader.get("/en/entities/browse/", "e=japan")
    assert reader.served_from_store == 0
    assert page_store.get("/en/entities/browse/") is None
