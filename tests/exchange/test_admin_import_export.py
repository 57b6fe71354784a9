"""Spreadsheet import/export in the admin: dry run, all-or-nothing, natural keys, no e-mails."""

import csv
import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from core.models import Organisation, PublicationState, Region
from core.resources import OrganisationResource, RegionResource
from events.models import Event
from events.resources import EventResource
from practices.models import GoodPractice
from practices.resources import GoodPracticeResource
from tests import factories
from tests.exchange.admin_helpers import admin_url

HEADERS = ["slug", "title", "projects", "region", "organisation", "topics", "summary"]


@pytest.fixture
def refs(db):
    country = factories.RegionFactory(nuts_code="ES", name="España", name_en="Spain")
    catalonia = factories.RegionFactory(nuts_code="ES51", name="Cataluña", parent=country)
    leeds = factories.RegionFactory(
        nuts_code=None, name="Leeds City Region", kind=Region.Kind.CITY_REGION
    )
    return {
        "catalonia": catalonia,
        "leeds": leeds,
        "org": factories.OrganisationFactory(name="ACCIÓ", region=catalonia),
        "smarty": factories.ProjectFactory(acronym="SMARTY"),
        "diginno": factories.ProjectFactory(acronym="DIGINNO"),
        "topic": factories.TopicFactory(name="Industry 4.0"),
    }


def csv_bytes(rows, headers=HEADERS):
    data = tablib.Dataset(headers=headers)
    for row in rows:
        data.append(row)
    return data.export("csv").encode()


def good_rows():
    return [
        ["", "Industry 4.0 vouchers", "SMARTY", "ES51", "ACCIÓ", "industry-40", "Vouchers."],
        ["", "Leeds digital skills", "SMARTY|DIGINNO", "leeds-city-region", "", "", "Skills."],
    ]


def upload(admin_client, content, name="practices.csv", fmt="0"):
    return admin_client.post(
        admin_url(GoodPractice, "import"),
        {
            "format": fmt,
            "import_file": SimpleUploadedFile(name, content),
            "resource": "0",
        },
    )


def test_dry_run_lists_rows_then_confirm_saves(admin_client, refs):
    existing = factories.GoodPracticeFactory(title="Old title", slug="kept-practice")
    rows = [*good_rows(), ["kept-practice", "New title", "SMARTY", "ES51", "ACCIÓ", "", "S."]]
    response = upload(admin_client, csv_bytes(rows))
    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [r.import_type for r in result.valid_rows()] == ["new", "new", "update"]
    body = response.content.decode()
    assert "2 new, 1 changed, 0 unchanged." in body
    assert '<td class="import-row-number">3</td>' in body
    # A dry run saves nothing.
    assert GoodPractice.objects.count() == 1
    existing.refresh_from_db()
    assert existing.title == "Old title"

    confirm = response.context["confirm_form"]
    response = admin_client.post(
        admin_url(GoodPractice, "process_import"),
        {**confirm.initial, "resource": confirm.initial.get("resource", "0")},
    )
    assert response.status_code == 302
    assert GoodPractice.objects.count() == 3
    existing.refresh_from_db()
    assert existing.title == "New title"


def test_bad_region_in_admin_dry_run_names_the_row(admin_client, refs):
    rows = [*good_rows(), ["", "Ghost", "SMARTY", "ZZ99", "", "", "S."]]
    response = upload(admin_client, csv_bytes(rows))
    assert "confirm_form" not in response.context
    invalid = response.context["result"].invalid_rows
    assert [row.number for row in invalid] == [3]
    body = response.content.decode()
    assert "Unknown region “ZZ99”" in body
    assert "<strong>Row 3:</strong>" in body
    assert "Nothing was imported" in body
    assert GoodPractice.objects.count() == 0


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        (["", "Ghost", "SMARTY", "ZZ99", "", "", "S."], "Unknown region “ZZ99”"),
        (["", "T" * 101, "SMARTY", "ES51", "", "", "S."], "at most 100 characters"),
        (["", "Orphan", "NOPE", "ES51", "", "", "S."], "NOPE"),
        (["", "No such org", "SMARTY", "ES51", "Nobody Inc.", "", "S."], "Nobody Inc."),
        (["", "Topicless", "SMARTY", "ES51", "", "no-such-topic", "S."], "no-such-topic"),
    ],
    ids=["region", "long-title", "project", "organisation", "topic"],
)
def test_bad_row_rolls_back_everything(refs, bad_row, reason):
    # The bad row comes last, so the good rows before it were already written.
    dataset = tablib.Dataset(*good_rows(), bad_row, headers=HEADERS)
    result = GoodPracticeResource().import_data(
        dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
    )
    assert result.has_validation_errors()
    invalid = result.invalid_rows
    assert [row.number for row in invalid] == [3]
    messages = " ".join(str(e) for row in invalid for errs in row.error_dict.values() for e in errs)
    assert reason in messages
    assert GoodPractice.objects.count() == 0


def test_confirm_step_rolls_back_when_data_changed_meanwhile(admin_client, refs):
    response = upload(admin_client, csv_bytes(good_rows()))
    confirm = response.context["confirm_form"]
    # Between the dry run and the confirmation the region disappears.
    Region.objects.filter(slug="leeds-city-region").delete()
    admin_client.post(admin_url(GoodPractice, "process_import"), dict(confirm.initial))
    assert GoodPractice.objects.count() == 0


def test_natural_keys_resolve(refs):
    dataset = tablib.Dataset(*good_rows(), headers=HEADERS)
    result = GoodPracticeResource().import_data(dataset, dry_run=False)
    assert not result.has_validation_errors() and not result.has_errors()
    vouchers = GoodPractice.objects.get(title="Industry 4.0 vouchers")
    assert vouchers.region == refs["catalonia"]
    assert vouchers.organisation == refs["org"]
    assert list(vouchers.projects.all()) == [refs["smarty"]]
    assert list(vouchers.topics.all()) == [refs["topic"]]
    assert vouchers.slug == "industry-40-vouchers"
    assert vouchers.publication_state == PublicationState.DRAFT
    leeds = GoodPractice.objects.get(title="Leeds digital skills")
    assert leeds.region == refs["leeds"]
    assert set(leeds.projects.all()) == {refs["smarty"], refs["diginno"]}


def test_lower_case_nuts_code_resolves(refs):
    widget = GoodPracticeResource().fields["region"].widget
    assert widget.clean("es51") == refs["catalonia"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_practice_round_trip(refs, fmt):
    original = factories.GoodPracticeFactory(
        title="Round trip",
        region=refs["catalonia"],
        organisation=refs["org"],
        projects=[refs["smarty"], refs["diginno"]],
        topics=[refs["topic"]],
        keywords="a, b",
        end_date=None,
    )
    exported = GoodPracticeResource().export()
    data = exported.export(fmt)
    before = GoodPracticeResource().export().dict
    original.projects.clear()
    GoodPractice.objects.filter(pk=original.pk).update(title="Changed", summary="Changed")
    dataset = tablib.Dataset().load(data, format=fmt)
    result = GoodPracticeResource().import_data(dataset, dry_run=False)
    assert not result.has_validation_errors() and not result.has_errors()
    assert GoodPracticeResource().export().dict == before
    assert GoodPractice.objects.count() == 1


def test_unchanged_file_is_reported_as_unchanged(refs):
    factories.GoodPracticeFactory(region=refs["catalonia"], projects=[refs["smarty"]])
    dataset = GoodPracticeResource().export()
    result = GoodPracticeResource().import_data(dataset, dry_run=True)
    assert [r.import_type for r in result.valid_rows()] == ["skip"]


def test_xlsx_upload_in_the_admin(admin_client, refs):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in good_rows():
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(admin_client, buffer.getvalue(), name="practices.xlsx", fmt="1")
    assert [r.import_type for r in response.context["result"].valid_rows()] == ["new", "new"]


def test_region_import_builds_the_hierarchy(db):
    dataset = tablib.Dataset(
        ["", "FI", "Suomi", "Finland", "nuts", "", "", "", "64", "26"],
        ["", "FI1D", "Pohjois- ja Itä-Suomi", "", "nuts", "", "FI", "", "", ""],
        ["", "fi1d7", "Lappi", "Lapland", "nuts", "", "fi1d", "", "67", "26"],
        headers=list(RegionResource._meta.fields),
    )
    result = RegionResource().import_data(dataset, dry_run=False)
    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    lapland = Region.objects.get(nuts_code="FI1D7")
    assert lapland.level == 3
    assert lapland.parent.nuts_code == "FI1D"
    assert lapland.country_code == "FI"
    assert lapland.path == "/fi/fi1d/fi1d7/"
    # Again, by NUTS code only: updates, never duplicates.
    result = RegionResource().import_data(dataset, dry_run=False)
    assert Region.objects.count() == 3


def test_organisation_import_and_export(db):
    region = factories.RegionFactory(nuts_code="BE24", name="Prov. Vlaams-Brabant")
    dataset = tablib.Dataset(
        ["", "Flanders Make", "", "FM", "research", "BE24", "Leuven", "https://example.org"],
        headers=list(OrganisationResource._meta.fields),
    )
    result = OrganisationResource().import_data(dataset, dry_run=False)
    assert not result.has_validation_errors()
    org = Organisation.objects.get(acronym="FM")
    assert org.region == region and org.slug == "fm"


def test_event_import_resolves_project_and_organisers(refs):
    dataset = tablib.Dataset(
        [
            "",
            "1st Interregional Thematic Seminar",
            "",
            "SMARTY",
            "thematic_seminar",
            "in_person",
            "2020-02-25 09:00:00",
            "2020-02-26 17:00:00",
            "0",
            "Europe/Brussels",
            "",
            "Leuven",
            "",
            "",
            "ACCIÓ",
            "",
            "en",
            "",
            "",
            "published",
        ],
        headers=list(EventResource._meta.fields),
    )
    result = EventResource().import_data(dataset, dry_run=False)
    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    event = Event.objects.get()
    assert event.project == refs["smarty"]
    assert list(event.organisers.all()) == [refs["org"]]
    assert event.slug == "1st-interregional-thematic-seminar-2020"


def test_exports_never_contain_e_mail_addresses(admin_client, refs):
    contact = factories.PersonFactory(email="secret@private.example")
    practice = factories.GoodPracticeFactory(contact=contact, projects=[refs["smarty"]])
    factories.PresentationFactory(practice=practice)
    factories.PracticeProposalFactory(proposer_email="proposer@private.example")
    for resource in (GoodPracticeResource, OrganisationResource, EventResource, RegionResource):
        for fmt in ("csv", "xlsx"):
            exported = resource().export().export(fmt)
            text = exported if isinstance(exported, str) else exported.decode("latin-1")
            assert "private.example" not in text
    for model in (GoodPractice, Organisation, Event, Region):
        response = admin_client.post(
            admin_url(model, "export"), {"format": "0", "resource": "0", "export_items": []}
        )
        assert "private.example" not in response.content.decode("utf-8", "replace")


FORMULA = '=HYPERLINK("http://evil.example","Open the report")'


@pytest.mark.parametrize(("fmt", "index"), [("csv", "0"), ("xlsx", "1")])
def test_admin_exports_write_formulas_as_text(admin_client, refs, fmt, index):
    # A title taken over from an accepted proposal must not run in a spreadsheet.
    factories.GoodPracticeFactory(
        title=FORMULA, summary="=1+1", projects=[refs["smarty"]], end_date=None
    )
    url = admin_url(GoodPractice, "export")
    form = admin_client.get(url).context["form"]
    fields = {name: "on" for name in form.fields if name.startswith("goodpracticeresource_")}
    response = admin_client.post(url, {"format": index, "resource": "0", **fields})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        cells = [cell for row in rows for cell in row]
    else:
        sheet = load_workbook(io.BytesIO(content)).active
        cells = [cell.value for row in sheet.iter_rows() for cell in row]
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert 'HYPERLINK("http://evil.example","Open the report")' in cells
    assert not any(isinstance(cell, str) and cell.startswith("=") for cell in cells)
    assert "None" not in cells  # empty cells stay empty


def test_a_project_without_acronym_is_named_by_its_slug(refs):
    # The Romanian project has no acronym in its sources: none is made up.
    unnamed = factories.ProjectFactory(acronym="", slug="imm-industria-4-0")
    rows = [["", "Digital SMEs", "SMARTY|imm-industria-4-0", "ES51", "", "", "S."]]
    result = GoodPracticeResource().import_data(
        tablib.Dataset(*rows, headers=HEADERS), dry_run=False
    )
    assert not result.has_validation_errors() and not result.has_errors()
    practice = GoodPractice.objects.get(title="Digital SMEs")
    assert set(practice.projects.all()) == {refs["smarty"], unnamed}
    # And exported the same way, so the file imports again unchanged.
    exported = GoodPracticeResource().export()
    assert exported.dict[0]["projects"] in ("SMARTY|imm-industria-4-0", "imm-industria-4-0|SMARTY")
    again = GoodPracticeResource().import_data(exported, dry_run=True)
    assert [r.import_type for r in again.valid_rows()] == ["skip"]
