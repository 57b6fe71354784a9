"""Downloads of filtered lists: same rows as the page, streamed, safe for spreadsheets."""

import csv
import datetime
import io
import json
import re
from unittest import mock

import pytest
from django.db import connection
from django.db.models.query import QuerySet
from django.http import QueryDict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import load_workbook

from core import exports
from core.exports import export_filename
from core.exports import export_response as export_organisations
from core.filters import OrganisationFilter
from core.models import Organisation, Region
from events.exports import export_response as export_events
from events.filters import EventFilter, upcoming_first
from events.models import Event
from infra.listing import export_format
from practices import exports as practice_exports
from practices.models import GoodPractice
from tests.factories import GoodPracticeFactory, ProjectFactory, RegionFactory, TopicFactory

LIST_URL = reverse("practices:practice-list")

FILTER_COMBINATIONS = [
    "",
    "topic=industry-4-0",
    "region=PL9",
    "region=pl91",
    "country=RO",
    "project=smarty&sort=title",
    "programme={interreg}&topic=digitalisation",
    "status=ended",
    "language=pl",
    "year=2016",
    "q=cluster",
    "topic=no-such-topic",
]


def listing_slugs(client, query):
    """Every row of the listing for ``query``, all pages, in the page's order."""
    response = client.get(f"{LIST_URL}?{query}")
    assert response.status_code == 200
    return [p.slug for p in response.context["paginator"].object_list]


def read_csv(response):
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(body[1:])))


def read_json(response):
    assert response.streaming
    return json.loads(b"".join(response.streaming_content))


@pytest.mark.parametrize("query", FILTER_COMBINATIONS)
def test_csv_rows_are_the_listing_rows_in_the_listing_order(client, portal, query):
    query = query.format(interreg=portal.programmes.interreg.slug)
    response = client.get(f"{LIST_URL}?{query}&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(response)
    assert [row["slug"] for row in rows] == listing_slugs(client, query)


@pytest.mark.parametrize("query", FILTER_COMBINATIONS[:6])
def test_json_is_a_valid_array_of_the_listing_rows(client, portal, query):
    response = client.get(f"{LIST_URL}?{query}&format=json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    rows = read_json(response)
    assert isinstance(rows, list)
    assert [row["slug"] for row in rows] == listing_slugs(client, query)


def test_export_has_every_page_not_only_the_first(client, portal):
    topic = TopicFactory(slug="many")
    GoodPracticeFactory.create_batch(45, topics=[topic])
    rows = read_csv(client.get(f"{LIST_URL}?topic=many&format=csv"))
    assert len(rows) == 45
    assert len(client.get(f"{LIST_URL}?topic=many").context["practices"]) == 20


def test_empty_list_gives_a_header_and_an_empty_array(client, portal):
    rows = read_csv(client.get(f"{LIST_URL}?q=nothing-matches-this&format=csv"))
    assert rows == []
    assert read_json(client.get(f"{LIST_URL}?q=nothing-matches-this&format=json")) == []


def test_csv_columns_and_values(client, portal):
    response = client.get(f"{LIST_URL}?topic=industry-4-0&region=PL9&format=csv")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="practices-region-pl9-topic-industry-4-0-{today}.csv"'
    )
    rows = read_csv(response)
    voucher = next(r for r in rows if r["title"].startswith("Łódź"))
    template_fields = [
        "title",
        "summary",
        "description",
        "resources_needed",
        "evidence_of_success",
        "difficulties",
        "potential_for_transfer",
        "start_date",
        "end_date",
        "status",
        "city",
        "keywords",
        "further_information",
        "language",
    ]
    for column in [
        *template_fields,
        "region",
        "region_nuts_code",
        "country_code",
        "country",
        "organisation",
        "projects",
        "topics",
        "url",
    ]:
        assert column in voucher
    assert voucher["region_nuts_code"] == "PL91"
    assert voucher["country_code"] == "PL"
    assert voucher["country"] == "Poland"
    assert voucher["organisation"] == "Mazovia Development Agency"
    assert voucher["projects"] == "SMARTY"
    assert voucher["topics"] == "Digitalisation; Industry 4.0"
    assert voucher["adopted_in"] == "Macroregiunea Unu (2023)"
    assert voucher["language"] == "pl"
    assert voucher["start_date"] == "2018-01-01"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", voucher["published_at"])
    assert voucher["summary"].startswith("Vouchers for SMEs: zażółć gęślą jaźń")
    practice = GoodPractice.objects.get(title=voucher["title"])
    assert voucher["url"] == f"http://testserver{practice.get_absolute_url()}"
    assert "contact" not in voucher
    assert {r["title"] for r in rows} == {
        "Łódź-style voucher for Industry 4.0 in Mazovia",
        "Metropolitan makerspaces",
    }


def test_country_names_are_read_once_per_state_of_the_data(client, portal, settings):
    settings.PAGE_CACHE_SECONDS = 0  # each download built
    url = f"{LIST_URL}?country=PL&format=csv"
    with CaptureQueriesContext(connection) as first:
        assert {r["country"] for r in read_csv(client.get(url))} == {"Poland"}
    with CaptureQueriesContext(connection) as again:
        assert {r["country"] for r in read_csv(client.get(url))} == {"Poland"}
    # The filter's country, the first ids, the rows, their projects, topics and adopters.
    assert len(again) == 4 == len(first) - 1
    # An edit of a country is in the next download.
    Region.objects.filter(nuts_code="PL").update(name_en="Polska")
    Region.objects.get(nuts_code="PL").save()
    assert {r["country"] for r in read_csv(client.get(url))} == {"Polska"}


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_practice_without_region_or_organisation_has_empty_cells(client, db, fmt):
    GoodPracticeFactory(slug="nowhere", region=None, organisation=None, validated_on=None)
    response = client.get(f"{LIST_URL}?format={fmt}")
    [row] = read_csv(response) if fmt == "csv" else read_json(response)
    assert row["slug"] == "nowhere"
    for column in ("region", "region_nuts_code", "country_code", "country", "organisation"):
        assert row[column] == "", column
    assert row["validated_on"] == ("" if fmt == "csv" else None)
    assert row["projects"] == row["topics"] == row["adopted_in"] == ""


def test_url_column_follows_the_interface_language(client, portal):
    rows = read_csv(client.get(f"/pl{LIST_URL}?country=PL&format=csv"))
    assert rows and all(r["url"].startswith("http://testserver/pl/practices/") for r in rows)


def test_cells_that_look_like_formulas_stay_text(client, portal):
    GoodPracticeFactory(title="=1+1 is not a formula", summary="@import nothing")
    rows = read_csv(client.get(f"{LIST_URL}?format=csv"))
    row = next(r for r in rows if "not a formula" in r["title"])
    assert row["title"] == "'=1+1 is not a formula"
    assert row["summary"] == "'@import nothing"


# Cells a CSV writer must get right: separators, quotes, line breaks, a
# record of one empty cell, letters beyond ASCII, numbers, dates, nothing.
TRICKY_CELLS = [
    "",
    "plain",
    "a, b",
    'say "hi"',
    '"',
    "two\nlines",
    "carriage\rreturn",
    "windows\r\nline",
    "tab\there; semicolon",
    " spaced ",
    "nul\x00inside",
    "zażółć gęślą jaźń \u2028 ț",
    "-12.5",
    12,
    -3.25,
    True,
    None,
    datetime.date(2026, 5, 1),
]


@pytest.mark.parametrize("width", [1, 2, 5])
def test_csv_is_byte_for_byte_what_the_csv_module_writes(width):
    cells = TRICKY_CELLS + TRICKY_CELLS[:width]
    rows = [cells[n : n + width] for n in range(len(TRICKY_CELLS))]
    rows += [[value] * width for value in TRICKY_CELLS]
    columns = [exports.Column(f"column {n}", None) for n in range(width)]
    request = RequestFactory().get("/")
    response = exports.rows_response(request, rows, columns, "csv", basename="cells")
    expected = io.StringIO()
    csv.writer(expected).writerows([[c.key for c in columns], *rows])
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body == "\ufeff" + expected.getvalue()


def test_xlsx_opens_and_keeps_text_as_text(client, portal):
    GoodPracticeFactory(title="=HYPERLINK(1) stays text")
    response = client.get(f"{LIST_URL}?country=PL&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="practices-country-pl')
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.active.values)
    header, data = rows[0], rows[1:]
    assert header[:2] == ("slug", "title")
    titles = {row[header.index("title")] for row in data}
    assert "Łódź-style voucher for Industry 4.0 in Mazovia" in titles
    sheet = load_workbook(io.BytesIO(b"".join(client.get(f"{LIST_URL}?format=xlsx"))))
    cells = [c for c in sheet.active["B"] if str(c.value).startswith("=HYPERLINK")]
    assert cells and cells[0].data_type == "s"


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("rows", [120, 240])
def test_export_reads_rows_in_chunks_never_the_whole_queryset(client, db, monkeypatch, rows, fmt):
    """The queryset is iterated in chunks; prefetches run per chunk; nothing is listed whole."""
    topic, project, region = TopicFactory(), ProjectFactory(), RegionFactory()
    practices = GoodPractice.objects.bulk_create(
        GoodPractice(
            title=f"Practice {n}",
            slug=f"practice-{n}",
            summary="s",
            region=region,
            publication_state="published",
            published_at=timezone.now(),
        )
        for n in range(rows)
    )
    GoodPractice.topics.through.objects.bulk_create(
        GoodPractice.topics.through(goodpractice_id=p.pk, topic_id=topic.pk) for p in practices
    )
    GoodPractice.projects.through.objects.bulk_create(
        GoodPractice.projects.through(goodpractice_id=p.pk, project_id=project.pk)
        for p in practices
    )
    monkeypatch.setattr(exports, "CHUNK_SIZE", 50)
    # Downloads of fewer practices read their ids first, all at once.
    monkeypatch.setattr(practice_exports, "FEW_ROWS", 100)
    fetch_all = QuerySet._fetch_all

    def refuse_whole_practice_list(self):
        fetch_all(self)
        if self.model is GoodPractice:
            assert len(self._result_cache) <= 101, "the export listed every practice at once"

    response = client.get(f"{LIST_URL}?format={fmt}")
    assert response.streaming
    with (
        mock.patch.object(QuerySet, "_fetch_all", refuse_whole_practice_list),
        CaptureQueriesContext(connection) as queries,
    ):
        body = b"".join(response.streaming_content)
    chunks = -(-rows // 50)
    # The first ids, one query for the rows, then one per chunk for their
    # projects, topics and adopting regions.
    assert len(queries) == 2 + chunks
    if fmt == "csv":
        assert body.count(b"\r\n") == rows + 1
    else:
        assert [p["slug"] for p in json.loads(body)] == [f"practice-{n}" for n in range(rows)][::-1]


@pytest.mark.parametrize("query", ["", "topic=industry-4-0&region=PL9", "q=cluster", "sort=title"])
def test_a_short_download_reads_ids_then_rows_and_writes_what_a_long_one_does(
    client, portal, monkeypatch, settings, django_assert_num_queries, query
):
    settings.PAGE_CACHE_SECONDS = 0
    url = f"{LIST_URL}?{query}&format=csv"
    long = b"".join(client.get(url).streaming_content)
    monkeypatch.setattr(practice_exports, "FEW_ROWS", 0)
    assert b"".join(client.get(url).streaming_content) == long
    monkeypatch.undo()
    GoodPracticeFactory.create_batch(3, topics=[TopicFactory()], projects=[ProjectFactory()])
    # The country names, the ids, the rows, their projects, topics and adopting regions.
    with django_assert_num_queries(4):
        b"".join(client.get(f"{LIST_URL}?format=csv").streaming_content)


def test_export_format_keeps_the_event_format_filter():
    fmt, rest = export_format(QueryDict("format=online&project=smarty&format=csv"))
    assert fmt == "csv"
    assert rest.getlist("format") == ["online"]
    assert export_format(QueryDict("format=online")) == (None, QueryDict("format=online"))


def test_file_name_names_the_filters_and_the_date():
    import datetime

    query = QueryDict("topic=Industry 4.0&region=PL9&page=3&sort=title&q=")
    name = export_filename("practices", query, "csv", today=datetime.date(2026, 5, 1))
    assert name == "practices-region-pl9-topic-industry-40-2026-05-01.csv"
    long = QueryDict("q=" + "x" * 500)
    assert len(export_filename("practices", long, "json")) < 140


def test_events_export_is_the_filtered_event_list(db, portal):
    request = RequestFactory().get("/events/", {"project": "smarty", "format": "csv"})
    filterset = EventFilter({"project": "smarty"}, queryset=Event.objects.all())
    response = export_events(request, upcoming_first(filterset.qs), "csv")
    rows = read_csv(response)
    assert [r["slug"] for r in rows] == [portal.seminar.slug]  # the draft is left out
    seminar = rows[0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00\+0[12]:00", seminar["start"])
    assert seminar["time_zone"] == "Europe/Warsaw"
    assert seminar["venue"] == "Pałac Kultury"
    assert seminar["online_link"] == "https://meet.example.org/smarty"
    assert seminar["region_nuts_code"] == "PL91"
    assert seminar["country"] == "Poland"
    assert seminar["organisers"] == "Mazovia Development Agency"
    assert seminar["url"] == f"http://testserver{portal.seminar.get_absolute_url()}"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="events-project-smarty-'
    )


def test_events_export_json_and_xlsx(db, portal):
    request = RequestFactory().get("/events/")
    rows = read_json(export_events(request, Event.objects.all(), "json"))
    assert {r["slug"] for r in rows} == {portal.seminar.slug, portal.webinar.slug}
    response = export_events(request, Event.objects.all(), "xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert len(list(workbook.active.values)) == 3


def test_organisations_export_is_the_filtered_list(db, portal):
    request = RequestFactory().get("/organisations/", {"country": "PL"})
    filterset = OrganisationFilter({"country": "PL"}, queryset=Organisation.objects.all())
    rows = read_csv(export_organisations(request, filterset.qs.order_by("name", "pk"), "csv"))
    assert [r["slug"] for r in rows] == [portal.organisations.agency.slug]
    assert rows[0]["region_nuts_code"] == "PL91"
    assert rows[0]["country"] == "Poland"


def test_unknown_format_is_refused(db):
    request = RequestFactory().get("/organisations/")
    assert export_organisations(request, Organisation.objects.all(), "pdf").status_code == 400


@pytest.mark.parametrize(
    "query", ["", "project=smarty", "format=online", "format=hybrid&kind=thematic_seminar"]
)
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_event_listing_downloads_its_rows(client, portal, query, fmt):
    # The export format sits beside the event-format filter: format=online&format=csv.
    response = client.get(f"{reverse('events:event-list')}?{query}&format={fmt}")
    rows = read_csv(response) if fmt == "csv" else read_json(response)
    name = "-".join(["events", *(slugify(part) for part in re.split("[=&]", query) if part)])
    assert f'filename="{name}-' in response["Content-Disposition"]
    listing = client.get(f"{reverse('events:event-list')}?{query}").context
    assert [r["slug"] for r in rows] == [e.slug for e in listing["page_obj"].paginator.object_list]


@pytest.mark.parametrize("query", ["", "country=PL", "kind=regional_agency", "country=ZZ"])
def test_organisation_listing_downloads_its_rows(client, portal, query):
    url = reverse("exchange:organisation-list")
    rows = read_csv(client.get(f"{url}?{query}&format=csv"))
    listing = client.get(f"{url}?{query}").context
    assert [r["slug"] for r in rows] == [o.slug for o in listing["paginator"].object_list]
