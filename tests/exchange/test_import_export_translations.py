"""Projects, documents and policy instruments in the admin's import/export, translations included.

As practices and events: one column ``<field>_<language>`` per translated
text, each once; a failed import changes nothing and names the row.
"""

import pytest
import tablib
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import PolicyInstrument, PolicyInstrumentTranslation, Project, ProjectTranslation
from core.resources import PolicyInstrumentResource, ProjectResource
from events.models import EventTranslation, Output, OutputTranslation
from events.resources import EventResource, OutputResource
from practices.resources import GoodPracticeResource
from tests import factories
from tests.exchange.admin_helpers import admin_url, make_editor

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "pl", "ro")


def columns(*names):
    return [f"{name}_{language}" for language in LANGUAGES for name in names]


@pytest.fixture
def kinds():
    """A Polish project, document and instrument, each translated into Romanian."""
    region = factories.RegionFactory(nuts_code="PL9", name="Makroregion")
    instrument = PolicyInstrument.objects.create(
        name="Regionalny Program Operacyjny",
        name_en="Regional Operational Programme",
        language="pl",
        region=region,
    )
    PolicyInstrumentTranslation.objects.create(
        master=instrument, language_code="ro", translated_name="Programul operațional regional"
    )
    project = factories.ProjectFactory(
        acronym="SMARTY",
        title="Inteligentne MŚP",
        title_en="Smart SMEs",
        summary="Projekt.",
        language="pl",
        area=region,
    )
    project.policy_instruments.add(instrument)
    ProjectTranslation.objects.create(
        master=project, language_code="ro", translated_title="IMM-uri inteligente"
    )
    document = Output.objects.create(
        title="Analiza regionalna",
        summary="Analiza.",
        language="pl",
        project=project,
        url="https://example.org/analiza.pdf",
    )
    document.regions.add(region)
    OutputTranslation.objects.create(
        master=document, language_code="ro", translated_title="Analiză regională"
    )
    return {"project": project, "document": document, "instrument": instrument}


KINDS = [
    # (resource, fixture key, translated fields, model's own English field or None)
    (ProjectResource, "project", ("title", "summary", "objectives"), "title"),
    (OutputResource, "document", ("title", "summary"), None),
    (PolicyInstrumentResource, "instrument", ("name", "description"), "name"),
]
IDS = ["project", "document", "instrument"]


def as_rows(dataset):
    return [dict(zip(dataset.headers, row, strict=True)) for row in dataset]


def dataset_of(rows):
    return tablib.Dataset(*[list(row.values()) for row in rows], headers=list(rows[0]))


def errors_of(result):
    return " ".join(
        str(e) for row in result.invalid_rows for errs in row.error_dict.values() for e in errs
    )


@pytest.mark.parametrize(("resource", "key", "fields", "english"), KINDS, ids=IDS)
def test_export_carries_each_translation_column_once(kinds, resource, key, fields, english):
    exported = resource().export()
    assert len(exported.headers) == len(set(exported.headers))
    assert exported.headers[-len(fields) * 3 :] == columns(*fields)
    (row,) = as_rows(exported)
    first = fields[0]
    assert row[f"{first}_ro"] == getattr(kinds[key].translations.get(), f"translated_{first}")
    assert row[f"{first}_pl"] == row[f"{first}_en"] == ""
    if english:
        # The model's own English name keeps its data under its own column.
        assert row[f"english_{english}"] == getattr(kinds[key], f"{english}_en")


@pytest.mark.parametrize(("resource", "key", "fields", "english"), KINDS, ids=IDS)
def test_an_unchanged_file_imports_as_unchanged(kinds, resource, key, fields, english):
    result = resource().import_data(resource().export(), dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors(), errors_of(result)
    assert [row.import_type for row in result.rows] == ["skip"]


@pytest.mark.parametrize(("resource", "key", "fields", "english"), KINDS, ids=IDS)
def test_import_adds_changes_and_removes_versions(kinds, resource, key, fields, english):
    first = fields[0]
    (row,) = as_rows(resource().export())
    # An English version added, the Romanian one emptied: removed.
    row.update({f"{first}_en": "English version", **{f"{name}_ro": "" for name in fields}})
    if english:
        row[f"english_{english}"] = "Own English name"
    result = resource().import_data(dataset_of([row]), dry_run=False)
    assert not result.has_validation_errors(), errors_of(result)
    obj = type(kinds[key]).objects.get(pk=kinds[key].pk)
    assert [
        (t.language_code, getattr(t, f"translated_{first}")) for t in obj.translations.all()
    ] == [("en", "English version")]
    if english:
        assert getattr(obj, f"{english}_en") == "Own English name"
    # Found by the words of its new version, no longer by the removed one's.
    assert obj.translation_words == "English version"


@pytest.mark.parametrize(("resource", "key", "fields", "english"), KINDS, ids=IDS)
def test_a_failed_import_changes_nothing_and_names_the_row(kinds, resource, key, fields, english):
    first = fields[0]
    model = type(kinds[key])
    (row,) = as_rows(resource().export())
    before = model.objects.count()
    # Row 1 changes the original and the Romanian version and adds a new row;
    # row 3 has a Polish summary without its title.
    changed = {**row, first: "Changed", f"{first}_ro": "Schimbat"}
    new = {**row, "slug": "", first: "A new one", f"{first}_ro": ""}
    if key == "project":
        new["acronym"] = "NEWONE"
    bad = {**row, "slug": "", first: "Broken", f"{fields[1]}_pl": "Bez tytułu", f"{first}_ro": ""}
    if key == "project":
        bad["acronym"] = "BROKEN"
    result = resource().import_data(
        dataset_of([changed, new, bad]),
        dry_run=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
    )
    assert [r.number for r in result.invalid_rows] == [3]
    assert f"{first}_pl" in errors_of(result)
    assert model.objects.count() == before
    obj = model.objects.get(pk=kinds[key].pk)
    assert getattr(obj, first) == getattr(kinds[key], first)
    assert getattr(obj.translations.get(), f"translated_{first}") == getattr(
        kinds[key].translations.get(), f"translated_{first}"
    )


def test_a_failed_import_names_an_unknown_relation(kinds):
    (row,) = as_rows(ProjectResource().export())
    row.update(area="ZZ99")
    result = ProjectResource().import_data(dataset_of([row]), dry_run=True)
    assert [r.number for r in result.invalid_rows] == [1]
    assert "Unknown region “ZZ99”" in errors_of(result)


def test_a_document_without_file_or_link_is_refused(kinds):
    (row,) = as_rows(OutputResource().export())
    row.update(slug="", url="", title="Nowhere")
    result = OutputResource().import_data(dataset_of([row]), dry_run=True)
    assert [r.number for r in result.invalid_rows] == [1]
    assert "Give a file or a link." in errors_of(result)


@pytest.mark.parametrize(
    "resource", [EventResource, GoodPracticeResource, ProjectResource], ids=lambda r: r.__name__
)
def test_every_translated_kind_exports_each_column_once(resource, kinds):
    factories.EventFactory()
    factories.GoodPracticeFactory()
    headers = resource().export().headers
    assert len(headers) == len(set(headers))


def test_an_events_own_english_title_is_its_own_column():
    """Before, the English version's column ``title_en`` hid the event's English title."""
    event = factories.EventFactory(title="Seminarium", title_en="Seminar", language="pl")
    EventTranslation.objects.create(
        master=event, language_code="ro", translated_title="Seminar despre"
    )
    (row,) = as_rows(EventResource().export())
    assert row["english_title"] == "Seminar" and row["title_en"] == ""
    row["english_title"] = "Thematic seminar"
    result = EventResource().import_data(dataset_of([row]), dry_run=False)
    assert not result.has_validation_errors(), errors_of(result)
    event.refresh_from_db()
    assert event.title_en == "Thematic seminar"
    assert not event.translations.filter(language_code="en").exists()


# The admin: portal administrators import, every editor exports their own.


@pytest.mark.parametrize(
    ("model", "resource", "key"),
    [
        (Project, ProjectResource, "project"),
        (Output, OutputResource, "document"),
        (PolicyInstrument, PolicyInstrumentResource, "instrument"),
    ],
    ids=IDS,
)
def test_admin_dry_run_lists_the_rows_then_imports(admin_client, kinds, model, resource, key):
    (row,) = as_rows(resource().export())
    first = "name" if model is PolicyInstrument else "title"
    row[f"{first}_en"] = "English version"
    content = dataset_of([row]).export("csv").encode()
    response = admin_client.post(
        admin_url(model, "import"),
        {"format": "0", "resource": "0", "import_file": SimpleUploadedFile("f.csv", content)},
    )
    assert response.status_code == 200
    assert "0 new, 1 changed, 0 unchanged." in response.content.decode()
    assert not kinds[key].translations.filter(language_code="en").exists()  # a dry run
    confirm = response.context["confirm_form"]
    response = admin_client.post(
        admin_url(model, "process_import"),
        {**confirm.initial, "resource": confirm.initial.get("resource", "0")},
    )
    assert response.status_code == 302
    assert kinds[key].translations.filter(language_code="en").exists()


@pytest.mark.parametrize("model", [Project, Output, PolicyInstrument], ids=IDS)
def test_an_editor_cannot_import(client, kinds, model):
    client.force_login(make_editor("editor", kinds["project"]))
    assert client.get(admin_url(model, "import")).status_code == 403


@pytest.mark.parametrize("model", [Project, Output], ids=["project", "document"])
def test_an_editors_export_holds_only_their_projects(client, kinds, model):
    other = factories.ProjectFactory(acronym="OTHER")
    Output.objects.create(title="Elsewhere", project=other, url="https://example.org/x.pdf")
    client.force_login(make_editor("editor", kinds["project"]))
    request = client.get(admin_url(model, "changelist")).wsgi_request
    exported = set(admin.site._registry[model].get_export_queryset(request))
    own = kinds["project"] if model is Project else kinds["document"]
    assert exported == {own}
