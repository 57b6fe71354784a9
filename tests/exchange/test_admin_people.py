"""People's private e-mail addresses in the admin (issue 15 item 3).

An editor sees the address of the people of their projects (contacts of
their practices, presenters at their events) and types one in for a new
person; other people's addresses stay hidden from them.
"""

import pytest

from core.models import Person
from tests import factories
from tests.exchange.admin_helpers import admin_url, make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    mine, theirs = factories.ProjectFactory(acronym="MINE"), factories.ProjectFactory()
    contact = factories.PersonFactory(name="Ola Own", email="ola@private.example")
    factories.GoodPracticeFactory(projects=[mine], contact=contact)
    presenter = factories.PersonFactory(name="Piotr Presenter", email="piotr@private.example")
    factories.PresentationFactory(event=factories.EventFactory(project=mine), presenter=presenter)
    stranger = factories.PersonFactory(name="Sara Stranger", email="sara@private.example")
    factories.GoodPracticeFactory(projects=[theirs], contact=stranger)
    return {"mine": mine, "contact": contact, "presenter": presenter, "stranger": stranger}


@pytest.fixture
def editor_client(client, people):
    client.force_login(make_editor("editor", people["mine"]))
    return client


@pytest.mark.parametrize("popup", [False, True])
def test_an_editor_does_not_see_the_address_of_other_projects_people(editor_client, people, popup):
    url = admin_url(Person, "change", people["stranger"].pk) + ("?_popup=1" if popup else "")
    response = editor_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sara Stranger" in html
    assert "sara@private.example" not in html


def test_an_editor_sees_the_address_of_their_projects_people(editor_client, people):
    for person in (people["contact"], people["presenter"]):
        html = editor_client.get(admin_url(Person, "change", person.pk)).content.decode()
        assert person.email in html


def test_an_editor_types_the_address_of_a_new_person(editor_client, people):
    response = editor_client.post(
        admin_url(Person, "add"), {"name": "New Person", "email": "new@private.example"}
    )
    assert response.status_code == 302
    assert Person.objects.get(name="New Person").email == "new@private.example"


def test_the_contact_autocomplete_gives_names_only_and_finds_nobody_by_address(
    editor_client, people
):
    params = {"app_label": "practices", "model_name": "goodpractice", "field_name": "contact"}
    response = editor_client.get("/admin/autocomplete/", {**params, "term": "Sara"})
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Sara Stranger"]
    assert "private.example" not in response.content.decode()
    by_address = editor_client.get("/admin/autocomplete/", {**params, "term": "sara@private"})
    assert by_address.json()["results"] == []


def test_portal_administrators_see_every_address(admin_client, people):
    html = admin_client.get(admin_url(Person, "change", people["stranger"].pk)).content.decode()
    assert "sara@private.example" in html
