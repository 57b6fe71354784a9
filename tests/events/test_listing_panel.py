"""The listings' filter panel (events, projects, organisations) is rendered
once per filter state and data generation, and an edit shows in it at once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("events:event-list")


@pytest.fixture(autouse=True)
def _back_to_english():
    yield
    translation.activate("en")


def event_in(year, **kwargs):
    start = timezone.now().replace(year=year, month=6, day=10)
    return EventFactory(start=start, end=start + datetime.timedelta(hours=6), **kwargs)


def test_an_edit_shows_in_the_panel_at_once(client):
    event_in(2019)
    body = client.get(LIST_URL).content.decode()
    assert "Skip to the 1 result" in body and '<option value="2015">' not in body
    event_in(2015)
    body = client.get(f"{LIST_URL}?page=1").content.decode()
    assert "Skip to the 2 results" in body and '<option value="2015">2015</option>' in body


def test_the_panel_follows_the_filters_as_given_and_the_language(client):
    event_in(2019, kind="workshop")
    first = client.get(f"{LIST_URL}?kind=workshop").content.decode()
    assert '<option value="workshop" selected>' in first
    other = client.get(f"{LIST_URL}?kind=conference&page=2").content.decode()
    assert '<option value="conference" selected>' in other
    assert '<option value="workshop" selected>' not in other
    # A value that names nothing stays in its box, with its message.
    typed = client.get(f"{LIST_URL}?project=no-such-project").content.decode()
    assert 'value="no-such-project"' in typed and 'class="field-message"' in typed
    assert 'class="field-message"' not in client.get(LIST_URL).content.decode()
    polish = client.get(f"/pl{LIST_URL}").content.decode()
    assert 'action="/pl/events/"' in polish and "Any kind" not in polish


@pytest.mark.parametrize(
    "url", [LIST_URL, f"{LIST_URL}?kind=workshop&page=2", reverse("exchange:project-list")]
)
def test_the_cached_panel_is_the_panel_built(client, settings, url):
    # bench/layers.py times pages without each layer: the pages must not change.
    event_in(2019, kind="workshop")
    settings.PAGE_CACHE_SECONDS = 0
    built = [client.get(url).content for _ in range(2)]
    settings.CACHE_LAYERS_OFF = ["fragments"]
    assert client.get(url).content == built[0] == built[1]
