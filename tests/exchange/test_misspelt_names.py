"""A misspelt word of an English or translated name finds the row, for every kind searched by name.

As practice titles (tests/practices/test_misspelt_translations.py): the
fallback of ``core.search.search_names`` when no name has the words, on
PostgreSQL (trigram indexes) and SQLite (every row read) alike.
"""

import pytest
from django.urls import reverse

from core.models import (
    Organisation,
    PolicyInstrument,
    PolicyInstrumentTranslation,
    Project,
    ProjectTranslation,
    Region,
)
from core.search import search_names
from events.models import Event, EventTranslation, Output, OutputTranslation
from tests.factories import EventFactory, OrganisationFactory, ProjectFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    """One row of each kind, its name in Polish, with English or translated names to misspell."""
    project = ProjectFactory(acronym="", title="Cyfrowe wsparcie", title_en="", language="pl")
    ProjectTranslation.objects.create(
        master=project, language_code="ro", translated_title="Sprijin digital pentru întreprinderi"
    )
    event = EventFactory(title="Seminarium tematyczne", title_en="", language="pl")
    EventTranslation.objects.create(
        master=event, language_code="en", translated_title="Hydrogen valleys seminar"
    )
    document = Output.objects.create(
        title="Analiza regionalna", language="pl", url="https://example.org/a.pdf"
    )
    OutputTranslation.objects.create(
        master=document, language_code="ro", translated_title="Analiză privind hidrogenul"
    )
    instrument = PolicyInstrument.objects.create(name="Strategia rozwoju", language="pl")
    PolicyInstrumentTranslation.objects.create(
        master=instrument, language_code="en", translated_name="Development strategy"
    )
    organisation = OrganisationFactory(name="Urząd Marszałkowski", name_en="Marshal's Office")
    region = RegionFactory(nuts_code="PL91", name="Warszawski stołeczny", name_en="Warsaw capital")
    # Rows the misspellings must not find.
    ProjectFactory(acronym="", title="Tourism in Tuscany", title_en="")
    EventFactory(title="Circular economy workshop", title_en="")
    return {
        Project: project,
        Event: event,
        Output: document,
        PolicyInstrument: instrument,
        Organisation: organisation,
        Region: region,
    }


CASES = [
    (Project, "intreprinderii"),  # Romanian version
    (Project, "sprijn digital"),
    (Event, "hydrogn"),  # English version
    (Output, "hidrogenull"),  # Romanian version
    (PolicyInstrument, "developmnt"),  # English version
    (Organisation, "marshall"),  # English name
    (Region, "warsaww"),  # English name
    (Project, "cyfrowee"),  # the original, as before
]


def similar(model, q):
    found, by_words = search_names(model._default_manager.all(), q, model.SEARCH_FIELDS)
    assert not by_words  # found by the misspelling pass
    return [row.pk for row in found.order_by("-search_rank", "pk")]


@pytest.mark.parametrize(("model", "q"), CASES, ids=[f"{m.__name__}-{q}" for m, q in CASES])
def test_a_misspelt_word_of_any_version_finds_the_row(rows, model, q):
    assert similar(model, q) == [rows[model].pk]


def test_the_closest_version_ranks_first(rows):
    other = ProjectFactory(acronym="", title="Wsparcie", title_en="", language="pl")
    ProjectTranslation.objects.create(
        master=other, language_code="en", translated_title="Digital support for enterprises"
    )
    # "digitl" is as close to both; "enterprses" only to the English one.
    assert similar(Project, "enterprses") == [other.pk]
    assert set(similar(Project, "digitl")) == {other.pk, rows[Project].pk}


def test_a_removed_or_changed_version_no_longer_finds_it(rows):
    EventTranslation.objects.filter(master=rows[Event]).delete()
    assert similar(Event, "hydrogn") == []
    translation = PolicyInstrumentTranslation.objects.get(master=rows[PolicyInstrument])
    translation.translated_name = "Innovation plan"
    translation.save()
    assert similar(PolicyInstrument, "developmnt") == []
    assert similar(PolicyInstrument, "inovation") == [rows[PolicyInstrument].pk]


def test_the_search_page_and_the_listings_find_a_misspelt_version(client, rows):
    body = client.get(reverse("exchange:search"), {"q": "intreprinderii"}).content.decode()
    assert rows[Project].get_absolute_url() in body
    body = client.get(reverse("exchange:project-list"), {"q": "intreprinderii"}).content.decode()
    assert rows[Project].get_absolute_url() in body
    body = client.get(reverse("events:event-list"), {"q": "hydrogn"}).content.decode()
    assert rows[Event].get_absolute_url() in body
    body = client.get(reverse("exchange:organisation-list"), {"q": "marshall"}).content.decode()
    assert rows[Organisation].get_absolute_url() in body
