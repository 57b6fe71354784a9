"""Region and organisation pages name projects, practices and countries in the page's language.

Project titles (and the practice titles of transfers) come from the staff
translation into the page's language where there is one, read in the page's
own queries; a country is named as ``core.countries.country_name`` names it.
"""

import json
import re

import pytest
from django.core.cache import caches

from core.models import ProjectTranslation, Region
from events.models import EventTranslation
from practices.models import PracticeTranslation
from tests.factories import (
    EventFactory,
    GoodPracticeFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    RegionFactory,
    TransferFactory,
)

pytestmark = pytest.mark.django_db

ROMANIAN_TITLE = "Întărirea capacității IMM-urilor"
POLISH_TITLE = "Wzmacnianie zdolności MŚP"


@pytest.fixture
def poland():
    """Poland, an organisation in Warsaw in a Romanian project without acronym, translated."""
    country = RegionFactory(nuts_code="PL", name="Polska", name_en="Poland")
    organisation = OrganisationFactory(
        region=country, city="Warszawa", name="Urząd", name_en="Office"
    )
    project = ProjectFactory(
        acronym="", title=ROMANIAN_TITLE, title_en="", language="ro", area=country
    )
    ProjectTranslation.objects.create(
        master=project, language_code="pl", translated_title=POLISH_TITLE
    )
    PartnershipFactory(organisation=organisation, project=project)
    # The pages' paths, taken before a request activates another language.
    country.url, organisation.url = country.get_absolute_url(), organisation.get_absolute_url()
    return country, organisation, project


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def clear_caches():
    for alias in caches:
        if alias != "ratelimit":
            caches[alias].clear()


def section(body, heading_id):
    match = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', body, re.S)
    assert match, heading_id
    return match.group(1)


@pytest.mark.parametrize(
    ("prefix", "title", "where"),
    [
        ("/pl", f"<span>{POLISH_TITLE}</span>", "Warszawa, Polska"),
        ("/ro", f"<span>{ROMANIAN_TITLE}</span>", "Warszawa, Polonia"),
        # No English version: the original, marked as Romanian.
        ("", f'<span lang="ro">{ROMANIAN_TITLE}</span>', "Warszawa, Poland"),
    ],
)
def test_region_page_organisations_in_the_page_language(client, poland, prefix, title, where):
    country, _organisation, _project = poland
    table = section(get(client, prefix + country.url), "organisations-title")
    assert title in table
    assert f">{where}</td>" in table


@pytest.mark.parametrize(
    ("prefix", "title"),
    [("/pl", f"<span>{POLISH_TITLE}</span>"), ("", f'<span lang="ro">{ROMANIAN_TITLE}</span>')],
)
def test_region_page_projects_covering_it_in_the_page_language(client, poland, prefix, title):
    country, _organisation, _project = poland
    assert title in section(get(client, prefix + country.url), "area-projects-title")


def test_region_page_transfers_and_map_in_the_page_language(client, poland):
    country, _organisation, _project = poland
    spain = RegionFactory(nuts_code="ES", name="España", name_en="Spain")
    practice = GoodPracticeFactory(region=spain, title="Bonos de innovación", language="es")
    PracticeTranslation.objects.create(
        master=practice, language_code="pl", translated_title="Bony na innowacje"
    )
    TransferFactory(practice=practice, region=country, state="adopted", show_region=True)
    GoodPracticeFactory(region=country, title="Industry of the Future Platform")
    body = get(client, "/pl" + country.url)
    transfers = section(body, "transfers-title")
    assert "Bony na innowacje</a>" in transfers and "Bonos" not in transfers
    assert "z kraju Hiszpania" in transfers or "Hiszpania" in transfers
    assert "Spain" not in transfers
    pins = re.search(r'id="region-map-data"[^>]*>(.*?)</script>', body, re.S).group(1)
    assert '"name": "Polska"' in pins and "Poland" not in pins


def test_organisation_page_names_projects_and_events_in_the_page_language(client, poland):
    _country, organisation, project = poland
    event = EventFactory(project=project, title="Seminar despre industrie", language="ro")
    event.organisers.add(organisation)
    EventTranslation.objects.create(
        master=event, language_code="pl", translated_title="Seminarium o przemyśle"
    )
    body = get(client, "/pl" + organisation.url)
    projects = section(body, "projects-title")
    assert f"<span>{POLISH_TITLE}</span>" in projects and ROMANIAN_TITLE not in projects
    events = section(body, "events-title")
    assert ">Seminarium o przemyśle</a>" in events
    assert f"<span>{POLISH_TITLE}</span>" in events
    assert ROMANIAN_TITLE not in events and "Seminar despre" not in events
    # The original on a page in the project's language, marked with nothing.
    body = get(client, "/ro" + organisation.url)
    assert f"<span>{ROMANIAN_TITLE}</span>" in section(body, "projects-title")


def test_insights_region_table_names_the_country_in_the_page_language(client):
    spain = RegionFactory(nuts_code="ES", name="España", name_en="Spain")
    castile = RegionFactory(nuts_code="ES4", name="Centro", parent=spain)
    GoodPracticeFactory(region=RegionFactory(nuts_code="ES41", name="Castilla", parent=castile))
    body = get(client, "/pl/insights/")
    rows = re.findall(r'<tr><th scope="row">Castilla</th>.*?</tr>', body)
    assert rows and all("<td>Hiszpania</td>" in row for row in rows)


def add_translated_partners(country, n):
    for i in range(n):
        organisation = OrganisationFactory(region=country, city="Kraków")
        for language in ("ro", "en"):
            project = ProjectFactory(acronym="", title=f"Proiect {i} {language}", language="ro")
            ProjectTranslation.objects.create(
                master=project, language_code="pl", translated_title=f"Projekt {i} {language}"
            )
            PartnershipFactory(organisation=organisation, project=project)
        practice = GoodPracticeFactory(region=country, title=f"Practica {i}", language="ro")
        PracticeTranslation.objects.create(
            master=practice, language_code="pl", translated_title=f"Praktyka {i}"
        )
        TransferFactory(practice=practice, region=country, state="adopted", show_region=True)


def test_region_page_versions_cost_no_query(client, poland, django_assert_num_queries):
    """As many queries with one translated partner as with twenty (caches empty)."""
    country = poland[0]
    url = "/pl" + country.url
    clear_caches()
    with django_assert_num_queries(7):
        get(client, url)
    add_translated_partners(country, 20)
    clear_caches()
    with django_assert_num_queries(7):
        body = get(client, url)
    assert "Projekt 19 ro" in body and "Praktyka 19" in body


def test_organisation_page_versions_cost_no_query(client, poland, django_assert_num_queries):
    _country, organisation, _project = poland

    def add(n):
        for i in range(n):
            project = ProjectFactory(acronym="", title=f"Proiect {i}", language="ro")
            ProjectTranslation.objects.create(
                master=project, language_code="pl", translated_title=f"Projekt {i}"
            )
            PartnershipFactory(organisation=organisation, project=project)
            EventFactory(project=project).organisers.add(organisation)

    add(1)
    url = "/pl" + organisation.url
    clear_caches()
    with django_assert_num_queries(5):
        body = get(client, url)
    assert body.count("Projekt 0") == 2  # its partnership and its event
    add(30)
    clear_caches()
    with django_assert_num_queries(5):
        body = get(client, url)
    # The lists are bounded; every title they show is the Polish version.
    assert "Projekt 29" in body and "Proiect" not in body


def test_region_name_of_rows_is_display_name():
    from django.utils import translation

    from core.countries import region_name

    country = RegionFactory(nuts_code="PL", name="Polska", name_en="Poland")
    region = RegionFactory(nuts_code="PL9", name="Makroregion", parent=country)
    city = RegionFactory(nuts_code=None, kind=Region.Kind.CITY_REGION, name="Leeds", name_en="")
    for language in ("en", "pl", "ro"):
        with translation.override(language):
            for row in (country, region, city):
                assert region_name(row.nuts_code, row.name, row.name_en) == row.display_name


def test_region_page_pin_of_one_practice_names_it_as_its_card_does(client, poland):
    """Issue 19: the map's pin shows the practice's version in the page's language."""
    country, _organisation, _project = poland
    practice = GoodPracticeFactory(region=country, title="Innovation vouchers", language="en")
    PracticeTranslation.objects.create(
        master=practice, language_code="pl", translated_title="Bony na innowacje"
    )
    for prefix, title in (("/pl", "Bony na innowacje"), ("/ro", "Innovation vouchers")):
        body = get(client, prefix + country.url)
        pins = re.search(r'id="region-map-data"[^>]*>(.*?)</script>', body, re.S).group(1)
        (pin,) = json.loads(pins)
        assert (pin["count"], pin["title"]) == (1, title)
        assert f": {title}</li>" in body
