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
    # The project combobox: type, choose with the keyboard.
    project = page.get_by_role("combobox", name="Project it is linked to")
    project.press_sequentially("smar")
    option = page.get_by_role("option", name="SMARTY – Smart industry in regions")
    expect(option).to_be_visible()
    expect(project).to_have_attribute("aria-expanded", "true")
    project.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    assert project.get_attribute("aria-activedescendant") == option.get_attribute("id")
    project.press("Enter")  # chooses; does not send the form
    expect(project).to_have_value("SMARTY – Smart industry in regions")
    expect(project).to_have_attribute("aria-expanded", "false")
    page.get_by_role("combobox", name="Organisation in charge").fill(
        "Łukasiewicz Research Network – ITeE"
    )

    # The region combobox: the suggestions narrow as the person types.
    region_box = page.get_by_role("combobox", name="Region")
    region_box.press_sequentially("mazow")
    wanted = page.get_by_role("option", name="Makroregion województwo mazowieckie (PL9)")
    expect(wanted).to_be_visible()
    assert page.locator("#id_region-listbox [role=option]").count() <= 10  # a bounded list
    while wanted.get_attribute("aria-selected") != "true":
        region_box.press("ArrowDown")
    region_box.press("Enter")
    expect(region_box).to_have_value("Makroregion województwo mazowieckie (PL9)")

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
    # The choices come back as their labels, sent as their codes.
    expect(region_box).to_have_value("Makroregion województwo mazowieckie (PL9)")
    expect(project).to_have_value("SMARTY – Smart industry in regions")
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
    assert proposal.project.acronym == "SMARTY"
    assert proposal.language == "pl"
    assert proposal.attachments.count() == 1
    assert proposal.state == PracticeProposal.State.UNCONFIRMED
    assert mail.outbox[-1].to == ["anna.pajak@private.example"]
