"""The map on the practice listing: points per region, links, offline, no inline script."""

import json
import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from practices.models import PracticeTranslation
from tests.factories import GoodPracticeFactory
from tests.practices.browse_data import build_practices, build_world

pytestmark = pytest.mark.django_db

LIST_URL = reverse("practices:practice-list")


@pytest.fixture
def world():
    return build_world()


def map_points(response):
    match = re.search(
        r'<script id="practice-map-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "the map data is passed with json_script"
    return json.loads(match.group(1))


def test_one_point_per_region_with_its_count(client, world):
    for _ in range(3):
        GoodPracticeFactory(region=world.pl91)
    only = GoodPracticeFactory(region=world.es41, title="Only one in Castilla")
    response = client.get(LIST_URL)
    points = {p["slug"]: p for p in map_points(response)}
    assert set(points) == {"pl91", "es41"}
    assert points["pl91"]["count"] == 3
    assert (points["pl91"]["lat"], points["pl91"]["lon"]) == (52.2, 21.0)
    # A region with several practices links to the list narrowed to it, keeping
    # the other filters; a region with one links to the practice.
    assert points["pl91"]["url"] == f"{LIST_URL}?region=pl91"
    assert points["es41"]["url"] == only.get_absolute_url()
    assert points["es41"]["title"] == "Only one in Castilla"


def test_points_follow_the_filters(client, world):
    data = build_practices(world)
    response = client.get(f"{LIST_URL}?topic={data.digital.slug}&country=PL&region=PL9")
    points = map_points(response)
    assert {p["slug"] for p in points} == {"pl91", "pl92"}
    for point in points:
        assert point["count"] == 1
    response = client.get(f"{LIST_URL}?topic={data.industry.slug}")
    by_slug = {p["slug"]: p for p in map_points(response)}
    assert by_slug["iti1"]["count"] == 2
    assert by_slug["iti1"]["url"] == f"{LIST_URL}?topic={data.industry.slug}&region=iti1"


def test_region_without_label_point_is_placed_at_its_parent(client, world):
    GoodPracticeFactory(region=world.leeds)
    GoodPracticeFactory(region=world.leeds)
    (point,) = map_points(client.get(LIST_URL))
    assert point["slug"] == "leeds-city-region"
    assert (point["lat"], point["lon"]) == (world.uke.label_lat, world.uke.label_lon)


def test_map_is_drawn_offline_by_a_static_script(client, world, settings):
    settings.MAP_TILE_URL = ""
    GoodPracticeFactory(region=world.pl91)
    body = client.get(LIST_URL).content.decode()
    assert 'src="/static/js/map.js"' in body
    config = json.loads(
        re.search(
            r'<script id="practice-map-config" type="application/json">(.*?)</script>', body
        ).group(1)
    )
    assert config["tileUrl"] == ""
    assert config["outlineUrl"].startswith("/static/")
    # No inline script: every <script> either loads a file or carries JSON data.
    for tag in re.findall(r"<script[^>]*>", body):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "style=" not in body


def test_tile_layer_is_optional(client, world, settings):
    settings.MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© Tile makers"
    GoodPracticeFactory(region=world.pl91)
    body = client.get(LIST_URL).content.decode()
    assert "https://tiles.example/{z}/{x}/{y}.png" in body
    assert "© Tile makers" in body


def test_map_has_a_text_alternative(client, world):
    GoodPracticeFactory(region=world.pl91)
    GoodPracticeFactory(region=world.pl91)
    body = client.get(LIST_URL).content.decode()
    assert '<figure class="map-figure"' in body
    assert "Places on the map as a list" in body
    assert f'<a href="{LIST_URL}?region=pl91">Warszawski stołeczny (PL91)</a>' in body


def test_no_map_without_practices(client, world):
    body = client.get(LIST_URL).content.decode()
    assert "map-figure" not in body


def test_include_is_reusable_with_a_plain_point_list():
    request = RequestFactory().get("/regions/x/")
    points = [
        {
            "lat": 41.0,
            "lon": 2.0,
            "count": 2,
            "name": "Cataluña",
            "code": "ES51",
            "slug": "es51",
            "path": "/es/es5/es51/",
            "title": "",
            "url": "/practices/?region=es51",
        }
    ]
    html = render_to_string(
        "includes/_map.html",
        {"points": points, "map_id": "region-map", "list_url": "/practices/?", "caption": "Map"},
        request=request,
    )
    assert 'id="region-map-data"' in html
    assert 'data-list-url="/practices/?"' in html


@pytest.mark.parametrize("rows", [1, 50])
def test_points_cost_no_query_per_practice(client, django_assert_max_num_queries, world, rows):
    regions = [world.pl91, world.pl92, world.es41, world.es51, world.iti1, world.leeds]
    for n in range(rows):
        GoodPracticeFactory(region=regions[n % len(regions)])
    with django_assert_max_num_queries(8):
        response = client.get(LIST_URL)
    assert sum(p["count"] for p in map_points(response)) == rows


def test_include_passes_region_outlines_when_given():
    request = RequestFactory().get("/regions/es51/")
    point = {
        "lat": 41.6,
        "lon": 1.6,
        "count": 3,
        "name": "Cataluña",
        "code": "ES51",
        "slug": "es51",
        "path": "/es/es5/es51/",
        "title": "",
        "url": "/practices/?region=es51",
    }
    outline = {"type": "Polygon", "coordinates": [[[0.2, 40.5], [3.3, 41.9], [0.2, 40.5]]]}
    html = render_to_string(
        "includes/_map.html",
        {"points": [point], "map_id": "m", "list_url": "/practices/?", "outlines": [outline]},
        request=request,
    )
    assert 'data-outlines="m-outlines"' in html
    assert '<script id="m-outlines" type="application/json">' in html


def test_a_lone_practice_pin_names_it_as_its_card_does(client, world):
    """Issue 19: a pin of one practice shows its version in the page's language."""
    practice = GoodPracticeFactory(region=world.es41, title="Vouchers", language="en")
    PracticeTranslation.objects.create(
        master=practice, language_code="pl", translated_title="Bony na innowacje"
    )
    # English first: the facet counts it fills are shared by every language.
    assert map_points(client.get(LIST_URL))[0]["title"] == "Vouchers"
    for language, title in (("pl", "Bony na innowacje"), ("ro", "Vouchers")):
        with translation.override(language):
            url, practice_url = reverse("practices:practice-list"), practice.get_absolute_url()
        response = client.get(url)
        (point,) = map_points(response)
        assert (point["title"], point["url"]) == (title, practice_url)
        # The card and the map's list of places name it alike.
        body = response.content.decode()
        assert re.search(rf'<h3><a href="{point["url"]}"[^>]*>{title}</a></h3>', body)
        assert f": {title}</li>" in body
