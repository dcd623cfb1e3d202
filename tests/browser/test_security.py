"""In a real browser: signing in through the page, and a Content-Security-Policy that the
board's own pages (and Django's admin) never trip over."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


def csp_violations(page) -> list[str]:
    """Collects the console's reports of anything the policy blocked."""
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return seen


def test_sign_in_and_out_through_the_pages(page, site):
    get_user_model().objects.create_user("reader1", "r@example.org", PASSWORD)
    violations = csp_violations(page)
    page.goto("/en/categories/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill("reader1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Back where the reader was, signed in.
    expect(page).to_have_url(f"{site}/en/categories/")
    expect(page.get_by_role("navigation", name="Account")).to_contain_text("reader1")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    assert violations == []


def test_the_policy_blocks_nothing_the_site_needs(page, site):
    get_user_model().objects.create_superuser("admin", "a@example.org", PASSWORD)
    violations = csp_violations(page)
    for path in ["/en/", "/zh-hant/", "/en/categories/", "/en/archive/", "/en/accounts/login/"]:
        page.goto(path)
    page.goto("/admin/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    for path in ["/admin/", "/admin/briefs/brief/", "/admin/auth/user/1/change/"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
    assert violations == []


def test_an_injected_inline_script_would_not_run(page, site):
    """The policy itself, checked in the browser: inline script is refused."""
    violations = csp_violations(page)
    page.goto("/en/")
    page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.pwned = true'; document.body.append(s); }"""
    )
    assert page.evaluate("() => window.pwned") is None
    assert violations
