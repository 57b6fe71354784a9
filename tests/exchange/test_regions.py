"""The region tree: trails, subtrees and counts rolled up the paths."""

import pytest
from django.utils import translation

from core.models import Region
from core.regions import path_at_depth, path_prefixes, region_trail, roll_up
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def slovenia():
    """Slovenia's NUTS 1 region repeats the country's name; its NUTS 2 regions do not."""
    si = RegionFactory(nuts_code="SI", name="Slovenija", name_en="Slovenia")
    si0 = RegionFactory(nuts_code="SI0", name="Slovenija", name_en="Slovenia", parent=si)
    si03 = RegionFactory(nuts_code="SI03", name="Vzhodna Slovenija", parent=si0)
    return si, si0, si03


def test_trail_names_every_level_country_first(django_assert_num_queries):
    es = RegionFactory(nuts_code="ES", name="España")
    es5 = RegionFactory(nuts_code="ES5", name="Este", parent=es)
    es51 = RegionFactory(nuts_code="ES51", name="Cataluña", parent=es5)
    with django_assert_num_queries(1):
        assert region_trail(es51) == [es, es5, es51]


def test_trail_of_a_country_or_of_nothing_costs_no_query(django_assert_num_queries):
    es = RegionFactory(nuts_code="ES")
    with django_assert_num_queries(0):
        assert region_trail(es) == [es]
        assert region_trail(None) == []


def test_trail_shows_a_level_that_repeats_the_name_above_once(slovenia):
    si, si0, si03 = slovenia
    # "Slovenia", not "Slovenia › Slovenia": the lower region stands for both.
    assert region_trail(si0) == [si0]
    assert region_trail(si03) == [si0, si03]


@pytest.mark.parametrize("language", ["en", "pl", "ro"])
def test_trail_merges_the_twin_of_a_localised_country_in_every_language(slovenia, language):
    # Fixed: on PL/RO pages the country's name is localised ("Słowenia") and
    # its NUTS 1 twin's is not, so the header read "Slovenia, Słowenia".
    si, si0, si03 = slovenia
    with translation.override(language):
        assert region_trail(si0) == [si0]
        assert region_trail(si03) == [si0, si03]


def test_trail_leaves_out_the_outline():
    es = RegionFactory(nuts_code="ES", outline={"type": "Point", "coordinates": [0, 0]})
    es5 = RegionFactory(nuts_code="ES5", parent=es)
    country = region_trail(es5)[0]
    assert "outline" in country.get_deferred_fields()


def test_path_prefixes_and_depths():
    assert path_prefixes("/es/es5/es51/") == ["/es/", "/es/es5/", "/es/es5/es51/"]
    assert path_prefixes("/") == []
    assert path_at_depth("/es/es5/es51/", 2) == "/es/es5/"
    assert path_at_depth("/es/", 3) == "/es/"


def test_roll_up_adds_each_count_to_every_region_above():
    totals = roll_up([("/es/es5/es51/", 2), ("/es/es4/", 3), ("/pl/", 1)])
    assert dict(totals) == {
        "/es/": 5,
        "/es/es5/": 2,
        "/es/es5/es51/": 2,
        "/es/es4/": 3,
        "/pl/": 1,
    }


def test_within_several_regions_and_none():
    es = RegionFactory(nuts_code="ES")
    es5 = RegionFactory(nuts_code="ES5", parent=es)
    pl = RegionFactory(nuts_code="PL")
    pl9 = RegionFactory(nuts_code="PL9", parent=pl)
    de = RegionFactory(nuts_code="DE")
    assert set(Region.objects.within(es, pl9)) == {es, es5, pl9}
    assert de not in Region.objects.within(es, pl)
    assert not Region.objects.within().exists()
