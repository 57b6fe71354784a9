"""Filters of the project, event and organisation listings (issue 19, part 3).

Each filter narrows the page, its downloads and the API list alike, shows a
chip, and a value it cannot use is named in a message, never a 5xx.
"""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.models import Organisation, Project
from events.models import Event
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProgrammeFactory,
    ProjectFactory,
    RegionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

PROJECTS = reverse("exchange:project-list")
EVENTS = reverse("events:event-list")
ORGANISATIONS = reverse("exchange:organisation-list")


@pytest.fixture(autouse=True)
def _back_to_english():
    yield
    translation.activate("en")


@pytest.fixture
def places():
    poland = RegionFactory(nuts_code="PL", name="Polska")
    mazowieckie = RegionFactory(nuts_code="PL9", name="Makroregion mazowiecki", parent=poland)
    warszawa = RegionFactory(nuts_code="PL91", name="Warszawski stołeczny", parent=mazowieckie)
    romania = RegionFactory(nuts_code="RO", name="România")
    return {"PL": poland, "PL9": mazowieckie, "PL91": warszawa, "RO": romania}


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response, response.content.decode()


def names(response, key):
    return sorted(str(obj) for obj in response.context[key])


def api_names(client, path, query, field):
    response = client.get(f"/api/v1/{path}/?{query}")
    assert response.status_code == 200, response.content[:300]
    return sorted(row[field] for row in response.json()["results"])


def csv_column(response, column):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return sorted(row[column] for row in csv.DictReader(io.StringIO(text)))


# Projects -------------------------------------------------------------------


@pytest.fixture
def projects(places):
    interreg = ProgrammeFactory(name="Interreg Europe", slug="interreg-europe")
    energy = TopicFactory(name="Energy")
    # A partner representing a region below PL9.
    warsaw = ProjectFactory(acronym="WARSAW", programme=interreg)
    PartnershipFactory(project=warsaw, region=places["PL91"])
    warsaw.topics.add(energy)
    # A partner placed by its organisation's region, in Romania.
    bucharest = ProjectFactory(
        acronym="BUCHAREST",
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2027, 12, 31),
    )
    PartnershipFactory(project=bucharest, organisation=OrganisationFactory(region=places["RO"]))
    # A partner region stated by the sources only.
    stated = ProjectFactory(
        acronym="STATED",
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2012, 12, 31),
    )
    stated.partner_regions.add(places["PL9"])
    return {"warsaw": warsaw, "bucharest": bucharest, "stated": stated, "energy": energy}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("programme=interreg-europe", ["WARSAW"]),
        ("country=PL", ["STATED", "WARSAW"]),
        ("country=RO", ["BUCHAREST"]),
        ("region=PL9", ["STATED", "WARSAW"]),
        ("region=PL91", ["WARSAW"]),
        ("topic=energy", ["WARSAW"]),
        ("year=2011", ["STATED"]),
        ("year=2025", ["BUCHAREST"]),
        ("status=closed", ["STATED", "WARSAW"]),
        ("country=PL&year=2020", ["WARSAW"]),
    ],
)
def test_project_filters(client, projects, query, expected):
    response, body = get(client, f"{PROJECTS}?{query}")
    # The project listing's cards are plain rows.
    assert sorted(row["acronym"] for row in response.context["projects"]) == expected
    assert 'class="chip"' in body
    # The API list and the download are the same list.
    assert api_names(client, "projects", query, "acronym") == expected
    download = client.get(f"{PROJECTS}?{query}&format=csv")
    assert csv_column(download, "acronym") == expected


def test_project_chips_name_the_values(client, projects):
    _, body = get(client, f"{PROJECTS}?country=PL&status=running&topic=energy&region=PL91")
    assert "Partners from the country:</span> Polska (PL)" in body
    assert "Status:</span> Running" in body
    assert "Topic:</span> Energy" in body
    assert "Partners from the region:</span> Warszawski stołeczny (PL91)" in body


def test_project_json_export_has_topics_and_no_private_fields(client, projects):
    response = client.get(f"{PROJECTS}?topic=energy&format=json")
    (row,) = json.loads(b"".join(response.streaming_content))
    assert row["acronym"] == "WARSAW"
    assert row["topics"] == "Energy"
    assert row["status"] == Project.Status.CLOSED
    assert not any("mail" in key or "editor" in key for key in row)


# Events ---------------------------------------------------------------------


@pytest.fixture
def events(places):
    start = timezone.now() + datetime.timedelta(days=10)
    end = start + datetime.timedelta(hours=5)
    made = {
        "warsaw": EventFactory(
            title="Warsaw", region=places["PL91"], language="pl", start=start, end=end
        ),
        "poland": EventFactory(title="Poland", region=places["PL"], start=start, end=end),
        "bucharest": EventFactory(
            title="Bucharest", region=places["RO"], language="ro", start=start, end=end
        ),
        "online": EventFactory(
            title="Online",
            format=Event.Format.ONLINE,
            online_link="https://meet.example/x",
            start=start,
            end=end,
        ),
    }
    return made


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=PL", ["Poland", "Warsaw"]),
        ("region=PL9", ["Warsaw"]),
        ("region=PL", ["Poland", "Warsaw"]),
        ("language=ro", ["Bucharest"]),
        ("format=online", ["Online"]),
        ("country=PL&language=pl", ["Warsaw"]),
    ],
)
def test_event_filters(client, events, query, expected):
    response, body = get(client, f"{EVENTS}?{query}")
    assert sorted(e.title for e in response.context["events"]) == expected
    assert 'class="chip"' in body
    assert api_names(client, "events", query, "title") == expected
    download = client.get(f"{EVENTS}?{query}&format=csv")
    assert csv_column(download, "title") == expected


# Organisations --------------------------------------------------------------


@pytest.fixture
def organisations(places):
    gostop = ProjectFactory(acronym="GOSTOP")
    made = {
        "warsaw": OrganisationFactory(name="Warsaw office", region=places["PL91"]),
        "agency": OrganisationFactory(
            name="Polish agency", region=places["PL"], kind=Organisation.Kind.REGIONAL_AGENCY
        ),
        "bucharest": OrganisationFactory(name="Bucharest office", region=places["RO"]),
    }
    PartnershipFactory(project=gostop, organisation=made["warsaw"])
    PartnershipFactory(project=gostop, organisation=made["bucharest"])
    return made


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=PL", ["Polish agency", "Warsaw office"]),
        ("region=PL9", ["Warsaw office"]),
        ("kind=regional_agency", ["Polish agency"]),
        ("project=GOSTOP", ["Bucharest office", "Warsaw office"]),
        ("project=gostop&country=RO", ["Bucharest office"]),
    ],
)
def test_organisation_filters(client, organisations, query, expected):
    response, body = get(client, f"{ORGANISATIONS}?{query}")
    assert sorted(o.name for o in response.context["organisations"]) == expected
    assert 'class="chip"' in body
    assert api_names(client, "organisations", query, "name") == expected
    download = client.get(f"{ORGANISATIONS}?{query}&format=csv")
    assert csv_column(download, "name") == expected


# Bad values, query counts, the panel ----------------------------------------


@pytest.mark.parametrize(
    ("url", "query", "label"),
    [
        (PROJECTS, "programme=nothing", "Programme"),
        (PROJECTS, "country=XX", "Partners from the country"),
        (PROJECTS, "region=Atlantis", "Partners from the region"),
        (PROJECTS, "topic=%00", "Topic"),
        (PROJECTS, "status=dormant", "Status"),
        (PROJECTS, "year=abc", "Running in year"),
        (PROJECTS, "year=99999999", "Running in year"),
        (EVENTS, "country=XX", "Country"),
        (EVENTS, "region=" + "x" * 300, "Region"),
        (EVENTS, "language=klingon", "Language"),
        (ORGANISATIONS, "region=%FF", "Region"),
        (ORGANISATIONS, "project=Nothing+like+it", "Project"),
    ],
)
def test_bad_values_are_ignored_with_a_message(client, projects, url, query, label):
    response, body = get(client, f"{url}?{query}")
    assert f"“{label}” was ignored" in body
    # Nothing was filtered away by the value ignored.
    key = {PROJECTS: "projects", EVENTS: "events", ORGANISATIONS: "organisations"}[url]
    assert len(response.context[key]) == response.context["paginator"].count
    assert 'class="chip"' not in body


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("projects", "country=XX"),
        ("projects", "year=abc"),
        ("events", "region=Atlantis"),
        ("organisations", "project=%00"),
    ],
)
def test_api_answers_400_to_bad_values(client, projects, path, query):
    response = client.get(f"/api/v1/{path}/?{query}")
    assert response.status_code == 400


@pytest.mark.parametrize("url", [PROJECTS, EVENTS, ORGANISATIONS])
def test_panel_is_the_practice_listings(client, url, places):
    _, body = get(client, url)
    assert 'class="filter-panel"' in body
    assert 'role="search"' in body
    assert f'action="{url}"' in body
    assert 'id="results-title"' in body
    # The region filter is a combobox (thousands of regions), not a menu.
    assert 'id="filter-region"' in body and "/suggest/region/" in body


def test_pages_are_translated(client, projects):
    _, body = get(client, f"/pl{PROJECTS}?country=PL")
    assert "Pokaż projekty" in body
    _, body = get(client, f"/ro{ORGANISATIONS}")
    assert "Afișați organizațiile" in body


def test_filtered_project_list_query_count_is_constant(client, django_assert_num_queries, places):
    url = f"{PROJECTS}?country=PL&region=PL9&topic=energy&year=2020"
    energy = TopicFactory(name="Energy")

    def add(n):
        for _ in range(n):
            project = ProjectFactory()
            project.topics.add(energy)
            PartnershipFactory(project=project, region=places["PL91"])

    add(1)
    get(client, url)  # the count and the menus' choices, once per state of the data
    # Built again (another page, so not from the page cache): the region typed, the page.
    with django_assert_num_queries(2):
        response, _ = get(client, url + "&page=1")
    assert len(response.context["projects"]) == 1
    add(49)
    get(client, url)
    with django_assert_num_queries(2):
        response, _ = get(client, url + "&page=1")
    assert len(response.context["projects"]) == 50


def test_filtered_organisation_list_query_count_is_constant(
    client, django_assert_num_queries, places
):
    project = ProjectFactory(acronym="GOSTOP")
    url = f"{ORGANISATIONS}?region=PL&project=GOSTOP&kind=public_authority"

    def add(n):
        for _ in range(n):
            PartnershipFactory(project=project, organisation__region=places["PL91"])

    add(1)
    get(client, url)
    # Built again (not from the page cache): the region and the project typed, the page.
    with django_assert_num_queries(3):
        get(client, url + "&page=1")
    add(49)
    get(client, url)
    with django_assert_num_queries(3):
        response, _ = get(client, url + "&page=1")
    assert len(response.context["organisations"]) == 50


@pytest.mark.parametrize("value", [None, "", "b", "<c>", ["b"], "missing"])
def test_menu_select_draws_the_markup_of_djangos_select(value):
    # The filter menus (MenuSelect) draw options in one loop: the page must
    # read exactly as with Django's widget, selected option and escaping included.
    from django import forms

    from core.filters import MenuSelect

    choices = [("", "Any"), ("b", "Bé & co"), ("<c>", "<C>"), (3, "Three")]
    attrs = {"id": "filter-x", "aria-describedby": "filter-x_helptext", "required": False}
    menu = MenuSelect(attrs=attrs, choices=choices).render("x", value)
    assert menu == forms.Select(attrs=attrs, choices=choices).render("x", value)
    assert "<option" in menu
