"""The project/region/organisation combobox in a real browser (issue 16).

Keyboard use (type, arrows, Enter) and axe with the suggestions open, in the
three languages and at 1280 and 320 px.
"""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    LANGUAGES,
    WIDTHS,
    format_violations,
    run_axe,
    screenshot,
    url_in,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


def first_letters(project):
    return (project.acronym or project.display_title)[:4]


# Every page with a combobox (issue 16: axe on every page that uses it).
COMBOBOX_PAGES = {
    "proposal-form": "/practices/propose/",
    "practice-list": "/practices/",
    "event-list": "/events/",
    "project-list": "/projects/",
    "organisation-list": "/organisations/",
    "document-list": "/documents/",
    "insights": "/insights/",
}


def typed_for(demo, url):
    """What a person types in the combobox fed by ``url``: the first letters of a name."""
    kind = url.rstrip("/").rsplit("/", 1)[-1]
    if kind == "project":
        return first_letters(demo["project"])
    return {"region": demo["region"], "organisation": demo["organisation"]}[kind].name[:4]


@pytest.mark.parametrize("width_name", list(WIDTHS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_open_comboboxes_pass_axe(page, axe_source, demo, language, width_name):
    """Each combobox of each page that has one, its suggestions open and one highlighted."""
    page.set_viewport_size({"width": WIDTHS[width_name], "height": 900})
    problems = []
    pages = {
        **COMBOBOX_PAGES,
        "interest-form": demo["practice"].get_absolute_url() + "learn/",
    }
    for name, path in pages.items():
        page.goto(demo["base"] + url_in(language, path))
        folded = page.locator("details.more-filters:not([open]) summary")
        if folded.count():  # a listing's filters, folded away on a narrow screen
            folded.click()
        boxes = page.locator("input[role=combobox]")
        if not boxes.count():
            problems.append(f"{language} {width_name} {name}: no combobox")
        for index in range(boxes.count()):
            box = boxes.nth(index)
            url = box.get_attribute("data-combobox")
            where = f"{language} {width_name} {name} {box.get_attribute('id')} (suggestions open)"
            box.scroll_into_view_if_needed()
            box.press_sequentially(typed_for(demo, url))
            expect(box).to_have_attribute("aria-expanded", "true")
            box.press("ArrowDown")
            expect(box).to_have_attribute("aria-activedescendant", re.compile(".+"))
            violations = run_axe(page, axe_source)
            if violations:
                problems.append(format_violations(where, violations))
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 1:
                problems.append(f"{where}: the page is {overflow}px wider than the viewport")
            screenshot(page, f"combobox-{language}-{width_name}-{name}-{index}")
            box.press("Escape")  # closes the list
            box.press("Escape")  # clears the text
        if page.js_errors:
            problems.append(f"{language} {width_name} {name}: JavaScript errors: {page.js_errors}")
            page.js_errors.clear()
    assert not problems, "\n".join(problems)


def test_event_filter_by_keyboard(page, demo):
    """Type part of a project, choose it with the arrows and Enter, send with Enter."""
    project = demo["event"].project or demo["project"]
    page.goto(demo["base"] + "/events/")
    box = page.get_by_role("combobox", name="Project")
    box.focus()
    box.press_sequentially(first_letters(project))
    label = project.acronym and f"{project.acronym} – {project.display_title}"
    option = page.get_by_role("option", name=label or project.display_title)
    expect(option).to_be_visible()
    while option.get_attribute("aria-selected") != "true":
        box.press("ArrowDown")
    box.press("Enter")  # chooses
    expect(box).to_have_attribute("aria-expanded", "false")
    with page.expect_navigation():
        box.press("Enter")  # sends the filter form
    assert f"project={project.slug}" in page.url
    expect(page.locator(".filter-chips")).to_contain_text(str(project))
    expect(box).to_have_value(label or project.display_title)
    assert not page.js_errors


def test_unknown_project_is_said_next_to_the_field_without_javascript(browser, demo):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo["base"] + "/events/?project=Nothing+like+it")
    box = page.get_by_label("Project")
    expect(box).to_have_value("Nothing like it")
    error_id = box.get_attribute("aria-describedby").split()[-1]
    expect(page.locator(f"#{error_id}")).to_contain_text("Nothing called “Nothing like it”")
    context.close()
