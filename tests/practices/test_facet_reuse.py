"""Facet counts outlive the edits that cannot change them, and only those."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from infra import caching
from practices import filters
from practices.filters import PracticeFilter
from tests.factories import (
    EventFactory,
    GoodPracticeFactory,
    PersonFactory,
    PracticeProposalFactory,
)
from tests.practices.browse_data import build_practices, build_world

pytestmark = pytest.mark.django_db

LIST_URL = reverse("practices:practice-list")


@pytest.fixture
def data():
    return build_practices(build_world())


def facets(query="country=PL"):
    """Return the facets of ``query`` and the number of queries they took."""
    filterset = PracticeFilter(QueryDict(query))
    assert filterset.is_valid()  # looks the country up
    with CaptureQueriesContext(connection) as queries:
        result = filterset.facets()
    return result, len(queries)


def language_counts(result):
    return dict(result["language"])


def test_an_event_a_person_or_a_proposal_leaves_the_counts_as_they_were(data):
    person, event = PersonFactory(), EventFactory()
    first, queries = facets()
    assert queries > 0
    generation = caching.generation()
    person.name = "Renamed"
    person.save()
    event.title = "Another title"
    event.save()
    PracticeProposalFactory()
    assert caching.generation() > generation
    again, queries = facets()
    assert queries == 0
    assert again == first


def test_a_practice_edit_is_counted_at_once(data):
    before, _queries = facets()
    data.warsaw.language = "en"
    data.warsaw.save()
    after, queries = facets()
    assert queries > 0
    assert language_counts(after).get("pl", 0) == language_counts(before).get("pl", 0) - 1
    assert language_counts(after)["en"] == language_counts(before).get("en", 0) + 1


def test_an_unrelated_edit_after_a_practice_edit_still_shows_the_practice_edit(data):
    person = PersonFactory()
    facets()
    data.warsaw.language = "en"
    data.warsaw.save()
    person.save()
    after, queries = facets()
    assert queries > 0
    assert language_counts(after)["en"] >= 1


def test_new_tags_and_renamed_topics_are_counted_at_once(data):
    before, _queries = facets()
    GoodPracticeFactory(region=data.warsaw.region, topics=[data.digital])
    after, _queries = facets()
    counts = {o["label"]: o["count"] for o in after["topic"]}
    assert (
        counts[data.digital.name]
        == {o["label"]: o["count"] for o in before["topic"]}.get(data.digital.name, 0) + 1
    )
    data.digital.name = "Digital SMEs"
    data.digital.save()
    renamed, queries = facets()
    assert queries > 0
    assert "Digital SMEs" in {o["label"] for o in renamed["topic"]}


def test_a_generation_bump_the_counters_did_not_see_recounts(data):
    facets()
    # As from a process that never imported the filters (or a lost counter).
    caching.bump_generation()
    _result, queries = facets()
    assert queries > 0


def test_kept_counts_expire_as_computed_ones_do(data, monkeypatch):
    person = PersonFactory()
    facets()
    person.save()
    now = filters.time.time()
    monkeypatch.setattr(filters.time, "time", lambda: now + filters.FACET_CACHE_SECONDS)
    _result, queries = facets()
    assert queries > 0


def test_the_listing_shows_kept_counts_without_counting_again(client, data):
    person = PersonFactory()
    first = client.get(LIST_URL, {"country": "PL"})
    person.save()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(LIST_URL, {"country": "PL"})
    assert again.status_code == 200
    assert not [q for q in queries.captured_queries if "UNION ALL" in q["sql"]]
    assert again.context["filter_options"] == first.context["filter_options"]
