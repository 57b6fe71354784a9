"""Region page: children, covering areas and ancestors in one query; counts and map in one."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Region
from tests.factories import (
    EventFactory,
    GoodPracticeFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    RegionFactory,
    TransferFactory,
)

pytestmark = pytest.mark.django_db

# The region page of the fixture, caches empty, measured before the list of
# what its organisations want to learn came back (7 then; 6 since the
# projects covering an area are asked for only when there are some).
QUERIES_BEFORE_LEARNING = 6


def clear_caches():
    for alias in caches:
        if alias != "ratelimit":
            caches[alias].clear()


@pytest.fixture
def area():
    country = RegionFactory(name="Testland", nuts_code="TL")
    middle = RegionFactory(name="Middle Testland", nuts_code="TL1", parent=country)
    child = RegionFactory(name="Inner Testland", nuts_code="TL11", parent=middle)
    city = RegionFactory(name="Test City Region", kind=Region.Kind.CITY_REGION, nuts_code=None)
    city.covers.add(middle)
    organisation = OrganisationFactory(region=child)
    PartnershipFactory(organisation=organisation)
    GoodPracticeFactory(
        region=child, organisation=organisation, title="Practice in the child region"
    )
    EventFactory(region=child)
    TransferFactory(region=child)
    return country, middle, child, city


def test_region_page_shows_ancestors_children_and_covering_areas(client, area):
    country, middle, child, city = area
    response = client.get(reverse("exchange:region-detail", args=[middle.slug]))
    assert response.status_code == 200
    context = response.context
    # Plain rows, each named and linked.
    assert [(r["slug"], r["url"]) for r in context["ancestors"]] == [
        (country.slug, country.get_absolute_url())
    ]
    assert [(r["slug"], r["display_name"]) for r in context["children"]] == [
        (child.slug, child.display_name)
    ]
    assert [(r["slug"], r["kind_display"]) for r in context["covered_by"]] == [
        (city.slug, city.get_kind_display())
    ]
    assert "Practice in the child region" in response.content.decode()


@pytest.mark.parametrize("extra", [0, 20])
def test_region_page_query_count(client, area, extra, django_assert_max_num_queries):
    country, middle, child, city = area
    for n in range(extra):
        RegionFactory(parent=middle, nuts_code=f"TL1{chr(65 + n)}")
        organisation = OrganisationFactory(region=child)
        PartnershipFactory(organisation=organisation)
        GoodPracticeFactory(region=child, organisation=organisation)
        EventFactory(region=child)
        TransferFactory(region=child)
        # A project covering the area: one query for all of them, not one each.
        ProjectFactory(area=middle)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("exchange:region-detail", args=[middle.slug]))
    assert response.status_code == 200


def test_region_page_lists_what_its_organisations_want_to_learn(
    client, area, django_assert_num_queries
):
    """In the query that reads the adoptions: the page costs what it cost before."""
    country, middle, child, city = area
    url = reverse("exchange:region-detail", args=[middle.slug])
    for alias in caches:
        if alias != "ratelimit":
            caches[alias].clear()
    with django_assert_num_queries(QUERIES_BEFORE_LEARNING):
        client.get(url)
    energy = GoodPracticeFactory(title="Energy communities")
    TransferFactory(practice=energy, region=child, state="interested", show_region=True)
    TransferFactory(
        practice=GoodPracticeFactory(title="Hidden learner"),
        region=child,
        state="study_visit",
        show_region=False,
    )
    TransferFactory(
        practice=GoodPracticeFactory(title="Draft practice", publication_state="draft"),
        region=child,
        state="adopting",
        show_region=True,
    )
    for alias in caches:
        if alias != "ratelimit":
            caches[alias].clear()
    with django_assert_num_queries(QUERIES_BEFORE_LEARNING):
        response = client.get(url)
    html = response.content.decode()
    assert "What organisations here want to learn" in html
    assert "Energy communities" in html and "Interested: Inner Testland" in html
    # Named only with consent; drafts never.
    assert "Hidden learner" not in html and "Draft practice" not in html


def test_projects_covering_the_area_are_asked_for_only_when_there_are_some(
    client, area, django_assert_num_queries
):
    country, middle, child, city = area
    url = reverse("exchange:region-detail", args=[middle.slug])
    clear_caches()
    with django_assert_num_queries(6):
        response = client.get(url)
    assert "Projects covering this area" not in response.content.decode()

    ProjectFactory(area=middle, acronym="AREAPROJ")
    clear_caches()
    with django_assert_num_queries(7):
        response = client.get(url)
    html = response.content.decode()
    assert "Projects covering this area" in html and "AREAPROJ" in html
    # A region below the area is not the area.
    clear_caches()
    response = client.get(reverse("exchange:region-detail", args=[child.slug]))
    assert "AREAPROJ" not in response.content.decode()


def test_the_region_tree_is_read_once_per_data_generation(client, area, settings):
    """The regions around a page are kept in the process: the next region page reads none."""
    country, middle, child, city = area
    settings.PAGE_CACHE_SECONDS = 0
    url = reverse("exchange:region-detail", args=[middle.slug])
    clear_caches()
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as second:
        response = client.get(url)
    assert len(second) == len(first) - 1
    assert "Inner Testland" in response.content.decode()


def test_an_edit_of_the_regions_shows_at_once(client, area, settings):
    country, middle, child, city = area
    settings.PAGE_CACHE_SECONDS = 0  # built each time: what is kept is the region tree
    url = reverse("exchange:region-detail", args=[middle.slug])
    country_list = reverse("exchange:region-list") + "?country=TL"
    assert "Inner Testland" in client.get(url).content.decode()
    assert "Inner Testland" in client.get(country_list).content.decode()

    child.name = "Renamed Testland"
    child.save()
    RegionFactory(name="New Testland", nuts_code="TL12", parent=middle)
    RegionFactory(
        name="Other City Region", kind=Region.Kind.CITY_REGION, nuts_code=None
    ).covers.add(middle)

    html = client.get(url).content.decode()
    assert "Renamed Testland" in html and "Inner Testland" not in html
    assert "New Testland" in html and "Other City Region" in html
    html = client.get(country_list).content.decode()
    assert "Renamed Testland" in html and "New Testland" in html
