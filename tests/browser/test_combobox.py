"""The project/region/organisation combobox in a real browser (issue 16).

Keyboard use (type, arrows, Enter) and axe with the suggestions open, in the
three languages and at 1280 and 320 px.
"""

import os

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


@pytest.mark.parametrize("width_name", list(WIDTHS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_open_comboboxes_pass_axe(page, axe_source, demo, language, width_name):
    page.set_viewport_size({"width": WIDTHS[width_name], "height": 900})
    problems = []
    project = demo["project"]
    for name, path in (
        ("proposal-form", "/practices/propose/"),
        ("event-list", "/events/"),
        ("practice-list", "/practices/"),
    ):
        where = f"{language} {width_name} {name} (suggestions open)"
        page.goto(demo["base"] + url_in(language, path))
        folded = page.locator("details.more-filters:not([open]) summary")
        if folded.count():  # the practice filters, folded away on a narrow screen
            folded.click()
        box = page.locator("input[role=combobox][data-combobox*='/suggest/project/']")
        box.scroll_into_view_if_needed()
        box.press_sequentially(first_letters(project))
        expect(box).to_have_attribute("aria-expanded", "true")
        box.press("ArrowDown")
        violations = run_axe(page, axe_source)
        if violations:
            problems.append(format_violations(where, violations))
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 1:
            problems.append(f"{where}: the page is {overflow}px wider than the viewport")
        if page.js_errors:
            problems.append(f"{where}: JavaScript errors: {page.js_errors}")
            page.js_errors.clear()
        screenshot(page, f"combobox-{language}-{width_name}-{name}")
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
