"""Anonymous visitors may make the portal build only so many listing pages and
downloads a minute (issue 15 item 6): beyond, the 429 page."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from infra import ratelimit
from tests.factories import EventFactory, GoodPracticeFactory, TopicFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("practices:practice-list")


@pytest.fixture
def practices():
    topic = TopicFactory(slug="energy")
    return [GoodPracticeFactory(topics=[topic]) for _ in range(3)]


def test_listing_builds_beyond_the_budget_get_the_429_page(client, settings, practices):
    settings.LISTING_BUILD_RATE = "3/m"
    for query in ("", "?sort=title", "?q=energy"):
        assert client.get(LIST_URL + query).status_code == 200
    refused = client.get(LIST_URL + "?topic=energy")
    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode()
    assert 0 < int(refused["Retry-After"]) <= 60
    # Another address has its own budget.
    assert client.get(LIST_URL + "?topic=energy", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_pages_served_from_the_cache_cost_nothing(client, settings, practices):
    settings.LISTING_BUILD_RATE = "2/m"
    for _ in range(10):
        assert client.get(LIST_URL + "?sort=title").status_code == 200
    assert client.get(LIST_URL).status_code == 200


def test_stray_parameters_do_not_spend_the_budget(client, settings, practices):
    settings.LISTING_BUILD_RATE = "2/m"
    for n in range(10):
        assert client.get(f"{LIST_URL}?utm={n}").status_code == 200


def test_signed_in_staff_are_not_counted(client, settings, practices):
    settings.LISTING_BUILD_RATE = "1/m"
    user = get_user_model().objects.create_user("staff", password="x", is_staff=True)
    client.force_login(user)
    for query in ("", "?sort=title", "?q=energy"):
        assert client.get(LIST_URL + query).status_code == 200


def test_downloads_have_a_budget_of_their_own(client, settings, practices):
    settings.EXPORT_RATE = "2/m"
    EventFactory()
    assert client.get(LIST_URL + "?format=csv").status_code == 200
    assert client.get(reverse("events:event-list") + "?format=json").status_code == 200
    refused = client.get(LIST_URL + "?topic=energy&format=csv")
    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode()
    # Pages are still built.
    assert client.get(LIST_URL + "?topic=energy").status_code == 200


def test_without_its_store_the_budget_lets_builds_through(client, settings, monkeypatch, practices):
    # The listing is the portal's main page: a lost Redis slows it, not closes it.
    def unavailable(*args, **kwargs):
        raise ratelimit.LimitUnavailable("listing-build")

    monkeypatch.setattr(ratelimit, "hit", unavailable)
    settings.LISTING_BUILD_RATE = "1/m"
    for query in ("", "?sort=title", "?format=csv"):
        assert client.get(LIST_URL + query).status_code == 200
