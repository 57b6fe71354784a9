"""A person proposes a practice in a real browser: types, corrects a mistake, sends."""

import os
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from practices.models import PracticeProposal
from tests.factories import ProjectFactory, RegionFactory, TopicFactory
from tests.practices.proposal_helpers import PDF_BYTES

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_person_fills_in_and_sends_the_proposal_form(live_server, page):
    country = RegionFactory(nuts_code="PL", name="Polska", name_en="Poland")
    region = RegionFactory(
        nuts_code="PL9", name="Makroregion województwo mazowieckie", parent=country
    )
    RegionFactory(nuts_code="IT", name="Italia", name_en="Italy")
    TopicFactory(name="Industry 4.0")
    ProjectFactory(acronym="SMARTY", title="Smart industry in regions")

    page.goto(live_server.url + "/practices/propose/")
    assert page.locator("h1").inner_text() == "Propose a good practice"

    # The counter follows what is typed.
    title = page.get_by_label("Title of the practice")
    title.press_sequentially("Industry of the Future Platform")
    expect(page.locator("#id_title_counter")).to_have_text("69 characters left")

    page.get_by_label("Summary").fill("A national platform that helps firms adopt Industry 4.0.")
    page.get_by_label("Project it is linked to").select_option(
        label="SMARTY – Smart industry in regions"
    )
    page.get_by_label("Organisation in charge").fill("Łukasiewicz Research Network – ITeE")

    # The filter box narrows the region list; the person picks from what is left.
    page.get_by_label("Filter the regions").fill("mazow")
    assert page.locator("#id_region option:not([hidden])").count() == 2  # placeholder + match
    expect(page.locator("#id_region_filter_count")).to_have_text("1 region matches")
    page.locator("#id_region").select_option(str(region.pk))

    page.get_by_label("Detailed description").fill("Workshops, demonstrators and audits.")
    page.get_by_label("Start date").fill("2019-05-01")
    page.get_by_label("Industry 4.0").check()
    page.get_by_label("Language you write in").select_option("pl")
    page.get_by_label("Attachments (optional)").set_input_files(
        {"name": "platform.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_label("Your name").fill("Anna Pająk")
    page.get_by_label("Your e-mail address").fill("anna.pajak@")  # a slip of the keyboard
    page.get_by_label("You may contact me about this practice").check()
    page.get_by_role("button", name="Send the proposal").click()

    # The error summary takes focus and links to the field; nothing typed is lost.
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert "choose your attachments again" in summary.inner_text()
    summary.get_by_role("link", name=re.compile("Your e-mail address")).click()
    email = page.get_by_label("Your e-mail address")
    assert email.evaluate("el => el === document.activeElement")
    assert email.get_attribute("aria-invalid") == "true"
    assert title.input_value() == "Industry of the Future Platform"
    assert page.locator("#id_region").input_value() == str(region.pk)
    assert page.get_by_label("Industry 4.0").is_checked()

    # The form with errors is answered with HTTP 400, which Chromium logs to the console.
    page.js_errors[:] = [e for e in page.js_errors if "status of 400" not in e]
    email.fill("anna.pajak@private.example")
    page.get_by_label("Attachments (optional)").set_input_files(
        {"name": "platform.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_role("button", name="Send the proposal").click()

    expect(page.locator("h1")).to_have_text("Check your e-mail")
    assert not page.js_errors
    proposal = PracticeProposal.objects.get()
    assert proposal.title == "Industry of the Future Platform"
    assert proposal.region == region
    assert proposal.language == "pl"
    assert proposal.attachments.count() == 1
    assert proposal.state == PracticeProposal.State.UNCONFIRMED
    assert mail.outbox[-1].to == ["anna.pajak@private.example"]
