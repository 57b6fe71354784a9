"""The document library and policy instruments in the API, linked from the details."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import PolicyInstrument
from events.models import Output
from tests.factories import ProjectFactory
from tests.opendata.test_api import api_get

API = "/api/v1"


def test_documents_list_only_published_with_where_to_find_them(client, portal):
    rows = api_get(client, "/documents/")["results"]
    assert [r["title"] for r in rows] == [
        "Regional analysis of Mazovia",
        "Survey shown at a draft meeting",
    ]
    analysis = rows[0]
    assert analysis["kind"] == "regional_analysis"
    assert analysis["language"] == "pl"
    assert analysis["date"] == "2019-06-01"
    assert analysis["document_url"] == "https://example.org/analysis.pdf"
    assert analysis["project"]["slug"] == "smarty"
    assert analysis["event"]["slug"] == portal.seminar.slug
    assert [r["nuts_code"] for r in analysis["regions"]] == ["PL9"]
    # Presented at a meeting still in draft: the meeting is not named.
    assert rows[1]["event"] is None
    assert api_get(client, f"/documents/{portal.analysis.slug}/")["title"] == analysis["title"]
    draft = Output.objects.get(title__startswith="SECRET")
    api_get(client, f"/documents/{draft.slug}/", expect=404)


def test_documents_take_the_library_filters(client, portal):
    def slugs(**params):
        return [r["slug"] for r in api_get(client, "/documents/", **params)["results"]]

    assert slugs(kind="survey") == ["survey-shown-at-a-draft-meeting"]
    assert slugs(region="PL91") == []
    assert slugs(region="PL") == [portal.analysis.slug]
    assert slugs(year=2019) == [portal.analysis.slug]
    assert slugs(q="mazovia") == [portal.analysis.slug]
    assert slugs(project="gostop") == []
    assert api_get(client, "/documents/", expect=400, kind="poem")["kind"]


def test_a_kept_file_is_given_by_its_download_address(client, portal, settings, tmp_path):
    from django.core.files.base import ContentFile

    document = Output(
        title="Action plan", kind=Output.Kind.ACTION_PLAN, project=portal.projects.smarty
    )
    document.file.save("plan.pdf", ContentFile(b"%PDF-1.4"), save=True)
    row = api_get(client, f"/documents/{document.slug}/")
    assert row["document_url"] == f"http://testserver/documents/{document.slug}/file/"
    assert client.get(row["document_url"]).status_code == 200


def test_documents_list_costs_the_same_queries_for_1_and_50(client, db, django_assert_num_queries):
    project = ProjectFactory(acronym="DOCS")
    counts = []
    for wanted in (1, 50):
        Output.objects.all().delete()
        for i in range(wanted):
            Output.objects.create(
                title=f"Study {i}",
                project=project,
                date=datetime.date(2020, 1, 1) + datetime.timedelta(days=i),
                url=f"https://example.org/{i}.pdf",
            )
        with CaptureQueriesContext(connection) as queries:
            assert len(client.get(f"{API}/documents/").json()["results"]) == wanted
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 4


def test_policy_instruments_and_what_links_to_them(client, portal):
    rows = api_get(client, "/policy-instruments/")["results"]
    assert [r["name"] for r in rows] == ["RPO WM 2014-2020, Działanie 1.2"]
    assert rows[0]["name_en"] == "Mazovia ROP 2014-2020, Action 1.2"
    assert rows[0]["region"]["nuts_code"] == "PL9"
    assert rows[0]["programme_period"] == ""
    detail = api_get(client, f"/policy-instruments/{portal.instrument.slug}/")
    # Drafts (practice and event) linked to it stay hidden.
    assert [p["slug"] for p in detail["practices"]] == [portal.practices[0].slug]
    assert [e["slug"] for e in detail["events"]] == [portal.seminar.slug]
    assert [p["slug"] for p in detail["projects"]] == ["smarty"]
    assert detail["web_url"] == f"http://testserver{portal.instrument.get_absolute_url()}"


def test_details_name_their_instruments_and_documents(client, portal):
    ref = {
        "url": f"http://testserver{API}/policy-instruments/{portal.instrument.slug}/",
        "slug": portal.instrument.slug,
        "name": "RPO WM 2014-2020, Działanie 1.2",
        "name_en": "Mazovia ROP 2014-2020, Action 1.2",
    }
    practice = api_get(client, f"/practices/{portal.practices[0].slug}/")
    assert practice["policy_instruments"] == [ref]
    assert api_get(client, f"/practices/{portal.practices[1].slug}/")["policy_instruments"] == []
    project = api_get(client, "/projects/smarty/")
    assert project["policy_instruments"] == [ref]
    listed = client.get(project["documents"]).json()["results"]
    assert {d["slug"] for d in listed} == {portal.analysis.slug, "survey-shown-at-a-draft-meeting"}
    event = api_get(client, f"/events/{portal.seminar.slug}/")
    assert event["policy_instruments"] == [ref]
    assert [d["title"] for d in event["documents"]] == ["Regional analysis of Mazovia"]
    assert event["documents"][0]["document_url"] == "https://example.org/analysis.pdf"


def test_instrument_detail_queries_do_not_grow(client, portal, django_assert_max_num_queries):
    instrument = PolicyInstrument.objects.get()
    for i in range(30):
        project = ProjectFactory(acronym=f"P{i}")
        project.policy_instruments.add(instrument)
    with django_assert_max_num_queries(5):
        data = api_get(client, f"/policy-instruments/{instrument.slug}/")
    assert len(data["projects"]) == 31
