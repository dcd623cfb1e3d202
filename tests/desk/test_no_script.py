"""No stored title, tag or body can put a live script, an event handler or a javascript: URL
into a rendered page: the brief page, the board, a category page, the desk's pages, the
preview, the history, a diff and the conflict page."""

import html.parser
import re

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsbrief.briefs.models import Brief

from .conftest import client_for, form_data, write_brief

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<svg/onload=alert(1)>",
    '"><body onload=alert(1)>',
    "' onmouseover='alert(1)",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[x](java\tscript:alert(1))",
    "<a href='javascript:alert(1)'>x</a>",
    '<a href="&#106;avascript:alert(1)">x</a>',
    "![i](javascript:alert(1))",
    "<iframe src=javascript:alert(1)>",
    "<style>body{}</style>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "[ref]: javascript:alert(1)\n\n[ref]",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "{{ 7|add:1 }}{% debug %}",
    "台灣 <b onclick=alert(1)>科技</b>",
]
fragment = st.sampled_from(HOSTILE) | st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12
)
text = st.lists(fragment, min_size=1, max_size=4).map(" ".join).map(lambda t: t.strip() or "x")
title = text.map(lambda t: t.strip()[:200] or "x")
tag = text.map(lambda t: " ".join(t.replace(",", " ").split())[:100] or "x")

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"}
C0_AND_SPACE = "".join(map(chr, range(0x21)))
SCRIPT_URL = re.compile(r"^(javascript|vbscript|data):", re.I)


class Checker(html.parser.HTMLParser):
    """Collects every live script, event handler and script URL in a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            src = attributes.get("src") or ""
            if not src.startswith("/static/newsbrief/"):
                self.found.append(f"<script src={src!r}>")
            self._in_script = True
        if tag in ("iframe", "object", "embed", "base"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}={value!r}")
            # What a browser does to a URL before reading its scheme (WHATWG URL parser).
            cleaned = re.sub(r"[\t\n\r]", "", (value or "").strip(C0_AND_SPACE))
            if name in URL_ATTRIBUTES and SCRIPT_URL.match(cleaned):
                self.found.append(f"{tag} {name}={value!r}")

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"inline script {data[:40]!r}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


def live_scripts(page: bytes) -> list[str]:
    checker = Checker()
    checker.feed(page.decode())
    checker.close()
    return checker.found


@pytest.fixture
def clients(users):
    return users, client_for(users["chief"]), client_for(None)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(title=title, tags=st.lists(tag, min_size=1, max_size=3), body=text, body2=text)
def test_hostile_content_never_runs(clients, title, tags, body, body2):
    users, chief, reader = clients
    brief = write_brief(
        users["editor"], Brief.Status.PUBLISHED, title=title, tags=tuple(tags), body=body
    )
    chinese = write_brief(
        users["editor"],
        Brief.Status.PUBLISHED,
        language="zh-hant",
        title=title,
        tags=tuple(tags),
        body=body,
        translation_key=brief.translation_key,
    )
    write_brief(
        users["editor"],
        Brief.Status.PUBLISHED,
        uid=brief.uid,
        title=title + "!",
        tags=tuple(tags),
        body=body2,
        published_at=brief.published_at,
    )
    brief.refresh_from_db()
    edit = reverse("desk:edit", args=[brief.pk])
    pages = {
        "brief": reader.get(brief.get_absolute_url()),
        "brief as editor": chief.get(brief.get_absolute_url()),
        "board": reader.get(reverse("briefs:index")),
        "category": reader.get(brief.tags[0].get_absolute_url()),
        "desk": chief.get(reverse("desk:dashboard")),
        "drift": chief.get(reverse("desk:drift")),
        "drifted brief as editor": chief.get(chinese.get_absolute_url()),
        "edit": chief.get(edit),
        "history": chief.get(reverse("desk:history", args=[brief.pk])),
        "diff": chief.get(reverse("desk:diff", args=[brief.pk, 0, 1])),
    }
    data = form_data(chief, edit)
    pages["preview"] = chief.post(edit, {**data, "body": body, "preview": "1"})
    pages["live preview"] = chief.post(reverse("desk:preview"), {"title": title, "body": body})
    pages["conflict"] = chief.post(edit, {**data, "body": body + " x", "based_on": 0})
    assert pages["conflict"].status_code == 409
    assert "May be out of date" in pages["drift"].content.decode()
    for name, response in pages.items():
        assert response.status_code in (200, 409), name
        assert live_scripts(response.content) == [], name


def test_the_checker_catches_what_it_should():
    page = b'<a href=" java&#9;script:x">a</a><img onerror=x><script>x()</script>'
    assert len(live_scripts(page)) == 4
    assert live_scripts(b'<script src="/static/newsbrief/desk.js" defer></script>') == []
