"""Keyboard-only use: skip link, visible focus, the navigation in order, no trap."""

import pytest

from tests.browser.conftest import dump, screenshot, visible_focus

pytestmark = pytest.mark.browser

NAV_LINKS = ["Practices", "Regions", "Projects", "Events", "Propose a practice"]


def test_skip_link_is_first_visible_and_moves_focus_to_main(page, demo):
    page.goto(demo["base"] + "/")
    page.keyboard.press("Tab")
    focused = visible_focus(page)
    assert focused["text"] == "Skip to main content", dump(focused)
    assert focused["visible"], "the skip link shows no focus indicator"
    box = page.locator(".skip-link").bounding_box()
    assert box and box["y"] >= 0 and box["height"] > 0, "the focused skip link is off-screen"
    screenshot(page, "keyboard-skip-link")

    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    # The next Tab continues inside the main content, not in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


@pytest.mark.parametrize("path", ["/", "/practices/"])
@pytest.mark.parametrize("width", [1280, 320])
def test_tab_walks_the_navigation_with_visible_focus_and_no_trap(page, demo, width, path):
    """On the home page and on the listing (with its map), Tab reaches the footer."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(demo["base"] + path)
    seen, invisible = [], []
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = visible_focus(page)
        if focused is None:  # focus left the document: wrapped around, no trap
            break
        if not focused["visible"]:
            invisible.append(focused)
        seen.append(focused)
        if focused["text"] == "Accessibility statement":
            break
    texts = [f["text"] for f in seen]
    positions = [texts.index(name) for name in NAV_LINKS if name in texts]
    assert len(positions) == len(NAV_LINKS), f"navigation links not all reached: {texts[:20]}"
    assert positions == sorted(positions), f"navigation out of order: {texts[:20]}"
    assert "Accessibility statement" in texts, "Tab never reached the footer: a keyboard trap?"
    assert not invisible, f"focus not visible on: {dump(invisible)}"


def test_language_switcher_works_from_the_keyboard(page, demo):
    page.goto(demo["base"] + "/regions/")
    for _ in range(30):
        page.keyboard.press("Tab")
        focused = visible_focus(page)
        if focused and focused["text"] == "polski":
            break
    else:
        pytest.fail("the language switcher cannot be reached with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/pl/regions/")
    assert page.get_attribute("html", "lang") == "pl"
