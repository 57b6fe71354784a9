"""The pages work under the strict Content-Security-Policy: no violation reported.

A listener for ``securitypolicyviolation`` is installed through the DevTools
protocol before any page script runs (the policy does not apply to it); the
console is watched too, for what Chromium reports only there.
"""

import pytest
from django.contrib.auth import get_user_model

from tests.browser.conftest import url_in

pytestmark = pytest.mark.browser

LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push({directive: e.violatedDirective, blocked: e.blockedURI,
                     source: e.sourceFile, line: e.lineNumber, sample: e.sample});
});
"""


@pytest.fixture
def csp_page(context, page):
    context.add_init_script(LISTENER)
    console = []
    page.on(
        "console",
        lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.csp_console = console
    return page


def visit(page, url):
    response = page.goto(url)
    page.wait_for_load_state("load")
    # Deferred scripts run, maps draw, lazy images load.
    page.wait_for_timeout(150)
    header = response.headers.get("content-security-policy", "") if response else ""
    violations = page.evaluate("() => window.__csp || []")
    return header, violations


def public_urls(demo):
    practice, event = demo["practice"], demo["event"]
    paths = [
        "/",
        "/practices/",
        f"/practices/?q={practice.title.split()[0]}",
        practice.get_absolute_url(),
        "/events/",
        event.get_absolute_url(),
        "/regions/",
        demo["region"].get_absolute_url(),
        "/projects/",
        demo["project"].get_absolute_url(),
        "/organisations/",
        demo["organisation"].get_absolute_url(),
        "/practices/propose/",
        "/accessibility/",
        "/no-such-page/",
    ]
    return [url_in("en", p) for p in paths] + [url_in("pl", "/practices/"), url_in("ro", "/")]


def test_public_pages_report_no_csp_violation(csp_page, demo):
    problems = []
    for path in public_urls(demo):
        header, violations = visit(csp_page, demo["base"] + path)
        assert "default-src 'self'" in header, path
        problems += [(path, v) for v in violations]
    problems += [("console", text) for text in csp_page.csp_console]
    assert not problems, problems


def test_admin_and_api_docs_work_under_the_policy(csp_page, demo, django_db_blocker):
    with django_db_blocker.unblock():
        get_user_model().objects.create_superuser(
            "csp-admin", "csp-admin@private.example", "a-long-enough-password"
        )
    base = demo["base"]
    problems = []
    _, violations = visit(csp_page, base + "/admin/login/")
    problems += [("/admin/login/", v) for v in violations]
    csp_page.fill("#id_username", "csp-admin")
    csp_page.fill("#id_password", "a-long-enough-password")
    with csp_page.expect_navigation():
        csp_page.click("input[type=submit]")
    practice = demo["practice"]
    for path in [
        "/admin/",
        "/admin/practices/goodpractice/",
        f"/admin/practices/goodpractice/{practice.pk}/change/",
        "/admin/events/event/add/",
        "/api/v1/",
        "/api/v1/practices/",
        "/api/v1/docs/",
    ]:
        _, violations = visit(csp_page, base + path)
        problems += [(path, v) for v in violations]
    # Swagger UI rendered from its own files: the operations are listed.
    csp_page.wait_for_selector(".opblock", timeout=10_000)
    problems += [("console", text) for text in csp_page.csp_console]
    assert not problems, problems


def test_the_listener_sees_a_violation(csp_page, live_server):
    """Control: what the policy refuses is reported, so silence above means something."""
    visit(csp_page, live_server.url + "/healthz")
    csp_page.goto(live_server.url + "/no-such-page/")
    csp_page.evaluate(
        """() => { const s = document.createElement('style');
                   s.textContent = 'body { color: red }'; document.head.append(s); }"""
    )
    csp_page.wait_for_timeout(200)
    violations = csp_page.evaluate("() => window.__csp")
    assert any(v["directive"].startswith("style-src") for v in violations), violations
