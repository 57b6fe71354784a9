"""The main journeys, walked the way a visitor does, in the browser."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from practices.models import GoodPractice
from tests.browser.conftest import screenshot, url_in
from tests.factories import GoodPracticeFactory

pytestmark = pytest.mark.browser


def query(page):
    return parse_qs(urlsplit(page.url).query)


def test_search_filter_open_practice_then_its_event(page, demo):
    practice, event, region = demo["practice"], demo["event"], demo["region"]
    word = max(practice.title.split(), key=len).strip(".,:;()")

    page.goto(demo["base"] + "/")
    box = page.get_by_label("Search practices, projects, organisations, events and documents")
    box.fill(word)
    with page.expect_navigation():
        box.press("Enter")
    assert urlsplit(page.url).path == "/search/"
    expect(
        page.locator("main").get_by_role("link", name=practice.title, exact=True)
    ).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Good practices: see all the results").click()
    assert urlsplit(page.url).path == "/practices/"
    assert query(page)["q"] == [word]

    filters = page.locator("#practice-filters")
    # The region filter is a combobox: type the code, take the suggestion.
    box = filters.locator("input[role=combobox][data-combobox*='/suggest/region/']")
    box.focus()
    box.press_sequentially(region.nuts_code or region.display_name)
    expect(page.locator("li[role=option]").first).to_be_visible()
    box.press("ArrowDown")
    box.press("Enter")
    expect(box).to_have_attribute("aria-expanded", "false")
    with page.expect_navigation():
        filters.locator("button[type=submit]").first.click()
    assert query(page)["region"][0] in {region.nuts_code, region.slug}
    assert query(page)["q"] == [word]
    screenshot(page, "journey-1-filtered-list")

    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=practice.title, exact=True).first.click()
    assert urlsplit(page.url).path == practice.get_absolute_url()
    assert page.locator("h1").inner_text().strip() == practice.title
    screenshot(page, "journey-2-practice")

    with page.expect_navigation():
        page.locator(f'main a[href="{event.get_absolute_url()}"]').first.click()
    assert urlsplit(page.url).path == event.get_absolute_url()
    assert event.display_title in page.locator("h1").inner_text()
    screenshot(page, "journey-3-event")


@pytest.mark.parametrize("language", ["pl", "ro"])
def test_switching_language_keeps_the_page_and_its_filters(page, demo, language):
    region = demo["region"]
    path = f"/practices/?q=programme&region={region.slug}&sort=title"
    page.goto(demo["base"] + path)
    before = query(page)
    selected = page.locator("#practice-filters input[name=region]").input_value()

    with page.expect_navigation():
        page.locator(f'.language-switcher a[hreflang="{language}"]').click()
    assert urlsplit(page.url).path == f"/{language}/practices/"
    assert query(page) == before
    assert page.get_attribute("html", "lang") == language
    assert page.locator("#practice-filters input[name=region]").input_value() == selected
    assert page.locator("#filter-q").input_value() == "programme"
    screenshot(page, f"journey-language-{language}")

    # And back to English, unprefixed, still filtered.
    with page.expect_navigation():
        page.locator('.language-switcher a[hreflang="en"]').click()
    assert urlsplit(page.url).path == "/practices/"
    assert query(page) == before
    assert page.get_attribute("html", "lang") == "en"


@pytest.mark.parametrize("language", ["pl", "ro"])
def test_dates_are_written_the_language_s_way(page, demo, language):
    event = demo["event"]
    page.goto(demo["base"] + url_in(language, event.get_absolute_url()))
    with translation.override(language):
        expected = date_format(timezone.localtime(event.start), "DATE_FORMAT")
    assert expected in page.locator("main").inner_text()


def test_foreign_language_practice_is_marked_and_announced(page, live_server):
    practice = GoodPracticeFactory(
        title="Audyt Przemysłu 4.0 dla MŚP", summary="Bezpłatny audyt dojrzałości.", language="pl"
    )
    page.goto(live_server.url + practice.get_absolute_url())
    assert page.locator("h1").get_attribute("lang") == "pl"
    assert "Polish" in page.locator(".lang-note").inner_text()

    page.goto(live_server.url + url_in("pl", practice.get_absolute_url()))
    assert page.locator("h1").get_attribute("lang") is None
    assert page.locator(".lang-note").count() == 0


def test_the_validation_badge_carries_no_separator_of_its_own(page, live_server):
    # The facts line puts "·" between plain facts; a badge is framed on its
    # own, and a dot drawn inside its frame read as part of the verdict.
    practice = GoodPracticeFactory(title="Cluster vouchers")
    GoodPractice.objects.filter(pk=practice.pk).update(
        validated_on=datetime.date(2026, 5, 4), validated_by="Thematic expert panel"
    )
    before = "el => getComputedStyle(el, '::before').content"
    page.goto(live_server.url + practice.get_absolute_url())
    badge = page.locator(".practice-header .badge-validated")
    expect(badge).to_contain_text("Thematic expert panel")
    assert badge.evaluate(before) == "none"
    # The plain facts keep their separator.
    assert page.locator(".practice-header .meta > span:not(.badge)").last.evaluate(before) != "none"
    page.goto(live_server.url + "/practices/?validated=1")
    card_badge = page.locator(".practice-item .badge-validated")
    expect(card_badge).to_have_count(1)
    assert card_badge.evaluate(before) == "none"
