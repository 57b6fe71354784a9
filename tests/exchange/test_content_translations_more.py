"""Staff translations of projects, events, documents and policy instruments (core.translations).

Practices have theirs in tests/practices/test_content_translations.py.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.models import PolicyInstrument, PolicyInstrumentTranslation, ProjectTranslation
from events.models import EventTranslation, Output, OutputTranslation
from infra import caching
from tests.factories import EventFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    """A project written in Polish, translated into English (not into Romanian)."""
    project = ProjectFactory(
        acronym="",
        title="Cyfrowe wsparcie dla małych firm",
        summary="Projekt wspiera małe firmy.",
        objectives="Cele projektu.",
        language="pl",
    )
    ProjectTranslation.objects.create(
        master=project,
        language_code="en",
        translated_title="Digital support for small firms",
        translated_summary="The project supports small firms.",
    )
    return project


@pytest.fixture
def event():
    event = EventFactory(
        title="Seminarium o gospodarce obiegu zamkniętego",
        summary="Spotkanie partnerów.",
        description="Opis seminarium.",
        language="pl",
    )
    EventTranslation.objects.create(
        master=event,
        language_code="en",
        translated_title="Seminar on the circular economy",
        translated_summary="A meeting of the partners.",
    )
    return event


@pytest.fixture
def instrument():
    instrument = PolicyInstrument.objects.create(
        name="Regionalny Program Operacyjny Mazowsza",
        description="Program regionalny.",
        language="pl",
    )
    PolicyInstrumentTranslation.objects.create(
        master=instrument,
        language_code="ro",
        translated_name="Programul operațional regional Mazovia",
        translated_description="Programul regional.",
    )
    return instrument


@pytest.fixture
def document():
    document = Output.objects.create(
        title="Analiza regionalna gospodarki wodorowej",
        summary="Analiza rynku wodoru.",
        language="pl",
        url="https://example.org/analiza.pdf",
    )
    OutputTranslation.objects.create(
        master=document,
        language_code="en",
        translated_title="Regional analysis of the hydrogen economy",
        translated_summary="An analysis of the hydrogen market.",
    )
    return document


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


# The pages


def test_project_page_shows_the_translation_and_links_the_original(client, project):
    body = get(client, project.get_absolute_url())
    assert "<h1><span>Digital support for small firms</span>" in body
    assert "Translated from Polish" in body
    assert '<a href="?original=1" hreflang="pl">show the original</a>' in body
    assert "The project supports small firms." in body
    # The objectives have no English version: the original, marked as Polish.
    assert '<div class="prose" lang="pl"><p>Cele projektu.</p></div>' in body

    original = get(client, project.get_absolute_url(), original="1")
    assert '<h1><span lang="pl">Cyfrowe wsparcie dla małych firm</span>' in original
    assert "Original language: Polish." in original
    assert "Digital support" not in original
    assert f'<a href="{project.get_absolute_url()}">Show the translation</a>' in original


def test_project_page_without_a_version_shows_the_original_notice(client, project):
    body = get(client, f"/ro{project.get_absolute_url()}")
    assert '<span lang="pl">Cyfrowe wsparcie dla małych firm</span>' in body
    assert "Digital support" not in body
    assert "Translated from" not in body


def test_event_page_shows_the_translation_and_links_the_original(client, event):
    body = get(client, event.get_absolute_url())
    assert "<h1>Seminar on the circular economy</h1>" in body
    assert "Translated from Polish" in body
    assert '<p class="lead">A meeting of the partners.</p>' in body
    assert '<div lang="pl"><p>Opis seminarium.</p></div>' in body
    original = get(client, event.get_absolute_url(), original="1")
    assert 'lang="pl">Seminarium o gospodarce obiegu zamkniętego</h1>' in original
    assert "Seminar on the circular economy" not in original


def test_policy_instrument_page_shows_the_translation(client, instrument):
    english = get(client, instrument.get_absolute_url())
    assert 'lang="pl">Regionalny Program Operacyjny Mazowsza</h1>' in english
    assert "Original language: Polish." in english
    body = get(client, f"/ro{instrument.get_absolute_url()}")
    assert "<h1>Programul operațional regional Mazovia</h1>" in body
    assert "Programul regional." in body
    assert 'hreflang="pl"' in body


def test_list_rows_show_the_version_of_the_page_language(client, project, event, document):
    projects = get(client, reverse("exchange:project-list"))
    assert "<span>Digital support for small firms</span>" in projects
    events = get(client, reverse("events:event-list"))
    assert ">Seminar on the circular economy</a>" in events
    documents = get(client, reverse("documents:document-list"))
    assert ">Regional analysis of the hydrogen economy</a>" in documents
    assert "<p>An analysis of the hydrogen market.</p>" in documents
    # No Polish version of a Polish original: the original, marked as such.
    polish = get(client, "/pl" + reverse("documents:document-list"))
    assert 'lang="pl"' not in polish.split("Analiza regionalna")[0].rsplit("<a", 1)[1]


# Query counts: a list of translated rows costs what a list of one does.


def translated_rows(count, start=0):
    for n in range(start, start + count):
        # Its own acronym: the factory's sequence goes on from the tests that
        # ran before in the process, and /search/ orders equal matches by it.
        project = ProjectFactory(acronym=f"P{n:02d}", title=f"Projekt {n}", language="pl")
        ProjectTranslation.objects.create(
            master=project, language_code="en", translated_title=f"Project {n}"
        )
        event = EventFactory(title=f"Wydarzenie {n}", language="pl", project=project)
        EventTranslation.objects.create(
            master=event, language_code="en", translated_title=f"Event {n}"
        )
        document = Output.objects.create(
            title=f"Dokument {n}", language="pl", url=f"https://example.org/{n}.pdf"
        )
        OutputTranslation.objects.create(
            master=document, language_code="en", translated_title=f"Document {n}"
        )


def queries_of(client, url, django_assert_max_num_queries):
    cache.clear()
    with django_assert_max_num_queries(100) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response.content.decode()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (reverse("exchange:project-list"), "Project 49"),
        (reverse("events:event-list"), "Event 4"),
        (reverse("documents:document-list"), "Document 49"),
        ("/search/?q=Project", "Project 4"),
    ],
)
def test_translations_cost_no_query_per_row(client, django_assert_max_num_queries, url, shown):
    translated_rows(1)
    client.get(url)
    one, _body = queries_of(client, url, django_assert_max_num_queries)
    translated_rows(49, start=1)
    fifty, body = queries_of(client, url, django_assert_max_num_queries)
    assert one == fifty
    assert shown in body


def test_page_with_a_translation_costs_one_more_query_only_when_written_elsewhere(
    client, project, django_assert_num_queries
):
    english = ProjectFactory(language="en")
    client.get(english.get_absolute_url())  # warm the per-process caches
    cache.clear()
    with django_assert_num_queries(3) as plain:
        get(client, english.get_absolute_url())
    cache.clear()
    with django_assert_num_queries(len(plain.captured_queries) + 1):
        get(client, project.get_absolute_url())


def test_an_untranslated_page_in_another_language_looks_up_no_translation(
    client, django_assert_num_queries
):
    # Issue 16: a page is at most 8 queries in every language. Most projects
    # have no translation: their page in another language must not ask for one.
    english = ProjectFactory(language="en")
    polish = ProjectFactory(language="pl")
    client.get(english.get_absolute_url())  # warm the per-process caches
    cache.clear()
    with django_assert_num_queries(3) as plain:
        get(client, english.get_absolute_url())
    cache.clear()
    with django_assert_num_queries(len(plain.captured_queries)):
        get(client, polish.get_absolute_url())


# Caching: a translation edit is a data edit.


@pytest.mark.parametrize("make", ["project", "event", "instrument", "document"])
def test_saving_or_deleting_a_translation_bumps_the_data_generation(request, make):
    translated = request.getfixturevalue(make)
    version = translated.translations.get()
    before = caching.generation()
    version.save()
    after_save = caching.generation()
    assert after_save != before
    version.delete()
    assert caching.generation() != after_save


def test_a_translation_edit_shows_on_the_cached_page(client, project):
    url = project.get_absolute_url()
    assert "Digital support for small firms" in get(client, url)
    version = project.translations.get()
    version.translated_title = "Digital help for small firms"
    version.save()
    assert "Digital help for small firms" in get(client, url)


# Search: the words of every version find the row.


def test_search_box_finds_each_kind_by_the_words_of_a_translation(
    client, project, event, instrument, document
):
    body = get(client, "/search/", q="circular")
    assert ">Seminar on the circular economy</a>" in body
    body = get(client, "/search/", q="hydrogen")
    assert ">Regional analysis of the hydrogen economy</a>" in body
    body = get(client, "/search/", q="digital support")
    assert "Digital support for small firms" in body
    # A Romanian name, accents forgiven, found from an English page.
    body = get(client, "/search/", q="operational Mazovia")
    assert "Regionalny Program Operacyjny Mazowsza" in body
    # The original's words still find it.
    assert "Digital support for small firms" in get(client, "/search/", q="wsparcie")


def test_listing_search_finds_a_row_by_a_translation_and_forgets_a_removed_one(client, project):
    url = reverse("exchange:project-list")
    assert "Digital support for small firms" in get(client, url, q="support")
    project.translations.get().delete()
    assert "Cyfrowe wsparcie" not in get(client, url, q="support")
    assert "Cyfrowe wsparcie" in get(client, url, q="wsparcie")


# The API: the original in the row's own fields, every version beside it.


def test_api_returns_the_original_and_every_version(client, project, event, instrument, document):
    rows = client.get("/api/v1/projects/").json()["results"]
    row = next(r for r in rows if r["slug"] == project.slug)
    assert row["title"] == "Cyfrowe wsparcie dla małych firm"
    assert row["translations"] == [
        {
            "language": "en",
            "title": "Digital support for small firms",
            "summary": "The project supports small firms.",
        }
    ]
    detail = client.get(f"/api/v1/projects/{project.slug}/").json()
    assert detail["translations"][0]["objectives"] == ""
    events = client.get("/api/v1/events/").json()["results"]
    assert events[0]["translations"][0]["title"] == "Seminar on the circular economy"
    documents = client.get("/api/v1/documents/").json()["results"]
    assert documents[0]["translations"][0]["summary"] == "An analysis of the hydrogen market."
    instruments = client.get("/api/v1/policy-instruments/").json()["results"]
    assert instruments[0]["name"] == "Regionalny Program Operacyjny Mazowsza"
    assert instruments[0]["translations"][0]["language"] == "ro"
    # A row without translations lists none.
    ProjectFactory(title="Untranslated")
    rows = client.get("/api/v1/projects/").json()["results"]
    assert next(r for r in rows if r["title"] == "Untranslated")["translations"] == []


def test_api_versions_are_in_language_order(client, project):
    ProjectTranslation.objects.create(
        master=project, language_code="ro", translated_title="Sprijin digital"
    )
    rows = client.get("/api/v1/projects/").json()["results"]
    assert [t["language"] for t in rows[0]["translations"]] == ["en", "ro"]


# Import/export: the versions as extra columns <field>_<language>.


def test_event_export_and_import_carry_translations_as_extra_columns(event):
    from events.resources import EventResource

    exported = EventResource().export()
    assert exported.headers[-9:] == [
        f"{name}_{language}"
        for language in ("en", "pl", "ro")
        for name in ("title", "summary", "description")
    ]
    row = dict(zip(exported.headers, exported[0], strict=True))
    assert row["title_en"] == "Seminar on the circular economy"
    assert row["title_ro"] == ""

    # Re-imported with a Romanian version added and the English one emptied.
    row.update(title_ro="Seminar despre economia circulară", title_en="", summary_en="")
    dataset = type(exported)(list(row.values()), headers=list(row))
    result = EventResource().import_data(dataset, dry_run=False)
    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    assert [(t.language_code, t.translated_title) for t in event.translations.all()] == [
        ("ro", "Seminar despre economia circulară")
    ]


def test_event_import_refuses_a_version_in_the_original_language(event):
    import tablib

    from events.resources import EventResource

    dataset = tablib.Dataset(
        [event.slug, "pl", "Po polsku"], headers=["slug", "language", "title_pl"]
    )
    result = EventResource().import_data(dataset, dry_run=True)
    assert result.has_validation_errors()
    errors = " ".join(
        str(e) for row in result.invalid_rows for errs in row.error_dict.values() for e in errs
    )
    assert "title_pl" in errors and "original language" in errors


def test_demo_project_titles_are_marked_as_translations(client):
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))
    body = get(client, "/pl/projects/intarirea-capacitatii-imm-urilor-revolutia-industriala-4-0/")
    assert "Wzmacnianie zdolności MŚP do dostosowania się do czwartej rewolucji" in body
    assert "Przetłumaczono z języka: rumuński" in body
    assert 'lang="ro">Întărirea capacității IMM-urilor' in body


def test_saving_a_row_read_before_its_translation_keeps_the_translation_words(project):
    from core.models import Project

    stale = Project.objects.get(pk=project.pk)
    ProjectTranslation.objects.create(
        master=project, language_code="ro", translated_title="Sprijin digital"
    )
    stale.save()
    assert "Sprijin" in Project.objects.get(pk=project.pk).translation_words


def test_a_page_in_the_original_language_shows_the_original_title_not_the_english_one(client):
    project = ProjectFactory(
        acronym="SMARTY", title="Inteligentne MŚP", title_en="Smart SMEs", language="pl"
    )
    event = EventFactory(title="Seminarium", title_en="Seminar", language="pl", project=project)
    project_url, event_url = project.get_absolute_url(), event.get_absolute_url()
    polish = get(client, f"/pl{project_url}")
    assert '<span class="subtitle"><span>Inteligentne MŚP</span>' in polish
    assert "<span>Smart SMEs</span>" not in polish and 'lang="en">Smart SMEs' not in polish
    assert ">Seminarium</a></h4>" in polish
    assert "<h1>Seminarium</h1>" in get(client, f"/pl{event_url}")
    english = get(client, project_url)
    assert '<span lang="en">Smart SMEs</span>' not in english  # the page is English
    assert "<span>Smart SMEs</span>" in english


def test_talks_name_their_practice_in_the_page_language(client, event):
    from practices.models import PracticeTranslation
    from tests.factories import GoodPracticeFactory, PresentationFactory

    practice = GoodPracticeFactory(title="Bony na innowacje", language="pl")
    PracticeTranslation.objects.create(
        master=practice, language_code="en", translated_title="Innovation vouchers"
    )
    PresentationFactory(event=event, practice=practice, title="Talk")
    url = event.get_absolute_url()
    assert ">Innovation vouchers</a>" in get(client, url)
    assert 'lang="pl">Bony na innowacje</a>' in get(client, f"/ro{url}")


def test_a_project_without_acronym_is_named_in_its_own_language_on_its_pages(client):
    project = ProjectFactory(
        acronym="", title="Întărirea capacității IMM-urilor", title_en="SME capacity", language="ro"
    )
    path = project.get_absolute_url()
    romanian = client.get(f"/ro{path}").content.decode()
    english = client.get(path).content.decode()
    assert "<title>Întărirea capacității IMM-urilor ·" in romanian
    assert 'aria-current="page">Întărirea capacității IMM-urilor<' in romanian
    assert "<title>SME capacity ·" in english and 'aria-current="page">SME capacity<' in english


def test_api_lists_translations_by_language_with_their_keys_in_a_fixed_order(client, project):
    ProjectTranslation.objects.create(
        master=project, language_code="ro", translated_title="Sprijin digital"
    )
    [row] = client.get("/api/v1/projects/").json()["results"]
    assert row["translations"] == [
        {
            "title": "Digital support for small firms",
            "summary": "The project supports small firms.",
            "language": "en",
        },
        {"title": "Sprijin digital", "summary": "", "language": "ro"},
    ]
    # The keys as the API has always given them (PostgreSQL's jsonb order).
    assert [list(version) for version in row["translations"]] == [
        ["title", "summary", "language"]
    ] * 2
