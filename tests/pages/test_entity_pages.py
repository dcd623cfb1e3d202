"""Entity pages are stored like category pages and dropped when a brief they show changes,
when an entity is named or unnamed by a brief, and when an entity changes."""

import pytest

from newsbrief.briefs.models import Brief
from newsbrief.briefs.publishing import set_status
from newsbrief.entities import counting
from newsbrief.entities.models import BriefEntity, Entity

from .test_page_cache import brief, edit, reader, twice  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("registry_state")]


def named(item: Brief, entity: Entity, decision="confirmed") -> None:
    BriefEntity.objects.update_or_create(brief=item, entity=entity, defaults={"decision": decision})
    counting.follow(item)


@pytest.fixture
def japan():
    return Entity.objects.create(slug="japan", kind="country", name_en="Japan", name_zh_hant="日本")


def test_an_entity_page_follows_its_briefs(reader, page_store, japan):  # noqa: F811
    item = brief("Japan optics office")
    named(item, japan)
    for path in ("/en/entities/japan/", "/en/entities/"):
        assert "Japan" in twice(reader, path).text
    assert "Japan optics office" in reader.get("/en/entities/japan/").text
    edit(item, title="Japan optics office opens")
    assert "Japan optics office opens" in reader.get("/en/entities/japan/").text
    twice(reader, "/en/entities/japan/")
    set_status(Brief.objects.get(pk=item.pk), Brief.Status.DRAFT)
    page = reader.get("/en/entities/japan/").text
    assert "Japan optics office" not in page
    assert "japan" not in reader.get("/en/entities/").text


def test_a_decision_drops_the_entity_pages(reader, page_store, japan):  # noqa: F811
    item = brief("Japan medical devices")
    named(item, japan)
    assert "Japan medical devices" in twice(reader, "/en/entities/japan/").text
    twice(reader, "/zh-hant/entities/japan/")
    named(item, japan, decision="removed")
    assert page_store.get("/en/entities/japan/") is None
    assert page_store.get("/zh-hant/entities/japan/") is None
    assert "Japan medical devices" not in reader.get("/en/entities/japan/").text


def test_renaming_an_entity_drops_its_pages(reader, page_store, japan):  # noqa: F811
    named(brief("Japan again"), japan)
    twice(reader, "/zh-hant/entities/japan/")
    japan.name_zh_hant = "日本國"
    japan.save()
    assert "日本國" in reader.get("/zh-hant/entities/japan/").text
