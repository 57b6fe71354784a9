"""Facet counts: computed once per filter state and data generation, by one
request at a time, and an edit of public content shows in them at once."""

import threading
import time
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from infra import caching
from practices.filters import PracticeFilter
from practices.models import GoodPractice
from tests.factories import GoodPracticeFactory, PracticeProposalFactory
from tests.practices.browse_data import build_practices, build_world

LIST_URL = reverse("practices:practice-list")


@pytest.fixture
def data(db):
    return build_practices(build_world())


def facets(query="country=PL"):
    """Return the facets of ``query`` and the number of queries they took."""
    if isinstance(query, dict):
        query = urlencode(query)
    filterset = PracticeFilter(QueryDict(query))
    assert filterset.is_valid()  # looks the country up
    with CaptureQueriesContext(connection) as queries:
        result = filterset.facets()
    return result, len(queries)


def language_counts(result):
    return dict(result["language"])


def test_a_proposal_leaves_the_counts_as_they_were(data):
    first, queries = facets()
    assert queries > 0
    proposal = PracticeProposalFactory()
    proposal.title = "Edited by the proposer"
    proposal.save()
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
    facets()
    data.warsaw.language = "en"
    data.warsaw.save()
    PracticeProposalFactory()
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


def test_any_generation_bump_recounts(data):
    facets()
    caching.bump_generation()
    _result, queries = facets()
    assert queries > 0


def test_changes_without_signals_show_once_the_counts_expire(data, monkeypatch):
    before, _queries = facets()
    GoodPractice.objects.filter(pk=data.warsaw.pk).update(language="en")
    assert facets() == (before, 0)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + caching.DATA_CACHE_SECONDS + 1)
    after, queries = facets()
    assert queries > 0
    assert language_counts(after).get("en", 0) == language_counts(before).get("en", 0) + 1


def test_the_listing_shows_cached_counts_without_counting_again(client, data):
    first = client.get(LIST_URL, {"country": "PL"})
    PracticeProposalFactory()
    # Another page (sorted otherwise) of the same filter state.
    with CaptureQueriesContext(connection) as queries:
        again = client.get(LIST_URL, {"country": "PL", "sort": "title"})
    assert again.status_code == 200
    # The facets' one query reads the filtered practices as the CTE "facet_all".
    assert not [q for q in queries.captured_queries if "facet_all" in q["sql"]]
    assert again.context["filter_options"] == first.context["filter_options"]


@pytest.mark.parametrize(
    "spelling", ["Innovation", "iNnovation", "innovation  innovation", " innovation"]
)
def test_one_search_spelled_differently_is_counted_once(data, spelling):
    # Issue 15 item 6: each spelling of a search recounted every facet.
    GoodPracticeFactory(title="Innovation vouchers", region=data.warsaw.region)
    first, queries = facets("q=innovation&country=PL")
    assert queries > 0
    again, queries = facets({"q": spelling, "country": "PL"})
    assert again == first
    if connection.vendor == "postgresql":
        assert queries == 0


@pytest.mark.postgres
def test_searches_that_find_other_practices_are_counted_apart(data):
    if connection.vendor != "postgresql":
        pytest.skip("the search's parser is PostgreSQL's")
    facets("q=innovation")
    for other in ("innovation -vouchers", '"innovation vouchers"', "innovation or energy"):
        _result, queries = facets({"q": other})
        assert queries > 0, other


# Single flight: caching.single_flight, the helper behind the facets.


def test_one_request_computes_while_another_waits_for_its_result(db):
    started, release = threading.Event(), threading.Event()
    calls = []

    def slow():
        calls.append(1)
        started.set()
        release.wait(5)
        return {"n": 1}

    results = []
    first = threading.Thread(
        target=lambda: results.append(caching.single_flight("test", ("a",), slow))
    )
    first.start()
    started.wait(5)
    second = threading.Thread(
        target=lambda: results.append(caching.single_flight("test", ("a",), slow))
    )
    second.start()
    time.sleep(0.2)
    release.set()
    first.join(5)
    second.join(5)
    assert results == [{"n": 1}, {"n": 1}]
    assert len(calls) == 1


def test_while_a_new_value_is_computed_others_get_the_last_one(db):
    assert caching.single_flight("test", ("b",), lambda: "old") == "old"
    caching.bump_generation()
    started, release = threading.Event(), threading.Event()

    def slow():
        started.set()
        release.wait(5)
        return "new"

    computing = threading.Thread(target=lambda: caching.single_flight("test", ("b",), slow))
    computing.start()
    started.wait(5)
    try:
        assert caching.single_flight("test", ("b",), lambda: "not computed twice") == "old"
    finally:
        release.set()
        computing.join(5)
    assert caching.single_flight("test", ("b",), lambda: "not computed twice") == "new"


def test_a_request_waits_only_so_long_for_another_one(db, monkeypatch):
    monkeypatch.setattr(caching, "FLIGHT_WAIT_SECONDS", 0.1)
    # Another request took the lock and never finished.
    _name, _last, lock = caching.flight_keys("test", ("c",), caching.generation())
    caching.cache.add(lock, 1, 30)
    assert caching.single_flight("test", ("c",), lambda: "computed anyway") == "computed anyway"


# Several values at once: caching.cached_many, behind the related practices.


def test_several_values_are_read_at_once_and_the_missing_computed_together(db):
    computed = []

    def compute(missing):
        computed.append(list(missing))
        return {parts: f"value of {parts[0]}" for parts in missing}

    assert caching.cached_many("test", [("a",)], compute) == {("a",): "value of a"}
    found = caching.cached_many("test", [("a",), ("b",), ("c",)], compute)
    assert found == {(name,): f"value of {name}" for name in "abc"}
    assert computed == [[("a",)], [("b",), ("c",)]]

    caching.bump_generation()
    caching.cached_many("test", [("a",), ("b",)], compute)
    assert computed[-1] == [("a",), ("b",)]
