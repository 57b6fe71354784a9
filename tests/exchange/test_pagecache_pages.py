"""Every page kind the page cache serves: a repeat visit is a hit, an edit shows at once.

Issue 16 put the home page, the listings of events, projects, organisations,
regions and documents, and the project, organisation, policy instrument and
accessibility pages in the page cache; figures computed once per data
generation (home counts, region and project practice counts, the events'
years and countries, the sitemap's counts) must follow edits as well. So
must the pages that join kinds (region, /search/, /insights/) and the
comboboxes' suggestions of each kind.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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
    TopicFactory,
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


# Responses that are not HTML pages, and the proposal form ------------------------------


def test_api_list_and_detail(client, django_assert_num_queries):
    practice = GoodPracticeFactory(title="API practice, first title")
    listing, detail = "/api/v1/practices/", f"/api/v1/practices/{practice.slug}/"
    for url in (listing, detail):
        assert "API practice, first title" in body(client, url)
        assert_hit(client, url, django_assert_num_queries)
    practice.title = "API practice, second title"
    practice.save()
    for url in (listing, detail):
        assert "API practice, second title" in body(client, url)
    event = EventFactory(title="API event, first title")
    url = "/api/v1/events/"
    assert_hit(client, url, django_assert_num_queries)
    event.title = "API event, second title"
    event.save()
    assert "API event, second title" in body(client, url)


def test_api_key_sorts_the_query_and_keeps_the_format_apart(client, django_assert_num_queries):
    GoodPracticeFactory.create_batch(3)
    first = client.get("/api/v1/practices/?page_size=1&page=2")
    assert first.json()["next"].endswith("/api/v1/practices/?page=3&page_size=1")
    # The same parameters in another order: the same answer, from the cache.
    with django_assert_num_queries(0):
        again = client.get("/api/v1/practices/?page=2&page_size=1")
    assert again.content == first.content
    assert again["X-Page-Cache"] == "hit"
    # Another page is another answer.
    assert client.get("/api/v1/practices/?page=1&page_size=1").content != first.content
    # The .json suffix negotiates the same renderer but is another path: its own entry.
    suffixed = client.get("/api/v1/practices.json?page=2&page_size=1")
    assert suffixed.status_code == 200 and "X-Page-Cache" not in suffixed
    assert suffixed["Content-Type"] == first["Content-Type"] == "application/json"


def test_api_throttle_counts_answers_from_the_cache(client, monkeypatch):
    from portal.api.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    responses = [client.get("/api/v1/topics/") for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert responses[1]["X-Page-Cache"] == "hit"


def test_api_is_built_for_a_visitor_with_a_session(client):
    GoodPracticeFactory()
    url = "/api/v1/practices/"
    body(client, url)
    client.cookies["sessionid"] = "a-signed-in-visitor"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert "X-Page-Cache" not in response
    assert len(queries) >= 1


def test_atom_feed(client, django_assert_num_queries):
    practice = GoodPracticeFactory(title="Feed practice, first title")
    url = reverse("practice-feed")
    assert "Feed practice, first title" in body(client, url)
    assert_hit(client, url, django_assert_num_queries)
    hit = client.get(url)
    assert hit["Content-Type"].startswith("application/atom+xml")
    practice.title = "Feed practice, second title"
    practice.save()
    assert "Feed practice, second title" in body(client, url)
    # In Polish by ?lang=: its own entry.
    assert "Nowe dobre praktyki" in body(client, f"{url}?lang=pl")


def test_calendar_feed(client, django_assert_num_queries):
    event = EventFactory(title="Calendar event first title")
    url = reverse("event-calendar")
    assert "Calendar event first title" in body(client, url)
    assert_hit(client, url, django_assert_num_queries)
    hit = client.get(url)
    assert hit["Content-Type"] == "text/calendar; charset=utf-8"
    assert hit["Access-Control-Allow-Origin"] == "*"
    event.title = "Calendar event second title"
    event.save()
    assert "Calendar event second title" in body(client, url)


def test_csv_export(client, django_assert_num_queries):
    practice = GoodPracticeFactory(title="Exported practice, first title")
    url = reverse("practices:practice-list") + "?format=csv"
    first = b"".join(client.get(url).streaming_content).decode()
    assert "Exported practice, first title" in first
    with django_assert_num_queries(0):
        hit = client.get(url)
    assert hit.content.decode() == first
    assert hit["Content-Disposition"].startswith("attachment;")
    practice.title = "Exported practice, second title"
    practice.save()
    again = b"".join(client.get(url).streaming_content).decode()
    assert "Exported practice, second title" in again


def test_xlsx_export_of_events(client, django_assert_num_queries):
    EventFactory(title="Exported event")
    url = reverse("events:event-list") + "?format=xlsx"
    first = b"".join(client.get(url).streaming_content)
    assert first.startswith(b"PK")  # a workbook
    with django_assert_num_queries(0):
        hit = client.get(url)
    assert hit.content == first
    assert hit["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_big_export_is_only_streamed(client, monkeypatch):
    from infra import caching

    monkeypatch.setattr(caching, "STREAMED_BYTES", 10)
    GoodPracticeFactory()
    url = reverse("practices:practice-list") + "?format=csv"
    for _ in range(2):
        assert client.get(url).streaming  # built both times


def test_proposal_form_is_cached_and_each_visitor_gets_a_token_that_submits(
    django_assert_num_queries,
):
    from django.test import Client

    from practices.models import PracticeProposal
    from tests.practices.proposal_helpers import form_data

    url = reverse("practices:proposal-create")
    visitors = [Client(enforce_csrf_checks=True) for _ in range(2)]
    pages = []
    tokens = []
    for number, visitor in enumerate(visitors):
        if number:  # the second visitor's page comes from the cache
            with django_assert_num_queries(0):
                response = visitor.get(url)
            assert response["X-Page-Cache"] == "hit"
        else:
            response = visitor.get(url)
            assert "X-Page-Cache" not in response
        assert response.status_code == 200
        html = response.content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        assert visitor.cookies["csrftoken"].value
        pages.append(html.replace(token, "TOKEN"))
        tokens.append(token)
    assert pages[0] == pages[1]
    assert tokens[0] != tokens[1]
    # Each visitor's form submits with their own token, not with the other's.
    stranger = Client(enforce_csrf_checks=True)
    stranger.get(url)  # a cookie of their own
    refused = stranger.post(url, {**form_data(), "csrfmiddlewaretoken": tokens[0]})
    assert refused.status_code == 403
    for visitor, token, n in zip(visitors, tokens, (1, 2), strict=True):
        data = form_data(title=f"Proposal number {n}", csrfmiddlewaretoken=token)
        response = visitor.post(url, data, REMOTE_ADDR=f"10.0.0.{n}")
        assert response.status_code == 302, response.content[:500]
    assert PracticeProposal.objects.count() == 2


def test_proposal_form_follows_edits(client):
    project = ProjectFactory(acronym="FORMACR", slug="form-project")
    url = reverse("practices:proposal-create") + "?project=form-project"
    assert "FORMACR" in body(client, url)
    project.acronym = "FORMACR2"
    project.save()
    assert "FORMACR2" in body(client, url)


def test_suggestions_follow_edits(client, django_assert_num_queries):
    project = ProjectFactory(acronym="SUGG", title="Suggested project")
    url = "/suggest/project/?q=suggested"
    assert "SUGG" in body(client, url)
    with django_assert_num_queries(0):
        assert "SUGG" in body(client, url)
    project.acronym = "SUGG2"
    project.save()
    assert "SUGG2" in body(client, url)
    # Nor may a browser or a proxy keep the old answer.
    assert "max-age" not in client.get(url).get("Cache-Control", "")


def test_region_and_organisation_suggestions_follow_edits(client, django_assert_num_queries):
    region = RegionFactory(nuts_code="PL9", name="Mazowieckie")
    organisation = OrganisationFactory(name="Harbour authority")
    regions, organisations = "/suggest/region/?q=mazow", "/suggest/organisation/?q=harbour"
    for url in (regions, organisations):
        assert_hit(client, url, django_assert_num_queries)
    region.name = "Mazowsze"
    region.save()
    assert "Mazowsze" in body(client, regions)
    OrganisationFactory(name="Harbour board")
    organisation.delete()
    assert "Harbour board" in body(client, organisations)
    assert "Harbour authority" not in body(client, organisations)


# Pages that join kinds: the region page, /search/, /insights/ ------------------------


def test_region_page(client, django_assert_num_queries):
    region = RegionFactory(nuts_code="PL9", name="Mazowieckie")
    practice = GoodPracticeFactory(title="Regional practice, first title", region=region)
    url = region.get_absolute_url()
    assert "Regional practice, first title" in body(client, url)
    assert_hit(client, url, django_assert_num_queries)
    practice.title = "Regional practice, second title"
    practice.save()
    assert "Regional practice, second title" in body(client, url)
    PartnershipFactory(organisation=OrganisationFactory(name="Newly based agency", region=region))
    assert "Newly based agency" in body(client, url)


def test_search_page(client, django_assert_num_queries):
    project = ProjectFactory(acronym="HRB", title="Harbour cooperation")
    url = reverse("exchange:search") + "?q=harbour"
    assert "Harbour cooperation" in body(client, url)
    assert_hit(client, url, django_assert_num_queries)
    project.title = "Harbour partnership"
    project.save()
    GoodPracticeFactory(title="Harbour logistics")
    page = body(client, url)
    assert "Harbour partnership" in page and "Harbour cooperation" not in page
    assert "Harbour logistics" in page  # counted too: the counts are cached per generation


def test_insights_page(client, django_assert_num_queries):
    energy = TopicFactory(name="Energy transition")
    GoodPracticeFactory(topics=[energy])
    url = reverse("exchange:insights")
    assert "Energy transition" in body(client, url)
    assert_hit(client, url, django_assert_num_queries)
    energy.name = "Clean energy"
    energy.save()
    page = body(client, url)
    assert "Clean energy" in page and "Energy transition" not in page
