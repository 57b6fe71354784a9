"""The map's text alternative: every place as a link, most practices first,
counted in the visitor's language, and escaped."""

import re

import pytest
from django.urls import reverse

from tests.factories import GoodPracticeFactory, RegionFactory
from tests.practices.browse_data import build_world

pytestmark = pytest.mark.django_db

LIST_URL = reverse("practices:practice-list")


def place_items(response):
    body = response.content.decode()
    places = re.search(r'<details class="map-places">.*?<ul>(.*?)</ul>', body, re.S)
    assert places, "the map has a list of its places"
    return re.findall(r"<li>(.*?)</li>", places.group(1), re.S)


def test_places_are_listed_most_practices_first_with_their_counts(client):
    world = build_world()
    for _ in range(3):
        GoodPracticeFactory(region=world.pl91)
    GoodPracticeFactory(region=world.es41, title="Only <one> in Castilla")
    items = place_items(client.get(LIST_URL))
    assert items[0] == (
        f'<a href="{LIST_URL}?region=pl91">{world.pl91.display_name} (PL91)</a> – 3 practices'
    )
    assert items[1].endswith("</a>: Only &lt;one&gt; in Castilla")
    polish = place_items(client.get(f"/pl{LIST_URL}"))
    assert polish[0].endswith("– 3 praktyki")


def test_place_names_are_escaped(client):
    world = build_world()
    odd = RegionFactory(nuts_code="PL99", name="<b>Odd</b> & co", parent=world.pl9)
    odd.label_lat, odd.label_lon = 50.0, 20.0
    odd.save()
    GoodPracticeFactory(region=odd)
    GoodPracticeFactory(region=odd)
    (item,) = [i for i in place_items(client.get(LIST_URL)) if "PL99" in i]
    assert "&lt;b&gt;Odd&lt;/b&gt; &amp; co (PL99)" in item and "<b>" not in item
