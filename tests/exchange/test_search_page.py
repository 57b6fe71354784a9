"""/search/: every kind at once, grouped, counted, linked to each listing; bad input answered."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from core.models import Organisation, PolicyInstrument, Project, PublicationState, Region
from core.search import name_matches
from events.models import Event, Output
from tests.factories import (
    EventFactory,
    GoodPracticeFactory,
    OrganisationFactory,
    PersonFactory,
    ProjectFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("exchange:search")


def make_everything(n=1, word="Harbour"):
    for i in range(n):
        GoodPracticeFactory(title=f"{word} logistics {i}")
        ProjectFactory(title=f"{word} cooperation {i}", acronym=f"HRB{i}")
        OrganisationFactory(name=f"{word} authority {i}")
        EventFactory(title=f"{word} seminar {i}")
        Output.objects.create(title=f"{word} study {i}", url="https://example.org/s.pdf")
        RegionFactory(name=f"{word} district {i}")
        PolicyInstrument.objects.create(name=f"{word} fund {i}")


def sections(response):
    return {s["key"]: s for s in response.context["sections"]}


def test_every_kind_is_searched_grouped_and_counted(client):
    make_everything(7)
    GoodPracticeFactory(title="Harbour draft", publication_state=PublicationState.DRAFT)
    EventFactory(title="Harbour hidden", publication_state=PublicationState.DRAFT)
    response = client.get(URL, {"q": "harbour"})
    assert response.status_code == 200
    found = sections(response)
    assert list(found) == [
        "practices",
        "projects",
        "organisations",
        "events",
        "documents",
        "regions",
        "policy_instruments",
    ]
    for key, section in found.items():
        assert section["count"] == 7, key  # drafts are not counted
        assert len(section["rows"]) == 5, key  # the top 5 only
    body = response.content.decode()
    assert "Harbour draft" not in body and "Harbour hidden" not in body
    assert response.context["total"] == 49


def test_see_all_links_go_to_each_listing_filtered_by_the_same_words(client):
    make_everything(1)
    found = sections(client.get(URL, {"q": "harbour"}))
    assert found["practices"]["see_all"] == "/practices/?q=harbour"
    assert found["projects"]["see_all"] == "/projects/?q=harbour"
    assert found["organisations"]["see_all"] == "/organisations/?q=harbour"
    assert found["events"]["see_all"] == "/events/?q=harbour"
    assert found["documents"]["see_all"] == "/documents/?q=harbour"
    # No listing of their own: one kind's matches, page by page.
    assert found["regions"]["see_all"] == "/search/?q=harbour&kind=regions"
    for key, section in found.items():
        response = client.get(section["see_all"])
        assert response.status_code == 200, key
        assert "Harbour" in response.content.decode(), key


@pytest.mark.parametrize("path", ["/projects/", "/organisations/", "/events/", "/documents/"])
def test_each_listing_keeps_its_own_search_box(client, path):
    make_everything(1)
    OrganisationFactory(name="Something else")
    ProjectFactory(title="Something else")
    EventFactory(title="Something else")
    Output.objects.create(title="Something else", url="https://example.org/x.pdf")
    body = client.get(path, {"q": "harbour"}).content.decode()
    assert 'name="q"' in body
    assert "Harbour" in body and "Something else" not in body


def test_one_kind_pages_through_all_its_matches(client):
    for i in range(25):
        RegionFactory(name=f"Harbour district {i}")
    response = client.get(URL, {"q": "harbour", "kind": "regions"})
    assert list(sections(response)) == ["regions"]
    assert len(sections(response)["regions"]["rows"]) == 20
    response = client.get(URL, {"q": "harbour", "kind": "regions", "page": "2"})
    assert len(sections(response)["regions"]["rows"]) == 5
    # An unknown kind or page number shows every kind, or the last page.
    assert client.get(URL, {"q": "harbour", "kind": "nonsense"}).status_code == 200
    response = client.get(URL, {"q": "harbour", "kind": "regions", "page": "999"})
    assert response.status_code == 200


def test_accents_and_misspellings_are_forgiven_in_every_kind(client):
    OrganisationFactory(name="Sieć Badawcza Łukasiewicz")
    ProjectFactory(title="Cooperation in León", acronym="LEON1")
    EventFactory(title="Seminar in Tuscany")
    found = sections(client.get(URL, {"q": "lukasiewicz"}))
    assert found["organisations"]["count"] == 1
    found = sections(client.get(URL, {"q": "leon"}))
    assert found["projects"]["count"] == 1
    found = sections(client.get(URL, {"q": "tuscanny"}))
    assert found["events"]["count"] == 1


def test_results_are_ranked(client):
    GoodPracticeFactory(title="Lean management", summary="Nothing about audits.")
    GoodPracticeFactory(title="Industry 4.0 audit", summary="An audit for SMEs.")
    rows = sections(client.get(URL, {"q": "audit"}))["practices"]["rows"]
    assert rows[0].title == "Industry 4.0 audit"


@pytest.mark.parametrize(
    ("q", "status", "message"),
    [
        ("", 200, None),
        ("   ", 200, None),
        # Refused before the view by the query-string limit, with its own page.
        ("x" * 5000, 400, "a search or filter text that is far too long"),
        ("x" * 300, 400, "Use at most 200 characters: you typed 300."),
        ("!!! ??? ...", 200, "Type at least one word"),
        ("'; DROP TABLE practices_goodpractice; --", 200, None),
        ("<script>alert(1)</script>", 200, None),
        ("a & b | c:* (", 200, None),
        ('"unclosed', 200, None),
        ("-", 200, None),
        ("\x00\x07", 200, None),
    ],
)
def test_bad_input_gets_a_clear_page(client, q, status, message):
    make_everything(1)
    response = client.get(URL, {"q": q})
    assert response.status_code == status
    body = response.content.decode()
    if message:
        assert message in " ".join(body.split())
    assert "<script>alert" not in body
    assert 'id="header-q"' in body  # a box to try again


def test_input_too_long_is_kept_in_the_box_next_to_its_message(client):
    response = client.get(URL, {"q": "harbour " * 40})
    assert response.status_code == 400
    assert response.context["q"] == ("harbour " * 25).strip()
    body = response.content.decode()
    assert 'aria-invalid="true"' in body
    assert 'aria-describedby="search-q-error search-q-help"' in body


def test_no_email_address_is_shown(client):
    person = PersonFactory(email="someone@private.example")
    GoodPracticeFactory(title="Harbour logistics", contact=person)
    OrganisationFactory(name="Harbour authority")
    body = client.get(URL, {"q": "harbour"}).content.decode()
    assert "@private.example" not in body
    # Nor does an address find anything: contacts are not searched.
    assert client.get(URL, {"q": "someone@private.example"}).context["total"] == 0


@pytest.mark.parametrize("language", ["pl", "ro"])
def test_the_page_speaks_the_visitors_language(client, language):
    make_everything(1)
    response = client.get(f"/{language}{URL}", {"q": "harbour"})
    assert response.status_code == 200
    assert f'lang="{language}"' in response.content.decode()


def test_the_header_search_box_goes_to_the_search_page(client):
    body = client.get("/").content.decode()
    assert f'action="{URL}"' in body
    assert 'id="header-q"' in body


@pytest.mark.parametrize("n", [1, 50])
@pytest.mark.parametrize(
    ("q", "cold"),
    [
        # Every kind counted in one query, then the best five of each kind.
        ("harbour", 8),
        # No kind has the word: the similar words counted in a second query.
        ("harbourr", 9),
    ],
)
def test_the_page_costs_the_same_queries_whatever_the_data(
    client, django_assert_num_queries, settings, n, q, cold
):
    settings.PAGE_CACHE_SECONDS = 0
    make_everything(n)
    cache.clear()
    with django_assert_num_queries(cold):
        response = client.get(URL, {"q": q})
    assert response.context["total"] == 7 * n
    # The counts cached: the best five of each kind read again.
    with django_assert_num_queries(7):
        client.get(URL, {"q": q})


def test_a_word_found_nowhere_costs_two_queries(client, django_assert_num_queries, settings):
    settings.PAGE_CACHE_SECONDS = 0
    make_everything(3)
    with django_assert_num_queries(2):
        response = client.get(URL, {"q": "zyxwvut"})
    assert response.context["total"] == 0
    with django_assert_num_queries(0):
        client.get(URL, {"q": "zyxwvut"})


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
@pytest.mark.postgres
@pytest.mark.parametrize(
    ("model", "index"),
    [
        (Organisation, "organisation_names_fts_idx"),
        (Project, "project_names_fts_idx"),
        (Region, "region_names_fts_idx"),
        (PolicyInstrument, "instrument_names_fts_idx"),
        (Event, "event_names_fts_idx"),
        (Output, "output_names_fts_idx"),
    ],
)
def test_the_name_search_reads_the_index_its_migration_made(model, index):
    # Catches SEARCH_FIELDS drifting from the indexed expression.
    queryset = name_matches(model.objects.all(), "harbour", model.SEARCH_FIELDS)
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan
