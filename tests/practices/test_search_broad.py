"""A search matching very many practices: counted up to a limit, newest first."""

import datetime

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from practices.filters import PracticeFilter
from practices.models import GoodPractice
from tests.factories import GoodPracticeFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("practices:practice-list")


@pytest.fixture
def practices():
    now = timezone.now()
    # The title match is the oldest: ranked first only while the search is narrow.
    titled = GoodPracticeFactory(
        title="Innovation voucher", published_at=now - datetime.timedelta(days=30)
    )
    others = [
        GoodPracticeFactory(
            title=f"Cluster programme {n}",
            summary="A programme that supports innovation in small firms.",
            published_at=now - datetime.timedelta(days=n),
        )
        for n in range(1, 4)
    ]
    return titled, others


def titles(response):
    return [p["title"] for p in response.context["practices"]]


def test_narrow_search_ranks_and_counts_exactly(client, practices, settings):
    titled, others = practices
    response = client.get(LIST_URL, {"q": "innovation"})
    assert response.status_code == 200
    assert titles(response)[0] == titled.title
    assert response.context["paginator"].count == 4
    assert not response.context["broad_search"]
    assert "4 practices found" in response.content.decode()


def test_broad_search_is_capped_and_newest_first(client, practices, monkeypatch):
    monkeypatch.setattr("practices.filters.BROAD_SEARCH_MATCHES", 2)
    monkeypatch.setattr("practices.views.BROAD_SEARCH_MATCHES", 2)
    titled, others = practices
    response = client.get(LIST_URL, {"q": "innovation"})
    assert response.status_code == 200
    assert response.context["broad_search"]
    assert response.context["paginator"].count == 2
    page = response.content.decode()
    assert "More than 2 practices found" in page
    assert "newest are shown first" in page
    assert titles(response) == [others[0].title, others[1].title]


def test_broad_search_sorted_by_title(client, practices, monkeypatch):
    monkeypatch.setattr("practices.filters.BROAD_SEARCH_MATCHES", 2)
    monkeypatch.setattr("practices.views.BROAD_SEARCH_MATCHES", 2)
    titled, others = practices
    response = client.get(LIST_URL, {"q": "innovation", "sort": "title"})
    assert response.context["broad_search"]
    assert titles(response) == [others[0].title, others[1].title]


def test_search_query_count_holds(client, practices, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert client.get(LIST_URL, {"q": "innovation"}).status_code == 200


def test_a_search_is_checked_and_counted_once_per_filter_state(
    client, practices, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0  # every request builds the page
    client.get(LIST_URL, {"q": "innovation"})
    # Whether the words match, and how many practices they find, are asked
    # no more (nor the facets): the list in another order reads its rows,
    # their topics, projects and translations with them.
    with django_assert_num_queries(1):
        response = client.get(LIST_URL, {"q": "innovation", "sort": "title"})
    assert response.context["paginator"].count == 4
    GoodPracticeFactory(title="Innovation camp")
    response = client.get(LIST_URL, {"q": "innovation"})
    assert response.context["paginator"].count == 5
    assert "Innovation camp" in titles(response)


def test_a_search_matched_by_similar_titles_stays_so_when_kept(client, practices, settings):
    settings.PAGE_CACHE_SECONDS = 0
    first = client.get(LIST_URL, {"q": "inovation"})
    again = client.get(LIST_URL, {"q": "inovation"})
    assert titles(first) == titles(again) == ["Innovation voucher"]
    assert again.context["paginator"].count == 1


def test_other_practices_than_the_listing_s_are_counted_for_themselves(client, practices):
    titled, others = practices
    client.get(LIST_URL, {"q": "innovation"})  # kept for the listing's filter state
    window = GoodPractice.objects.published().filter(pk=others[0].pk)
    filterset = PracticeFilter(QueryDict("q=innovation"), queryset=window)
    assert list(filterset.qs) == [others[0]]
    assert filterset.capped_count == 1
