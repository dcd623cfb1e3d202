"""The API's interactive documentation at /api/docs, within the Content-Security-Policy."""

import pytest

pytestmark = pytest.mark.browser


def test_the_api_docs_load_without_a_policy_violation(page, site):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    response = page.goto(f"{site}/api/docs")
    assert response.status == 200
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock", timeout=15_000)  # the operations, from openapi.json
    assert page.locator(".opblock").count() > 3
    assert not [m for m in messages if "Content Security Policy" in m], messages
    assert not [url for url in failed if not url.startswith(site)], failed
