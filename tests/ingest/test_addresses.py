"""Ingestion reaches only public addresses (SSRF): at registration, at every redirect, for
every feed entry, and at the address it checked; ``NEWSBRIEF_INGEST_ALLOW`` names the
exceptions. Everything here runs on loopback with the resolver of ``conftest``."""

import io
import ipaddress
import socket

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.urls import reverse

from newsbrief import conf
from newsbrief.briefs.models import Brief
from newsbrief.ingest import fetch as fetching
from newsbrief.ingest.fetch import FetchError, Refused, check_url, fetch
from newsbrief.ingest.models import Source
from tests.desk.conftest import client_for

from . import samples

PUBLIC = "93.184.215.14"  # what the fake resolver answers for example.org; never connected to

# Each is refused with the allow-list unset, before anything is sent anywhere.
HOSTILE = [
    "http://127.0.0.1/feed",
    "http://[::1]/feed",
    "http://localhost/feed",
    "http://LOCALHOST./feed",
    "http://[::ffff:127.0.0.1]/feed",
    "http://[::ffff:7f00:1]/feed",
    "http://user@127.0.0.1/feed",
    "http://user:secret@example.org/feed",
    "http://0x7f000001/feed",
    "http://2130706433/feed",
    "http://0177.0.0.1/feed",
    "http://127.1/feed",
    "http://10.0.0.1/feed",
    "http://172.16.0.1/feed",
    "http://192.168.1.1/feed",
    "http://100.64.0.1/feed",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fd00::1]/feed",
    "http://[fe80::1]/feed",
    "http://[fec0::1]/feed",
    "http://0.0.0.0/feed",
    "http://[::]/feed",
    "http://224.0.0.1/feed",
    "http://[ff02::1]/feed",
    "http://240.0.0.1/feed",
    "http://192.0.2.1/feed",
    "http://[2002:7f00:1::1]/feed",  # 6to4 of 127.0.0.1
    "http://[64:ff9b::a00:1]/feed",  # NAT64 of 10.0.0.1
    "http://[::7f00:1]/feed",  # IPv4-compatible 127.0.0.1
    "http://internal.example/feed",  # a name for a private address
    "http://mixed.example/feed",  # public and loopback: every address counts
    "http://example.org:8080/feed",
    "https://example.org:22/feed",
]


@pytest.fixture(autouse=True)
def names(resolver):
    resolver.answers |= {
        "internal.example": ["10.1.2.3"],
        "mixed.example": [PUBLIC, "127.0.0.1"],
        "feed.example": ["127.0.0.1"],
    }
    return resolver


@pytest.fixture
def no_connection(monkeypatch):
    """Fail the test if ingestion opens any connection."""

    def connect(addresses, deadline):
        raise AssertionError(f"connected to {addresses}")

    monkeypatch.setattr(fetching, "open_connection", connect)


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_addresses_are_refused_at_fetch_without_connecting(url, no_connection):
    with pytest.raises(Refused, match=r"^Refused: "):
        fetch(url)


@pytest.mark.django_db
def test_hostile_addresses_are_refused_at_registration_on_the_desk_and_in_the_admin(users):
    desk, admin = client_for(users["editor"]), client_for(users["admin"])
    for url in HOSTILE:
        data = {"name": "Inside", "kind": "feed", "url": url, "language": "en", "active": "on"}
        for client, page in (
            (desk, reverse("ingest:sources")),
            (admin, reverse("admin:ingest_source_add")),
        ):
            response = client.post(page, data)
            assert response.status_code == 200, url
            text = response.content.decode()
            # Django's URL field already refuses some odd numeric forms as invalid.
            assert "Refused: " in text or "Enter a valid URL" in text, url
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_registration_says_why_in_chinese_too(users):
    client = client_for(users["editor"])
    response = client.post(
        "/zh-hant/desk/sources/",
        {"name": "x", "kind": "feed", "url": "http://10.0.0.1/", "language": "zh-hant"},
    )
    assert "已拒絕：10.0.0.1 不是公開的位址。" in response.content.decode()


def test_a_public_name_is_resolved_once_and_checked(resolver):
    target = check_url("https://example.org/rss")
    assert (target.host, target.port, target.https) == ("example.org", 443, True)
    assert target.addresses == ((socket.AF_INET, (PUBLIC, 443)),)
    assert resolver.lookups == ["example.org"]


def test_an_unknown_name_could_not_be_fetched():
    with pytest.raises(
        FetchError, match=r"Could not fetch: the host nowhere\.example was not found"
    ):
        check_url("http://nowhere.example/")


def test_the_allow_list_admits_hosts_and_networks_on_their_ports(settings, resolver):
    resolver.answers["intranet.example"] = ["10.1.2.3"]
    settings.NEWSBRIEF_INGEST_ALLOW = ["10.0.0.0/8:8080", "feed.example", "[fd00::1]"]
    assert check_url("http://intranet.example:8080/").addresses == (
        (socket.AF_INET, ("10.1.2.3", 8080)),
    )
    assert check_url("http://10.9.9.9:8080/").host == "10.9.9.9"
    assert check_url("http://feed.example:7/").port == 7  # a name without a port: any port
    assert check_url("http://[fd00::1]:9999/").host == "fd00::1"
    refused = {
        "http://intranet.example/": "not a public address",  # port 80 is not 8080
        "http://intranet.example:8081/": "not a public address",
        "http://example.org:8081/": "only ports 80 and 443",
        "http://192.168.1.1:8080/": "not a public address",
        "http://user@feed.example/": "user name",
        "http://[fd00::2]/": "not a public address",
    }
    for url, why in refused.items():
        with pytest.raises(Refused, match=why):
            check_url(url)


@pytest.mark.parametrize(
    ("value", "entries"),
    [
        ("intranet.example, 10.0.0.0/8", ["intranet.example", "10.0.0.0/8"]),
        (
            "[fd00::1]:8443,fd00::/8,localhost:8000",
            ["[fd00::1]:8443", "fd00::/8", "localhost:8000"],
        ),
    ],
)
def test_the_allow_list_setting_is_read_and_checked(value, entries):
    assert conf.read({"NEWSBRIEF_INGEST_ALLOW": value})["NEWSBRIEF_INGEST_ALLOW"] == entries
    assert conf.allowance("10.0.0.0/8:8080") == conf.Allowance(
        network=ipaddress.ip_network("10.0.0.0/8"), port=8080
    )


@pytest.mark.parametrize(
    "value", ["127.1", "0x7f000001", "host:0", "host:http", "[name]:80", "a b"]
)
def test_a_bad_allow_list_stops_the_start(value):
    with pytest.raises(ImproperlyConfigured, match="NEWSBRIEF_INGEST_ALLOW must be"):
        conf.read({"NEWSBRIEF_INGEST_ALLOW": value})


def test_redirects_from_an_allowed_server_to_internal_addresses_are_refused(server, settings):
    settings.NEWSBRIEF_INGEST_ALLOW = [f"feed.example:{server.port}"]
    server.routes["/secret"] = (200, {}, b"internal")
    port = server.port
    inside = [
        f"http://127.0.0.1:{port}/secret",
        f"http://[::1]:{port}/secret",
        f"http://localhost:{port}/secret",
        f"http://[::ffff:127.0.0.1]:{port}/secret",
        f"http://0x7f000001:{port}/secret",
        f"http://2130706433:{port}/secret",
        f"http://127.1:{port}/secret",
        f"http://user@feed.example:{port}/secret",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/secret",
    ]
    for n, location in enumerate(inside):
        server.routes[f"/r{n}"] = (302, {"Location": location}, b"")
        with pytest.raises(Refused, match=r"^Refused: "):
            fetch(server.url(f"/r{n}", host="feed.example"))
    assert "/secret" not in [path for path, _ in server.requests]
    # The allowed server itself answers, with its name in Host.
    assert fetch(server.url("/secret", host="feed.example")).body == b"internal"
    assert server.requests[-1][1]["Host"] == f"feed.example:{port}"


def test_an_answer_that_changes_after_the_check_is_not_connected_to(server, settings, resolver):
    """DNS rebinding: the name answers an allowed address to the check and another one
    after it; the connection goes to the address checked, and the name is looked up once."""
    settings.NEWSBRIEF_INGEST_ALLOW = [f"127.0.0.1:{server.port}"]
    answers = iter([["127.0.0.1"]])
    resolver.answers["rebind.example"] = lambda: next(answers, ["169.254.169.254"])
    server.routes["/a"] = (200, {}, b"checked")
    assert fetch(server.url("/a", host="rebind.example")).body == b"checked"
    assert resolver.lookups == ["rebind.example"]
    assert server.requests[0][1]["Host"] == f"rebind.example:{server.port}"


def test_a_public_answer_then_loopback_connects_to_the_public_one(server, resolver, monkeypatch):
    """The public address is played by the local server: the test records where the fetch
    connects, and lets it through to loopback only for the public address it checked. A
    redirect on the same name is looked up again, gets loopback, and is refused."""
    answers = iter([[PUBLIC], [PUBLIC]])
    resolver.answers["news.example"] = lambda: next(answers, ["127.0.0.1"])
    connected = []
    real = fetching.open_connection

    def connect(addresses, deadline):
        connected.append(addresses)
        assert addresses == ((socket.AF_INET, (PUBLIC, 80)),)
        return real(((socket.AF_INET, ("127.0.0.1", server.port)),), deadline)

    monkeypatch.setattr(fetching, "open_connection", connect)
    server.routes["/story"] = (200, {}, b"public story")
    assert fetch("http://news.example/story").body == b"public story"
    assert server.requests[0][1]["Host"] == "news.example"
    server.routes["/moved"] = (301, {"Location": "http://news.example/secret"}, b"")
    with pytest.raises(Refused, match=r"news\.example is not a public address"):
        fetch("http://news.example/moved")
    assert len(connected) == 2 and resolver.lookups == ["news.example"] * 3
    assert [path for path, _ in server.requests] == ["/story", "/moved"]


def test_tls_checks_the_name_while_connecting_to_the_checked_address(
    tls_server, settings, resolver
):
    settings.NEWSBRIEF_INGEST_ALLOW = [f"127.0.0.1:{tls_server.port}"]
    resolver.answers["other.example"] = ["127.0.0.1"]
    tls_server.routes["/a"] = (200, {}, b"secure")
    assert fetch(f"https://feed.example:{tls_server.port}/a").body == b"secure"
    assert tls_server.server_names == ["feed.example"]
    assert tls_server.requests[0][1]["Host"] == f"feed.example:{tls_server.port}"
    with pytest.raises(FetchError, match=r"certificate is not valid for other\.example$"):
        fetch(f"https://other.example:{tls_server.port}/a")
    assert len(tls_server.requests) == 1


def run_ingest() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ingest", "--no-progress", stdout=out, stderr=err)
    except CommandError as exc:  # every source failed
        err.write(str(exc))
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db(transaction=True)
def test_feed_entries_pointing_inside_are_refused(server, settings):
    settings.NEWSBRIEF_INGEST_ALLOW = [f"feed.example:{server.port}"]
    server.routes["/secret"] = (200, samples.HTML, samples.article("Secret", *samples.text("keys")))
    server.routes["/story"] = (200, samples.HTML, samples.article("Story", *samples.text("wind")))
    inside = [
        server.url("/secret"),
        server.url("/secret", host="localhost"),
        server.url("/secret", host="[::1]"),
        server.url("/secret", host="0x7f000001"),
        "http://169.254.169.254/latest/meta-data/",
    ]
    entries = [
        {"title": f"Inside {n}", "link": link, "summary": "A summary."}
        for n, link in enumerate(inside)
    ] + [{"title": "Story", "link": server.url("/story", host="feed.example")}]
    server.routes["/feed.xml"] = (200, samples.RSS, samples.rss("Feed", entries))
    source = Source.objects.create(
        name="Feed", url=server.url("/feed.xml", host="feed.example"), language="en"
    )
    out, _ = run_ingest()
    assert "new drafts 1" in out and f"failed {len(inside)}" in out
    assert list(Brief.objects.values_list("title", flat=True)) == ["Story"]
    assert "/secret" not in [path for path, _ in server.requests]
    source.refresh_from_db()
    assert source.last_error.count("Refused: ") == len(inside)


@pytest.mark.django_db(transaction=True)
def test_errors_do_not_tell_which_internal_ports_answer(server, settings):
    """A closed port and a server answering 404 read the same: refused, nothing sent."""
    settings.NEWSBRIEF_INGEST_ALLOW = ["feed.example"]  # any port is allowed for that name
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    try:
        for name, url in {
            "Closed": f"http://127.0.0.1:{closed.getsockname()[1]}/feed",
            "Open": server.url("/missing"),
        }.items():
            Source.objects.create(name=name, url=url, language="en")
        _, err = run_ingest()
    finally:
        closed.close()
    errors = dict(Source.objects.values_list("name", "last_error"))
    assert errors["Closed"] == errors["Open"] == "Refused: 127.0.0.1 is not a public address."
    for word in ("404", "onnection", "Errno", str(server.port)):
        assert word not in err
    assert server.requests == []
