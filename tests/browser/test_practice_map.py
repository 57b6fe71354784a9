"""The practice map in a real browser: drawn offline, clustered, usable with the keyboard."""

from urllib.parse import urlsplit

import pytest

from tests.factories import GoodPracticeFactory
from tests.practices.browse_data import build_world


@pytest.fixture
def mapped(live_server, django_db_blocker):
    with django_db_blocker.unblock():
        world = build_world()
        only = GoodPracticeFactory(title="The only one in Castilla", region=world.es41)
        for n in range(3):
            GoodPracticeFactory(title=f"Catalan practice {n}", region=world.es51)
        GoodPracticeFactory(title="Warsaw practice", region=world.pl91)
    return {"base": live_server.url, "only": only}


def open_listing(page, base, path="/practices/"):
    # Nothing but the portal itself answers: the map must not need the internet.
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlsplit(route.request.url).hostname in ("localhost", "127.0.0.1")
            else route.abort()
        ),
    )
    page.goto(base + path)
    page.wait_for_selector(".map-pin")
    page.wait_for_selector(".map-country")  # the offline country outlines


def test_pins_clusters_and_links(page, mapped):
    open_listing(page, mapped["base"])
    labels = page.eval_on_selector_all(
        ".map-pin", "els => els.map(e => e.getAttribute('aria-label'))"
    )
    assert any("The only one in Castilla" in label for label in labels)
    # Zoomed out, the two Spanish regions merge into one cluster linking to Spain.
    for _ in range(3):
        page.click("button[aria-label='Zoom out']")
    hrefs = page.eval_on_selector_all(".map-cluster", "els => els.map(e => e.getAttribute('href'))")
    assert any(href.endswith("region=es") for href in hrefs), hrefs
    assert page.js_errors == []


def test_keyboard_reaches_and_opens_a_pin(page, mapped):
    open_listing(page, mapped["base"])
    page.focus(".map-svg")
    before = page.eval_on_selector(".map-pin circle", "c => c.getAttribute('cx')")
    page.keyboard.press("ArrowRight")
    after = page.eval_on_selector(".map-pin circle", "c => c.getAttribute('cx')")
    assert before != after, "the arrow keys move the map"
    page.keyboard.press("+")
    # Tab goes from the map to its pins, west to east: Castilla first.
    page.click("button[aria-label='Show everything']")
    page.focus(".map-svg")
    page.keyboard.press("Tab")
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert "The only one in Castilla" in label
    page.keyboard.press("Enter")
    page.wait_for_url("**" + mapped["only"].get_absolute_url())
    assert page.js_errors == []
