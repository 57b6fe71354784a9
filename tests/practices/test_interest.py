""" "We want to learn from this": double opt-in, staff turn it into a transfer, and the
practice and region pages show what regions are learning (named only with consent)."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from practices.models import Interest, Transfer
from tests.exchange.admin_helpers import admin_url, make_editor
from tests.factories import GoodPracticeFactory, ProjectFactory, RegionFactory
from tests.test_security_limits import lost_limit_store  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

SENDER = "learner@private.example"


@pytest.fixture
def project():
    return ProjectFactory(acronym="LEARN")


@pytest.fixture
def practice(project):
    return GoodPracticeFactory(title="Energy cooperatives", projects=[project])


@pytest.fixture
def region():
    return RegionFactory(nuts_code="RO11", name="Nord-Vest")


def form_data(where, **overrides):
    return {
        "organisation": "Nord-Vest Regional Development Agency",
        "region": where.nuts_code,
        "note": "How were citizens recruited?",
        "email": SENDER,
        "show_region": "on",
        "homepage": "",
        **overrides,
    }


def interest_url(practice):
    return reverse("practices:interest", kwargs={"slug": practice.slug})


def confirm_path(message):
    return re.search(r"https?://[^/\s]+(/\S*/interests/confirm/\S+/)", message.body).group(1)


def test_interest_confirm_transfer_and_pages(client, practice, project, region):
    editor = make_editor("learn-editor", project)
    editor.email = "editor@private.example"
    editor.save()
    page = client.get(practice.get_absolute_url()).content.decode()
    assert interest_url(practice) in page

    response = client.post(interest_url(practice), form_data(region))
    assert response.status_code == 302
    interest = Interest.objects.get()
    assert interest.state == Interest.State.UNCONFIRMED
    (confirm,) = mail.outbox
    assert confirm.to == [SENDER]
    path = confirm_path(confirm)
    # A link scanner's GET confirms nothing.
    assert "Confirm my interest" in client.get(path).content.decode()
    interest.refresh_from_db()
    assert interest.state == Interest.State.UNCONFIRMED
    done = client.post(path)
    assert "Your interest is confirmed" in done.content.decode()
    interest.refresh_from_db()
    assert interest.state == Interest.State.CONFIRMED
    assert mail.outbox[-1].to == ["editor@private.example"]
    # Nothing public before staff review it.
    assert "Nord-Vest" not in client.get(practice.get_absolute_url()).content.decode()

    client.force_login(editor)
    response = client.post(
        admin_url(Interest, "changelist"),
        {"action": "turn_into_transfer", "_selected_action": [interest.pk]},
    )
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    assert (transfer.practice, transfer.region, transfer.state) == (
        practice,
        region,
        Transfer.State.INTERESTED,
    )
    interest.refresh_from_db()
    assert interest.state == Interest.State.TRANSFERRED and interest.transfer == transfer
    client.logout()

    page = client.get(practice.get_absolute_url()).content.decode()
    assert "Interested: 1" in page and "Nord-Vest" in page
    # Staff move it along: the page follows.
    transfer.state = Transfer.State.STUDY_VISIT
    transfer.save()
    page = client.get(practice.get_absolute_url()).content.decode()
    assert "In study visit: 1" in page
    # An e-mail address is never shown.
    assert SENDER not in page


def test_a_region_that_did_not_consent_is_counted_not_named(client, practice, region):
    Transfer.objects.create(
        practice=practice, region=region, state=Transfer.State.ADOPTING, show_region=False
    )
    page = client.get(practice.get_absolute_url()).content.decode()
    assert "Adopting: 1" in page and "Nord-Vest" not in page
    assert "Energy cooperatives" not in client.get(region.get_absolute_url()).content.decode()
    detail = client.get(f"/api/v1/practices/{practice.slug}/").json()
    assert detail["transfers"] == []


def test_adopted_and_dropped_are_not_counted_as_learning(client, practice, region):
    Transfer.objects.create(practice=practice, region=region, state=Transfer.State.ADOPTED)
    other = RegionFactory(name="Dropped region")
    Transfer.objects.create(practice=practice, region=other, state=Transfer.State.DROPPED)
    page = client.get(practice.get_absolute_url()).content.decode()
    assert "No region is recorded as learning from this practice yet." in page
    assert "Dropped region" not in page
    rows = client.get(f"/api/v1/practices/{practice.slug}/").json()["transfers"]
    assert {(r["region"]["nuts_code"], r["state"]) for r in rows} == {
        ("RO11", "adopted"),
        (other.nuts_code, "dropped"),
    }


def test_bad_input_keeps_what_was_typed(client, practice, region):
    response = client.post(
        interest_url(practice), form_data(region, region="NOWHERE", email="not-an-address")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nord-Vest Regional Development Agency" in html
    assert "How were citizens recruited?" in html
    assert not Interest.objects.exists() and not mail.outbox


def test_over_the_limit_the_form_comes_back_as_typed(client, practice, region, settings):
    settings.CONTACT_RATE_LIMIT = "1/h"
    assert client.post(interest_url(practice), form_data(region)).status_code == 302
    response = client.post(interest_url(practice), form_data(region, note="A second question"))
    assert response.status_code == 429 and response["Retry-After"]
    assert "A second question" in response.content.decode()
    assert Interest.objects.count() == 1


@pytest.mark.usefixtures("lost_limit_store")
def test_the_limit_store_away_fails_closed_keeping_the_input(client, practice, region):
    response = client.post(interest_url(practice), form_data(region, note="Kept while away"))
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "Kept while away" in response.content.decode()
    assert not Interest.objects.exists() and not mail.outbox


def test_honeypot_and_control_characters(client, practice, region):
    client.post(interest_url(practice), form_data(region, homepage="spam"))
    assert not Interest.objects.exists()
    client.post(
        interest_url(practice),
        form_data(region, organisation="Agency\r\nBcc: x@private.example", note="a\x07b"),
    )
    interest = Interest.objects.get()
    assert interest.organisation == "Agency Bcc: x@private.example"
    assert interest.note == "a b"


def test_bad_and_expired_links_give_a_clear_page(client, practice, region, settings):
    invalid = client.get("/practices/interests/confirm/nonsense/")
    assert invalid.status_code == 404
    assert "This link is not valid" in invalid.content.decode()
    client.post(interest_url(practice), form_data(region))
    path = confirm_path(mail.outbox[0])
    settings.PROPOSAL_CONFIRM_MAX_AGE = -1
    expired = client.get(path)
    assert expired.status_code == 410
    assert "This link has expired" in expired.content.decode()


def test_unconfirmed_interests_expire(practice, region):
    Interest.objects.create(practice=practice, region=region, organisation="Old", email=SENDER)
    Interest.objects.update(created_at=timezone.now() - datetime.timedelta(days=30))
    kept = Interest.objects.create(
        practice=practice, region=region, organisation="New", email="new@private.example"
    )
    call_command("expire_proposals", stdout=open("/dev/null", "w"))
    assert list(Interest.objects.all()) == [kept]


@pytest.mark.parametrize(
    ("language", "email", "organisation"),
    [
        ("en", "Your e-mail", "Your organisation"),
        ("pl", "Twój e-mail", "Twoja organizacja"),
        ("ro", "E-mailul dumneavoastră", "Organizația dumneavoastră"),
    ],
)
def test_visitors_forms_address_the_visitor_not_a_proposer(
    client, practice, language, email, organisation
):
    # The models' labels name the proposer for staff ("e-mail zgłaszającego",
    # "e-mailul autorului propunerii"); the visitor filling the form is "you".
    with translation.override(language):
        paths = interest_url(practice), reverse("practices:alert-subscribe")
    interest, alert = (client.get(path).content.decode() for path in paths)
    for page in (interest, alert):
        assert re.search(rf'<label for="id_email">{email}\b', page)
    assert re.search(rf'<label for="id_organisation">{organisation}\b', interest)
