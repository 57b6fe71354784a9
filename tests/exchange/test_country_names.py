"""Countries are named in the page's language; exports and the API keep English names."""

import re

import pytest
from django.utils import translation

from core.countries import country_name
from core.models import Region
from tests.factories import GoodPracticeFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def spain():
    country = RegionFactory(nuts_code="ES", name="España", name_en="Spain")
    region = RegionFactory(nuts_code="ES41", name="Castilla y León", parent=country)
    practice = GoodPracticeFactory(region=region, title="Rural broadband")
    return practice


@pytest.mark.parametrize(
    ("language", "code", "english", "expected"),
    [
        ("en", "ES", "Spain", "Spain"),
        ("pl", "ES", "Spain", "Hiszpania"),
        ("ro", "ES", "Spain", "Spania"),
        # NUTS codes that are not ISO 3166 codes.
        ("pl", "EL", "Greece", "Grecja"),
        ("ro", "UK", "United Kingdom", "Regatul Unit"),
        # A country the library does not name keeps the name of the data.
        ("pl", "XK", "Kosovo", "Kosovo"),
    ],
)
def test_country_name(language, code, english, expected):
    with translation.override(language):
        assert country_name(code, english) == expected


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [("", "Country: Spain"), ("/pl", "Kraj: Hiszpania"), ("/ro", "Țara: Spania")],
)
def test_practice_page_names_the_country_in_its_language(client, spain, prefix, expected):
    body = client.get(prefix + spain.get_absolute_url()).content.decode()
    assert expected in body


def test_listing_country_menu_and_region_page_in_polish(client, spain):
    country_url = Region.objects.get(nuts_code="ES").get_absolute_url()
    body = client.get("/pl/practices/").content.decode()
    assert "Hiszpania" in body
    body = client.get("/pl" + country_url).content.decode()
    assert re.findall(r"<h1[^>]*>.*?</h1>", body, re.S) == ["<h1>Hiszpania</h1>"]


def test_events_country_choices_in_romanian(client, spain):
    body = client.get("/ro/events/").content.decode()
    assert "Spania (ES)" in body


def test_exports_and_api_keep_english_names(client, spain):
    csv = b"".join(client.get("/pl/practices/", {"format": "csv"}).streaming_content).decode()
    assert "Spain" in csv and "Hiszpania" not in csv
    api = client.get("/api/v1/practices/", HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert "Hiszpania" not in api


def test_practice_and_event_cards_name_a_country_in_the_page_language(client):
    from tests.factories import EventFactory

    poland = RegionFactory(nuts_code="PL", name="Polska", name_en="Poland")
    GoodPracticeFactory(region=poland, title="Industry of the Future Platform")
    EventFactory(region=poland, city="", title="Digitalisation seminar")
    body = client.get("/pl" + poland.get_absolute_url()).content.decode()
    cards = re.findall(r'<li class="card">.*?</li>', body, re.S)
    assert cards and all("Poland" not in card for card in cards)
    assert any("Polska" in card for card in cards)
