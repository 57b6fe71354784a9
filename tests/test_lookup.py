"""The combobox's suggestions endpoint and the server's reading of typed names (issue 16)."""

import json

import pytest

from tests.factories import (
    EventFactory,
    OrganisationFactory,
    ProjectFactory,
    RegionFactory,
)
from tests.practices.proposal_helpers import form_data

pytestmark = pytest.mark.django_db

PROPOSE_URL = "/practices/propose/"


def suggest(client, kind, q):
    response = client.get(f"/suggest/{kind}/", {"q": q})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)["results"]


def test_suggestions_are_bounded_and_name_only(client, django_assert_max_num_queries):
    for number in range(15):
        ProjectFactory(acronym=f"GREEN{number:02d}", title=f"Green valleys {number}")
    with django_assert_max_num_queries(2):
        results = suggest(client, "project", "green")
    assert len(results) == 10
    assert results[0] == {"value": "green00", "label": "GREEN00 – Green valleys 0"}


def test_suggestions_of_regions_and_organisations(client):
    poland = RegionFactory(nuts_code="PL", name="Polska", name_en="Poland")
    RegionFactory(nuts_code="PL91", name="Warszawski stołeczny", parent=poland)
    OrganisationFactory(name="Urząd Marszałkowski", name_en="Marshal Office", acronym="UMWM")
    assert suggest(client, "region", "pl9") == [
        {"value": "PL91", "label": "Warszawski stołeczny (PL91)"}
    ]
    assert suggest(client, "region", "Poland")[0]["value"] == "PL"
    (organisation,) = suggest(client, "organisation", "marshal")
    assert organisation == {
        "value": "Urząd Marszałkowski",
        "label": "Urząd Marszałkowski / Marshal Office",
    }
    assert suggest(client, "organisation", "") == []


def test_suggestions_of_an_unknown_kind_are_404(client):
    assert client.get("/suggest/person/", {"q": "a"}).status_code == 404


def test_proposal_reads_a_typed_region_and_project(client):
    poland = RegionFactory(nuts_code="PL", name="Polska", name_en="Poland")
    region = RegionFactory(nuts_code="PL91", name="Warszawski stołeczny", parent=poland)
    project = ProjectFactory(acronym="SMARTY", title="Smart regions")
    for typed_region, typed_project in (
        ("pl91", "smarty"),
        ("Warszawski stołeczny", "Smart regions"),
        ("Warszawski stołeczny (PL91)", "SMARTY – Smart regions"),
    ):
        from practices.forms import ProposalForm

        form = ProposalForm(form_data(region=typed_region, project=typed_project))
        assert form.is_valid(), form.errors
        assert form.cleaned_data["region"] == region
        assert form.cleaned_data["project"] == project


def test_proposal_says_next_to_the_field_when_a_name_matches_nothing_or_several(client):
    RegionFactory(nuts_code="DE", name="Deutschland")
    RegionFactory(nuts_code="DE1", name="Mitte", parent=None)
    RegionFactory(nuts_code="FR1", name="Mitte", parent=None)
    response = client.post(PROPOSE_URL, form_data(region="Mitte", project="No such project"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "“Mitte” names more than one entry. Type its code" in html
    assert "Nothing called “No such project” was found." in html
    # What was typed is kept, and each message is tied to its field.
    assert 'value="Mitte"' in html and 'value="No such project"' in html
    assert 'aria-describedby="id_region_helptext id_region_error"' in html
    assert 'id="id_region_error"' in html


def test_event_filter_reads_a_typed_project(client):
    wanted = ProjectFactory(acronym="SMARTY", title="Smart regions")
    EventFactory(title="Wanted seminar", project=wanted)
    EventFactory(title="Other seminar", project=ProjectFactory(acronym="OTHER"))
    html = client.get("/events/", {"project": "smarty"}).content.decode()
    assert "Wanted seminar" in html and "Other seminar" not in html
    assert 'data-combobox="/suggest/project/"' in html
    assert 'data-combobox-label="SMARTY – Smart regions"' in html  # read, shown as its label
    html = client.get("/events/", {"project": "Nothing like it"}).content.decode()
    assert "Nothing called “Nothing like it” was found." in html
    assert 'value="Nothing like it"' in html
    assert "<select" not in html.split('name="project"')[0].rsplit('class="field', 1)[-1]


@pytest.mark.django_db
def test_a_nul_byte_finds_nothing_instead_of_failing(client):
    # PostgreSQL refuses NUL in a query parameter; a typed NUL is simply no match.
    response = client.get("/suggest/region/?q=%00", secure=True)
    assert response.status_code == 200
    assert response.json() == {"results": []}
