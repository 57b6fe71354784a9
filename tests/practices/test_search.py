"""Search: ranked full text on PostgreSQL (tsvector) and SQLite (FTS5), the same results."""

import pytest
from django.db import connection
from django.urls import reverse

from core.models import PublicationState
from core.search import word_similarity
from practices import search_index
from practices.models import GoodPractice
from practices.search import fts5_query, normalise_query, search_practices
from tests.factories import GoodPracticeFactory, OrganisationFactory, RegionFactory
from tests.practices.browse_data import build_practices, build_world

pytestmark = pytest.mark.django_db

LIST_URL = reverse("practices:practice-list")

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search is PostgreSQL-only"
)


@pytest.fixture
def data():
    return build_practices(build_world())


def search(q):
    return list(search_practices(GoodPractice.objects.published(), q).order_by("-search_rank"))


def listing(client, q, **params):
    response = client.get(LIST_URL, {"q": q, **params})
    assert response.status_code == 200
    return [p["title"] for p in response.context["practices"]]


# Both databases


def test_search_finds_words_in_title_summary_and_keywords(client, data):
    assert data.tuscany.title in listing(client, "audit")
    assert data.leeds.title in listing(client, "leeds")  # keyword
    assert listing(client, "innovation voucher") == [data.mazovia.title]


def test_every_word_must_match(client, data):
    assert listing(client, "audit tuscany") == [data.tuscany.title]
    assert listing(client, "audit nonsenseword") == []


def test_search_ignores_drafts(client, data):
    assert listing(client, "nobody may see") == []


def test_title_match_ranks_first(client, data):
    # The GOSTOP practice mentions an audit only in its description.
    results = listing(client, "audit")
    assert results[0] == data.tuscany.title
    assert data.gostop.title in results


def test_search_combines_with_filters(client, data):
    assert listing(client, "industry", country="PL") == [data.warsaw.title]


def test_empty_and_odd_queries_do_not_break(client, data):
    for q in ["", "   ", "!!!", "a & b | c:*", "'\"", "(", "-", "\\", "é", "😀", "<script>"]:
        response = client.get(LIST_URL, {"q": q})
        assert response.status_code == 200, q


def test_normalise_query_drops_control_characters():
    assert normalise_query("  audit\t\x07 tuscany \n") == "audit tuscany"


# Both databases: the cases the demo content must hold


def test_accents_are_ignored_lukasiewicz_finds_the_platform(client, data):
    assert listing(client, "lukasiewicz") == [data.warsaw.title]
    assert listing(client, "Łukasiewicz") == [data.warsaw.title]


def test_english_stemming_factory_finds_factories(client, data):
    assert data.gostop.title in listing(client, "factory")


def test_misspelling_falls_back_to_trigram_similarity(client, data):
    assert listing(client, "tuscanny") == [data.tuscany.title]


def test_audit_ranks_the_title_match_first(data):
    results = search("audit")
    assert results[0] == data.tuscany
    assert data.gostop in results


def test_region_and_country_names_are_searchable(data):
    assert set(search("toscana")) == {data.gostop, data.tuscany}
    assert set(search("polska")) == {data.warsaw, data.mazovia}


def test_vector_follows_saves_bulk_loads_and_renames():
    region = RegionFactory(nuts_code="FI19", name="Länsi-Suomi")
    practice = GoodPracticeFactory(title="Harbour logistics", region=region)
    assert search("harbour") == [practice]
    practice.title = "Port logistics"
    practice.save()
    assert search("harbour") == []
    assert search("port") == [practice]

    GoodPractice.objects.bulk_create(
        [
            GoodPractice(
                title="Bulk loaded practice",
                slug="bulk-loaded",
                summary="Loaded in bulk.",
                publication_state=PublicationState.PUBLISHED,
            )
        ]
    )
    assert [p.slug for p in search("bulk")] == ["bulk-loaded"]

    organisation = OrganisationFactory(name="Old name agency")
    with_org = GoodPracticeFactory(title="Some practice", organisation=organisation)
    organisation.name = "Brandnew agency"
    organisation.save()
    assert search("brandnew") == [with_org]
    region.name = "Lansi Renamed"
    region.save()
    assert search("renamed") == [practice]


@on_postgresql
@pytest.mark.postgres
def test_search_uses_the_stored_vector_and_the_indexes(data):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'practices_goodpractice'"
        )
        indexes = {row[0] for row in cursor.fetchall()}
    assert {"practice_search_vector_idx", "practice_title_trgm_idx"} <= indexes
    sql = str(search_practices(GoodPractice.objects.all(), "audit").query)
    assert "search_vector" in sql and "@@" in sql


def test_topic_names_and_project_acronyms_are_searchable_once_tagged(data):
    assert data.mazovia in search("digitalisation")
    assert data.mazovia in search("baltic")
    data.mazovia.topics.remove(data.digital)
    assert data.mazovia not in search("digitalisation")
    data.mazovia.topics.add(data.clusters)
    assert data.mazovia in search("clusters")


def test_saving_a_stale_instance_after_tagging_keeps_the_tags_searchable(data):
    practice = GoodPractice.objects.get(pk=data.castilla.pk)  # loaded before tagging
    data.castilla.topics.add(data.clusters)
    assert data.castilla in search("clusters")
    practice.save()
    assert data.castilla in search("clusters")
    practice.refresh_from_db()
    practice.city = "Valladolid"
    practice.save()
    assert data.castilla in search("valladolid")
    assert data.castilla in search("clusters")


@on_postgresql
@pytest.mark.postgres
def test_english_stems_only_for_english_text():
    english = GoodPracticeFactory(title="Plain", summary="New factories opened.", language="en")
    other = GoodPracticeFactory(title="Plain too", summary="New factories opened.", language="pl")
    assert search("factory") == [english]
    # The words themselves are found in any language.
    assert set(search("factories")) == {english, other}
    other.language = "en"
    other.save()
    assert set(search("factory")) == {english, other}


def test_websearch_operators_and_odd_input_make_valid_fts5_queries():
    assert fts5_query("audit  tuscany") == '("audit") AND ("tuscany")'
    assert fts5_query('"lean audit" or tuscany -leeds') == '("lean audit" OR "tuscany") NOT "leeds"'
    assert fts5_query("Łódź 4.0") == '("Lódź") AND ("4 0")'
    for q in ["", "!!!", "or", "-", '"', "AND OR NOT", "a:*"]:
        query = fts5_query(q)
        assert query == "" or query.startswith('("'), q


@pytest.mark.parametrize(
    ("q", "text"),
    [
        ("tuscanny", "Industry 4.0 audit in Tuscany"),
        ("word", "two words"),
        ("audit", "Industry 4.0 audit"),
        ("lean manufacturing", "Lean and green manufacturing"),
        ("xyz", "Industry 4.0 audit"),
    ],
)
@on_postgresql
@pytest.mark.postgres
def test_word_similarity_is_pg_trgms(q, text):
    # The SQLite fallback scores misspellings as PostgreSQL's %> operator does.
    with connection.cursor() as cursor:
        cursor.execute("SELECT word_similarity(%s, %s)", [q, text])
        expected = cursor.fetchone()[0]
    assert word_similarity(q, text) == pytest.approx(expected, abs=0.01)


def test_the_index_follows_the_one_list_of_fields(monkeypatch):
    practice = GoodPracticeFactory(title="Plain", city="Zgierz")
    assert search("zgierz") == [practice]
    assert "city" in {f.name for f in search_index.INDEXED_FIELDS}
    # Taking a field out of the list and reinstalling unindexes it on both databases.
    fields = tuple(f for f in search_index.INDEXED_FIELDS if f.name != "city")
    monkeypatch.setattr(search_index, "INDEXED_FIELDS", fields)
    search_index.install_on(connection)
    assert search("zgierz") == []
    assert search("plain") == [practice]
    monkeypatch.undo()
    search_index.install_on(connection)
    assert search("zgierz") == [practice]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")
def test_sqlite_index_rows_follow_deletes():
    practice = GoodPracticeFactory(title="Short-lived")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {search_index.WORDS_TABLE} WHERE rowid = %s", [practice.pk]
        )
        assert cursor.fetchone()[0] == 1
        practice.delete()
        cursor.execute(
            f"SELECT count(*) FROM {search_index.WORDS_TABLE} WHERE rowid = %s", [practice.pk]
        )
        assert cursor.fetchone()[0] == 0
