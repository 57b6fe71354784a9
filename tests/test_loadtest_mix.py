"""`make loadtest` asks for every public page kind of the site (issue 16, item 4).

The URL names of the whole site, less the ones no visitor browses to, must
each be asked for by the mix: a new page added to the site without a place
in the load fails here.
"""

from urllib.parse import urlsplit

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import translation

from bench import loadtest

# Reached only after a form is sent or from a link in an e-mail.
AFTER_A_FORM_OR_AN_EMAIL = {
    *("practices:alert-confirm", "practices:alert-manage", "practices:alert-sent"),
    *("practices:alert-unsubscribe", "practices:contact-sent", "practices:interest-confirm"),
    *("practices:interest-sent", "practices:proposal-confirm", "practices:proposal-confirm-email"),
    *("practices:proposal-edit", "practices:proposal-sent", "practices:proposal-status"),
}
# Files, not pages: a document's or a material's redirect, one event's calendar.
DOWNLOADS = {"documents:document-download", "events:material-download", "events:event-ics"}
# The server's own: /healthz is measured apart (the throughput floor), the
# others are not asked for by people.
NOT_VISITED = {"healthz", "readyz", "csp-report", "set_language", "javascript-catalog"}
# Read by crawlers: the sitemap index is in the mix, its sections and robots.txt are not.
CRAWLERS = {"robots-txt", "sitemap-section"}
LEFT_OUT = AFTER_A_FORM_OR_AN_EMAIL | DOWNLOADS | NOT_VISITED | CRAWLERS


def url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def view_name(url):
    path = urlsplit(url).path
    language = path.split("/")[1] if path.startswith(("/pl/", "/ro/")) else "en"
    with translation.override(language):
        return resolve(path).view_name


def test_the_mix_asks_for_every_public_page_kind():
    pages = {
        "suggest_project": {"url": "/suggest/project/?q=smar"},
        "csv_export_filtered": {"url": "/practices/?country=PL&format=csv"},
        "policy_instrument_detail": {"url": "/policy-instruments/rpo-wm/"},
    }
    kinds = loadtest.mix_paths(
        [f"practice-{n}" for n in range(8)],
        ["event"],
        ["project"],
        ["organisation"],
        ["region"],
        ["tourism", "cycling"],
        ["PL", "RO"],
        pages=pages,
    )
    assert set(kinds) == set(loadtest.WEIGHTS)
    asked = {view_name(url) for urls in kinds.values() for url in urls}
    site = {
        name
        for name in url_names(get_resolver().url_patterns)
        # The API's lists and details are one kind, "api", asked for in part.
        if not name.startswith(("admin:", "api:"))
    }
    assert site - LEFT_OUT <= asked, sorted(site - LEFT_OUT - asked)
    assert not asked & LEFT_OUT
    assert any(name.startswith("api:") for name in asked)
