"""A visitor writes to the people behind a practice in a real browser."""

import os
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import format_violations, run_axe
from tests.factories import GoodPracticeFactory, PersonFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_writes_corrects_a_mistake_and_sends(live_server, page, axe_source):
    practice = GoodPracticeFactory(
        title="Energy cooperatives", contact=PersonFactory(email="owner@private.example")
    )
    page.goto(live_server.url + practice.get_absolute_url())
    page.get_by_role("link", name="Write a message").click()
    expect(page.locator("h1")).to_have_text("Contact the people behind this practice")
    assert "owner@private.example" not in page.content()

    page.get_by_label("Your message").fill("How did you fund the first year?")
    page.get_by_label("Your name").fill("Vera Visitor")
    page.get_by_label("Your e-mail").fill("vera@")  # a slip of the keyboard
    page.get_by_label(re.compile("I agree that the portal passes")).check()
    page.get_by_role("button", name="Send the message").click()

    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    violations = run_axe(page, axe_source)
    assert not violations, format_violations("contact-form-errors", violations)
    summary.get_by_role("link", name=re.compile("Your e-mail")).click()
    email = page.get_by_label("Your e-mail")
    assert email.evaluate("el => el === document.activeElement")
    assert email.get_attribute("aria-invalid") == "true"
    expect(page.get_by_label("Your message")).to_have_value("How did you fund the first year?")

    page.js_errors[:] = [e for e in page.js_errors if "status of 400" not in e]
    email.fill("vera@private.example")
    page.get_by_role("button", name="Send the message").click()
    expect(page.locator("h1")).to_have_text("Your message is sent")
    assert not page.js_errors
    (message,) = mail.outbox
    assert message.to == ["owner@private.example"]
    assert message.reply_to == ["vera@private.example"]
