"""Issue 19: an unchanged export, imported again, changes nothing and says so.

Each resource is exported through the admin's formats, read back as the
admin reads an upload, and imported: every row is reported unchanged,
nothing is saved (no history record), and the next export is the same.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from core.admin import CSV, XLSX
from core.models import (
    Organisation,
    PolicyInstrument,
    Project,
    ProjectTranslation,
    PublicationState,
    Region,
)
from core.resources import (
    OrganisationResource,
    PolicyInstrumentResource,
    ProjectResource,
    RegionResource,
)
from core.translations import translation_model
from events.models import Event, EventTranslation, Output
from events.resources import EventResource, OutputResource, ParticipantResource
from practices.models import GoodPractice, PracticeTranslation
from practices.resources import GoodPracticeResource
from tests import factories

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture
def content():
    """One of each kind, with every column the resources carry filled in."""
    region = factories.RegionFactory(nuts_code="ES", name="España", name_en="Spain")
    catalonia = factories.RegionFactory(nuts_code="ES51", name="Cataluña", parent=region)
    # Areas without a NUTS code: a city region, and a macro-region covering others.
    factories.RegionFactory(nuts_code=None, name="Leeds City Region", kind=Region.Kind.CITY_REGION)
    macro = factories.RegionFactory(
        nuts_code=None, name="Atlantic Area", kind=Region.Kind.MACRO_REGION
    )
    macro.covers.add(region)
    organisation = factories.OrganisationFactory(
        name="Agència", name_en="Agency", acronym="ACCIO", region=catalonia, city="Barcelona"
    )
    topic = factories.TopicFactory()
    project = factories.ProjectFactory(
        title="Proyecto",
        title_en="Project",
        language="es",
        area=region,
        summary="Qué hace.",
        objectives="Para qué.",
        website="https://example.org/p",
        total_budget=Decimal("1500000.00"),
        eu_cofinancing=Decimal("1200000.00"),
        budget_is_approximate=True,
        stated_partner_count=8,
    )
    project.topics.add(topic)
    project.partner_regions.add(catalonia)
    ProjectTranslation.objects.create(
        master=project, language_code="pl", translated_title="Projekt", translated_summary="Co."
    )
    practice = factories.GoodPracticeFactory(
        region=catalonia,
        organisation=organisation,
        topics=[topic],
        city="Girona",
        keywords="a, b",
        end_date=datetime.date(2022, 6, 30),
        language="es",
        further_information="https://example.org/more",
        expert_opinion="Sound.",
    )
    practice.projects.add(project)
    PracticeTranslation.objects.create(
        master=practice, language_code="en", translated_title="Vouchers", translated_summary="S."
    )
    PracticeTranslation.objects.create(
        master=practice, language_code="ro", translated_title="Vouchere"
    )
    # Stored from the first to the last moment of its days (23:59:59.999999).
    all_day = factories.EventFactory(
        project=project,
        all_day=True,
        time_zone="Europe/Brussels",
        start=datetime.datetime(2024, 3, 5, tzinfo=BRUSSELS),
        end=datetime.datetime(2024, 3, 6, tzinfo=BRUSSELS),
        region=catalonia,
        venue="Hall",
        summary="Two days.",
    )
    all_day.save()
    assert all_day.end.astimezone(BRUSSELS).time() == datetime.time.max
    all_day.organisers.add(organisation)
    all_day.regions_represented.add(catalonia)
    EventTranslation.objects.create(
        master=all_day, language_code="pl", translated_title="Seminarium"
    )
    timed = factories.EventFactory(
        project=project,
        format=Event.Format.HYBRID,
        online_link="https://example.org/live",
        start=datetime.datetime(2024, 4, 2, 9, 30, tzinfo=BRUSSELS),
        end=datetime.datetime(2024, 4, 2, 17, 0, tzinfo=BRUSSELS),
    )
    factories.ParticipantFactory(event=all_day)
    document = Output.objects.create(
        title="Informe",
        kind=Output.Kind.choices[0][0],
        language="es",
        date=datetime.date(2024, 3, 6),
        summary="Lo aprendido.",
        project=project,
        event=all_day,
        url="https://example.org/report.pdf",
        publication_state=PublicationState.PUBLISHED,
    )
    document.regions.add(catalonia)
    translation_model(Output).objects.create(
        master=document, language_code="en", translated_title="Report"
    )
    instrument = PolicyInstrument.objects.create(
        name="Programa Operativo",
        name_en="Operational Programme",
        language="es",
        region=catalonia,
        programme_period="2021-2027",
        website="https://example.org/op",
        description="Qué financia.",
    )
    translation_model(PolicyInstrument).objects.create(
        master=instrument, language_code="pl", translated_name="Program Operacyjny"
    )
    return [practice, all_day, timed, project, document, instrument]


RESOURCES = [
    GoodPracticeResource,
    EventResource,
    OutputResource,
    ProjectResource,
    PolicyInstrumentResource,
    OrganisationResource,
    RegionResource,
    ParticipantResource,
]


def history_rows():
    """The history records of every kind that keeps them: one more for each save."""
    return {m.__name__: m.history.count() for m in (GoodPractice, Event, Project, Organisation)}


@pytest.mark.parametrize("fmt", [CSV, XLSX], ids=["csv", "xlsx"])
@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.__name__)
def test_unchanged_export_imports_as_unchanged(content, resource, fmt):
    exported = fmt().export_data(resource().export())
    before, history = resource().export().dict, history_rows()
    for dry_run in (True, False):
        dataset = fmt().create_dataset(exported)
        result = resource().import_data(dataset, dry_run=dry_run)
        assert not result.has_errors() and not result.has_validation_errors()
        assert result.totals["skip"] == len(dataset) > 0
        assert result.totals["update"] == result.totals["new"] == 0
    assert resource().export().dict == before
    assert history_rows() == history


@pytest.fixture
def precise_event():
    """A timed event whose times carry microseconds, as only code writes them."""
    return factories.EventFactory(
        start=datetime.datetime(2024, 4, 2, 9, 30, 0, 250_000, tzinfo=BRUSSELS),
        end=datetime.datetime(2024, 4, 2, 17, 0, 59, 999_999, tzinfo=BRUSSELS),
    )


def reimport_edited(fmt, column, value):
    """Export every event, set ``column`` of the first row, import the file; return the totals."""
    dataset = EventResource().export()
    row = list(dataset[0])
    row[dataset.headers.index(column)] = value
    dataset[0] = tuple(row)
    result = EventResource().import_data(
        fmt().create_dataset(fmt().export_data(dataset)), dry_run=False
    )
    assert not result.has_errors() and not result.has_validation_errors()
    return result.totals


@pytest.mark.parametrize("fmt", [CSV, XLSX], ids=["csv", "xlsx"])
def test_times_with_microseconds_reimport_as_unchanged(precise_event, fmt):
    exported = fmt().export_data(EventResource().export())
    history = Event.history.count()
    for dry_run in (True, False):
        dataset = fmt().create_dataset(exported)
        result = EventResource().import_data(dataset, dry_run=dry_run)
        assert not result.has_errors() and not result.has_validation_errors()
        assert result.totals["skip"] == 1
        assert result.totals["update"] == 0
    assert Event.history.count() == history
    precise_event.refresh_from_db()
    assert precise_event.start.microsecond == 250_000
    assert precise_event.end.microsecond == 999_999


@pytest.mark.parametrize("fmt", [CSV, XLSX], ids=["csv", "xlsx"])
def test_other_changes_keep_the_stored_microseconds(precise_event, fmt):
    assert reimport_edited(fmt, "title", "New title")["update"] == 1
    precise_event.refresh_from_db()
    assert precise_event.title == "New title"
    assert precise_event.start == datetime.datetime(2024, 4, 2, 9, 30, 0, 250_000, tzinfo=BRUSSELS)
    assert precise_event.end == datetime.datetime(2024, 4, 2, 17, 0, 59, 999_999, tzinfo=BRUSSELS)


@pytest.mark.parametrize("fmt", [CSV, XLSX], ids=["csv", "xlsx"])
def test_a_time_changed_by_a_second_is_imported(precise_event, fmt):
    # A spreadsheet application stores a typed date and time as a native cell.
    later = datetime.datetime(2024, 4, 2, 9, 30, 1)
    cell = later if fmt is XLSX else f"{later:%Y-%m-%d %H:%M:%S}"
    assert reimport_edited(fmt, "start", cell)["update"] == 1
    precise_event.refresh_from_db()
    assert precise_event.start == later.replace(tzinfo=BRUSSELS)
