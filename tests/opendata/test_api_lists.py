"""The practice list of the API at scale: slim rows, capped search counts, few queries.

A list row is the practice's detail without its long texts; a search is
counted, and listed, up to the listing's broad-search limit; the count of
a list follows every edit; a page costs the same few queries whatever the
data.
"""

import datetime
import gc

import pytest
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from core.models import Project, PublicationState, Topic
from portal.api import serializers
from practices.selectors import listed_practices, practice_rows
from tests.factories import (
    EventFactory,
    GoodPracticeFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ProjectFactory,
    RegionFactory,
    TopicFactory,
)

API = "/api/v1"
LONG_TEXTS = {
    "description",
    "resources_needed",
    "evidence_of_success",
    "difficulties",
    "potential_for_transfer",
    "expert_opinion",
    "validation_summary",
    "further_information",
    "transfers",
    "presented_at",
    "policy_instruments",
}


def get_json(client, url, expect=200):
    response = client.get(url)
    assert response.status_code == expect, response.content[:300]
    return response.json()


@pytest.mark.parametrize("suffix", ["/", ".json"])
def test_a_list_row_is_the_detail_without_its_long_texts(client, portal, suffix):
    rows = get_json(client, f"{API}/practices{suffix}?page_size=200")["results"]
    assert len(rows) == len(portal.practices)
    for row in rows:
        detail = get_json(client, row["url"])
        assert {name: detail[name] for name in row} == row
        assert set(detail) - set(row) == LONG_TEXTS
    voucher = next(row for row in rows if row["slug"] == portal.practices[0].slug)
    assert [t["slug"] for t in voucher["topics"]] == ["digitalisation", "industry-4-0"]
    assert voucher["keywords"] == ["voucher", "SME"]
    assert voucher["region"]["country_code"] == "PL"
    if suffix == ".json":
        assert voucher["url"].endswith(f"/api/v1/practices/{voucher['slug']}.json")


@pytest.mark.parametrize(
    "serializer_class",
    [
        serializers.PracticeListSerializer,
        serializers.EventSerializer,
        serializers.OrganisationSerializer,
        serializers.ProjectSerializer,
        serializers.ProgrammeSerializer,
    ],
)
def test_lists_give_what_their_declared_fields_give(rf, portal, serializer_class):
    """A list is serialised by a plan made from the declared fields: the same output as DRF's."""
    context = {"request": rf.get("/api/v1/")}
    model = serializer_class.Meta.model
    instances = list(model.objects.all())
    assert instances
    listed = serializer_class(instances, many=True, context=context).data
    one_by_one = [serializer_class(i, context=context).data for i in instances]
    assert listed == one_by_one


def test_practice_rows_are_serialised_as_their_models(rf, portal):
    context = {"request": rf.get("/api/v1/practices/")}
    listed = listed_practices()
    rows = practice_rows(listed)
    assert [row["slug"] for row in rows] == [p.slug for p in listed]
    from_rows = serializers.PracticeListSerializer(rows, many=True, context=context).data
    from_models = [
        serializers.PracticeListSerializer(p, context=context).data
        for p in listed.prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("name", "id")),
            Prefetch("projects", queryset=Project.objects.order_by("acronym", "id")),
        )
    ]
    assert from_rows == from_models
    assert any(row["topics"] and row["projects"] and row["region"] for row in rows)


def practices_with_word(word, n, **kwargs):
    """``n`` published practices whose titles have ``word``, newest first."""
    now = timezone.now()
    return [
        GoodPracticeFactory(
            title=f"{word} renewal {i}",
            published_at=now - datetime.timedelta(days=i),
            **kwargs,
        )
        for i in range(n)
    ]


@pytest.fixture
def search_cap(monkeypatch):
    """A broad-search limit of 3 for the listing and the API alike."""
    monkeypatch.setattr("practices.filters.BROAD_SEARCH_MATCHES", 3)
    monkeypatch.setattr("practices.views.BROAD_SEARCH_MATCHES", 3)
    monkeypatch.setattr("portal.api.views.BROAD_SEARCH_MATCHES", 3)
    return 3


def test_a_broad_search_lists_the_newest_up_to_the_cap_as_the_listing_does(client, db, search_cap):
    harbours = practices_with_word("Harbour", 5)
    data = get_json(client, f"{API}/practices/?q=harbour")
    assert data["count"] == 3
    assert data["count_capped"] is True
    assert [r["slug"] for r in data["results"]] == [p.slug for p in harbours[:3]]
    assert data["next"] is None
    page = client.get(f"{reverse('practices:practice-list')}?q=harbour")
    assert page.context["broad_search"] is True
    assert [p["slug"] for p in page.context["practices"]] == [p.slug for p in harbours[:3]]

    # Page by page: the same three, then no more.
    first = get_json(client, f"{API}/practices/?q=harbour&page_size=2")
    assert [r["slug"] for r in first["results"]] == [p.slug for p in harbours[:2]]
    second = get_json(client, first["next"])
    assert [r["slug"] for r in second["results"]] == [harbours[2].slug]
    assert second["next"] is None and second["count_capped"] is True
    get_json(client, f"{API}/practices/?q=harbour&page_size=2&page=3", expect=404)


def test_a_narrow_search_is_counted_exactly(client, db, search_cap):
    practices_with_word("Harbour", 3)
    practices_with_word("Orchard", 2)
    data = get_json(client, f"{API}/practices/?q=harbour")
    assert (data["count"], data["count_capped"]) == (3, False)
    data = get_json(client, f"{API}/practices/?q=orchard&page_size=1")
    assert (data["count"], data["count_capped"]) == (2, False)
    assert "page=2" in data["next"]
    data = get_json(client, f"{API}/practices/?q=nothing-like-it")
    assert (data["count"], data["count_capped"], data["results"]) == (0, False, [])


def test_lists_are_not_capped_without_a_search(client, db, search_cap):
    practices_with_word("Harbour", 5)
    data = get_json(client, f"{API}/practices/")
    assert (data["count"], data["count_capped"]) == (5, False)


def test_the_count_follows_every_edit(client, db):
    topic = TopicFactory(slug="ports")
    practices = practices_with_word("Harbour", 3, topics=[topic])
    for query in ["", "topic=ports"]:
        assert get_json(client, f"{API}/practices/?{query}")["count"] == 3
    newcomer = GoodPracticeFactory(topics=[topic])
    for query in ["", "topic=ports"]:
        assert get_json(client, f"{API}/practices/?{query}")["count"] == 4
    practices[0].publication_state = PublicationState.DRAFT
    practices[0].save()
    newcomer.topics.clear()
    assert get_json(client, f"{API}/practices/")["count"] == 3
    data = get_json(client, f"{API}/practices/?topic=ports")
    assert data["count"] == 2
    assert {r["slug"] for r in data["results"]} == {p.slug for p in practices[1:]}


def test_later_pages_follow_on_without_gaps(client, db):
    made = {p.slug for p in practices_with_word("Harbour", 7)}
    seen, url = [], f"{API}/practices/?page_size=3"
    while url:
        data = get_json(client, url)
        assert data["count"] == 7
        seen += [r["slug"] for r in data["results"]]
        url = data["next"]
    assert len(seen) == 7 and set(seen) == made
    last = get_json(client, f"{API}/practices/?page_size=3&page=3")
    assert len(last["results"]) == 1 and last["previous"].endswith("page=2&page_size=3")


def make_practices(n):
    """``n`` practices in Poland with a topic, a project and a programme."""
    poland = RegionFactory(nuts_code="PL", name="Polska")
    mazovia = RegionFactory(nuts_code="PL9", parent=poland)
    topics = [TopicFactory(slug="ports"), TopicFactory()]
    programme = ProgrammeFactory(slug="interreg")
    project = ProjectFactory(slug="harbours", programme=programme)
    organisation = OrganisationFactory(region=mazovia)
    now = timezone.now()
    for i in range(n):
        GoodPracticeFactory(
            title=f"Harbour renewal {i}",
            region=mazovia,
            organisation=organisation,
            topics=topics,
            projects=[project, ProjectFactory()],
            language="pl",
            keywords="harbour, port",
            published_at=now - datetime.timedelta(hours=i),
        )


# Queries per page, first request (the count not yet stored) and next ones,
# the rows' topics and projects with them.
# Every filter given by slug or code is one lookup; a search is checked for
# a word match and counted up to the cap, never counted in full, and both
# are kept like the count.
PAGE_QUERIES = [
    ("", 2, 1),
    ("page=2&page_size=2", 2, 1),
    ("country=PL&topic=ports&language=pl", 4, 3),
    ("q=harbour", 3, 1),
    ("q=harbour&sort=title&status=ongoing", 3, 1),
    ("q=harbour&country=PL&region=PL9&topic=ports&project=harbours&programme=interreg", 8, 6),
]


@pytest.mark.parametrize("rows", [3, 60])
@pytest.mark.parametrize(("query", "first", "then"), PAGE_QUERIES)
def test_a_page_costs_the_same_few_queries_whatever_the_data(
    client, db, django_assert_num_queries, settings, rows, query, first, then
):
    make_practices(rows)
    url = f"{API}/practices/?{query}"
    with django_assert_num_queries(first):
        data = get_json(client, url)
    assert data["results"]
    with django_assert_num_queries(0):  # the same answer, from the cache
        assert get_json(client, url) == data
    settings.PAGE_CACHE_SECONDS = 0  # built again, with the count kept
    with django_assert_num_queries(then):
        assert get_json(client, url) == data
    assert first <= 8


@pytest.mark.parametrize(
    ("path", "first", "make"),
    [
        ("/events/", 2, lambda: EventFactory()),
        ("/organisations/", 2, lambda: OrganisationFactory()),
        ("/regions/", 2, lambda: RegionFactory()),
        ("/projects/", 3, lambda: ProjectFactory()),
        ("/topics/", 2, lambda: TopicFactory()),
        ("/programmes/", 2, lambda: ProgrammeFactory()),
    ],
)
def test_other_lists_are_counted_once_per_state_of_the_data(
    client, db, django_assert_num_queries, settings, path, first, make
):
    for _ in range(3):
        make()
    url = f"{API}{path}"
    with django_assert_num_queries(first):
        data = get_json(client, url)
    settings.PAGE_CACHE_SECONDS = 0  # built again, not answered from the cache
    with django_assert_num_queries(first - 1):
        assert get_json(client, url) == data
    make()
    assert get_json(client, url)["count"] == data["count"] + 1


def make_projects(n):
    topic = TopicFactory()
    for project in ProjectFactory.create_batch(n):
        project.topics.add(topic)


def left_to_the_collector(client, url):
    """Return how many objects answering ``url`` leaves for the cycle collector."""
    assert client.get(url).status_code == 200  # the count and other caches kept
    gc.collect()
    gc.disable()
    try:
        assert client.get(url).status_code == 200
        return gc.collect()
    finally:
        gc.enable()


@pytest.mark.parametrize(
    ("path", "make"),
    [
        ("/practices/", make_practices),
        ("/events/", lambda n: EventFactory.create_batch(n)),
        ("/organisations/", lambda n: OrganisationFactory.create_batch(n)),
        ("/projects/", make_projects),
    ],
)
def test_a_page_leaves_its_rows_to_no_reference_cycle(client, db, settings, path, make):
    """A page's rows are freed when it is sent, not by the cycle collector.

    Rows kept in DRF's reference cycles made the collector run twice as often
    and promoted them into its oldest generation (bench/README.md).
    """
    make(12)
    settings.PAGE_CACHE_SECONDS = 0
    few = left_to_the_collector(client, f"{API}{path}?page_size=2")
    many = left_to_the_collector(client, f"{API}{path}?page_size=12")
    assert many == few


def test_topic_practice_counts_follow_publication(client, db):
    topic = TopicFactory(slug="ports")
    practices = practices_with_word("Harbour", 2, topics=[topic])
    GoodPracticeFactory(topics=[topic], publication_state=PublicationState.DRAFT)
    assert get_json(client, f"{API}/topics/ports/")["practice_count"] == 2
    practices[0].publication_state = PublicationState.ARCHIVED
    practices[0].save()
    GoodPracticeFactory(topics=[topic])
    GoodPracticeFactory(topics=[topic])
    rows = get_json(client, f"{API}/topics/")["results"]
    assert [(r["slug"], r["practice_count"]) for r in rows] == [("ports", 3)]
