"""Saved searches with e-mail alerts: subscribe from a listing, confirm, digests by
``send_alerts`` (new practices only, once, in the subscriber's language), one-click
unsubscribe, a mail server that is down, expiry, and links that are wrong."""

import datetime
import importlib
import re
import smtplib

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from practices import services
from practices.models import GoodPractice, PracticeTranslation, SavedSearch
from tests.exchange.admin_helpers import admin_url, make_portal_admin
from tests.factories import GoodPracticeFactory, TopicFactory
from tests.test_security_limits import lost_limit_store  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

SUBSCRIBER = "reader@private.example"
DAY = datetime.timedelta(days=1)


@pytest.fixture
def energy():
    return TopicFactory(name="Energy", slug="energy")


def subscribe_url(query=""):
    url = reverse("practices:alert-subscribe")
    return f"{url}?{query}" if query else url


def link(message, name):
    return re.search(rf"https?://[^/\s]+(/\S*/alerts/{name}/\S+/)", message.body).group(1)


def subscribe_and_confirm(client, query="topic=energy", frequency="weekly", language="en"):
    with translation.override(language):
        url = subscribe_url(query)
    response = client.post(url, {"email": SUBSCRIBER, "frequency": frequency, "homepage": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    confirm = mail.outbox[-1]
    client.post(link(confirm, "confirm"))
    mail.outbox.clear()
    return SavedSearch.objects.order_by("-pk").first()


def test_subscribe_confirm_digest_once_then_unsubscribe(client, energy):
    GoodPracticeFactory(title="Published before", topics=[energy])
    listing = client.get(reverse("practices:practice-list") + "?topic=energy&sort=title&page=1")
    html = listing.content.decode()
    # The listing links to the subscription with its filters, not its sort or page.
    assert f'href="{subscribe_url("topic=energy")}"' in html

    form = client.get(subscribe_url("topic=energy")).content.decode()
    assert "Topic:</span> Energy" in form
    response = client.post(
        subscribe_url("topic=energy"), {"email": SUBSCRIBER, "frequency": "weekly", "homepage": ""}
    )
    assert response.status_code == 302
    search = SavedSearch.objects.get()
    assert (search.state, search.filters, search.language) == ("unconfirmed", "topic=energy", "en")
    (confirm,) = mail.outbox
    assert confirm.to == [SUBSCRIBER] and "Topic: Energy" in confirm.body
    path = link(confirm, "confirm")
    # A link scanner's GET confirms nothing.
    assert "Confirm my alert" in client.get(path).content.decode()
    search.refresh_from_db()
    assert search.state == "unconfirmed"
    done = client.post(path).content.decode()
    assert "Your alert is confirmed" in done and "Manage my alerts" in done
    search.refresh_from_db()
    assert search.state == "confirmed" and search.next_due_at > timezone.now()
    mail.outbox.clear()

    new = GoodPracticeFactory(title="Solar schools", topics=[energy])
    GoodPracticeFactory(title="Another topic")
    GoodPracticeFactory(title="A draft", topics=[energy], publication_state="draft")

    # Not due yet: nothing.
    counts = services.send_alerts(now=timezone.now() + DAY)
    assert counts["sent"] == 0 and not mail.outbox

    week = timezone.now() + 7 * DAY
    counts = services.send_alerts(now=week)
    assert (counts["sent"], counts["kept"]) == (1, 0)
    (digest,) = mail.outbox
    assert digest.to == [SUBSCRIBER]
    assert "1 new good practice for your search" in digest.subject
    assert "Solar schools" in digest.body and new.get_absolute_url() in digest.body
    for absent in ("Published before", "Another topic", "A draft"):
        assert absent not in digest.body
    unsubscribe = link(digest, "unsubscribe")
    assert digest.extra_headers["List-Unsubscribe"].endswith(f"{unsubscribe}>")
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert SUBSCRIBER not in digest.extra_headers["List-Unsubscribe"]
    html = digest.alternatives[0][0]
    assert "Solar schools" in html and unsubscribe in html

    # Run again (twice, even a week later with nothing new): nothing is repeated.
    services.send_alerts(now=week)
    services.send_alerts(now=week + 8 * DAY)
    assert len(mail.outbox) == 1

    # One-click unsubscribe: a POST without a CSRF token, as a mail client sends it.
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post(unsubscribe, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert not SavedSearch.objects.exists()
    # Posting again says so, without an error.
    assert csrf_client.post(unsubscribe).status_code == 200
    GoodPracticeFactory(title="After unsubscribing", topics=[energy])
    services.send_alerts(now=week + 30 * DAY)
    assert len(mail.outbox) == 1


def test_digest_links_and_headers_point_to_the_site_url(client, energy, settings):
    # Cron sends the digests outside any request: SITE_URL is the only address known.
    settings.SITE_URL = "https://practices.example.eu"
    subscribe_and_confirm(client)
    mail.outbox.clear()
    new = GoodPracticeFactory(title="Solar schools", topics=[energy])
    services.send_alerts(now=timezone.now() + 7 * DAY)
    (digest,) = mail.outbox
    site = "https://practices.example.eu"
    assert digest.extra_headers["List-Unsubscribe"].startswith(f"<{site}/practices/alerts/")
    assert f"{site}{new.get_absolute_url()}" in digest.body
    assert "localhost" not in digest.body


def test_unsubscribe_get_only_asks(client, energy):
    search = subscribe_and_confirm(client)
    url = reverse(
        "practices:alert-unsubscribe", kwargs={"token": services.alert_manage_token(search)}
    )
    response = client.get(url)
    assert response.status_code == 200 and "Stop the e-mails" in response.content.decode()
    assert SavedSearch.objects.exists()
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_digest_in_the_subscribers_language(client, energy):
    search = subscribe_and_confirm(client, language="pl")
    assert search.language == "pl"
    practice = GoodPracticeFactory(title="Solar schools", topics=[energy])
    PracticeTranslation.objects.create(
        master=practice, language_code="pl", translated_title="Szkoły słoneczne"
    )
    services.send_alerts(now=timezone.now() + 7 * DAY)
    (digest,) = mail.outbox
    assert "Szkoły słoneczne" in digest.body
    assert "/pl/practices/" in digest.body and "/pl/practices/alerts/unsubscribe/" in digest.body
    assert "Temat" in digest.body or "temat" in digest.body.lower()


def test_weekly_and_monthly_are_due_at_their_own_pace(client, energy):
    weekly = subscribe_and_confirm(client, frequency="weekly")
    monthly = subscribe_and_confirm(client, frequency="monthly")
    start = monthly.confirmed_at
    GoodPracticeFactory(title="Solar schools", topics=[energy])
    services.send_alerts(now=start + 7 * DAY)
    assert [m.to for m in mail.outbox] == [[SUBSCRIBER]]
    weekly.refresh_from_db()
    assert weekly.last_sent_at and weekly.digests_sent == 1
    monthly.refresh_from_db()
    assert monthly.last_sent_at is None
    mail.outbox.clear()
    services.send_alerts(now=start + 31 * DAY)
    (digest,) = mail.outbox
    assert "Solar schools" in digest.body
    monthly.refresh_from_db()
    assert monthly.digests_sent == 1
    # The weekly one got it already: nothing new for it.
    weekly.refresh_from_db()
    assert weekly.digests_sent == 1


def test_the_manage_page_changes_the_frequency(client, energy):
    search = subscribe_and_confirm(client)
    url = reverse("practices:alert-manage", kwargs={"token": services.alert_manage_token(search)})
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "Energy" in html and SUBSCRIBER not in html
    assert client.post(url, {"frequency": "yearly"}).status_code == 400
    response = client.post(url, {"frequency": "monthly"})
    assert "Saved" in response.content.decode()
    search.refresh_from_db()
    assert search.frequency == "monthly"
    assert search.next_due_at > search.confirmed_at + 27 * DAY


def test_a_mail_server_that_is_down_keeps_the_digest_and_sends_it_once(client, energy, monkeypatch):
    search = subscribe_and_confirm(client)
    GoodPracticeFactory(title="Solar schools", topics=[energy])
    real = EmailBackend.send_messages

    def down(self, messages):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr(EmailBackend, "send_messages", down)
    week = timezone.now() + 7 * DAY
    counts = services.send_alerts(now=week)
    assert (counts["sent"], counts["kept"]) == (0, 1) and not mail.outbox
    search.refresh_from_db()
    assert search.last_error == "SMTPServerDisconnected" and search.claimed_at is None
    assert search.sent_until == search.confirmed_at

    monkeypatch.setattr(EmailBackend, "send_messages", real)
    GoodPracticeFactory(title="Wind cooperatives", topics=[energy])
    services.send_alerts(now=week + DAY)
    services.send_alerts(now=week + DAY)
    (digest,) = mail.outbox
    assert "Solar schools" in digest.body and "Wind cooperatives" in digest.body


def test_a_claimed_subscription_is_not_sent_by_a_second_run(client, energy):
    search = subscribe_and_confirm(client)
    GoodPracticeFactory(title="Solar schools", topics=[energy])
    now = timezone.now() + 7 * DAY
    SavedSearch.objects.filter(pk=search.pk).update(claimed_at=now - datetime.timedelta(minutes=5))
    assert services.send_alerts(now=now)["sent"] == 0 and not mail.outbox
    # A claim left by a run that died is taken over after the timeout.
    assert services.send_alerts(now=now + 2 * datetime.timedelta(hours=1))["sent"] == 1


def test_searches_alike_are_read_once_in_batches(client, energy, django_assert_num_queries):
    for n in range(5):
        client.post(
            subscribe_url("topic=energy"),
            {"email": f"r{n}@private.example", "frequency": "weekly", "homepage": ""},
            REMOTE_ADDR=f"10.0.0.{n}",
        )
    for message in list(mail.outbox):
        client.post(link(message, "confirm"))
    mail.outbox.clear()
    GoodPracticeFactory(title="Solar schools", topics=[energy])
    # The groups and the due ids; per group its topic and its new practices;
    # per batch of 2 a claim, a read and one update per outcome. Not per subscriber.
    with django_assert_num_queries(2 + 2 + 3 * 3):
        counts = services.send_alerts(now=timezone.now() + 7 * DAY, batch_size=2)
    assert counts == {"groups": 1, "sent": 5, "nothing_new": 0, "kept": 0}
    assert sorted(m.to[0] for m in mail.outbox) == [f"r{n}@private.example" for n in range(5)]


def test_the_command_expires_unconfirmed_and_reports(client, energy, settings):
    client.post(subscribe_url(), {"email": SUBSCRIBER, "frequency": "weekly", "homepage": ""})
    SavedSearch.objects.update(created_at=timezone.now() - 30 * DAY)
    from io import StringIO

    out = StringIO()
    call_command("send_alerts", stdout=out)
    assert "1 unconfirmed expired" in out.getvalue() and "digest(s) sent" in out.getvalue()
    assert not SavedSearch.objects.exists()


@pytest.mark.parametrize("name", ["alert-confirm", "alert-manage", "alert-unsubscribe"])
def test_bad_links_give_a_clear_page(client, name):
    response = client.get(reverse(f"practices:{name}", kwargs={"token": "not-a-token"}))
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()


def test_expired_and_gone_links(client, energy, settings):
    client.post(subscribe_url(), {"email": SUBSCRIBER, "frequency": "weekly", "homepage": ""})
    path = link(mail.outbox[0], "confirm")
    settings.PROPOSAL_CONFIRM_MAX_AGE = -1
    response = client.get(path)
    assert response.status_code == 410 and "This link has expired" in response.content.decode()
    search = SavedSearch.objects.get()
    manage = reverse(
        "practices:alert-manage", kwargs={"token": services.alert_manage_token(search)}
    )
    search.delete()
    response = client.get(manage)
    assert response.status_code == 404 and "no longer exists" in response.content.decode()


def test_errors_keep_the_input_and_honeypot_and_limits(client, settings):
    response = client.post(subscribe_url("q=solar"), {"email": "reader@", "frequency": "monthly"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="reader@"' in html and 'value="monthly" ' in html and "checked" in html
    assert "Enter an e-mail address like name@example.org." in html
    response = client.post(
        subscribe_url(), {"email": SUBSCRIBER, "frequency": "weekly", "homepage": "spam"}
    )
    assert response.status_code == 302 and not SavedSearch.objects.exists() and not mail.outbox
    settings.CONTACT_RATE_LIMIT = "1/h"
    response = client.post(subscribe_url(), {"email": SUBSCRIBER, "frequency": "weekly"})
    assert response.status_code == 429 and SUBSCRIBER in response.content.decode()


@pytest.mark.usefixtures("lost_limit_store")
def test_the_limit_store_away_fails_closed_keeping_the_input(client):
    response = client.post(subscribe_url(), {"email": SUBSCRIBER, "frequency": "weekly"})
    assert (
        response.status_code == 503
        and 'value="reader@private.example"' in response.content.decode()
    )
    assert not SavedSearch.objects.exists()


def test_filters_are_normalised(client, energy):
    client.post(
        subscribe_url("validated=1&topic=energy&q=%20Solar%20%20roofs&sort=title&page=3&year=oops"),
        {"email": SUBSCRIBER, "frequency": "weekly"},
    )
    assert SavedSearch.objects.get().filters == "q=Solar+roofs&topic=energy&validated=1"


def test_staff_see_searches_without_the_address(client, energy):
    subscribe_and_confirm(client)
    client.force_login(make_portal_admin("alerts-admin"))
    listing = client.get(admin_url(SavedSearch, "changelist"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "topic=energy" in html and SUBSCRIBER not in html
    search = SavedSearch.objects.get()
    page = client.get(admin_url(SavedSearch, "change", search.pk)).content.decode()
    assert SUBSCRIBER not in page


def test_the_listing_link_costs_no_query_and_the_page_stays_cached(
    client, energy, django_assert_max_num_queries, django_assert_num_queries
):
    GoodPracticeFactory(title="Solar schools", topics=[energy])
    url = reverse("practices:practice-list") + "?topic=energy&validated=1&sort=title"
    # The listing's own budget (tests/practices/test_listing.py), the link included.
    with django_assert_max_num_queries(8):
        first = client.get(url).content.decode()
    assert f'href="{subscribe_url("topic=energy&amp;validated=1")}"' in first
    # The same page again comes from the page cache.
    with django_assert_num_queries(0):
        again = client.get(url).content.decode()
    assert again == first


def test_batches_across_searches_and_languages_send_each_its_own(client, energy):
    subscribers = {}
    for n, (query, language) in enumerate(
        [("topic=energy", "en"), ("topic=energy", "pl"), ("", "en"), ("topic=energy", "en")]
    ):
        with translation.override(language):
            url = subscribe_url(query)
        email = f"r{n}@private.example"
        client.post(url, {"email": email, "frequency": "weekly"}, REMOTE_ADDR=f"10.0.1.{n}")
        client.post(link(mail.outbox[-1], "confirm"))
        subscribers[email] = (query, language)
    mail.outbox.clear()
    GoodPracticeFactory(title="Solar schools", topics=[energy])
    GoodPracticeFactory(title="Museum nights")
    counts = services.send_alerts(now=timezone.now() + 7 * DAY, batch_size=3)
    assert counts == {"groups": 3, "sent": 4, "nothing_new": 0, "kept": 0}
    for message in mail.outbox:
        query, language = subscribers[message.to[0]]
        assert "Solar schools" in message.body
        assert ("Museum nights" in message.body) == (query == "")
        assert ("/pl/practices/" in message.body) == (language == "pl")


def test_new_means_newly_public_on_the_portal_not_newly_dated(client, energy):
    """Issue 18: an imported or approved practice keeps its old date and still reaches digests."""
    shown_before = GoodPracticeFactory(title="Shown before", topics=[energy])
    search = subscribe_and_confirm(client)
    long_ago = search.confirmed_at - 700 * DAY
    imported = GoodPracticeFactory(
        title="Imported with its date",
        topics=[energy],
        publication_state="draft",
        published_at=long_ago,
    )
    # Taken off and shown again: it was public before the subscription.
    shown_before.publication_state = "archived"
    shown_before.save()
    staff = Client()
    staff.force_login(make_portal_admin("publisher"))
    response = staff.post(
        admin_url(GoodPractice, "changelist"),
        {"action": "make_published", "_selected_action": [imported.pk, shown_before.pk]},
    )
    assert response.status_code == 302
    imported.refresh_from_db()
    assert (imported.publication_state, imported.published_at) == ("published", long_ago)

    week = timezone.now() + 7 * DAY
    assert services.send_alerts(now=week)["sent"] == 1
    (digest,) = mail.outbox
    assert "Imported with its date" in digest.body and "Shown before" not in digest.body
    # Run twice, and again a week later: never repeated.
    services.send_alerts(now=week)
    services.send_alerts(now=week + 8 * DAY)
    assert len(mail.outbox) == 1


def test_the_migration_dates_each_practice_from_its_history_or_its_date():
    backfill = importlib.import_module("practices.migrations.0023_first_public_at").backfill
    dated = timezone.now() - 700 * DAY
    approved = GoodPracticeFactory(publication_state="draft", published_at=dated)
    approved.publication_state = "published"
    approved.save()
    shown = approved.history.filter(publication_state="published").earliest("history_date")
    bulk = GoodPractice.objects.bulk_create(
        [
            GoodPracticeFactory.build(
                publication_state=state,
                published_at=dated,
                slug=state,
                region=approved.region,
                organisation=approved.organisation,
            )
            for state in ("published", "archived", "draft")
        ]
    )
    GoodPractice.objects.update(first_public_at=None)
    backfill(django_apps, None)
    found = dict(GoodPractice.objects.values_list("slug", "first_public_at"))
    assert found[approved.slug] == shown.history_date
    assert [found[p.slug] for p in bulk] == [dated, dated, None]
