"""The document library (/documents/): the rule, the filters, downloads, query counts."""

import csv
import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from events.models import Output
from tests.exchange.admin_helpers import admin_url, make_editor
from tests.factories import EventFactory, ProjectFactory, RegionFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("documents:document-list")


def document(**kwargs):
    kwargs.setdefault("url", "https://example.org/document.pdf")
    regions = kwargs.pop("regions", [])
    obj = Output.objects.create(**kwargs)
    obj.regions.set(regions)
    return obj


@pytest.fixture
def library():
    pl = RegionFactory(nuts_code="PL", name="Polska", name_en="Poland")
    mazovia = RegionFactory(nuts_code="PL9", name="Mazowieckie", name_en="Mazovia", parent=pl)
    smarty = ProjectFactory(acronym="SMARTY")
    seminar = EventFactory(title="Stakeholder meeting", project=smarty)
    return {
        "study": document(
            title="SMEs in digital transformation",
            kind=Output.Kind.STUDY,
            language="pl",
            date=datetime.date(2020, 7, 14),
            project=smarty,
            event=seminar,
            regions=[mazovia],
        ),
        "survey": document(
            title="Business Needs Assessment",
            kind=Output.Kind.SURVEY,
            date=datetime.date(2019, 11, 18),
        ),
        "draft": document(title="Unfinished action plan", publication_state="draft"),
        "smarty": smarty,
        "pl": pl,
    }


def titles(response):
    return [d.title for d in response.context["documents"]]


def test_a_document_needs_a_file_or_a_link():
    empty = Output(title="Nothing to open", url="")
    with pytest.raises(ValidationError, match="Give a file or a link."):
        empty.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Output.objects.bulk_create([Output(title="Nothing to open", slug="nothing", url="")])


def test_library_lists_published_documents_newest_first(client, library):
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert titles(response) == ["SMEs in digital transformation", "Business Needs Assessment"]
    body = response.content.decode()
    assert 'lang="pl"' in body  # the Polish title is marked
    assert "Mazovia" in body and "Stakeholder meeting" in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=survey", ["Business Needs Assessment"]),
        ("language=pl", ["SMEs in digital transformation"]),
        ("project=SMARTY", ["SMEs in digital transformation"]),
        ("region=PL", ["SMEs in digital transformation"]),
        ("year=2019", ["Business Needs Assessment"]),
        ("q=needs", ["Business Needs Assessment"]),
    ],
)
def test_library_filters(client, library, query, expected):
    assert titles(client.get(f"{LIST_URL}?{query}")) == expected


def test_library_says_which_filter_it_ignored(client, library):
    response = client.get(f"{LIST_URL}?year=soon&kind=poem")
    messages = sorted(str(m) for m in response.context["messages"])
    assert len(messages) == 2
    assert messages[0].startswith("“Type” was ignored")
    assert messages[1] == "“Year” was ignored: Enter a whole number."
    assert len(titles(response)) == 2


def test_library_exports_the_filtered_list(client, library):
    response = client.get(f"{LIST_URL}?language=pl&format=csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()[1:])))
    assert [r["title"] for r in rows] == ["SMEs in digital transformation"]
    assert rows[0]["regions"] == "PL9" and rows[0]["project"] == "SMARTY"
    assert rows[0]["address"] == "https://example.org/document.pdf"
    exported = client.get(f"{LIST_URL}?format=json")
    assert len(json.loads(b"".join(exported.streaming_content))) == 2


def test_a_file_is_downloaded_and_a_draft_is_not(client, library):
    study = library["study"]
    study.file.save("study.pdf", ContentFile(b"%PDF-1.4"), save=True)
    response = client.get(study.get_absolute_url())
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    draft = library["draft"]
    url = reverse("documents:document-download", kwargs={"slug": draft.slug})
    assert client.get(url).status_code == 404


def test_library_query_count_is_constant(client, library, django_assert_max_num_queries):
    # Count, ids, rows, regions; the year menu.
    with django_assert_max_num_queries(5):
        client.get(LIST_URL)
    for i in range(50):
        document(title=f"Report {i}", project=library["smarty"], regions=[library["pl"]])
    with django_assert_max_num_queries(5):
        response = client.get(LIST_URL)
    assert len(response.context["documents"]) == 50


def test_editors_see_only_their_projects_documents(client, library):
    other = document(title="Another project's report", project=ProjectFactory())
    client.force_login(make_editor("editor", library["smarty"]))
    response = client.get(admin_url(Output, "changelist"))
    assert response.status_code == 200
    listed = {o.title for o in response.context["cl"].result_list}
    assert "SMEs in digital transformation" in listed and other.title not in listed
    assert client.get(admin_url(Output, "change", other.pk)).status_code == 404
