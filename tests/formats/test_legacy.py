"""Old addresses: an imported brief keeps the address it had on the old board, and a
request for it is sent, permanently, to the brief."""

import json

import pytest

from newsbrief.briefs.legacy import InvalidAddress, canonical_address
from newsbrief.briefs.models import Brief, LegacyAddress
from newsbrief.formats.importer import import_paths

pytestmark = pytest.mark.django_db
UID = "0b0a1f6e-5e0e-4c41-8b38-1a7ad5b1d001"


def archive(tmp_path, *urls, status="published", uid=UID, **extra):
    record = {
        "kind": "brief", "uid": uid, "language": "en", "author": "techman",
        "title": "Taiwan-Japan office", "body": "Text.", "status": status,
        "published_at": "2012-03-20T13:20:00+00:00", "legacy_urls": list(urls), **extra,
    }  # fmt: skip
    path = tmp_path / f"{uid}.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    report = import_paths([path], progress=False)
    assert not report.failures, report.failures
    return Brief.objects.get(uid=uid)


@pytest.mark.parametrize(
    "url, stored",
    [
        ("http://nsc.example.org/phorum/read.php?6,5320,5320", "/phorum/read.php?6,5320,5320"),
        ("/read.php?6%2C5320", "/read.php?6,5320"),
        ("/list.php?t=5320&f=6", "/list.php?f=6&t=5320"),
        ("/list.php?f=%36&t=5320", "/list.php?f=6&t=5320"),
        ("/search.php?q=a+b", "/search.php?q=a%20b"),
        ("/舊/新聞.php?id=1", "/%E8%88%8A/%E6%96%B0%E8%81%9E.php?id=1"),
        ("/%e8%88%8a/%E6%96%B0%E8%81%9E.php?id=1", "/%E8%88%8A/%E6%96%B0%E8%81%9E.php?id=1"),
        ("read.php", "/read.php"),
        ("/read.php?", "/read.php"),
    ],
)
def test_addresses_have_one_spelling(url, stored):
    assert canonical_address(url) == stored


@pytest.mark.parametrize("url", ["", "   ", "/" + "x" * 2000])
def test_unusable_addresses_are_refused(url):
    with pytest.raises(InvalidAddress):
        canonical_address(url)


def test_an_old_phorum_address_redirects_permanently(tmp_path, client):
    brief = archive(tmp_path, "http://nsc.example.org/phorum/read.php?6,5320,5320")
    assert LegacyAddress.objects.get().address == "/phorum/read.php?6,5320,5320"
    for url in (
        "/phorum/read.php?6,5320,5320",
        "/phorum/read.php?6,5320",
        "/phorum/read.php?6%2C5320",
    ):
        response = client.get(url)
        assert response.status_code == 301, url
        assert response["Location"] == f"/en/briefs/{brief.pk}/"
    assert client.get(response["Location"]).status_code == 200


def test_the_redirect_speaks_the_readers_language(tmp_path, client):
    brief = archive(tmp_path, "/read.php?6,5320")
    response = client.get("/read.php?6,5320", headers={"Accept-Language": "zh-TW,zh;q=0.9"})
    assert response["Location"] == f"/zh-hant/briefs/{brief.pk}/"
    response = client.get("/read.php?6,5320,5320")
    assert response.status_code == 301 and response["Location"] == f"/en/briefs/{brief.pk}/"


def test_parameters_in_any_order_and_escaping_find_the_brief(tmp_path, client):
    brief = archive(tmp_path, "/list.php?f=6&t=5320")
    for url in ("/list.php?t=5320&f=6", "/list.php?f=%36&t=5320", "/list.php?f=6&t=5320"):
        assert client.get(url)["Location"] == f"/en/briefs/{brief.pk}/"


def test_unknown_and_unpublished_old_addresses_are_404(tmp_path, client):
    archive(tmp_path, "/read.php?6,1", status="draft")
    archive(tmp_path, "/read.php?6,5320", uid="0b0a1f6e-5e0e-4c41-8b38-1a7ad5b1d002")
    for url in (
        "/read.php?6,1",
        "/read.php?6,5321",
        "/read.php",
        "/phorum/read.php?6,5320",
        "/read.php?6,5320,5321",
        "/read.php?%ff%fe",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post("/read.php?6,5320").status_code != 301


def test_the_board_s_own_pages_are_never_redirected(tmp_path, client):
    archive(tmp_path, "/en/")
    assert client.get("/en/").status_code == 200


def test_a_reimport_moves_and_drops_addresses(tmp_path):
    archive(tmp_path, "/read.php?6,1", "/read.php?6,2")
    other = archive(tmp_path, "/read.php?6,2", uid="0b0a1f6e-5e0e-4c41-8b38-1a7ad5b1d002")
    brief = archive(tmp_path, "/read.php?6,1", "/read.php?6,3")
    assert sorted(brief.legacy_addresses.values_list("address", flat=True)) == [
        "/read.php?6,1", "/read.php?6,3",
    ]  # fmt: skip
    assert list(other.legacy_addresses.values_list("address", flat=True)) == ["/read.php?6,2"]


def test_the_single_legacy_url_field_is_read(tmp_path, client):
    brief = archive(tmp_path, legacy_url="/read.php?6,9")
    assert client.get("/read.php?6,9")["Location"] == f"/en/briefs/{brief.pk}/"


def test_an_address_typed_in_the_admin_is_stored_canonical(tmp_path):
    from newsbrief.briefs.admin import LegacyAddressForm

    brief = archive(tmp_path)
    form = LegacyAddressForm({"address": "https://old.example/read.php?6%2C7", "brief": brief.pk})
    assert form.is_valid(), form.errors
    assert form.save().address == "/read.php?6,7"
    assert not LegacyAddressForm({"address": " ", "brief": brief.pk}).is_valid()
