"""Contact the people behind a practice: relayed with Reply-To, no address shown,
abuse limits that fail closed, a metadata-only log, and a mail server that is down."""

import re
import smtplib

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.urls import reverse

from practices.models import ContactMessage
from tests.exchange.admin_helpers import admin_url, make_editor, make_portal_admin
from tests.factories import GoodPracticeFactory, PersonFactory, ProjectFactory
from tests.test_security_limits import lost_limit_store  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

OWNER = "owner.of.practice@private.example"
SENDER = "sender.visitor@private.example"


@pytest.fixture
def project():
    return ProjectFactory(acronym="TALK")


@pytest.fixture
def practice(project):
    return GoodPracticeFactory(
        title="Energy cooperatives",
        contact=PersonFactory(name="Olga Owner", email=OWNER),
        projects=[project],
    )


def contact_url(practice):
    return reverse("practices:contact", kwargs={"slug": practice.slug})


def form_data(**overrides):
    return {
        "name": "Vera Visitor",
        "email": SENDER,
        "organisation": "Region of Somewhere",
        "message": "How did you fund the first year?\nWe would like to visit.",
        "consent": "on",
        "homepage": "",
        **overrides,
    }


def test_contact_relays_with_reply_to_and_shows_no_address(client, practice):
    page = client.get(practice.get_absolute_url()).content.decode()
    assert "Contact the people behind this practice" in page
    assert contact_url(practice) in page
    form = client.get(contact_url(practice))
    assert form.status_code == 200
    assert OWNER not in form.content.decode()

    response = client.post(contact_url(practice), form_data())
    assert response.status_code == 302
    sent = client.get(response["Location"]).content.decode()
    assert "Your message is sent" in sent and OWNER not in sent

    (message,) = mail.outbox
    assert message.to == [OWNER]
    assert message.reply_to == [SENDER]
    assert "Energy cooperatives" in message.subject
    assert "How did you fund the first year?\nWe would like to visit." in message.body
    assert "Vera Visitor" in message.body and "Region of Somewhere" in message.body
    # Plain text only, and the sender's address only in Reply-To.
    assert not getattr(message, "alternatives", None)
    assert SENDER not in message.body
    # Only metadata is kept once it is sent.
    logged = ContactMessage.objects.get()
    assert logged.state == ContactMessage.State.SENT and logged.recipient == "owner"
    assert (logged.sender_name, logged.sender_email, logged.body) == ("", "", "")
    assert logged.length == len("How did you fund the first year?\nWe would like to visit.")


def test_without_a_contact_address_the_editors_receive_it(client, project):
    editor = make_editor("talk-editor", project)
    editor.email = "editor.of.project@private.example"
    editor.save()
    practice = GoodPracticeFactory(contact=PersonFactory(email=""), projects=[project])
    page = client.get(practice.get_absolute_url()).content.decode()
    assert "your message goes to the editors of its project" in page
    assert client.post(contact_url(practice), form_data()).status_code == 302
    (message,) = mail.outbox
    assert message.to == ["editor.of.project@private.example"]
    assert "as an editor of its project" in message.body


def test_without_anybody_to_write_to_the_form_is_not_offered(client):
    practice = GoodPracticeFactory(contact=None)
    page = client.get(practice.get_absolute_url()).content.decode()
    assert "Contacting is not offered for this practice" in page
    assert contact_url(practice) not in page
    form = client.get(contact_url(practice)).content.decode()
    assert "Contacting is not offered for this practice" in form and "<textarea" not in form
    assert client.post(contact_url(practice), form_data()).status_code == 200
    assert not mail.outbox and not ContactMessage.objects.exists()


def test_a_draft_has_no_contact_form(client):
    draft = GoodPracticeFactory(publication_state="draft", contact=PersonFactory())
    assert client.get(contact_url(draft)).status_code == 404


def test_the_honeypot_looks_like_success_and_sends_nothing(client, practice):
    response = client.post(contact_url(practice), form_data(homepage="http://spam.example"))
    assert response.status_code == 302
    assert not mail.outbox and not ContactMessage.objects.exists()


def test_errors_keep_the_input_next_to_the_fields(client, practice):
    response = client.post(
        contact_url(practice), form_data(email="not-an-address", consent="", message="Kept text")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter an e-mail address like name@example.org." in html
    assert "Tick this box so that we may pass your message on." in html
    assert 'value="not-an-address"' in html and "Kept text</textarea>" in html
    too_long = client.post(contact_url(practice), form_data(message="x" * 5001))
    assert too_long.status_code == 400
    assert not mail.outbox


def test_the_error_summary_follows_the_order_of_the_fields(client, practice):
    response = client.post(contact_url(practice), {"homepage": ""})
    summary = response.content.decode().split('class="error-summary"')[1].split("</ul>")[0]
    # The message comes first on the page, then name, e-mail and consent.
    assert re.findall(r'href="#id_(\w+)"', summary) == ["message", "name", "email", "consent"]


def test_control_characters_are_stripped_from_every_value(client, practice):
    data = form_data(
        name="Eve\r\nBcc: victim@private.example",
        organisation="Org\u202eevil",
        message="Line one\r\nLine two\x07\x1b[31m",
    )
    assert client.post(contact_url(practice), data).status_code == 302
    (message,) = mail.outbox
    assert "Eve Bcc: victim@private.example" in message.body
    assert "Org evil" in message.body
    assert "Line one\nLine two [31m" in message.body
    assert "\x07" not in message.body and "\r" not in message.body
    assert message.to == [OWNER] and not message.bcc


def test_the_per_address_limit_keeps_the_input(client, practice, settings):
    settings.CONTACT_RATE_LIMIT = "1/h"
    assert client.post(contact_url(practice), form_data()).status_code == 302
    response = client.post(contact_url(practice), form_data(message="Second try"))
    assert response.status_code == 429 and response["Retry-After"]
    assert "Second try</textarea>" in response.content.decode()
    assert len(mail.outbox) == 1


def test_the_per_practice_daily_limit(client, practice, settings):
    settings.CONTACT_PRACTICE_RATE_LIMIT = "2/d"
    for n in range(2):
        response = client.post(contact_url(practice), form_data(), REMOTE_ADDR=f"10.0.0.{n}")
        assert response.status_code == 302
    response = client.post(contact_url(practice), form_data(), REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert "as many messages as we pass on in a day" in response.content.decode()
    # Another practice is not affected.
    other = GoodPracticeFactory(contact=PersonFactory(email="other@private.example"))
    assert client.post(contact_url(other), form_data(), REMOTE_ADDR="10.0.0.9").status_code == 302
    assert len(mail.outbox) == 3


@pytest.mark.usefixtures("lost_limit_store")
def test_the_limit_store_away_fails_closed_keeping_the_input(client, practice):
    response = client.post(contact_url(practice), form_data(message="Kept while away"))
    assert response.status_code == 503 and response["Retry-After"]
    html = response.content.decode()
    assert "The form cannot be sent right now" in html and "Kept while away</textarea>" in html
    assert not mail.outbox and not ContactMessage.objects.exists()


def test_a_mail_server_that_is_down_keeps_the_message_and_sends_it_once(
    client, practice, monkeypatch
):
    real_send = EmailMessage.send

    def down(self, *args, **kwargs):
        raise smtplib.SMTPConnectError(421, "down")

    monkeypatch.setattr(EmailMessage, "send", down)
    response = client.post(contact_url(practice), form_data())
    assert response.status_code == 302 and response["Location"].endswith("?kept=1")
    assert (
        "Your message is kept and will be sent" in client.get(response["Location"]).content.decode()
    )
    waiting = ContactMessage.objects.get()
    assert waiting.state == ContactMessage.State.WAITING and waiting.body
    assert waiting.attempts == 1 and waiting.last_error == "SMTPConnectError"
    call_command("relay_messages", stdout=open("/dev/null", "w"))  # still down
    assert not mail.outbox

    monkeypatch.setattr(EmailMessage, "send", real_send)
    call_command("relay_messages", stdout=open("/dev/null", "w"))
    call_command("relay_messages", stdout=open("/dev/null", "w"))
    (message,) = mail.outbox
    assert message.reply_to == [SENDER]
    sent = ContactMessage.objects.get()
    assert sent.state == ContactMessage.State.SENT and sent.attempts == 3 and not sent.body


def test_a_message_being_sent_is_not_sent_again(practice):
    ContactMessage.objects.create(
        practice=practice,
        recipient="owner",
        state=ContactMessage.State.SENDING,
        sender_email=SENDER,
        body="x",
    )
    call_command("relay_messages", stdout=open("/dev/null", "w"))
    assert not mail.outbox


def test_staff_see_the_log_without_the_content(client, practice, project):
    client.post(contact_url(practice), form_data())
    ContactMessage.objects.update(body="Secret words", sender_email=SENDER)  # as if still waiting
    for user in (make_portal_admin("admin-log"), make_editor("editor-log", project)):
        client.force_login(user)
        listing = client.get(admin_url(ContactMessage, "changelist"))
        assert listing.status_code == 200
        message = ContactMessage.objects.get()
        detail = client.get(admin_url(ContactMessage, "change", message.pk)).content.decode()
        for page in (listing.content.decode(), detail):
            assert "Energy cooperatives" in page
            assert "Secret words" not in page and SENDER not in page
    outsider = make_editor("outsider", ProjectFactory())
    client.force_login(outsider)
    assert client.get(admin_url(ContactMessage, "change", message.pk)).status_code == 404
