"""The listing's SQL: pages fetched by their ids first, the indexes the filters use."""

import datetime
import pickle

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from infra.listing import IdsFirstPaginator
from practices import filters
from practices.filters import PracticeFilter
from practices.models import GoodPractice
from practices.selectors import facet_rows
from tests.factories import GoodPracticeFactory, TopicFactory
from tests.practices.browse_data import build_practices, build_world

pytestmark = pytest.mark.django_db

LIST_URL = reverse("practices:practice-list")


@pytest.fixture
def many(db):
    """25 practices, two topics, some on the same day (the id breaks the tie)."""
    world = build_world()
    green, blue = TopicFactory(name="Green"), TopicFactory(name="Blue")
    regions = [world.pl91, world.pl92, world.es41, world.es51]
    day = timezone.now() - datetime.timedelta(days=100)
    practices = []
    for n in range(25):
        practices.append(
            GoodPracticeFactory(
                title=f"Practice {n:02} about innovation",
                region=regions[n % len(regions)],
                language="pl" if n % 3 else "en",
                status="ended" if n % 5 == 0 else "ongoing",
                topics=[green] if n % 2 else [green, blue],
                published_at=day + datetime.timedelta(days=n // 3),
            )
        )
    return practices


def filtered(query, queryset=None):
    base = GoodPractice.objects.published().for_listing() if queryset is None else queryset
    return PracticeFilter(QueryDict(query), queryset=base).qs


@pytest.mark.parametrize(
    "query",
    [
        "",
        "sort=title",
        "country=PL",
        "country=PL&topic=green&language=pl",
        "topic=blue&status=ongoing",
        "region=ES&sort=title",
        "q=innovation",
        "q=innovation&sort=newest&country=ES",
    ],
)
def test_pages_are_the_slices_of_the_whole_list(many, query):
    everything = list(filtered(query))
    assert everything
    paginator = IdsFirstPaginator(filtered(query).prefetch_related("topics"), 4)
    pages = [list(paginator.page(n)) for n in paginator.page_range]
    assert [p for page in pages for p in page] == everything
    assert list(IdsFirstPaginator(filtered(query), 6).page(2)) == everything[6:12]
    assert list(IdsFirstPaginator(filtered(query), 3, orphans=1).page(1)) == everything[:3]


def test_a_page_is_one_query_and_its_topics_one_more(many, django_assert_num_queries):
    queryset = filtered("country=PL&topic=green&language=pl").prefetch_related("topics")
    paginator = IdsFirstPaginator(queryset, 5, count=7)
    with django_assert_num_queries(2):
        page = list(paginator.page(1))
    assert len(page) == 5
    with django_assert_num_queries(0):
        assert all(p.topics.all() for p in page)


def test_a_page_may_be_read_as_other_rows(many):
    queryset = filtered("country=ES&sort=title")
    paginator = IdsFirstPaginator(
        queryset, 5, rows=lambda ids: queryset.filter(pk__in=ids).values_list("title", flat=True)
    )
    assert list(paginator.page(2)) == [p.title for p in list(queryset)[5:10]]


def test_count_indexing_and_iteration_are_unchanged(many):
    queryset = filtered("country=ES")
    rows = list(queryset)
    assert queryset.count() == len(rows) == 12
    assert filtered("country=ES")[4] == rows[4]
    assert list(filtered("country=ES").iterator()) == rows


def test_the_listing_shows_the_same_practices_page_by_page(client, many):
    seen = []
    for page in (1, 2):
        response = client.get(LIST_URL, {"topic": "green", "sort": "title", "page": page})
        assert response.status_code == 200
        seen += [p["title"] for p in response.context["practices"]]
    assert seen == sorted(p.title for p in many)


def test_listed_practices_do_not_load_the_search_vector(many):
    practice = IdsFirstPaginator(filtered("country=PL"), 1).page(1)[0]
    assert "search_vector" in practice.get_deferred_fields()
    assert practice.title and practice.region.name


def test_a_filtered_page_keeps_the_filters_of_a_plain_queryset(many):
    data = filtered("country=PL&sort=title", queryset=GoodPractice.objects.all())
    assert [p.title for p in IdsFirstPaginator(data, 3).page(1)] == sorted(
        p.title for p in many if p.region.country_code == "PL"
    )[:3]


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the indexes are PostgreSQL-only"
)


@on_postgresql
@pytest.mark.postgres
def test_the_filters_have_their_covering_indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN "
            "('practices_goodpractice', 'practices_goodpractice_topics', "
            "'practices_goodpractice_projects')"
        )
        indexes = dict(cursor.fetchall())
    assert "practice_facets_idx" not in indexes
    listing = indexes["practice_listing_idx"]
    assert "(publication_state, region_id)" in listing
    for column in ("published_at", "language", "status", "start_date", "end_date"):
        assert column in listing
    assert "(publication_state, language, region_id)" in indexes["practice_language_idx"]
    # The insights page's counts per region read the completeness from them (0019).
    assert "completeness" in listing and "completeness" in indexes["practice_language_idx"]
    assert "(publication_state, published_at DESC, id DESC)" in indexes["practice_newest_idx"]
    assert "(topic_id, goodpractice_id)" in indexes["practice_topics_topic_practice_idx"]
    assert "(project_id, goodpractice_id)" in indexes["practice_projects_project_practice_idx"]


def test_search_results_keep_their_order_on_every_page():
    data = build_practices(build_world())
    everything = list(filtered("q=industry"))
    assert data.castilla in everything
    paginator = IdsFirstPaginator(filtered("q=industry"), 1)
    assert [p for n in paginator.page_range for p in paginator.page(n)] == everything


def test_a_filtered_queryset_can_still_be_pickled(many):
    queryset = filtered("country=PL&sort=title")
    rows = list(queryset)
    assert list(pickle.loads(pickle.dumps(queryset))) == rows


def facet_counts(rows):
    counts = {}
    for facet, key, _label, n in rows:
        counts.setdefault(facet, {})[key] = n
    return counts


@pytest.mark.parametrize(
    "query", ["", "country=PL", "topic=blue&language=pl", "q=innovation&country=ES"]
)
def test_facet_rows_count_each_value_under_the_other_filters(many, query):
    filterset = PracticeFilter(QueryDict(query))
    counts = facet_counts(facet_rows(filterset))
    others = {
        "country": filtered(query.replace("country=", "x=")),
        "language": filtered(query.replace("language=", "x=")),
        "topic": filtered(query.replace("topic=", "x=")),
    }
    country_of = {p.pk: p.region.country_code for p in others["country"]}
    expected = {}
    for code in country_of.values():
        expected[code] = expected.get(code, 0) + 1
    assert counts["country"] == expected
    languages = {}
    for practice in others["language"]:
        languages[practice.language] = languages.get(practice.language, 0) + 1
    assert counts["language"] == languages
    topics = {}
    for practice in others["topic"]:
        for topic in practice.topics.all():
            topics[topic.slug] = topics.get(topic.slug, 0) + 1
    assert counts["topic"] == topics
    assert sum(counts["map"].values()) == len(filtered(query))


@on_postgresql
@pytest.mark.postgres
def test_broad_search_facets_are_counted_without_planner_settings(monkeypatch):
    build_practices(build_world())
    monkeypatch.setattr(filters, "BROAD_SEARCH_MATCHES", 1)
    filterset = PracticeFilter(QueryDict("q=industry"))
    assert filterset.qs and filterset.is_broad_search
    with CaptureQueriesContext(connection) as queries:
        rows = facet_rows(filterset)
    assert len(queries) == 1 and "set_config" not in queries[0]["sql"]
    assert sum(n for facet, _key, _label, n in rows if facet == "language") == len(filterset.qs)
    narrow = PracticeFilter(QueryDict("q=industry"))
    monkeypatch.setattr(filters, "BROAD_SEARCH_MATCHES", 1000)
    assert not narrow.is_broad_search
    assert sorted(facet_rows(narrow)) == sorted(rows)
