"""A small portal with everything the open-data surfaces must show or hide.

Every person and proposer has an e-mail address ending in ``@private.example``
and every draft has "SECRET" in its title: the privacy tests look for both in
every export, API response, feed and sitemap.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from core.models import Organisation, PolicyInstrument, PublicationState, Region
from events.models import Event, Output
from tests.factories import (
    EventFactory,
    GoodPracticeFactory,
    MaterialFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    PracticeProposalFactory,
    PresentationFactory,
    ProgrammeFactory,
    ProjectFactory,
    RegionFactory,
    TopicFactory,
    TransferFactory,
)

PRIVATE_MARKERS = ("@private.example", "SECRET")


@pytest.fixture(autouse=True)
def _no_api_throttle(monkeypatch):
    """Keep the API throttle out of the way; test_api.py checks it on its own."""
    from portal.api.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "allow_request", lambda self, request, view: True)


def published_at(days_ago):
    return timezone.now() - datetime.timedelta(days=days_ago)


@pytest.fixture
def portal(db):
    pl = RegionFactory(name="Polska", name_en="Poland", nuts_code="PL")
    pl9 = RegionFactory(name="Makroregion województwo mazowieckie", nuts_code="PL9", parent=pl)
    pl91 = RegionFactory(name="Warszawski stołeczny", nuts_code="PL91", parent=pl9)
    ro = RegionFactory(name="România", name_en="Romania", nuts_code="RO")
    ro1 = RegionFactory(name="Macroregiunea Unu", nuts_code="RO1", parent=ro)
    es = RegionFactory(name="España", name_en="Spain", nuts_code="ES")
    es4 = RegionFactory(name="Centro (ES)", nuts_code="ES4", parent=es)
    city_region = RegionFactory(
        name="Warsaw Metropolitan Area",
        nuts_code=None,
        kind=Region.Kind.CITY_REGION,
        parent=pl9,
    )

    industry = TopicFactory(name="Industry 4.0", slug="industry-4-0")
    clusters = TopicFactory(name="Clusters", slug="clusters")
    digital = TopicFactory(name="Digitalisation", slug="digitalisation")

    interreg = ProgrammeFactory(name="Interreg Europe", short_name="IE")
    baltic = ProgrammeFactory(name="Interreg Baltic Sea Region", short_name="BSR")
    smarty = ProjectFactory(acronym="SMARTY", programme=interreg)
    smarty.topics.set([industry, digital])
    gostop = ProjectFactory(acronym="GOSTOP", programme=baltic)

    agency = OrganisationFactory(
        name="Agencja Rozwoju Mazowsza",
        name_en="Mazovia Development Agency",
        region=pl91,
        kind=Organisation.Kind.REGIONAL_AGENCY,
    )
    adr = OrganisationFactory(name="ADR Nord-Vest", region=ro1)
    ice = OrganisationFactory(name="ICE Castilla y León", region=es4, kind="business_support")
    PartnershipFactory(project=smarty, organisation=agency, role="lead", region=pl91)
    PartnershipFactory(project=smarty, organisation=adr, region=ro1)

    contact = PersonFactory(name="Anna Kowalska", organisation=agency)

    practices = [
        GoodPracticeFactory(
            title="Łódź-style voucher for Industry 4.0 in Mazovia",
            summary="Vouchers for SMEs: zażółć gęślą jaźń; =SUM(A1) stays text.",
            region=pl91,
            organisation=agency,
            topics=[industry, digital],
            projects=[smarty],
            contact=contact,
            language="pl",
            keywords="voucher, SME",
            published_at=published_at(1),
        ),
        GoodPracticeFactory(
            title="Cluster academy",
            region=ro1,
            organisation=adr,
            topics=[clusters],
            projects=[smarty],
            language="ro",
            published_at=published_at(2),
        ),
        GoodPracticeFactory(
            title="Digital innovation hub network",
            region=es4,
            organisation=ice,
            topics=[digital, industry],
            projects=[gostop],
            status="ended",
            start_date=datetime.date(2015, 1, 1),
            end_date=datetime.date(2017, 12, 31),
            published_at=published_at(3),
        ),
        GoodPracticeFactory(
            title="Metropolitan makerspaces",
            region=city_region,
            organisation=agency,
            topics=[industry],
            projects=[smarty, gostop],
            published_at=published_at(4),
        ),
    ]
    TransferFactory(practice=practices[0], region=ro1, year=2023)
    draft = GoodPracticeFactory(
        title="SECRET draft practice",
        region=pl91,
        organisation=agency,
        topics=[industry],
        projects=[smarty],
        contact=contact,
        publication_state=PublicationState.DRAFT,
    )
    archived = GoodPracticeFactory(
        title="SECRET archived practice",
        region=pl91,
        topics=[industry],
        publication_state=PublicationState.ARCHIVED,
    )
    PracticeProposalFactory(title="SECRET proposal", region=pl91)

    # Whole minutes: iCalendar has no fractions of a second.
    start = (timezone.now() + datetime.timedelta(days=20)).replace(second=0, microsecond=0)
    seminar = EventFactory(
        title="Seminarium tematyczne w Warszawie",
        title_en="Thematic seminar in Warsaw",
        project=smarty,
        region=pl91,
        venue="Pałac Kultury",
        city="Warszawa",
        time_zone="Europe/Warsaw",
        format=Event.Format.HYBRID,
        online_link="https://meet.example.org/smarty",
        start=start,
        end=start + datetime.timedelta(hours=7),
        summary="Two days on Industry 4.0 & clusters <in Warsaw>.",
    )
    seminar.organisers.set([agency])
    PresentationFactory(event=seminar, title="The voucher", practice=practices[0], order=1)
    PresentationFactory(event=seminar, title="Work in progress", practice=draft, order=2)
    MaterialFactory(event=seminar, title="Agenda", url="https://example.org/agenda.pdf")
    webinar = EventFactory(
        title="Webinar on clusters",
        project=gostop,
        region=ro1,
        format=Event.Format.ONLINE,
        online_link="https://meet.example.org/gostop",
        time_zone="Europe/Bucharest",
        kind=Event.Kind.WORKSHOP,
        start=timezone.now() - datetime.timedelta(days=400),
        end=timezone.now() - datetime.timedelta(days=400) + datetime.timedelta(hours=2),
    )
    draft_event = EventFactory(
        title="SECRET draft event", project=smarty, publication_state=PublicationState.DRAFT
    )
    PresentationFactory(event=draft_event, title="SECRET talk", practice=practices[1])

    action = PolicyInstrument.objects.create(
        name="RPO WM 2014-2020, Działanie 1.2",
        name_en="Mazovia ROP 2014-2020, Action 1.2",
        language="pl",
        region=pl9,
    )
    for linked in (practices[0], draft, smarty, seminar, draft_event):
        linked.policy_instruments.add(action)
    analysis = Output.objects.create(
        title="Regional analysis of Mazovia",
        kind=Output.Kind.REGIONAL_ANALYSIS,
        language="pl",
        date=datetime.date(2019, 6, 1),
        project=smarty,
        event=seminar,
        url="https://example.org/analysis.pdf",
    )
    analysis.regions.set([pl9])
    Output.objects.create(
        title="Survey shown at a draft meeting",
        kind=Output.Kind.SURVEY,
        project=smarty,
        event=draft_event,
        url="https://example.org/survey.pdf",
    )
    Output.objects.create(
        title="SECRET draft document",
        project=smarty,
        url="https://example.org/secret.pdf",
        publication_state=PublicationState.DRAFT,
    )

    return SimpleNamespace(
        regions=SimpleNamespace(pl=pl, pl9=pl9, pl91=pl91, ro=ro, ro1=ro1, es=es, es4=es4),
        city_region=city_region,
        topics=SimpleNamespace(industry=industry, clusters=clusters, digital=digital),
        programmes=SimpleNamespace(interreg=interreg, baltic=baltic),
        projects=SimpleNamespace(smarty=smarty, gostop=gostop),
        organisations=SimpleNamespace(agency=agency, adr=adr, ice=ice),
        practices=practices,
        draft=draft,
        archived=archived,
        seminar=seminar,
        webinar=webinar,
        draft_event=draft_event,
        contact=contact,
        instrument=action,
        analysis=analysis,
    )


def assert_private_data_absent(text):
    for marker in PRIVATE_MARKERS:
        assert marker not in text, f"{marker!r} leaked"
