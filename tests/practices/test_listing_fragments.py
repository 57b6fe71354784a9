"""The listing's cached parts: filter menus, map and count are built once per
filter state and data generation, and an edit shows in them at once."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import GoodPracticeFactory, TopicFactory
from tests.practices.browse_data import build_practices, build_world

pytestmark = pytest.mark.django_db

LIST_URL = reverse("practices:practice-list")


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def data(world):
    return build_practices(world)


def test_paging_through_a_list_counts_and_renders_the_menus_once(
    client, django_assert_num_queries, data
):
    first = client.get(f"{LIST_URL}?country=PL")
    # The page's rows (with their topics) and the country filter's lookup:
    # no COUNT, no facet query.
    with django_assert_num_queries(2):
        again = client.get(f"{LIST_URL}?country=PL&sort=title")
    assert again.context["paginator"].count == first.context["paginator"].count == 2
    body = again.content.decode()
    assert "Polska (2)" in body and 'id="practice-map-data"' in body
    assert '<input type="hidden" name="sort" value="title">' in body


def test_an_edit_shows_in_the_menus_and_the_count_at_once(client, world, data):
    topic = TopicFactory(name="Freshly added topic")
    before = client.get(LIST_URL).context["paginator"].count
    assert "Freshly added topic" not in client.get(LIST_URL).content.decode()
    GoodPracticeFactory(region=world.pl91, topics=[topic])
    response = client.get(LIST_URL)
    body = response.content.decode()
    assert "Freshly added topic (1)" in body
    assert response.context["paginator"].count == before + 1


def test_the_menus_follow_the_language_and_the_selection(client, data):
    english = client.get(f"{LIST_URL}?country=PL").content.decode()
    polish = client.get(f"/pl{LIST_URL}?country=PL").content.decode()
    assert "All countries" in english and "All countries" not in polish
    other = client.get(f"{LIST_URL}?country=ES").content.decode()
    assert '<option value="ES" selected>' in other
    assert '<option value="PL" selected>' not in other


def test_topic_links_add_the_topic_to_the_filters_in_force(client, data):
    response = client.get(f"{LIST_URL}?country=PL&page=1")
    body = response.content.decode()
    practice = response.context["practices"][0]
    topic = practice["topics"][0]
    assert f'href="?country=PL&amp;topic={topic["slug"]}"' in body


def test_the_list_offers_its_feed_with_the_filters_in_force(client, data):
    body = client.get(f"{LIST_URL}?country=PL&page=1&sort=title").content.decode()
    feed = re.search(
        r'<p class="downloads feed-link"><a href="([^"]+)" type="application/atom\+xml">', body
    )
    assert feed, "a visible link to the list's Atom feed"
    assert feed.group(1).endswith("/feeds/practices/?country=PL")
    polish = client.get(f"/pl{LIST_URL}?country=PL").content.decode()
    assert "/feeds/practices/?country=PL&amp;lang=pl" in polish


def test_the_list_does_not_read_region_outlines(client, data):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{LIST_URL}?sort=title")
    assert response.status_code == 200 and response.context["practices"]
    assert not [q["sql"] for q in queries.captured_queries if "outline" in q["sql"]]


def test_one_search_typed_two_ways_keeps_its_own_words_in_the_search_box(client, data):
    # The counts of "Platform" and "platform" are one (infra.caching keys them
    # on the parsed search); the rendered panel shows what was typed.
    first = client.get(f"{LIST_URL}?q=platform").content.decode()
    second = client.get(f"{LIST_URL}?q=Platform").content.decode()
    assert 'name="q" value="platform"' in first
    assert 'name="q" value="Platform"' in second


@pytest.mark.parametrize("layer", ["fragments", "facets", "counts"])
def test_each_cache_layer_only_saves_time(client, settings, data, layer):
    # bench/layers.py times pages without each layer: the pages must not change.
    urls = [f"{LIST_URL}?country=PL", f"{LIST_URL}?q=platform&sort=title", f"/pl{LIST_URL}"]
    settings.PAGE_CACHE_SECONDS = 0
    with_layer = [client.get(url).content for url in urls]
    settings.CACHE_LAYERS_OFF = [layer]
    assert [client.get(url).content for url in urls] == with_layer
