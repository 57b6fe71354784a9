"""Every page kind the page cache serves: a repeat visit is a hit, an edit shows at once.

Issue 16 put the home page, the listings of events, projects, organisations,
regions and documents, and the project, organisation, policy instrument and
accessibility pages in the page cache; figures computed once per data
generation (home counts, region and project practice counts, the events'
years and countries, the sitemap's counts) must follow edits as well.
"""

import datetime

import pytest
from django.urls import reverse

from core.models import PolicyInstrument
from events.models import Output
from tests.factories import (
    EventFactory,
    GoodPracticeFactory,
    OrganisationFactory,
    ParticipantFactory,
    PartnershipFactory,
    ProjectFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


def body(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def assert_hit(client, url, django_assert_num_queries):
    """The second visit of ``url`` is served whole from the cache: no query."""
    first = body(client, url)
    with django_assert_num_queries(0):
        assert body(client, url) == first


def test_home(client, django_assert_num_queries):
    practice = GoodPracticeFactory(title="Home page practice, first title")
    url = reverse("exchange:home")
    assert "Home page practice, first title" in body(client, url)
    assert_hit(client, url, django_assert_num_queries)
    practice.title = "Home page practice, second title"
    practice.save()
    assert "Home page practice, second title" in body(client, url)


def test_home_counts_follow_publication(client):
    url = reverse("exchange:home")
    GoodPracticeFactory()
    assert '<span class="number">1</span> <span class="label">good practice</span>' in body(
        client, url
    )
    GoodPracticeFactory()
    GoodPracticeFactory(publication_state="draft")
    assert '<span class="number">2</span> <span class="label">good practices</span>' in body(
        client, url
    )


def test_event_listing(client, django_assert_num_queries):
    event = EventFactory(title="Listed event, first title")
    url = reverse("events:event-list")
    assert "Listed event, first title" in body(client, url)
    assert_hit(client, url, django_assert_num_queries)
    event.title = "Listed event, second title"
    event.save()
    assert "Listed event, second title" in body(client, url)
    # Unpublished: gone from the list and its count.
    event.publication_state = "draft"
    event.save()
    page = body(client, url)
    assert "Listed event, second title" not in page
    assert "0 events found" in page


def test_event_page_shows_who_took_part_at_once(client, django_assert_num_queries):
    event = EventFactory()
    url = event.get_absolute_url()
    assert "Participating delegation" not in body(client, url)
    assert_hit(client, url, django_assert_num_queries)
    ParticipantFactory(
        event=event, organisation=OrganisationFactory(name="Participating delegation")
    )
    assert "Participating delegation" in body(client, url)


def test_project_listing_and_page(client, django_assert_num_queries):
    project = ProjectFactory(acronym="FIRSTACR")
    listing, page = reverse("exchange:project-list"), project.get_absolute_url()
    for url in (listing, page):
        assert "FIRSTACR" in body(client, url)
        assert_hit(client, url, django_assert_num_queries)
    project.acronym = "SECONDACR"
    project.save()
    for url in (listing, page):
        assert "SECONDACR" in body(client, url)


def test_project_listing_practice_count_follows_links(client):
    project = ProjectFactory()
    url = reverse("exchange:project-list")
    assert "0 practices" in body(client, url)
    GoodPracticeFactory(projects=[project])
    assert "1 practice<" in body(client, url).replace("\n", "").replace("  ", "")


def test_organisation_listing_and_page(client, django_assert_num_queries):
    organisation = OrganisationFactory(name="Organisation, first name")
    PartnershipFactory(organisation=organisation)
    listing, page = reverse("exchange:organisation-list"), organisation.get_absolute_url()
    for url in (listing, page):
        assert "Organisation, first name" in body(client, url)
        assert_hit(client, url, django_assert_num_queries)
    organisation.name = "Organisation, second name"
    organisation.save()
    for url in (listing, page):
        assert "Organisation, second name" in body(client, url)


def test_regions_and_a_country_tree(client, django_assert_num_queries):
    country = RegionFactory(nuts_code="PL", name="Polska", name_en="Poland")
    child = RegionFactory(nuts_code="PL9", name="Mazowieckie", parent=country)
    countries = reverse("exchange:region-list")
    tree = f"{countries}?country=PL"
    assert "Poland" in body(client, countries)
    assert "Mazowieckie" in body(client, tree)
    for url in (countries, tree):
        assert_hit(client, url, django_assert_num_queries)
    child.name = "Warszawski"
    child.save()
    assert "Warszawski" in body(client, tree)
    # The practice counts per region are computed once per generation.
    GoodPracticeFactory(region=child)
    assert "1 practice" in body(client, tree)


def test_document_library(client, django_assert_num_queries):
    document = Output.objects.create(
        title="Library document, first title",
        url="https://example.org/a.pdf",
        date=datetime.date(2021, 5, 1),
    )
    url = reverse("documents:document-list")
    assert "Library document, first title" in body(client, url)
    assert_hit(client, url, django_assert_num_queries)
    document.title = "Library document, second title"
    document.save()
    assert "Library document, second title" in body(client, url)
    # The year menu is computed once per generation too.
    Output.objects.create(
        title="Older", url="https://example.org/b.pdf", date=datetime.date(2011, 1, 1)
    )
    assert '<option value="2011">2011</option>' in body(client, url)


def test_policy_instrument_page(client, django_assert_num_queries):
    instrument = PolicyInstrument.objects.create(name="Regional programme", language="en")
    url = instrument.get_absolute_url()
    assert "Linked practice" not in body(client, url)
    assert_hit(client, url, django_assert_num_queries)
    GoodPracticeFactory(title="Linked practice").policy_instruments.add(instrument)
    assert "Linked practice" in body(client, url)


def test_accessibility_page_is_a_hit(client, django_assert_num_queries):
    assert_hit(client, reverse("exchange:accessibility"), django_assert_num_queries)


def test_sitemap_index_counts_and_dates_follow_edits(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    practice = GoodPracticeFactory()
    first = body(client, reverse("sitemap"))
    practice.title = "Edited later"
    practice.save()
    second = body(client, reverse("sitemap"))
    assert first != second  # the practices' newest change date moved
