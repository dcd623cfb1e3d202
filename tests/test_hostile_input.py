"""No input answers 5xx: every route of the URL conf, with hostile values in each of its path
parts, hostile query strings, headers and bodies, as the public, a chief editor and (for the
admin) a superuser. Run with Django's production behaviour: ``DEBUG`` off (the test runner's
default) and exceptions answered as 500s rather than raised into the test, so a crash shows as
the status a client would see.
"""

from __future__ import annotations

import itertools
import re
from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern
from django.utils import translation
from django.utils.regex_helper import normalize
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsbrief.accounts.models import ApiToken
from newsbrief.briefs import roles
from tests.factories import make_user

#: Path parts, as they appear in a URL (percent-encoded where the raw byte could not be sent).
HOSTILE_SEGMENTS = [
    "a" * 300,  # a file name holds 255 bytes
    quote("📰" * 70),  # 280 bytes of UTF-8
    "a%00b",
    "%2500",
    "%c3%28",
    "%1b%5b31m",
    "..%2f..%2fetc%2fpasswd",
    "%2e%2e",
    str(2**64),
    "-1",
    "0",
    "9999-99-99",
    quote("\u202e\u200fevil"),
    quote("' OR '1'='1"),
    quote("<script>alert(1)</script>"),
]

#: Query strings every GET route gets, each with hostile values for the parameters the board's
#: views read (``page``, ``q``, ``lang``, ``sort``, the desk's filters...) and a few others.
HOSTILE_QUERIES = [
    f"page={2**63 - 1}&q={'a' * 3000}&sort=%00&lang=%ff&version_of={2**63}",
    f"page={2**64}&q=%00&status=%00&category={2**63}&author=-1&fix=%00",
    "page=-1&q=%ff%fe&language=xx&year=99999&month=13&before=9999-99-99&after=0000-00-00",
    "page=1e9&q=%0b%1b&sort=" + quote("-title; DROP TABLE briefs_brief") + "&next=%00",
    f"page={'9' * 5000}&q=" + quote('"unclosed OR (a AND') + "&next=" + quote("//evil.example/"),
    "page=0&q=" + quote("<script>alert(1)</script>") + "&version_of=%00&limit=-1&offset=-1",
    "page=1&page=2&page=%ff&%ff=%ff&" + "a" * 5000,
]

#: The parameters the board's views read from a query string.
QUERY_PARAMETERS = [
    "page",
    "q",
    "sort",
    "lang",
    "language",
    "version_of",
    "status",
    "category",
    "author",
    "fix",
    "year",
    "month",
    "before",
    "after",
    "next",
    "limit",
    "offset",
]

#: Form fields the board's forms read, each given hostile values in turn.
FORM_FIELDS = [
    "title",
    "body",
    "language",
    "tags",
    "source_name",
    "source_url",
    "source_date",
    "published_at",
    "based_on",
    "version_of",
    "revision",
    "category",
    "email",
    "username",
    "password",
    "new_password1",
    "new_password2",
    "old_password",
    "name",
    "url",
    "active",
    "frequency",
    "languages",
    "categories",
    "target",
    "tag",
    "q",
    "next",
    "action",
]
HOSTILE_VALUES = [
    "é" * 10000,
    "\x00",
    "\x0b\x1b",
    str(2**63),
    "-1",
    "9999-99-99",
    "<script>alert(1)</script>",
]
RAW_BODIES = [
    b"title=%ff%fe&body=%00&email=%c3%28",
    b"\xff\xfe\x00\x01",
    b"=&&=&" * 100,
]
JSON_BODIES = [
    b"\xff\xfe",
    b'{"title": "\\u0000", "body": "\\ud800"}',
    b'{"title": ' + b"9" * 5000 + b"}",
    b'{"title": 1e999}',
    b"[" * 100_000 + b"]" * 100_000,
    b'{"based_on": ' + str(2**64).encode() + b', "revision": -1}',
    b'{"title": ["x"], "body": {"a": 1}, "language": null, "tags": "x"}',
    b"null",
    b"",
]
HOSTILE_HEADERS = [
    {
        "Accept-Language": "x" * 5000,
        "Cookie": "sessionid=" + "\x00" * 10 + "; csrftoken=" + "a" * 5000,
        "Authorization": "Bearer " + "a" * 5000,
        "If-None-Match": '"' + "x" * 5000,
        "Accept-Encoding": "gzip" * 1000,
    },
    {
        "Accept-Language": "zh-Hant;q=9999999999999999999, \x00;q=-1",
        "Cookie": "\x00=\x00; sessionid",
        "Authorization": "Bearer \x00",
        "X-Forwarded-For": "\x00, 999.999.999.999",
        "Referer": "http://\x00/",
    },
    {"Authorization": "Basic %%%", "Accept-Language": "*;q=0.5, en;q=nan"},
]

#: What an otherwise hostile URL has in its other path parts: a value its route accepts.
PLAUSIBLE = {"fmt": "rss", "language": "en", "app_label": "briefs", "year": "2012", "month": "3"}


def routes(patterns=None, prefix: str = ""):
    """(view name, [(format, parameter names)]) of every route, from ``get_resolver()``'s
    patterns: each route's regular expression as ``reverse`` would fill it."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry.pattern, LocalePrefixPattern):
            own = "en/"
        else:
            own = normalize(entry.pattern.regex.pattern)[0][0]
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + own)
        elif isinstance(entry, URLPattern):
            yield entry.name or entry.pattern.describe(), prefix + own


def fill(template: str, values: dict[str, str]) -> str:
    return "/" + template % values


def parameters(template: str) -> list[str]:
    return re.findall(r"%\((\w+)\)s", template)


def hostile_paths(template: str):
    """The route with each of its parameters hostile in turn (the others plausible)."""
    names = parameters(template)
    plausible = {name: PLAUSIBLE.get(name, "1") for name in names}
    if not names:
        yield fill(template, {})
    for name in names:
        for value in HOSTILE_SEGMENTS:
            yield fill(template, {**plausible, name: value})


def plain_path(template: str) -> str:
    return fill(template, {name: PLAUSIBLE.get(name, "1") for name in parameters(template)})


ALL_ROUTES = sorted(set(routes()))

#: The schema is built on each request (a sixth of a second): fetched once, in the path walk.
SCHEMA = "api/openapi.json"

MODEL_ADMINS = tuple(
    f"admin/{model._meta.app_label}/{model._meta.model_name}/"
    for model in apps.get_models()
    if admin.site.is_registered(model)
)
REPRESENTATIVE_ADMIN = "admin/briefs/brief/"


def walked(generic: str) -> list[str]:
    """The routes walked with one kind of input: all of them, but of the views of each
    ModelAdmin (its URLs after ``admin/<app>/<model>/``) those matching ``generic``, which
    handle that input with Django's code alone, only for one model."""
    templates = []
    for _name, template in ALL_ROUTES:
        model = next((p for p in MODEL_ADMINS if template.startswith(p)), None)
        if model in (None, REPRESENTATIVE_ADMIN) or not re.fullmatch(
            generic, template[len(model) :]
        ):
            templates.append(template)
    return templates


#: A ModelAdmin's own code: for a path, its object lookups (not the delete and history pages
#: nor the bare object URL's redirect); for a query, its changelist (filters, search,
#: ordering); for a body, its forms (the add page's; the change page's is the same class).
PATH_WALK = walked(r"%\(object_id\)s/(delete/|history/)?")
QUERY_WALK = [t for t in walked(r".+") if t != SCHEMA]
BODY_WALK = [t for t in walked(r"|%\(object_id\)s/.*") if t != SCHEMA]


@pytest.fixture
def clients(demo):
    """The public, a chief editor (signed in, and with an API token) and a superuser, each a
    client that answers a crash as a 500, as a production server does."""
    chief = make_user("hostile-chief", roles.CHIEF_EDITORS)
    token = ApiToken.issue(chief, "hostile")[1]
    admin = make_user("hostile-root", is_staff=True, is_superuser=True)
    result = {
        "anonymous": Client(raise_request_exception=False),
        "chief": Client(
            raise_request_exception=False, headers={"Authorization": f"Bearer {token}"}
        ),
        "admin": Client(raise_request_exception=False),
    }
    result["chief"].force_login(chief)
    result["admin"].force_login(admin)
    return result


#: Routes that show more (or anything at all) to a signed-in chief editor.
SIGNED_IN = ("/en/desk/", "/accounts/", "/api/")


def who(path: str) -> list[str]:
    """The clients a route is walked as: the admin as a superuser (the public only reaches its
    sign-in page), what an editor uses as the public and as a chief editor, the rest as the
    public."""
    if path.startswith("/admin/"):
        return ["admin"]
    return ["anonymous", "chief"] if path.startswith(SIGNED_IN) else ["anonymous"]


def server_errors(answers) -> str:
    return "\n".join(f"{status} {what}" for status, what in answers if status >= 500)


def test_the_walk_covers_every_route():
    names = {name for name, _template in ALL_ROUTES}
    assert {"detail", "category", "archive_month", "get_brief", "edit", "confirm"} <= names
    assert len(ALL_ROUTES) > 100
    assert len(MODEL_ADMINS) > 10
    every_admin_route = {t for _n, t in ALL_ROUTES if t.startswith(REPRESENTATIVE_ADMIN)}
    assert every_admin_route <= set(PATH_WALK) & set(QUERY_WALK) & set(BODY_WALK)
    for model in MODEL_ADMINS:
        assert model + "%(object_id)s/change/" in PATH_WALK
        assert model in QUERY_WALK and model + "add/" in BODY_WALK


def test_no_path_answers_5xx(clients):
    answers = []
    for template in PATH_WALK:
        for path in hostile_paths(template):
            for kind in who(path):
                answers.append((clients[kind].get(path).status_code, f"GET {path} as {kind}"))
    assert not (errors := server_errors(answers)), errors


def test_no_query_string_or_header_answers_5xx(clients):
    answers = []
    for template in QUERY_WALK:
        path = plain_path(template)
        for kind in who(path):
            for query in HOSTILE_QUERIES:
                status = clients[kind].get(f"{path}?{query}").status_code
                answers.append((status, f"GET {path}?{query[:100]} as {kind}"))
            for headers in HOSTILE_HEADERS:
                status = clients[kind].get(path, headers=headers).status_code
                answers.append((status, f"GET {path} with {str(headers)[:100]} as {kind}"))
    assert not (errors := server_errors(answers)), errors


def test_no_body_answers_5xx(clients):
    form = "application/x-www-form-urlencoded"
    answers = []
    for template in BODY_WALK:
        path = plain_path(template)
        for kind in who(path):
            client = clients[kind]
            for value in HOSTILE_VALUES:
                status = client.post(path, dict.fromkeys(FORM_FIELDS, value)).status_code
                answers.append((status, f"POST {path} {value[:20]!r} as {kind}"))
            for body in RAW_BODIES:
                status = client.post(path, body, content_type=form).status_code
                answers.append((status, f"POST {path} {body[:20]!r} as {kind}"))
            if path.startswith("/api/"):
                for method, body in itertools.product(("post", "put", "patch"), JSON_BODIES):
                    call = getattr(client, method)
                    status = call(path, body, content_type="application/json").status_code
                    answers.append((status, f"{method.upper()} {path} {body[:20]!r} as {kind}"))
    assert not (errors := server_errors(answers)), errors


#: Any text but surrogates (which no URL can carry), control characters included; long
#: strings; integers of any size, as text.
VALUES = st.one_of(
    st.text(),
    st.text(min_size=250, max_size=1200),
    st.integers().map(str),
)
FUZZ_ROUTES = [t for _n, t in ALL_ROUTES if t != SCHEMA]


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_no_random_path_or_query_answers_5xx(clients, data):
    """The walk's tables are what someone thought of; these are values nobody chose. Reading
    pages only: the clients' state carries over between examples unchanged."""
    template = data.draw(st.sampled_from(FUZZ_ROUTES), label="route")
    values = {name: quote(data.draw(VALUES, label=name), safe="") for name in parameters(template)}
    query = data.draw(st.dictionaries(st.sampled_from(QUERY_PARAMETERS), VALUES, max_size=3))
    path = fill(template, values)
    kind = data.draw(st.sampled_from(who(path)), label="as")
    response = clients[kind].get(f"{path}?{urlencode(query)}")
    assert response.status_code < 500, f"GET {path[:300]}?{urlencode(query)[:300]} as {kind}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, words",
    [("/en/categories/a%00b/", "Bad request"), ("/zh-hant/categories/a%00b/", "無法處理的請求")],
)
def test_a_nul_is_refused_in_the_address_language(path, words):
    """The refusal comes before the locale middleware, whatever language the thread spoke."""
    translation.activate("zh-hant" if path.startswith("/en/") else "en")
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 400 and words in response.content.decode()
