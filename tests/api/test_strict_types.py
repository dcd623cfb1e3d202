"""Request bodies are typed strictly: text, numbers, dates and booleans are not taken for one
another (``"based_on": "0"``, ``"title": true``), and the answer is a 422 naming the field."""

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsbrief.briefs.models import Brief

from .conftest import error_of
from .test_writing import NEW, create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "change, field",
    [
        ({"based_on": "0"}, "based_on"),
        ({"based_on": True}, "based_on"),
        ({"based_on": 0.0}, "based_on"),
        ({"title": True}, "title"),
        ({"title": 7}, "title"),
        ({"version_of": "1"}, "version_of"),
        ({"version_of": False}, "version_of"),
        ({"tags": [1]}, "tags.0"),
        ({"source": {"name": "CNA", "date": 20111101}}, "source.date"),
        ({"links": [{"label": 1, "url": ""}]}, "links.0.label"),
    ],
)
def test_a_value_of_another_type_is_refused_not_converted(api, change, field):
    brief = create(api["editor"])
    response = api["editor"].put(f"/briefs/{brief['id']}", {**NEW, "based_on": 0, **change})
    assert response.status_code == 422
    assert field in error_of(response)["fields"]
    assert Brief.objects.get(pk=brief["id"]).revisions.count() == 1


def test_dates_are_still_iso_text_and_a_timestamp_is_not(api):
    brief = create(api["chief"])  # its source and link dates are ISO text
    publish = f"/briefs/{brief['id']}/publish"
    assert "at" in error_of(api["chief"].post(publish, {"at": 1700000000}))["fields"]
    later = api["chief"].post(publish, {"at": "2099-01-01T08:00:00+08:00"})
    assert later.status_code == 200


# Where each kind of field is in a brief's body, and values of every other kind.
FIELDS = {
    "text": [
        ("title",),
        ("body",),
        ("language",),
        ("tags", 0),
        ("source", "name"),
        ("links", 0, "label"),
        ("links", 0, "url"),
    ],
    "number": [("based_on",), ("version_of",)],
    "date": [("source", "date"), ("links", 0, "date")],
}
WRONG = {
    "text": st.one_of(st.booleans(), st.integers(), st.floats(allow_nan=False)),
    "number": st.one_of(
        st.booleans(),
        st.floats(allow_nan=False),
        st.integers(1, 9).map(str),
        st.just([1]),
        st.just({"id": 1}),
    ),
    "date": st.one_of(st.booleans(), st.integers(), st.floats(allow_nan=False), st.just([])),
}
CONFUSED = st.one_of(
    *(st.tuples(st.sampled_from(paths), WRONG[kind]) for kind, paths in FIELDS.items())
)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(case=CONFUSED)
def test_type_confused_bodies_are_422_never_a_server_error_or_a_save(api, case):
    path, value = case
    brief = Brief.objects.first() or Brief.objects.get(pk=create(api["editor"])["id"])
    body = copy.deepcopy({**NEW, "based_on": 0, "version_of": None})
    target = body
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    response = api["editor"].put(f"/briefs/{brief.pk}", body)
    assert response.status_code == 422, (body, response.content)
    assert ".".join(map(str, path)) in error_of(response)["fields"]
    assert brief.revisions.count() == 1
