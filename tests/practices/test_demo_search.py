"""The demo searches a new user tries find the same first practice on SQLite and PostgreSQL."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


pytestmark = [pytestmark, pytest.mark.usefixtures("demo")]


@pytest.mark.parametrize(
    ("q", "first"),
    [
        ("lukasiewicz", "industry-of-the-future-platform"),  # Łukasiewicz: accents
        ("tuscanny", "regional-4-0-audit-for-smes-in-tuscany"),  # misspelt
        ("leon", "centr-tec-programme"),  # León, the organisation's city
        ("audit", "regional-4-0-audit-for-smes-in-tuscany"),  # ranked: in the title
        ("factory", "gostop-factories-of-the-future"),  # English stems
    ],
)
def test_demo_searches_find_the_same_first_practice_on_both_databases(client, q, first):
    response = client.get(reverse("practices:practice-list"), {"q": q})
    assert response.status_code == 200
    assert response.context["practices"][0]["slug"] == first
    # The search box of every page ranks practices the same way.
    response = client.get(reverse("exchange:search"), {"q": q})
    (practices,) = [s for s in response.context["sections"] if s["key"] == "practices"]
    assert practices["rows"][0].slug == first
