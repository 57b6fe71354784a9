"""Completeness of a practice over the Interreg template's sections: stored, sorted, filtered."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

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


def stub_notice(client, practice, language="en"):
    """The practice page's "not fully described" notice (HTML), or None; checks where it stands."""
    with translation.override(language):
        response = client.get(practice.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    found = re.search(r'<section class="[^"]*\bstub-notice\b.*?</section>', page, re.S)
    if found:
        # Near the top: after the practice's header, first in the column of
        # its texts (beside the facts, not above them), before any section.
        assert page.index("</header>", page.index("practice-header")) < found.start()
        body = page.index('class="practice-body"')
        assert body < found.start()
        assert "<section" not in page[body : found.start()]
        assert found.end() < page.index('class="practice-aside"')
    return found and found.group()


def texts(html, tag):
    return [
        re.sub(r"<[^>]+>|\s+", " ", t).strip()
        for t in re.findall(rf"<{tag}\b.*?</{tag}>", html, re.S)
    ]


@pytest.mark.django_db
def test_the_practice_page_names_the_missing_parts_near_the_top(client):
    practice = factories.GoodPracticeFactory(
        **{**FULL, "resources_needed": "TBD", "difficulties": ""},
        contact=factories.PersonFactory(email="owner@private.example"),
    )
    notice = stub_notice(client, practice)
    assert 'aria-labelledby="h-stub"' in notice
    assert texts(notice, "h2") == ["This practice is not fully described yet"]
    assert texts(notice, "li")[:2] == [
        "Resources needed",
        "Difficulties encountered and lessons learned",
    ]
    assert re.findall(r'href="([^"]+)"', notice) == [
        reverse("practices:contact", args=[practice.slug]),
        reverse("practices:proposal-create"),
    ]


@pytest.mark.django_db
def test_without_anybody_to_write_to_the_notice_links_the_proposal_form_only(client):
    practice = factories.GoodPracticeFactory(contact=None, evidence_of_success="n/a")
    notice = stub_notice(client, practice)
    assert "Evidence of success" in notice
    assert re.findall(r'href="([^"]+)"', notice) == [reverse("practices:proposal-create")]


@pytest.mark.django_db
def test_a_complete_practice_has_no_notice(client):
    assert stub_notice(client, factories.GoodPracticeFactory(**FULL)) is None


@pytest.mark.django_db
def test_the_notice_is_translated(client):
    practice = factories.GoodPracticeFactory(**{**FULL, "description": ""})
    assert "Ta praktyka nie jest jeszcze w pełni opisana" in stub_notice(client, practice, "pl")
    assert "Această practică nu este încă descrisă complet" in stub_notice(client, practice, "ro")
