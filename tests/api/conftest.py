"""Users in each role with API tokens, and a client that speaks JSON to ``/api/``."""

import json

import pytest
from django.test import Client

from newsbrief.accounts.models import ApiToken
from newsbrief.briefs import roles
from tests.desk.conftest import write_brief  # noqa: F401  (shared with tests here)
from tests.factories import make_user


class Api:
    """``api.get(path)``, ``api.post(path, data)``...: JSON in and out, with a token."""

    def __init__(self, token: str | None = None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = Client(headers=headers)

    def call(self, method: str, path: str, data=None):
        body = "" if data is None else json.dumps(data)
        return getattr(self.client, method)(f"/api{path}", body, content_type="application/json")

    def get(self, path, **params):
        return self.client.get(f"/api{path}", params)

    def post(self, path, data=None):
        return self.call("post", path, data)

    def put(self, path, data):
        return self.call("put", path, data)

    def patch(self, path, data):
        return self.call("patch", path, data)


@pytest.fixture
def people(db):
    """One user per role, each with a token."""
    return {
        "reader": make_user("rita"),
        "editor": make_user("ed", roles.EDITORS),
        "other_editor": make_user("olga", roles.EDITORS),
        "chief": make_user("chief", roles.CHIEF_EDITORS),
    }


@pytest.fixture
def api(people):
    """``api["editor"]``: a client with that user's token; ``api[None]``: the public."""
    clients = {None: Api()}
    for role, user in people.items():
        clients[role] = Api(ApiToken.issue(user, "tests")[1])
    return clients


def error_of(response) -> dict:
    """The error body, checked for its one shape."""
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert (
        {"code", "message", "fields"}
        <= set(error)
        <= {"code", "message", "fields", "current_revision", "retry_after"}
    )
    assert isinstance(error["fields"], dict)
    return error
