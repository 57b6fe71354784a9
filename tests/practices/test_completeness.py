"""Completeness of a practice over the Interreg template's sections: stored, sorted, filtered."""

import pytest

from practices.admin import GoodPracticeAdmin
from practices.models import GoodPractice, section_written
from tests import factories
from tests.exchange.admin_helpers import admin_url

FULL = dict.fromkeys(GoodPractice.DESCRIPTION_FIELDS, "Written text.")


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("", False),
        ("   ", False),
        ("TBD", False),
        (" n/a ", False),
        ("...", False),
        ("Money and two staff.", True),
        ("NA: a network of agencies", True),
    ],
)
def test_a_section_is_written_unless_empty_or_a_placeholder(text, written):
    assert section_written(text) is written


@pytest.mark.django_db
def test_the_database_scores_what_the_practice_page_calls_missing():
    practice = factories.GoodPracticeFactory(
        **{**FULL, "resources_needed": "", "difficulties": " TBD "}
    )
    stored = GoodPractice.objects.values_list("completeness", flat=True).get(pk=practice.pk)
    practice.refresh_from_db()
    assert stored == 60
    assert [str(name) for name in practice.missing_sections()] == [
        "resources needed",
        "difficulties encountered and lessons learned",
    ]


@pytest.mark.django_db
def test_bulk_writes_are_scored_too():
    practice = factories.GoodPracticeFactory(**FULL)
    GoodPractice.objects.filter(pk=practice.pk).update(description="-", evidence_of_success="")
    assert GoodPractice.objects.get(pk=practice.pk).completeness == 60
    GoodPractice.objects.bulk_create([GoodPractice(title="Bulk", slug="bulk", summary="S")])
    assert GoodPractice.objects.get(slug="bulk").completeness == 0


@pytest.mark.django_db
def test_staff_sort_and_filter_incomplete_practices(admin_client):
    complete = factories.GoodPracticeFactory(title="All written", **FULL)
    half = factories.GoodPracticeFactory(title="Half written", **{**FULL, "description": ""})
    empty = factories.GoodPracticeFactory(
        title="Nothing written", **dict.fromkeys(GoodPractice.DESCRIPTION_FIELDS, "")
    )
    url = admin_url(GoodPractice, "changelist")
    column = GoodPracticeAdmin.list_display.index("completeness") + 1
    response = admin_client.get(url, {"o": str(column)})  # ascending
    page = response.content.decode()
    assert page.index(empty.title) < page.index(half.title) < page.index(complete.title)
    assert ">80<" in page and ">100<" in page

    response = admin_client.get(url, {"completeness": "incomplete"})
    titles = [p.title for p in response.context["cl"].result_list]
    assert sorted(titles) == ["Half written", "Nothing written"]
