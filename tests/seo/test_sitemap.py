"""sitemap.xml, robots.txt and the favicon."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree

from newsbrief.seo import sitemaps
from tests.factories import make_brief

pytestmark = pytest.mark.django_db
BASE = "https://news.example.org"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}

# The sitemap 0.9 schemas (sitemaps.org's sitemap.xsd and siteindex.xsd, trimmed to what they
# require), with xhtml:link allowed where the protocol allows any other namespace's element.
URLSET_XSD = b"""<?xml version="1.0"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"
  targetNamespace="http://www.sitemaps.org/schemas/sitemap/0.9"
  xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" elementFormDefault="qualified">
  <xsd:element name="urlset"><xsd:complexType><xsd:sequence>
    <xsd:element name="url" maxOccurs="50000"><xsd:complexType><xsd:sequence>
      <xsd:element name="loc" type="loc"/>
      <xsd:element name="lastmod" type="lastmod" minOccurs="0"/>
      <xsd:element name="changefreq" minOccurs="0"><xsd:simpleType>
        <xsd:restriction base="xsd:string"><xsd:enumeration value="always"/>
        <xsd:enumeration value="hourly"/><xsd:enumeration value="daily"/>
        <xsd:enumeration value="weekly"/><xsd:enumeration value="monthly"/>
        <xsd:enumeration value="yearly"/><xsd:enumeration value="never"/>
        </xsd:restriction></xsd:simpleType></xsd:element>
      <xsd:element name="priority" minOccurs="0"><xsd:simpleType>
        <xsd:restriction base="xsd:decimal"><xsd:minInclusive value="0.0"/>
        <xsd:maxInclusive value="1.0"/></xsd:restriction></xsd:simpleType></xsd:element>
      <xsd:any namespace="##other" processContents="lax" minOccurs="0" maxOccurs="unbounded"/>
    </xsd:sequence></xsd:complexType></xsd:element>
  </xsd:sequence></xsd:complexType></xsd:element>
  <xsd:simpleType name="loc"><xsd:restriction base="xsd:anyURI">
    <xsd:minLength value="12"/><xsd:maxLength value="2048"/></xsd:restriction></xsd:simpleType>
  <xsd:simpleType name="lastmod"><xsd:union memberTypes="xsd:date xsd:dateTime"/></xsd:simpleType>
</xsd:schema>"""
INDEX_XSD = b"""<?xml version="1.0"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"
  targetNamespace="http://www.sitemaps.org/schemas/sitemap/0.9"
  xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" elementFormDefault="qualified">
  <xsd:element name="sitemapindex"><xsd:complexType><xsd:sequence>
    <xsd:element name="sitemap" maxOccurs="50000"><xsd:complexType><xsd:sequence>
      <xsd:element name="loc" type="xsd:anyURI"/>
      <xsd:element name="lastmod" minOccurs="0"><xsd:simpleType>
        <xsd:union memberTypes="xsd:date xsd:dateTime"/></xsd:simpleType></xsd:element>
    </xsd:sequence></xsd:complexType></xsd:element>
  </xsd:sequence></xsd:complexType></xsd:element>
</xsd:schema>"""


@pytest.fixture(autouse=True)
def public_origin(settings):
    settings.NEWSBRIEF_BASE_URL = BASE


@pytest.fixture(autouse=True)
def fresh_cache():
    """The page store's epoch starts over in each test; the cached sitemaps must too."""
    from django.core.cache import cache

    cache.clear()


def valid(client, address: str, schema: bytes):
    response = client.get(address)
    assert response.status_code == 200, address
    assert response["Content-Type"] == "application/xml"
    document = etree.fromstring(response.content)
    xsd = etree.XMLSchema(etree.fromstring(schema))
    assert xsd.validate(document), xsd.error_log
    return document


def sections(client) -> list[str]:
    index = valid(client, "/sitemap.xml", INDEX_XSD)
    return index.xpath("//s:loc/text()", namespaces=NS)


def test_the_index_lists_the_listings_and_the_briefs_by_blocks_of_ids(client, demo, monkeypatch):
    monkeypatch.setattr(sitemaps, "SECTION_IDS", 5)
    found = sections(client)
    assert found[:2] == [f"{BASE}/sitemap-listings.xml", f"{BASE}/sitemap-entities.xml"]
    briefs = []
    for address in found[2:]:
        document = valid(client, address.removeprefix(BASE), URLSET_XSD)
        briefs += document.xpath("//s:url/s:loc/text()", namespaces=NS)
        assert len(document.xpath("//s:url", namespaces=NS)) <= 5
    from newsbrief.briefs.models import Brief

    published = Brief.objects.published()
    assert len(briefs) == published.count() == len(set(briefs))
    assert {f"{BASE}/{b.language}/briefs/{b.pk}/" for b in published} == set(briefs)


def test_a_brief_is_at_its_own_address_with_its_counterpart(client, db):
    key = uuid.uuid4()
    english = make_brief("Solar", translation_key=key)
    chinese = make_brief("太陽能", language="zh-hant", translation_key=key)
    lone = make_brief("Wind")
    make_brief("Draft", status="draft")
    [address] = sections(client)[2:]
    document = valid(client, address.removeprefix(BASE), URLSET_XSD)
    urls = {url.findtext("s:loc", namespaces=NS): url for url in document.iterfind("s:url", NS)}
    assert set(urls) == {
        f"{BASE}/en/briefs/{english.pk}/",
        f"{BASE}/zh-hant/briefs/{chinese.pk}/",
        f"{BASE}/en/briefs/{lone.pk}/",
    }
    pair = [
        ("en", f"{BASE}/en/briefs/{english.pk}/"),
        ("zh-hant", f"{BASE}/zh-hant/briefs/{chinese.pk}/"),
        ("x-default", f"{BASE}/en/briefs/{english.pk}/"),
    ]
    for brief in (english, chinese):
        url = urls[f"{BASE}/{brief.language}/briefs/{brief.pk}/"]
        links = url.findall("x:link", NS)
        assert [(link.get("hreflang"), link.get("href")) for link in links] == pair
        # The date in the board's zone, as the sitemap writes it (not UTC's: they differ
        # from 16:00 to 24:00 UTC, after midnight in Taipei).
        changed = timezone.localtime(brief.updated_at).date()
        assert url.findtext("s:lastmod", namespaces=NS) == changed.isoformat()
    assert urls[f"{BASE}/en/briefs/{lone.pk}/"].findall("x:link", NS) == []


def test_the_listings_section_names_both_languages(client, db):
    document = valid(client, "/sitemap-listings.xml", URLSET_XSD)
    locations = document.xpath("//s:url/s:loc/text()", namespaces=NS)
    assert f"{BASE}/en/" in locations and f"{BASE}/zh-hant/archive/" in locations
    assert len(locations) == 6


def test_a_publication_reaches_the_cached_sitemap(client, db, django_capture_on_commit_callbacks):
    first = make_brief("First")
    [address] = sections(client)[2:]
    path = address.removeprefix(BASE)
    assert f"/briefs/{first.pk}/".encode() in client.get(path).content
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
        client.get("/sitemap.xml")
    assert not [q for q in queries.captured_queries if "briefs_brief" in q["sql"]]
    with django_capture_on_commit_callbacks(execute=True):
        second = make_brief("Second")
    assert f"/briefs/{second.pk}/".encode() in client.get(path).content


def test_missing_sections_are_404(client, db):
    make_brief("One")
    for address in ("/sitemap-briefs-99.xml", "/sitemap-nothing.xml", "/sitemap-briefs-x.xml"):
        assert client.get(address).status_code == 404


def test_robots_names_the_sitemap_and_keeps_crawlers_off_the_desk(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    for rule in ("/admin/", "/en/desk/", "/zh-hant/desk/", "/api/", "/en/search/?"):
        assert f"Disallow: {rule}" in lines
    assert "Disallow: /en/" not in lines


def test_the_favicon_answers(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"


def test_check_warns_of_a_public_origin_the_board_does_not_answer_to(settings):
    from newsbrief.seo.checks import check_base_url

    settings.DEBUG, settings.ALLOWED_HOSTS = False, ["news.example.org"]
    assert check_base_url() == []
    settings.NEWSBRIEF_BASE_URL = "http://127.0.0.1:8000"
    assert [warning.id for warning in check_base_url()] == ["seo.W001"]


@pytest.mark.django_db
@pytest.mark.usefixtures("registry_state")
def test_the_entities_section_lists_the_named_entities_in_both_languages(client):
    from newsbrief.entities import counting
    from newsbrief.entities.models import BriefEntity, Entity

    japan = Entity.objects.create(slug="japan", kind="country", name_en="Japan")
    Entity.objects.create(slug="unnamed", kind="country", name_en="Unnamed")
    merged = Entity.objects.create(slug="nippon", kind="country", name_en="Nippon")
    brief = make_brief("Japan")
    BriefEntity.objects.create(brief=brief, entity=japan, decision="confirmed")
    BriefEntity.objects.create(brief=brief, entity=merged, decision="confirmed")
    counting.follow(brief)
    merged.merged_into = japan
    merged.save()
    document = valid(client, "/sitemap-entities.xml", URLSET_XSD)
    locations = set(document.xpath("//s:url/s:loc/text()", namespaces=NS))
    assert locations == {
        f"{BASE}/{code}/entities/{path}" for code in ("en", "zh-hant") for path in ("", "japan/")
    }
