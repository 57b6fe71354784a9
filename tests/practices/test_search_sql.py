"""The search's own SQL, each piece tested by its result.

SQLite's FTS5 pieces (``_fts_matches``, ``WordsRank``, ``_similar_titles``,
``TitleSimilarity``) and PostgreSQL's (``AnyOf``, ``WordsAsParameter``)
write SQL the ORM has no expression for.
"""

import pytest
from django.db import connection
from django.db.models import F

from core.search import WORD_SIMILARITY_THRESHOLD, word_similarity
from practices import search
from practices.models import GoodPractice
from tests.factories import GoodPracticeFactory

pytestmark = pytest.mark.django_db

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 is SQLite's")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the query's form is PostgreSQL's"
)


@pytest.fixture
def harbours():
    return (
        GoodPracticeFactory(title="Harbour logistics", description="Ships and cranes."),
        GoodPracticeFactory(title="Port cranes", description="A harbour's new cranes."),
        GoodPracticeFactory(title="Rural broadband", description="Fibre for villages."),
    )


@on_sqlite
def test_fts_matches_are_the_ids_whose_words_match(harbours):
    title, description, _other = harbours
    matched = GoodPractice.objects.filter(pk__in=search._fts_matches(search.fts5_query("harbour")))
    assert set(matched) == {title, description}
    assert not GoodPractice.objects.filter(pk__in=search._fts_matches('"nowhere"')).exists()


@on_sqlite
def test_words_rank_puts_a_title_match_above_a_description_match(harbours):
    title, description, _other = harbours
    query = search.fts5_query("harbour")
    ranks = dict(
        GoodPractice.objects.filter(pk__in=[title.pk, description.pk])
        .annotate(rank=search.WordsRank(query))
        .values_list("pk", "rank")
    )
    assert ranks[title.pk] > ranks[description.pk] > 0


@on_sqlite
def test_similar_titles_keep_titles_as_similar_as_postgresql_would(harbours):
    title, description, other = harbours
    found = dict(
        search._similar_titles(GoodPractice.objects.all(), "harbor").values_list(
            "pk", "search_rank"
        )
    )
    assert set(found) == {title.pk}
    assert found[title.pk] == pytest.approx(word_similarity("harbor", title.title))
    assert found[title.pk] >= WORD_SIMILARITY_THRESHOLD


@on_postgresql
def test_any_of_keeps_the_rows_whose_field_is_in_the_subquery(harbours):
    title, _description, other = harbours
    ids = GoodPractice.objects.filter(pk__in=[title.pk, other.pk]).values("pk")
    kept = GoodPractice.objects.filter(search.AnyOf(F("pk"), ids))
    assert set(kept) == {title, other}


@on_postgresql
def test_words_as_a_parameter_match_what_the_words_match(harbours):
    title, description, _other = harbours
    practices = GoodPractice.objects.all()
    for q in ("harbour", "harbour cranes", "harbour -ships", "fibre or ships"):
        as_parameter = set(search.match_words(practices, q, as_parameter=True))
        assert as_parameter == set(search.match_words(practices, q)), q
    assert set(search.match_words(practices, "harbour", as_parameter=True)) == {
        title,
        description,
    }
