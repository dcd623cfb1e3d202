"""Schemathesis against the API's own OpenAPI schema, over the WSGI application with the
demo board: for the public, an editor and a chief editor, every operation gets generated
requests, and no answer may be a server error or differ from what the schema declares."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from newsbrief.briefs.models import Brief

from .conftest import write_brief

pytestmark = pytest.mark.django_db
EXAMPLES = 25


@pytest.mark.parametrize("role", [None, "editor", "chief"])
def test_the_api_keeps_to_its_schema(role, demo, api, people, settings_for_wsgi):
    write_brief(people["editor"])  # a draft, for the editors' views
    token = api[role].client.defaults.get("HTTP_AUTHORIZATION") if role else None
    headers = {"Authorization": token} if token else {}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9
    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case):
            case.call_and_validate(
                headers=headers, checks=[not_a_server_error, response_schema_conformance]
            )

        check()
    assert Brief.objects.exists()


@pytest.fixture
def settings_for_wsgi(settings):
    """Schemathesis's WSGI client calls itself ``localhost``; and, as Django's test client
    does, requests must not close the database connection that holds the test's
    transaction."""
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)
