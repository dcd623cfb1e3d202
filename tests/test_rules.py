"""The rules of a change, one table, run through the desk and through the API.

Each row is a role, an action, the state the brief is in and what must happen. Both
interfaces are driven from the same rows and must agree on the outcome, on the refusal's
message and on what the brief looks like afterwards, so the desk and the API cannot drift
apart again. The limits rows do the same for the content's limits (read from the models).
"""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from newsbrief.accounts.models import ApiToken
from newsbrief.briefs import limits
from newsbrief.briefs.models import Brief
from tests.api.conftest import Api
from tests.desk.conftest import client_for, form_data, make_user, write_brief

OK, FORBIDDEN, WRONG_STATE, INVALID = "ok", "forbidden", "wrong state", "invalid"
DRAFT, REVIEW, PUBLISHED = Brief.Status.DRAFT, Brief.Status.REVIEW, Brief.Status.PUBLISHED

#  action      role            in draft     in review    published
TABLE = """
   edit        author          ok           ok           ok
   edit        other_editor    forbidden    forbidden    forbidden
   edit        chief           ok           ok           ok
   edit        reader          forbidden    forbidden    forbidden
   submit      author          ok           wrong_state  wrong_state
   submit      other_editor    forbidden    forbidden    forbidden
   submit      chief           ok           wrong_state  wrong_state
   publish     author          forbidden    forbidden    forbidden
   publish     chief           ok           ok           ok
   unpublish   author          forbidden    forbidden    forbidden
   unpublish   chief           wrong_state  wrong_state  ok
   restore     author          forbidden    forbidden    forbidden
   restore     chief           ok           ok           ok
   version     author          ok           ok           ok
   version     other_editor    forbidden    forbidden    forbidden
   version     chief           ok           ok           ok
"""
STATES = [DRAFT, REVIEW, PUBLISHED]
RULES = [
    (action, role, state, outcome.replace("_", " "))
    for action, role, *outcomes in (line.split() for line in TABLE.strip().splitlines())
    for state, outcome in zip(STATES, outcomes, strict=True)
]

#  What an edit sends that breaks a limit, and the field it names.
LIMITS = [
    ({"title": "x" * (limits.TITLE + 1)}, "title"),
    ({"tags": [f"tag {n}" for n in range(limits.MAX_TAGS + 1)]}, "tags"),
    ({"links": [{"label": f"L{n}", "url": ""} for n in range(limits.MAX_LINKS + 1)]}, "links"),
    ({"links": [{"label": "L", "url": "javascript:alert(1)"}]}, "links"),
    ({"tags": ["t" * (limits.TAG + 1)]}, "tags"),
    ({"body": " "}, "body"),
]


class Desk:
    """The actions as an editor's browser does them: a form post, then the page's message."""

    name = "desk"

    def __init__(self, user):
        self.client = client_for(user)

    def _outcome(self, response):
        if response.status_code in (302, 403) and "/accounts/login/" in response.get(
            "Location", ""
        ):
            return FORBIDDEN, ""
        if response.status_code == 403:
            return FORBIDDEN, ""
        if response.status_code == 200 and response.context and "form" in response.context:
            errors = response.context["form"].errors
            if errors:
                return INVALID, " ".join(str(e) for es in errors.values() for e in es)
        errors = [m for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
        if errors:
            return "refused", str(errors[0])
        assert response.status_code == 302, response.status_code
        return OK, ""

    def edit(self, brief, **change):
        url = reverse("desk:edit", args=[brief.pk])
        page = self.client.get(url)
        if page.status_code != 200:
            return FORBIDDEN, ""
        data = form_data(self.client, url)
        for field, value in change.items():
            if field == "tags":
                value = ", ".join(value)
            elif field == "links":
                value = "\n".join(" | ".join(filter(None, [x["label"], x["url"]])) for x in value)
            data[field] = value
        return self._outcome(self.client.post(url, data))

    def _post(self, name, brief, *args, data=None):
        url = reverse(f"desk:{name}", args=[brief.pk, *args])
        return self._outcome(self.client.post(url, data or {}))

    def submit(self, brief):
        return self._post("submit", brief)

    def publish(self, brief):
        return self._post("publish", brief, data={"when": ""})

    def unpublish(self, brief):
        return self._post("unpublish", brief)

    def restore(self, brief):
        return self._post("restore", brief, 0)

    def version(self, brief, other):
        return self._post("counterpart", brief, data={"target": other.pk})


class Json:
    """The same actions through the JSON API, with the user's token."""

    name = "api"
    STATUS = {403: FORBIDDEN, 404: FORBIDDEN, 409: WRONG_STATE, 422: INVALID}

    def __init__(self, user):
        self.api = Api(ApiToken.issue(user, "rules")[1])

    def _outcome(self, response):
        if response.status_code == 200:
            return OK, ""
        error = response.json()["error"]
        return self.STATUS[response.status_code], error["message"], error["fields"]

    def edit(self, brief, **change):
        latest = brief.latest_revision()
        return self._outcome(
            self.api.patch(f"/briefs/{brief.pk}", {"based_on": latest.number, **change})
        )

    def submit(self, brief):
        return self._outcome(self.api.post(f"/briefs/{brief.pk}/submit"))

    def publish(self, brief):
        return self._outcome(self.api.post(f"/briefs/{brief.pk}/publish"))

    def unpublish(self, brief):
        return self._outcome(self.api.post(f"/briefs/{brief.pk}/unpublish"))

    def restore(self, brief):
        return self._outcome(self.api.post(f"/briefs/{brief.pk}/revisions/0/restore"))

    def version(self, brief, other):
        latest = brief.latest_revision()
        return self._outcome(
            self.api.patch(
                f"/briefs/{brief.pk}", {"based_on": latest.number, "version_of": other.pk}
            )
        )


@pytest.fixture
def people(db):
    from newsbrief.briefs import roles

    return {
        "author": make_user("ed", roles.EDITORS),
        "other_editor": make_user("olga", roles.EDITORS),
        "chief": make_user("chief", roles.CHIEF_EDITORS),
        "reader": make_user("rita"),
    }


def brief_in(state, people) -> Brief:
    brief = write_brief(people["author"], status=state)
    # A second revision, so that restoring revision 0 changes something.
    return write_brief(people["author"], status=state, uid=brief.uid, title="Satellites, later")


def snapshot(brief: Brief) -> tuple:
    brief = Brief.objects.get(pk=brief.pk)
    return (
        brief.status,
        brief.published_at,
        brief.title,
        brief.translation_key,
        brief.revisions.count(),
        tuple(brief.tag_names()),
        brief.source_links.count(),
    )


def run(interface, action, brief, people):
    args = ()
    if action == "version":
        args = (write_brief(people["chief"], language="zh-hant", title="衛星", status=PUBLISHED),)
    if action == "edit":
        return getattr(interface, action)(brief, title="Satellites, edited")
    return getattr(interface, action)(brief, *args)


def same(desk_outcome, api_outcome) -> bool:
    """The desk shows a wrong state and invalid content alike, as a message: the message must
    be the API's."""
    if desk_outcome[0] == "refused":
        return api_outcome[0] in (WRONG_STATE, INVALID) and desk_outcome[1] == api_outcome[1]
    return desk_outcome[0] == api_outcome[0]


@pytest.mark.parametrize("action, role, state, expected", RULES)
def test_the_desk_and_the_api_keep_the_same_rules(people, action, role, state, expected):
    outcomes, after = {}, {}
    for interface in (Desk, Json):
        brief = brief_in(state, people)
        before = snapshot(brief)
        outcomes[interface.name] = run(interface(people[role]), action, brief, people)
        after[interface.name] = snapshot(brief)
        if outcomes[interface.name][0] != OK:
            assert after[interface.name] == before, f"{interface.name} changed a refused brief"
        else:
            assert after[interface.name] != before, f"{interface.name} changed nothing"
        brief.delete()
    assert outcomes["api"][0] == expected, outcomes
    assert same(outcomes["desk"], outcomes["api"]), outcomes
    # Whatever passed changed the brief in the same way through either door.
    assert after["desk"][0] == after["api"][0] and after["desk"][4] == after["api"][4]


@pytest.mark.parametrize("change, field", LIMITS, ids=[f for _c, f in LIMITS])
def test_the_desk_and_the_api_keep_the_same_limits(people, change, field):
    for interface in (Desk, Json):
        brief = brief_in(DRAFT, people)
        before = snapshot(brief)
        outcome = interface(people["author"]).edit(brief, **change)
        assert outcome[0] == INVALID, (interface.name, outcome)
        if interface is Json:
            assert any(re.match(rf"{field}(\.|$)", name) for name in outcome[2]), outcome
        assert snapshot(brief) == before
        brief.delete()
