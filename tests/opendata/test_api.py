"""The read-only API: same lists as the pages, stable pages, published content only."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.throttling import AnonRateThrottle

from events.models import Event
from practices.models import GoodPractice
from tests.factories import (
    EventFactory,
    GoodPracticeFactory,
    OrganisationFactory,
    ParticipantFactory,
    ParticipantGroupFactory,
    ProjectFactory,
    RegionFactory,
    TopicFactory,
)

API = "/api/v1"


def api_get(client, path, expect=200, **params):
    response = client.get(f"{API}{path}", params)
    assert response.status_code == expect, response.content[:500]
    return response.json() if response.content else None


def all_slugs(client, path, query=""):
    """Follow ``next`` through every page of an API list."""
    url, slugs = f"{API}{path}?{query}&page_size=2", []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        data = response.json()
        slugs += [row["slug"] for row in data["results"]]
        url = data["next"]
    return slugs


def html_slugs(client, url, query):
    context = client.get(f"{url}?{query}").context
    return [o.slug for o in context["page_obj"].paginator.object_list]


def test_root_lists_every_endpoint(client, db):
    data = api_get(client, "/")
    assert set(data) == {
        "practices",
        "events",
        "projects",
        "organisations",
        "regions",
        "topics",
        "programmes",
        "documents",
        "policy-instruments",
    }


@pytest.mark.parametrize(
    "query",
    [
        "",
        "topic=industry-4-0",
        "region=PL9",
        "country=RO",
        "project=smarty&sort=title",
        "programme={interreg}",
        "status=ended",
        "language=ro",
        "year=2016",
        "q=cluster",
        "topic=digitalisation&country=ES",
        "q=voucher&sort=relevance",
    ],
)
def test_practice_filters_are_the_listing_filters(client, portal, query):
    query = query.format(interreg=portal.programmes.interreg.slug)
    api = all_slugs(client, "/practices/", query)
    assert api == html_slugs(client, reverse("practices:practice-list"), query)


@pytest.mark.parametrize(
    "query", ["", "project=smarty", "project=gostop", "format=online", "kind=workshop", "year=2020"]
)
def test_event_filters_are_the_listing_filters(client, portal, query):
    api = all_slugs(client, "/events/", query)
    assert api == html_slugs(client, reverse("events:event-list"), query)


@pytest.mark.parametrize("query", ["", "country=PL", "kind=regional_agency", "country=ES"])
def test_organisation_filters_are_the_listing_filters(client, portal, query):
    api = all_slugs(client, "/organisations/", query)
    assert api == html_slugs(client, reverse("exchange:organisation-list"), query)


@pytest.mark.parametrize(
    "params",
    [
        {"year": "soon"},
        {"region": "NOWHERE"},
        {"topic": "no-such-topic"},
        {"country": "<script>"},
        {"q": "x" * 300},
        {"sort": "sideways"},
    ],
)
def test_invalid_filter_values_answer_400_not_500(client, portal, params):
    data = api_get(client, "/practices/", expect=400, **params)
    assert set(data) <= set(params) | {"non_field_errors"}


def test_bad_page_is_404_and_page_size_is_capped(client, portal):
    api_get(client, "/practices/", expect=404, page=99)
    api_get(client, "/practices/", expect=404, page="abc")
    data = api_get(client, "/practices/", page_size=100000)
    assert len(data["results"]) == 4


def test_pages_do_not_repeat_or_skip_rows_with_equal_sort_values(client, db):
    same_moment = timezone.now()
    for n in range(7):
        GoodPracticeFactory(title="Same title", published_at=same_moment, slug=f"same-{n}")
    for query in ["", "sort=title"]:
        slugs = all_slugs(client, "/practices/", query)
        assert sorted(slugs) == sorted(f"same-{n}" for n in range(7))


def test_practice_detail_by_slug(client, portal):
    voucher = portal.practices[0]
    data = api_get(client, f"/practices/{voucher.slug}/")
    assert data["title"] == voucher.title
    assert data["web_url"] == f"http://testserver{voucher.get_absolute_url()}"
    assert data["region"]["nuts_code"] == "PL91"
    assert data["region"]["country_code"] == "PL"
    assert data["organisation"]["slug"] == portal.organisations.agency.slug
    assert [t["slug"] for t in data["topics"]] == ["digitalisation", "industry-4-0"]
    assert [p["acronym"] for p in data["projects"]] == ["SMARTY"]
    assert data["keywords"] == ["voucher", "SME"]
    assert data["transfers"][0]["region"]["nuts_code"] == "RO1"
    assert [e["slug"] for e in data["presented_at"]] == [portal.seminar.slug]
    assert "contact" not in data
    for field in ["description", "evidence_of_success", "potential_for_transfer"]:
        assert field in data


def test_practice_presented_at_only_a_draft_event_lists_no_event(client, portal):
    data = api_get(client, f"/practices/{portal.practices[1].slug}/")
    assert data["presented_at"] == []


def test_drafts_and_archived_practices_are_not_found(client, portal):
    api_get(client, f"/practices/{portal.draft.slug}/", expect=404)
    api_get(client, f"/practices/{portal.archived.slug}/", expect=404)
    api_get(client, f"/events/{portal.draft_event.slug}/", expect=404)


def test_region_hierarchy(client, portal):
    data = api_get(client, "/regions/pl91/")
    assert data["nuts_code"] == "PL91"
    assert data["level"] == 2
    assert data["country_code"] == "PL"
    assert data["parent"]["nuts_code"] == "PL9"
    assert [r["nuts_code"] for r in data["ancestors"]] == ["PL", "PL9"]
    children = api_get(client, "/regions/pl9/")["children"]
    assert children.endswith("/api/v1/regions/?parent=pl9")
    listed = client.get(children).json()["results"]
    assert {r["slug"] for r in listed} == {"pl91", portal.city_region.slug}
    city = next(r for r in listed if r["slug"] == portal.city_region.slug)
    assert city["kind"] == "city_region" and city["nuts_code"] is None
    countries = api_get(client, "/regions/", level=0)["results"]
    assert [r["nuts_code"] for r in countries] == ["ES", "PL", "RO"]
    assert [r["slug"] for r in api_get(client, "/regions/", country="ro")["results"]] == [
        "ro",
        "ro1",
    ]


def test_event_detail_with_agenda_and_no_private_data(client, portal):
    data = api_get(client, f"/events/{portal.seminar.slug}/")
    assert data["title"] == "Thematic seminar in Warsaw"
    assert data["original_title"] == "Seminarium tematyczne w Warszawie"
    assert data["format"] == "hybrid"
    assert data["time_zone"] == "Europe/Warsaw"
    assert data["online_link"] == "https://meet.example.org/smarty"
    assert data["calendar"] == f"http://testserver/events/{portal.seminar.slug}/event.ics"
    agenda = data["presentations"]
    assert [p["title"] for p in agenda] == ["The voucher", "Work in progress"]
    assert agenda[0]["practice"]["slug"] == portal.practices[0].slug
    # The second presents a draft: the presentation is public, the draft is not.
    assert agenda[1]["practice"] is None
    assert set(agenda[0]["presenter"]) == {"name", "job_title"}
    assert data["materials"][0]["url"].startswith("http://testserver/events/")
    assert [o["slug"] for o in data["organisers"]] == [portal.organisations.agency.slug]


def test_project_organisation_topic_programme_details(client, portal):
    smarty = api_get(client, "/projects/smarty/")
    assert smarty["programme"]["slug"] == portal.programmes.interreg.slug
    assert {p["organisation"]["slug"] for p in smarty["partners"]} == {
        portal.organisations.agency.slug,
        portal.organisations.adr.slug,
    }
    assert smarty["status"] == "closed"
    practices = client.get(smarty["practices"]).json()
    assert practices["count"] == 3
    agency = api_get(client, f"/organisations/{portal.organisations.agency.slug}/")
    assert {p["slug"] for p in agency["practices"]} == {
        portal.practices[0].slug,
        portal.practices[3].slug,
    }
    assert agency["projects"][0]["role"] == "lead"
    topic = api_get(client, "/topics/industry-4-0/")
    assert topic["practice_count"] == 3
    programmes = api_get(client, "/programmes/")["results"]
    assert {p["slug"] for p in programmes} == {
        portal.programmes.interreg.slug,
        portal.programmes.baltic.slug,
    }
    closed = api_get(client, "/projects/", status="closed")["results"]
    assert {p["slug"] for p in closed} == {"smarty", "gostop"}
    assert api_get(client, "/projects/", status="running")["results"] == []
    by_topic = api_get(client, "/projects/", topic="digitalisation")["results"]
    assert [p["slug"] for p in by_topic] == ["smarty"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_no_write_endpoints(client, portal, method):
    for path in ["/practices/", f"/practices/{portal.practices[0].slug}/", "/events/"]:
        response = getattr(client, method)(f"{API}{path}", {}, content_type="application/json")
        assert response.status_code == 405
    assert GoodPractice.objects.count() == 6


def test_anonymous_reads_are_throttled(client, db, monkeypatch):
    monkeypatch.undo()  # the suite's fixture switches the throttle off
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    # A client cannot escape by making up an X-Forwarded-For for each request.
    codes = [
        client.get(f"{API}/topics/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
        for n in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]
    assert "Retry-After" in client.get(f"{API}/topics/")


def test_open_data_may_be_read_from_any_origin(client, db):
    assert client.get(f"{API}/practices/")["Access-Control-Allow-Origin"] == "*"


def test_answers_do_not_follow_the_client_language(client, portal):
    client.cookies["django_language"] = "pl"
    response = client.get(f"{API}/practices/", HTTP_ACCEPT_LANGUAGE="pl")
    rows = response.json()["results"]
    assert rows and all("/pl/" not in row["web_url"] for row in rows)
    assert client.get(f"{API}/practices/?year=soon", HTTP_ACCEPT_LANGUAGE="pl").json() == {
        "year": ["Enter a whole number."]
    }


def make_rows(n):
    region = RegionFactory()
    topics = TopicFactory.create_batch(2)
    project = ProjectFactory()
    organisation = OrganisationFactory(region=region)
    for i in range(n):
        practice = GoodPracticeFactory(region=region, organisation=organisation)
        practice.topics.set(topics)
        practice.projects.set([project])
        start = timezone.now() + datetime.timedelta(days=i)
        EventFactory(project=project, region=region, start=start)


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(
    ("path", "max_queries"),
    [
        # Count (stored for the next page), rows with topics and projects.
        ("/practices/", 2),
        ("/events/", 2),
        ("/projects/", 3),
        ("/organisations/", 2),
        ("/regions/", 2),
        ("/topics/", 2),
        ("/programmes/", 2),
    ],
)
def test_list_query_counts_do_not_grow_with_rows(
    client, db, django_assert_max_num_queries, rows, path, max_queries
):
    make_rows(rows)
    with django_assert_max_num_queries(max_queries):
        response = client.get(f"{API}{path}")
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 50])
def test_detail_query_counts_do_not_grow_with_rows(client, db, django_assert_max_num_queries, rows):
    make_rows(rows)
    practice = GoodPractice.objects.first()
    event = Event.objects.first()
    for _ in range(rows):
        ParticipantFactory(event=event)
        ParticipantGroupFactory(event=event, people_count=3)
        event.regions_represented.add(RegionFactory())
    # The practice, topics, projects, transfers, talks, policy instruments.
    with django_assert_max_num_queries(7):
        assert client.get(f"{API}/practices/{practice.slug}/").status_code == 200
    # The event, organisers, agenda, materials, participants, head-counts, regions,
    # documents, policy instruments.
    with django_assert_max_num_queries(10):
        assert client.get(f"{API}/events/{event.slug}/").status_code == 200


def test_docs_page_uses_only_our_own_assets(client, db):
    response = client.get(f"{API}/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") for s in sources), sources
    assert "<script>" not in html and "<style" not in html and 'style="' not in html
    script = [s for s in sources if "script" in s and s.startswith(f"{API}/docs/")]
    assert script
    js = client.get(script[0])
    assert js.status_code == 200
    assert js["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in js.content.decode()
