"""A visitor asks for e-mail alerts of a filtered practice list in a real browser."""

import os
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from practices.models import SavedSearch
from tests.browser.conftest import format_violations, run_axe, screenshot
from tests.factories import GoodPracticeFactory, TopicFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_subscribes_corrects_a_mistake_and_confirms(live_server, page, axe_source):
    energy = TopicFactory(name="Energy", slug="energy")
    GoodPracticeFactory(title="Energy cooperatives", topics=[energy])
    # The first listing builds its facets; a shared machine may take a while.
    page.set_default_navigation_timeout(60_000)
    page.goto(live_server.url + "/practices/?topic=energy&sort=title")
    screenshot(page, "alert-listing-link")
    page.get_by_role("link", name="E-mail me new practices like these").click()
    expect(page.locator("h1")).to_have_text("E-mail me new practices like these")
    expect(page.locator(".alert-search")).to_contain_text("Energy")

    page.get_by_label("Monthly").check()
    page.get_by_label("Your e-mail").fill("reader@")  # a slip of the keyboard
    page.get_by_role("button", name="E-mail me new practices").click()

    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    violations = run_axe(page, axe_source)
    assert not violations, format_violations("alert-form-errors", violations)
    screenshot(page, "alert-form-errors")
    # What was typed and chosen is kept.
    expect(page.get_by_label("Your e-mail")).to_have_value("reader@")
    expect(page.get_by_label("Monthly")).to_be_checked()
    summary.get_by_role("link", name=re.compile("Your e-mail")).click()
    email = page.get_by_label("Your e-mail")
    assert email.evaluate("el => el === document.activeElement")
    assert email.get_attribute("aria-invalid") == "true"

    page.js_errors[:] = [e for e in page.js_errors if "status of 400" not in e]
    email.fill("reader@private.example")
    page.get_by_role("button", name="E-mail me new practices").click()
    expect(page.locator("h1")).to_have_text("Check your e-mail")
    (message,) = mail.outbox
    path = re.search(r"https?://[^/\s]+(/\S*/alerts/confirm/\S+/)", message.body).group(1)
    page.goto(live_server.url + path)
    page.get_by_role("button", name="Confirm my alert").click()
    expect(page.locator("h1")).to_have_text("Your alert is confirmed")
    screenshot(page, "alert-confirmed")
    assert not page.js_errors
    search = SavedSearch.objects.get()
    assert (search.state, search.frequency, search.filters) == (
        "confirmed",
        "monthly",
        "topic=energy",
    )
