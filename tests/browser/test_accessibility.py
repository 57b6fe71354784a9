"""Every public page type passes axe-core (WCAG 2.1 A/AA) in the three languages, at two widths.

One test per language and width visits all page types, so the report lists
every violation at once instead of stopping at the first page.
"""

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import (
    LANGUAGES,
    WIDTHS,
    format_violations,
    run_axe,
    screenshot,
    url_in,
)

pytestmark = pytest.mark.browser


def public_pages(demo):
    """Return (name, English path) for one page of every public type."""
    region = demo["region"]
    return [
        ("home", "/"),
        ("practice-list", "/practices/"),
        ("practice-list-filtered", f"/practices/?q=programme&region={region.slug}"),
        ("practice-detail", demo["practice"].get_absolute_url()),
        ("practice-list-validated", "/practices/?validated=1"),
        ("practice-contact", demo["practice"].get_absolute_url() + "contact/"),
        ("practice-contact-kept", demo["practice"].get_absolute_url() + "contact/sent/?kept=1"),
        # The demo practices are translated into Polish and Romanian: those
        # pages show the translation, and this one the original beside it.
        ("practice-detail-original", demo["practice"].get_absolute_url() + "?original=1"),
        # A practice with template sections missing: the "not fully described" notice.
        ("practice-detail-stub", "/practices/plant-run/"),
        ("practice-interest", demo["practice"].get_absolute_url() + "learn/"),
        ("practice-interest-sent", demo["practice"].get_absolute_url() + "learn/sent/"),
        # Issue 18, part 4: saved searches with e-mail alerts.
        ("alert-subscribe", f"/practices/alerts/?q=programme&region={region.slug}"),
        ("alert-sent", "/practices/alerts/sent/"),
        ("alert-confirm", f"/practices/alerts/confirm/{demo['alert_confirm_token']}/"),
        ("alert-manage", f"/practices/alerts/manage/{demo['alert_manage_token']}/"),
        ("alert-unsubscribe", f"/practices/alerts/unsubscribe/{demo['alert_manage_token']}/"),
        ("region-list", "/regions/"),
        ("region-list-country", f"/regions/?country={region.country_code}"),
        ("event-list-project", f"/events/?project={demo['project'].slug}"),
        ("region-detail", region.get_absolute_url()),
        ("project-list", "/projects/"),
        ("project-detail", demo["project"].get_absolute_url()),
        # Demo project titles carry staff translations (Romanian for SMARTY,
        # Polish for the Romanian project): translated in those languages.
        ("project-detail-original", demo["project"].get_absolute_url() + "?original=1"),
        (
            "project-detail-romanian",
            "/projects/intarirea-capacitatii-imm-urilor-revolutia-industriala-4-0/",
        ),
        ("organisation-list", "/organisations/"),
        ("organisation-detail", demo["organisation"].get_absolute_url()),
        ("event-list", "/events/"),
        ("event-detail", demo["event"].get_absolute_url()),
        ("event-detail-participants", demo["participants_event"].get_absolute_url()),
        ("project-detail-partner-countries", demo["partner_countries_project"].get_absolute_url()),
        ("organisation-detail-events", demo["attending_organisation"].get_absolute_url()),
        # Issue 19: a partner in the Romanian project translated into Polish,
        # named on the region page's table and the organisation's page.
        ("region-detail-partners", "/regions/ro32/"),
        ("organisation-detail-translated-project", "/organisations/oir-posdru-bi/"),
        ("event-list-participating", "/events/?participating_country=PL"),
        # Issue 19: the listings' filters in force (chips), a map of one country's pins.
        ("project-list-filtered", f"/projects/?country={region.country_code}&status=closed"),
        ("organisation-list-filtered", f"/organisations/?region={region.slug}"),
        ("event-list-filtered", "/events/?format=online&language=ro"),
        ("practice-list-region", "/practices/?region=ES"),
        ("document-list", "/documents/"),
        ("policy-instrument-detail", "/policy-instruments/rpo-wm-dzialanie-1-2/"),
        ("proposal-form", "/practices/propose/"),
        ("accessibility", "/accessibility/"),
        ("search", "/search/?q=programme"),
        ("search-one-kind", "/search/?q=programme&kind=regions"),
        ("search-no-words", "/search/?q=%21%21%21"),
        ("insights", "/insights/"),
        ("insights-filtered", f"/insights/?country={region.country_code}"),
    ]


def check_page(page, axe_source, base, language, name, path, width_name, problems):
    """Open one page; add what is wrong with it to ``problems``."""
    url = url_in(language, path)
    where = f"{language} {width_name} {name} ({url})"
    response = page.goto(base + url)
    if response is None or response.status != 200:
        problems.append(f"{where}: HTTP {response.status if response else 'no response'}")
        return
    lang = page.get_attribute("html", "lang")
    if lang != language:
        problems.append(f'{where}: <html lang="{lang}">, expected "{language}"')
    # The switcher links to this very page, query string included, in each other language.
    for other in LANGUAGES:
        if other == language:
            continue
        link = page.locator(f'.language-switcher a[hreflang="{other}"]')
        if link.count() != 1:
            problems.append(f"{where}: no language switcher link to {other}")
            continue
        href = urlsplit(link.get_attribute("href"))
        expected = urlsplit(url_in(other, path))
        if (href.path, href.query) != (expected.path, expected.query):
            problems.append(f"{where}: switcher to {other} goes to {href.geturl()}")
    if page.locator("h1").count() != 1:
        problems.append(f"{where}: {page.locator('h1').count()} <h1> elements, expected one")
    # WCAG 1.4.10 (reflow): nothing makes the whole page scroll sideways at 320 px.
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 1:
        problems.append(f"{where}: the page is {overflow}px wider than the viewport")
    violations = run_axe(page, axe_source)
    if violations:
        problems.append(format_violations(where, violations))
    if page.js_errors:
        problems.append(f"{where}: JavaScript errors: {page.js_errors}")
        page.js_errors.clear()
    screenshot(page, f"{language}-{width_name}-{name}")


@pytest.mark.parametrize("width_name", list(WIDTHS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_pass_axe(page, axe_source, demo, language, width_name):
    page.set_viewport_size({"width": WIDTHS[width_name], "height": 900})
    problems = []
    for name, path in public_pages(demo):
        check_page(page, axe_source, demo["base"], language, name, path, width_name, problems)
    # The proposal form after a submission with errors: summary, linked messages.
    page.goto(demo["base"] + url_in(language, "/practices/propose/"))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    summary = page.locator(".error-summary")
    if summary.count() == 0:
        problems.append(f"{language} {width_name} proposal-form-errors: no error summary shown")
    else:
        # Every field marked invalid points at its error message.
        unlinked = page.evaluate(
            """() => [...document.querySelectorAll('[aria-invalid="true"]')].filter(field => {
                const ids = (field.getAttribute('aria-describedby') || '').split(/\\s+/);
                return !ids.some(id => id && document.getElementById(id)
                                 && document.getElementById(id).textContent.trim());
            }).map(field => field.name || field.id)"""
        )
        if page.locator('[aria-invalid="true"]').count() == 0:
            where = f"{language} {width_name} proposal-form-errors"
            problems.append(f"{where}: no field is marked aria-invalid")
        if unlinked:
            problems.append(
                f"{language} {width_name} proposal-form-errors: errors not linked with "
                f"aria-describedby on {unlinked}"
            )
        violations = run_axe(page, axe_source)
        if violations:
            where = f"{language} {width_name} proposal-form-errors"
            problems.append(format_violations(where, violations))
        screenshot(page, f"{language}-{width_name}-proposal-form-errors")
    assert not problems, "\n".join(problems)
