"""Shared fixtures of the browser suite: one headless Chromium per session, axe-core.

Playwright (from the venv) drives Debian's Chromium (/usr/bin/chromium)
against pytest-django's ``live_server``. axe-core comes from npm into the
git-ignored ``node_modules/`` (``make axe``; ``make test`` does it).
Screenshots go to ``test-artifacts/screenshots/`` (git-ignored), which CI
keeps as artifacts.
"""

import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make between page visits are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(settings.BASE_DIR)
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# Every WCAG 2.x A/AA tag; the experimental rules carrying one of them run too
# (label-content-name-mismatch, WCAG 2.5.3, is one: see ``run_axe``).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
LANGUAGES = ["en", "pl", "ro"]
WIDTHS = {"desktop": 1280, "narrow": 320}


def _missing(what):
    # In CI a missing tool is an error (.ci/run and `make test` install them);
    # on a laptop without them the suite is skipped with the reason.
    if os.environ.get("CI"):
        pytest.fail(what, pytrace=False)
    pytest.skip(what)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _missing(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_JS.exists():
        _missing(f"axe-core is not installed at {AXE_JS} (run `make axe`)")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": WIDTHS["desktop"], "height": 900})
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Console errors include what the Content-Security-Policy refused.
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.js_errors = errors
    yield page
    page.close()


@pytest.fixture
def demo(live_server, django_db_blocker):
    """Load the seed content and return the URLs of one object of each page type.

    ``live_server`` makes the test transactional, so the rows are visible to
    the server thread and removed after the test.
    """
    with django_db_blocker.unblock():
        return {"base": live_server.url, **demo_objects()}


def demo_objects():
    """Load the seed content; return one object of each page type.

    Also used outside the browser suite, by tests/test_html_valid.py.
    """
    from core.models import Organisation, Person, Project, Region
    from events.models import Event, Output
    from practices.models import GoodPractice

    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    # The practice that was presented at a published event: the journey's target.
    practice = (
        GoodPractice.objects.published()
        .filter(presentations__event__publication_state="published")
        .select_related("region")
        .first()
    ) or GoodPractice.objects.published().select_related("region").first()
    event = (
        Event.objects.published().filter(presentations__practice=practice).first()
        or Event.objects.published().first()
    )
    project = Project.objects.filter(practices=practice).first() or Project.objects.first()
    organisation = practice.organisation or Organisation.objects.first()
    # The seeds link no document: one made up here so that the library shows a card.
    Output.objects.create(
        title="Analiza kontekstu regionalnego",
        language="pl",
        kind=Output.Kind.REGIONAL_ANALYSIS,
        project=project,
        event=event,
        url="https://example.org/analysis.pdf",
    ).regions.set([practice.region or Region.objects.first()])
    region = practice.region or Region.objects.first()
    # A contact address, so that the sweep sees the contact form itself.
    if not practice.contact_id:
        practice.contact = Person.objects.create(
            name="Sweep contact", email="sweep.contact@example.org"
        )
        practice.save(update_fields=["contact"])
    # A saved search with alerts, for its signed pages (confirm, manage, unsubscribe).
    from practices import services
    from practices.models import SavedSearch

    alert = SavedSearch.objects.create(
        email="sweep.alerts@example.org", filters=f"region={region.slug}", language="en"
    )
    return {
        "alert_confirm_token": services.alert_confirm_token(alert),
        "alert_manage_token": services.alert_manage_token(alert),
        # Pages of who took part: named people by organisation, partner
        # countries of unnamed partners, an organisation's events.
        "participants_event": Event.objects.get(slug="workshop-digitalizare-imm-2020"),
        "partner_countries_project": Project.objects.get(language="ro"),
        "attending_organisation": Organisation.objects.get(slug="kigeit"),
        "practice": practice,
        "event": event,
        "project": project,
        "organisation": organisation,
        "region": region,
        "country": region.country if hasattr(region, "country") else region,
    }


def url_in(language, path):
    """Return ``path`` (an English, unprefixed URL path) in ``language``."""
    return path if language == "en" else f"/{language}{path}"


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^\w.-]+", "_", name).strip("_")
    page.screenshot(path=str(SCREENSHOTS / f"{safe}.png"), full_page=True)


def run_axe(page, axe_source):
    """Run axe-core at WCAG 2.x A/AA, experimental rules included; return the violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's strict
        # Content-Security-Policy does not apply to (a <script> tag would be refused).
        page.evaluate(axe_source)
    result = page.evaluate(
        """async (tags) => {
            // Experimental rules are off unless enabled by name.
            const rules = {};
            for (const rule of axe.getRules(['experimental'])) {
                if (rule.tags.some(tag => tags.includes(tag))) rules[rule.ruleId] = {enabled: true};
            }
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, rules,
                                               resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(' '),
                                                     summary: n.failureSummary}))}));
        }""",
        AXE_TAGS,
    )
    return result


def format_violations(where, violations):
    lines = [f"{where}:"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}")
        for node in v["nodes"]:
            summary = " ".join(node["summary"].split())[:300] if node["summary"] else ""
            lines.append(f"      at {node['target']}  — {summary}")
    return "\n".join(lines)


def visible_focus(page):
    """Describe the focused element and whether it shows a focus indicator.

    An outline or a box shadow counts at once; otherwise (an SVG map pin that
    thickens its stroke, say) the focused element must look different when
    blurred. Blurring keeps Chromium's sequential focus starting point, so the
    next Tab still moves on from this element.
    """
    focused = page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return null;
            const s = getComputedStyle(el);
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
            const shadow = s.boxShadow && s.boxShadow !== 'none';
            const r = el.getBoundingClientRect();
            return {tag: el.tagName.toLowerCase(), id: el.id,
                    text: (el.textContent || '').trim().slice(0, 40),
                    href: el.getAttribute('href'), visible: outline || shadow,
                    box: {x: r.x, y: r.y, width: r.width, height: r.height}};
        }"""
    )
    if focused is None or focused["visible"]:
        return focused
    box = focused.pop("box")
    if box["width"] and box["height"]:
        margin = 6
        clip = {
            "x": max(box["x"] - margin, 0),
            "y": max(box["y"] - margin, 0),
            "width": box["width"] + 2 * margin,
            "height": box["height"] + 2 * margin,
        }
        handle = page.evaluate_handle("() => document.activeElement")
        handle.scroll_into_view_if_needed()
        with_focus = page.screenshot(clip=clip)
        page.evaluate("() => document.activeElement.blur()")
        without_focus = page.screenshot(clip=clip)
        focused["visible"] = with_focus != without_focus
    return focused


def dump(value):
    return json.dumps(value, ensure_ascii=False, indent=1, default=str)
