"""Region, project and organisation pages."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.models import Partnership, PolicyInstrument, ProjectTranslation, Region
from portal.selectors import LINKED_SHOWN
from practices.models import GoodPractice
from tests.factories import (
    EventFactory,
    GoodPracticeFactory,
    MaterialFactory,
    OrganisationFactory,
    ParticipantFactory,
    PartnershipFactory,
    PersonFactory,
    PresentationFactory,
    ProjectFactory,
    RegionFactory,
    TransferFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_english():
    """A request to a /pl/ page leaves Polish active in this thread; don't leak it."""
    yield
    translation.activate("en")


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response, response.content.decode()


def assert_layout(body):
    assert body.count("<h1") == 1
    assert "<title>" in body and 'href="#main"' in body
    assert '<main id="main"' in body
    assert "@private.example" not in body


@pytest.fixture
def spain():
    """ES › ES5 › ES51, ES › ES4 › ES41, with a city-region inside ES51."""
    es = RegionFactory(nuts_code="ES", name="España", name_en="Spain")
    es5 = RegionFactory(nuts_code="ES5", name="Este", parent=es)
    es51 = RegionFactory(nuts_code="ES51", name="Cataluña", name_en="Catalonia", parent=es5)
    es4 = RegionFactory(nuts_code="ES4", name="Centro", parent=es)
    es41 = RegionFactory(nuts_code="ES41", name="Castilla y León", parent=es4)
    bcn = RegionFactory(
        nuts_code=None, kind=Region.Kind.CITY_REGION, name="Barcelona Metropolitan Area"
    )
    bcn.covers.set([es51])
    return {"es": es, "es5": es5, "es51": es51, "es4": es4, "es41": es41, "bcn": bcn}


# Regions --------------------------------------------------------------------


def test_region_list_counts_include_regions_below(client, spain):
    GoodPracticeFactory.create_batch(2, region=spain["es51"])
    GoodPracticeFactory(region=spain["es41"])
    GoodPracticeFactory(region=spain["es5"])
    GoodPracticeFactory(region=spain["es41"], publication_state="draft")
    GoodPracticeFactory(region=spain["bcn"])

    response, body = page(client, reverse("exchange:region-list"))

    assert_layout(body)
    countries = {c["nuts_code"]: c for c in response.context["countries"]}
    assert countries["ES"]["practice_count"] == 4  # not the draft, not the city-region
    # The index lists countries only; each country's tree has its own address.
    assert "Catalonia" not in body
    assert 'href="?country=ES"' in body
    others = response.context["other_regions"]
    assert [r["name"] for r in others] == ["Barcelona Metropolitan Area"]
    assert others[0]["practice_count"] == 1
    assert "Barcelona Metropolitan Area" in body

    response, body = page(client, reverse("exchange:region-list") + "?country=es")
    assert_layout(body)
    country = response.context["country"]
    assert country["nuts_code"] == "ES" and country["practice_count"] == 4
    es5, es4 = (
        next(r for r in country["tree_children"] if r["nuts_code"] == code)
        for code in ("ES5", "ES4")
    )
    assert es5["practice_count"] == 3
    assert es4["practice_count"] == 1
    assert [r["nuts_code"] for r in es5["tree_children"]] == ["ES51"]
    assert es5["tree_children"][0]["practice_count"] == 2
    assert "Catalonia" in body and "Barcelona Metropolitan Area" not in body


def test_region_lists_read_no_query_once_the_region_tree_is_kept(
    client, spain, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0  # built each time
    for url in (reverse("exchange:region-list"), reverse("exchange:region-list") + "?country=ES"):
        client.get(url)
        with django_assert_num_queries(0):
            response = client.get(url)
        assert response.status_code == 200


def test_region_list_of_an_unknown_country_says_so(client, spain):
    response, body = page(client, reverse("exchange:region-list") + "?country=XX")
    assert "There is no country with the code “XX”; all countries are shown." in body
    assert response.context["country"] is None


def test_region_list_query_count_is_constant(client, django_assert_max_num_queries):
    def check():
        with django_assert_max_num_queries(2):
            page(client, reverse("exchange:region-list"))
        with django_assert_max_num_queries(3):
            page(client, reverse("exchange:region-list") + "?country=PL")

    country = RegionFactory(nuts_code="PL")
    GoodPracticeFactory(region=RegionFactory(nuts_code="PL9", parent=country))
    check()
    for i in range(49):
        region = RegionFactory(nuts_code=f"PL{i % 9 + 1}{chr(65 + i // 9)}", parent=country)
        GoodPracticeFactory(region=region)
    check()


def test_region_detail_shows_everything_below_it(client, spain):
    practice = GoodPracticeFactory(title="Catalan cluster policy", region=spain["es51"])
    GoodPracticeFactory(title="Hidden draft", region=spain["es51"], publication_state="draft")
    GoodPracticeFactory(title="Castilian audit", region=spain["es41"])
    organisation = OrganisationFactory(name="ACCIÓ", region=spain["es51"], city="Barcelona")
    project = ProjectFactory(acronym="GOSTOP")
    PartnershipFactory(
        organisation=organisation, project=project, role=Partnership.Role.LEAD_PARTNER
    )
    EventFactory(title="Study visit to Barcelona", region=spain["es51"])
    EventFactory(title="Draft event", region=spain["es51"], publication_state="draft")
    adopted = GoodPracticeFactory(title="Polish audit taken up")
    TransferFactory(practice=adopted, region=spain["es51"], year=2021)

    response, body = page(client, reverse("exchange:region-detail", args=[spain["es5"].slug]))

    assert_layout(body)
    assert "Catalan cluster policy" in body
    assert "Castilian audit" not in body
    assert "Hidden draft" not in body
    assert "ACCIÓ" in body and "GOSTOP" in body and "Lead partner" in body
    assert "Study visit to Barcelona" in body and "Draft event" not in body
    assert "Polish audit taken up" in body
    assert response.context["practice_count"] == 1
    assert [c["nuts_code"] for c in response.context["children"]] == ["ES51"]
    # Breadcrumbs through the ancestors, the region itself last.
    trail = response.context["breadcrumbs"]
    assert [label for label, _ in trail] == ["Regions", "Spain", "Este"]
    assert 'aria-current="page">Este<' in body
    points = response.context["map_points"]
    assert points[0]["title"] == practice.title and points[0]["url"] == practice.get_absolute_url()


def test_region_map_has_one_pin_per_region(client, spain):
    single = GoodPracticeFactory(region=spain["es41"])
    GoodPracticeFactory.create_batch(2, region=spain["es51"])
    GoodPracticeFactory(region=spain["es51"], publication_state="draft")
    response, _ = page(client, reverse("exchange:region-detail", args=[spain["es"].slug]))
    pins = {p["code"]: p for p in response.context["map_points"]}
    assert pins["ES41"]["count"] == 1
    assert pins["ES41"]["url"] == single.get_absolute_url()
    assert pins["ES41"]["title"] == single.title
    assert pins["ES51"]["count"] == 2
    assert pins["ES51"]["url"] == reverse("practices:practice-list") + "?region=es51"


def test_country_page_counts_and_lists_children(client, spain):
    GoodPracticeFactory(region=spain["es51"])
    GoodPracticeFactory(region=spain["es41"])
    response, body = page(client, reverse("exchange:region-detail", args=[spain["es"].slug]))
    assert response.context["practice_count"] == 2
    counts = {r["nuts_code"]: r["practice_count"] for r in response.context["children"]}
    assert counts == {"ES4": 1, "ES5": 1}


def test_non_nuts_region_lists_the_regions_it_covers(client, spain):
    GoodPracticeFactory(region=spain["es51"])
    response, body = page(client, reverse("exchange:region-detail", args=[spain["bcn"].slug]))
    assert [r["nuts_code"] for r in response.context["covers"]] == ["ES51"]
    assert response.context["covers"][0]["practice_count"] == 1
    assert "NUTS regions it covers" in body
    # And the covered region points back at it.
    _, es51 = page(client, reverse("exchange:region-detail", args=[spain["es51"].slug]))
    assert "Barcelona Metropolitan Area" in es51


def test_macro_region_shows_the_practices_of_the_regions_it_covers(client, spain):
    baltic = RegionFactory(nuts_code=None, kind=Region.Kind.MACRO_REGION, name="Baltic Sea")
    baltic.covers.set([spain["es"], spain["es5"]])  # nested on purpose: counted once
    GoodPracticeFactory(title="Catalan practice", region=spain["es51"])
    GoodPracticeFactory(title="Castilian practice", region=spain["es41"])
    GoodPracticeFactory(title="Catalan draft", region=spain["es51"], publication_state="draft")
    response, body = page(client, baltic.get_absolute_url())
    assert response.context["practice_count"] == 0
    assert response.context["covered_practice_count"] == 2
    assert {p.title for p in response.context["covered_practices"]} == {
        "Catalan practice",
        "Castilian practice",
    }
    assert "Catalan draft" not in body
    assert sum(p["count"] for p in response.context["map_points"]) == 2


def test_region_detail_unknown_slug_is_404(client):
    page(client, reverse("exchange:region-detail", args=["nowhere"]), status=404)


def test_region_detail_query_count_is_constant(client, spain, django_assert_max_num_queries):
    url = reverse("exchange:region-detail", args=[spain["es5"].slug])

    def add(n):
        for _ in range(n):
            org = OrganisationFactory(region=spain["es51"])
            PartnershipFactory(organisation=org)
            GoodPracticeFactory(region=spain["es51"], organisation=org)
            EventFactory(region=spain["es51"])
            TransferFactory(region=spain["es51"])
            RegionFactory(parent=spain["es5"])
            # An event elsewhere its people took part in.
            ParticipantFactory(person=None, organisation=org)

    add(1)
    with django_assert_max_num_queries(9):
        page(client, url)
    add(49)
    with django_assert_max_num_queries(9):
        response, _ = page(client, url)
    assert len(response.context["events_elsewhere"]) == 20


# Projects -------------------------------------------------------------------


def test_project_list_shows_status_and_counts(client):
    today = timezone.localdate()
    ProjectFactory(
        acronym="OLD",
        start_date=datetime.date(2016, 1, 1),
        end_date=today.replace(year=today.year - 1),
    )
    ProjectFactory(
        acronym="NOW",
        start_date=today.replace(year=today.year - 1),
        end_date=today.replace(year=today.year + 1),
    )
    ProjectFactory(acronym="NEXT", start_date=today.replace(year=today.year + 1), end_date=None)
    # The sources give no dates (the Romanian demo project): no status is guessed.
    ProjectFactory(acronym="UNDATED", start_date=None, end_date=None)
    ProjectFactory(acronym="OPEN", start_date=datetime.date(2016, 1, 1), end_date=None)
    response, body = page(client, reverse("exchange:project-list"))
    assert_layout(body)
    status = {p["acronym"]: p["status"] for p in response.context["projects"]}
    assert status == {
        "OLD": "closed",
        "NOW": "running",
        "NEXT": "planned",
        "UNDATED": "not_stated",
        "OPEN": "not_stated",
    }
    assert "Closed" in body and "Running" in body and "Planned" in body
    assert "Not stated" in body

    def listed(status):
        response = client.get(reverse("exchange:project-list"), {"status": status})
        return {p["acronym"] for p in response.context["projects"]}

    assert listed("running") == {"NOW"}
    assert listed("not_stated") == {"UNDATED", "OPEN"}
    assert listed("closed") == {"OLD"}
    assert listed("planned") == {"NEXT"}


def in_language(language, name, *args):
    with translation.override(language):
        return reverse(name, args=args)


@pytest.mark.parametrize(
    "language, shown",
    [
        (
            "en",
            {
                "GREEN": "<span>Green ports</span>",
                "URBAN": "<span>Urban project</span>",
                "TOWN": "<span>Town project</span>",
                "PORTO": '<span lang="it">Porto verde</span>',
            },
        ),
        (
            "pl",
            {
                # Written in English only: the English title, marked as English.
                "GREEN": '<span lang="en">Green ports</span>',
                # Written in Italian, with an English title: that title.
                "URBAN": '<span lang="en">Urban project</span>',
                # Written in Polish (an English staff translation): the original.
                "TOWN": "<span>Projekt miejski</span>",
                "PORTO": '<span lang="it">Porto verde</span>',
            },
        ),
    ],
)
def test_project_titles_in_the_page_language_wherever_a_project_is_named(client, language, shown):
    """Projects without an acronym are named by their title, as the page's language shows it."""
    region = RegionFactory(nuts_code="PT1", name="Continente")
    organisation = OrganisationFactory(name="Port authority", region=region)
    projects = {
        "GREEN": ProjectFactory(acronym="", title="Green ports", language="en"),
        "URBAN": ProjectFactory(
            acronym="", title="Progetto urbano", title_en="Urban project", language="it"
        ),
        "TOWN": ProjectFactory(acronym="", title="Projekt miejski", language="pl"),
        "PORTO": ProjectFactory(acronym="", title="Porto verde", language="it"),
    }
    ProjectTranslation.objects.create(
        master=projects["TOWN"], language_code="en", translated_title="Town project"
    )
    for project in projects.values():
        PartnershipFactory(organisation=organisation, project=project)
    pages = {
        "listing": in_language(language, "exchange:project-list"),
        "region": in_language(language, "exchange:region-detail", region.slug),
        "organisation": in_language(language, "exchange:organisation-detail", organisation.slug),
    }
    for name, url in pages.items():
        _, body = page(client, url)
        for acronym, title in shown.items():
            assert f">{title}</a>" in body, (name, acronym)
    for acronym, project in projects.items():
        _, body = page(client, in_language(language, "exchange:project-detail", project.slug))
        assert f"<h1>{shown[acronym]}</h1>" in body
    _, body = page(client, in_language(language, "exchange:search") + "?q=urban")
    assert f">{shown['URBAN']}</a>" in body


@pytest.mark.parametrize(
    "language, texts",
    [
        (
            "en",
            {
                "BOTH": '<time datetime="2020-01-01">Jan. 1, 2020</time> – '
                '<time datetime="2099-12-31">Dec. 31, 2099</time>',
                "START": "from March 1, 2098",
                "END": "until June 30, 2020",
                "NONE": "Dates not given",
                "running": "Running",
                "planned": "Planned",
                "closed": "Closed",
                "not_stated": "Not stated",
            },
        ),
        (
            "pl",
            {
                "BOTH": '<time datetime="2020-01-01">1 stycznia 2020</time> – '
                '<time datetime="2099-12-31">31 grudnia 2099</time>',
                "START": "od 1 marca 2098",
                "END": "do 30 czerwca 2020",
                "NONE": "Nie podano dat",
                "running": "W realizacji",
                "planned": "Planowany",
                "closed": "Zakończony",
                "not_stated": "Nie podano",
            },
        ),
    ],
)
def test_project_dates_and_status_on_the_listing_and_the_project_page(client, language, texts):
    dates = {
        "BOTH": (datetime.date(2020, 1, 1), datetime.date(2099, 12, 31), "running"),
        "START": (datetime.date(2098, 3, 1), None, "planned"),
        "END": (None, datetime.date(2020, 6, 30), "closed"),
        "NONE": (None, None, "not_stated"),
    }
    badges = {
        "running": "badge badge-ok",
        "planned": "badge",
        "closed": "badge badge-muted",
        "not_stated": "badge",
    }
    projects = {
        acronym: ProjectFactory(acronym=acronym, programme=None, start_date=start, end_date=end)
        for acronym, (start, end, _status) in dates.items()
    }
    _, listing = page(client, in_language(language, "exchange:project-list"))
    for acronym, (_start, _end, status) in dates.items():
        _, detail = page(
            client, in_language(language, "exchange:project-detail", projects[acronym].slug)
        )
        badge = f'<span class="{badges[status]}">{texts[status]}</span>'
        assert f"<dd>{texts[acronym]}\n</dd>" in detail and badge in detail
        # The card: its dates, then its status with its partners and practices.
        card = listing.split(f">{acronym}</a></h3>", 1)[1].split("</li>", 1)[0]
        assert f'<p class="meta">{texts[acronym]}\n</p>' in card
        assert f'<p class="meta">{badge}\n' in card


def test_project_list_query_count_is_constant(client, django_assert_num_queries):
    def check():
        # After an edit: the count, the page, the practice counts of every
        # project and the menus of programmes, countries and topics (each
        # computed once per data generation).
        with django_assert_num_queries(6):
            page(client, reverse("exchange:project-list"))
        # Built again (another page, so not from the page cache): the page only.
        with django_assert_num_queries(1):
            page(client, reverse("exchange:project-list") + "?page=1")

    GoodPracticeFactory(projects=[PartnershipFactory().project])
    check()
    for _ in range(49):
        GoodPracticeFactory(projects=[PartnershipFactory().project])
    check()


def test_project_detail(client):
    region = RegionFactory(name="Łódzkie", nuts_code="PL71")
    project = ProjectFactory(
        acronym="GOSTOP",
        title="Building the Industry of the Future",
        language="en",
        summary="Factories of the future in six regions.",
        objectives="Improve policies.",
        total_budget=Decimal("1234567.00"),
        eu_cofinancing=Decimal("1049381.95"),
        area=region,
    )
    lead = PartnershipFactory(project=project, role=Partnership.Role.LEAD_PARTNER, region=region)
    partner = PartnershipFactory(project=project, role=Partnership.Role.PARTNER)
    GoodPracticeFactory(title="Audit 4.0", projects=[project])
    GoodPracticeFactory(title="Draft practice", projects=[project], publication_state="draft")
    EventFactory(project=project, title="Future seminar")
    EventFactory(
        project=project,
        title="Past seminar",
        start=timezone.now() - datetime.timedelta(days=100),
        end=timezone.now() - datetime.timedelta(days=99),
    )
    EventFactory(project=project, title="Draft seminar", publication_state="draft")

    response, body = page(client, project.get_absolute_url())

    assert_layout(body)
    assert "€1,234,567" in body and "€1,049,381.95" in body
    assert "Factories of the future" in body and "Improve policies." in body
    # Lead partner first, with the region it represents.
    assert [p["slug"] for p in response.context["partnerships"]] == [
        lead.organisation.slug,
        partner.organisation.slug,
    ]
    assert "<strong>Lead partner</strong>" in body and "Łódzkie" in body
    assert "Audit 4.0" in body and "Draft practice" not in body
    assert [e.title for e in response.context["upcoming_events"]] == ["Future seminar"]
    assert [e.title for e in response.context["past_events"]] == ["Past seminar"]
    assert "Draft seminar" not in body
    assert "Cooperation area" in body
    assert "Original language" not in body


def test_project_detail_marks_original_language_and_formats_money_for_polish(client):
    project = ProjectFactory(
        language="it", summary="Fabbriche del futuro.", total_budget=Decimal("1234567.5")
    )
    with translation.override("pl"):
        url = project.get_absolute_url()
    _, body = page(client, url)
    assert 'lang="it"' in body
    assert "Fabbriche del futuro." in body
    assert "1\xa0234\xa0567,50" in body


def test_project_list_bad_page_is_not_an_error(client):
    ProjectFactory()
    for query in ("?page=abc", "?page=999", "?page=-1"):
        response, _ = page(client, reverse("exchange:project-list") + query)
        assert len(response.context["projects"]) == 1


def test_project_detail_unknown_slug_is_404(client):
    page(client, reverse("exchange:project-detail", args=["nope"]), status=404)


def test_project_detail_query_count_is_constant(client, django_assert_num_queries):
    project = ProjectFactory()

    def add(n):
        for i in range(n):
            PartnershipFactory(project=project, region=RegionFactory())
            project.partner_regions.add(RegionFactory())
            project.policy_instruments.add(PolicyInstrument.objects.create(name=f"Action {i}"))
            GoodPracticeFactory(projects=[project])
            EventFactory(project=project)
            EventFactory(
                project=project,
                start=timezone.now() - datetime.timedelta(days=10 + i),
                end=timezone.now() - datetime.timedelta(days=9 + i),
            )

    # The project (with its partners, topics, policy instruments, partners'
    # regions and countries), its practices and its events.
    add(1)
    with django_assert_num_queries(3):
        page(client, project.get_absolute_url())
    add(49)
    with django_assert_num_queries(3):
        _, body = page(client, project.get_absolute_url())
    assert body.count("/policy-instruments/") == 50


# Organisations --------------------------------------------------------------


def test_organisation_list_filters_by_country_and_kind(client):
    pl = RegionFactory(nuts_code="PL", name="Polska")
    it = RegionFactory(nuts_code="IT", name="Italia")
    OrganisationFactory(
        name="Łukasiewicz", region=RegionFactory(nuts_code="PL7", parent=pl), kind="research"
    )
    OrganisationFactory(name="Marshal Office", region=pl, kind="public_authority")
    OrganisationFactory(name="Regione Toscana", region=it, kind="public_authority")

    response, body = page(client, reverse("exchange:organisation-list"))
    assert_layout(body)
    assert response.context["paginator"].count == 3

    response, _ = page(client, reverse("exchange:organisation-list") + "?country=PL")
    assert {o.name for o in response.context["organisations"]} == {"Łukasiewicz", "Marshal Office"}

    response, _ = page(client, reverse("exchange:organisation-list") + "?country=PL&kind=research")
    assert [o.name for o in response.context["organisations"]] == ["Łukasiewicz"]


def test_organisation_list_ignores_bad_filter_values(client):
    OrganisationFactory()
    response, body = page(
        client, reverse("exchange:organisation-list") + "?country=ZZ&kind=x&page=abc"
    )
    assert response.context["paginator"].count == 1
    assert "ignored" in body


def test_organisation_list_paginates_keeping_filters(client):
    pl = RegionFactory(nuts_code="PL")
    OrganisationFactory.create_batch(51, region=pl)
    response, body = page(client, reverse("exchange:organisation-list") + "?country=PL")
    assert len(response.context["organisations"]) == 50
    assert "?country=PL&amp;page=2" in body
    response, _ = page(client, reverse("exchange:organisation-list") + "?country=PL&page=2")
    assert len(response.context["organisations"]) == 1


def test_organisation_list_query_count_is_constant(client, django_assert_max_num_queries):
    PartnershipFactory()
    with django_assert_max_num_queries(3):
        page(client, reverse("exchange:organisation-list"))
    PartnershipFactory.create_batch(49)
    with django_assert_max_num_queries(3):
        page(client, reverse("exchange:organisation-list"))


def test_organisation_detail(client):
    country = RegionFactory(nuts_code="PL", name="Polska")
    region = RegionFactory(nuts_code="PL71", name="Łódzkie", parent=country)
    organisation = OrganisationFactory(
        name="Łukasiewicz Research Network",
        region=region,
        city="Łódź",
        website="https://lukasiewicz.gov.pl/",
    )
    PartnershipFactory(
        organisation=organisation,
        project=ProjectFactory(acronym="GOSTOP"),
        role=Partnership.Role.ADVISORY_PARTNER,
    )
    practice = GoodPracticeFactory(
        title="Industry of the Future Platform", organisation=organisation
    )
    GoodPracticeFactory(
        title="Draft in charge", organisation=organisation, publication_state="draft"
    )
    presenter = PersonFactory(name="Anna Nowak", organisation=organisation)
    PresentationFactory(
        title="The platform",
        presenter=presenter,
        practice=practice,
        event=EventFactory(title="Seminar in Łódź"),
    )
    PresentationFactory(
        presenter=presenter, event=EventFactory(title="Secret", publication_state="draft")
    )

    response, body = page(client, organisation.get_absolute_url())

    assert_layout(body)
    for text in (
        "Łódzkie",
        "Polska",
        "Łódź",
        "https://lukasiewicz.gov.pl/",
        "GOSTOP",
        "Advisory partner",
        "Industry of the Future Platform",
        "Seminar in Łódź",
        "Anna Nowak",
    ):
        assert text in body
    assert "Draft in charge" not in body and "Secret" not in body
    assert presenter.email not in body
    # The practice card names the organisation in its place line.
    assert f"{practice.region.display_name} · Łukasiewicz Research Network</p>" in body


@pytest.mark.parametrize(
    ("prefix", "days", "talk_day"),
    [
        (
            "",
            '<time datetime="2020-01-10">Jan. 10, 2020</time> – '
            '<time datetime="2020-01-11">Jan. 11, 2020</time>',
            '<time datetime="2020-01-10">Jan. 10, 2020</time>',
        ),
        (
            "/pl",
            '<time datetime="2020-01-10">10 stycznia 2020</time> – '
            '<time datetime="2020-01-11">11 stycznia 2020</time>',
            '<time datetime="2020-01-10">10 stycznia 2020</time>',
        ),
    ],
)
def test_organisation_detail_dates_events_where_they_take_place(client, prefix, days, talk_day):
    organisation = OrganisationFactory()
    # 23:30 UTC is half past midnight in Warsaw: the next day there.
    start = datetime.datetime(2020, 1, 9, 23, 30, tzinfo=datetime.UTC)
    event = EventFactory(start=start, end=start + datetime.timedelta(days=1))
    event.time_zone = "Europe/Warsaw"
    event.save()
    event.organisers.add(organisation)
    PresentationFactory(event=event, organisation=organisation)
    EventFactory(start=start, end=start + datetime.timedelta(hours=1)).organisers.add(organisation)

    _, body = page(client, prefix + organisation.get_absolute_url())

    assert body.count(days) == 1
    # The first of the two days, the talk's day and the one-hour event's day.
    assert body.count(talk_day) == 3


def test_organisation_detail_unknown_slug_is_404(client):
    page(client, reverse("exchange:organisation-detail", args=["nope"]), status=404)


def test_organisation_detail_query_count_is_constant(client, django_assert_num_queries):
    # A region below a country: the trail reads its ancestors in the organisation's query.
    organisation = OrganisationFactory(region=RegionFactory(parent=RegionFactory()))

    def add(n):
        for _ in range(n):
            PartnershipFactory(organisation=organisation, region=RegionFactory())
            practice = GoodPracticeFactory(organisation=organisation)
            MaterialFactory(
                presentation=PresentationFactory(organisation=organisation, practice=practice)
            )
            ParticipantFactory(person=None, organisation=organisation)
            EventFactory().organisers.add(organisation)

    # The organisation, then one query a list: projects, events, talks, practices.
    add(1)
    with django_assert_num_queries(5):
        page(client, organisation.get_absolute_url())
    add(49)
    with django_assert_num_queries(5):
        response, body = page(client, organisation.get_absolute_url())
    # Each list bounded, newest first, the rest counted: 150 events (50
    # organised, 50 with a talk, 50 attended), 50 of everything else.
    context = response.context
    assert len(context["events"]) == LINKED_SHOWN["events"]
    assert context["more_events"] == 150 - LINKED_SHOWN["events"]
    assert len(context["partnerships"]) == LINKED_SHOWN["projects"]
    assert context["more_projects"] == 50 - LINKED_SHOWN["projects"]
    assert context["more_presentations"] == 50 - LINKED_SHOWN["talks"]
    assert len(context["practices"]) == LINKED_SHOWN["practice_cards"]
    listing = reverse("practices:practice-list") + f"?organisation={organisation.slug}"
    assert f'<a href="{listing}">See all 50 practices</a>' in body
    assert f"And {150 - LINKED_SHOWN['events']} more events." in body
    add(20)
    _, bigger = page(client, organisation.get_absolute_url())
    assert abs(len(bigger) - len(body)) < 200
    found = client.get(listing)
    assert found.context["paginator"].count == 70
    assert '<span class="chip-label">Organisation:</span>' in found.content.decode()


def test_macro_region_query_count_is_constant(client, spain, django_assert_max_num_queries):
    baltic = RegionFactory(nuts_code=None, kind=Region.Kind.MACRO_REGION, name="Baltic Sea")
    baltic.covers.set([spain["es5"], spain["es4"]])
    GoodPracticeFactory(region=spain["es51"])
    with django_assert_max_num_queries(10):
        page(client, baltic.get_absolute_url())
    for i in range(49):
        GoodPracticeFactory(region=spain["es41"] if i % 2 else RegionFactory(parent=spain["es5"]))
    with django_assert_max_num_queries(10):
        page(client, baltic.get_absolute_url())


def test_organisation_list_links_downloads_keeping_the_filters(client):
    OrganisationFactory(region=RegionFactory(nuts_code="PL"))
    _, body = page(client, reverse("exchange:organisation-list") + "?country=PL&page=1")
    assert 'href="?country=PL&amp;format=csv"' in body


LISTINGS = ["practices:practice-list", "events:event-list", "exchange:organisation-list"]


@pytest.mark.parametrize("listing", LISTINGS)
def test_every_listing_names_each_ignored_filter_and_why(client, listing):
    OrganisationFactory()
    response, body = page(client, reverse(listing) + "?kind=nonsense&country=ZZ&year=abc")
    messages = [str(m) for m in response.context["messages"]]
    filters = response.context["filter"].filters
    expected = {
        f"“{filters[name].label}”" for name in ("kind", "country", "year") if name in filters
    }
    assert {message.split(" was ignored: ")[0] for message in messages} == expected
    assert all(message in body for message in messages)


@pytest.mark.parametrize("listing", [*LISTINGS, "exchange:project-list"])
@pytest.mark.parametrize(
    ("number", "said"),
    [
        ("abc", "The page number was not understood; page 1 is shown."),
        ("99", "There is no page 99; the last page is shown."),
    ],
)
def test_every_listing_says_when_it_shows_another_page(client, listing, number, said):
    ProjectFactory()
    response, body = page(client, reverse(listing) + f"?page={number}")
    assert response.context["page_obj"].number == 1
    assert [str(m) for m in response.context["messages"]] == [said]


def test_region_map_groups_many_places_a_level_up(client):
    # A country whose NUTS 3 regions hold practices: above the pin limit the
    # map shows their NUTS 2 regions, so the page does not grow with the tree.
    from portal.views import REGION_MAP_POINTS_MAX

    country = RegionFactory(name="Bigland", nuts_code="BG", level=0)
    upper = [
        RegionFactory(nuts_code=f"BG{n}", level=1, parent=country, label_lat=40.0 + n)
        for n in range(1, 4)
    ]
    for n in range(REGION_MAP_POINTS_MAX + 1):
        nuts3 = RegionFactory(nuts_code=f"BG{n % 3 + 1}{n:02d}", level=2, parent=upper[n % 3])
        GoodPracticeFactory(region=nuts3)
    GoodPracticeFactory(region=upper[0])
    url = reverse("exchange:region-detail", args=[country.slug])
    response, body = page(client, url)
    pins = {p["code"]: p for p in response.context["map_points"]}
    assert sorted(pins) == ["BG1", "BG2", "BG3"]
    # Every published practice is counted once, its own region's included.
    assert [pins[code]["count"] for code in ("BG1", "BG2", "BG3")] == [17 + 1, 17, 17]
    assert pins["BG2"]["url"] == reverse("practices:practice-list") + f"?region={upper[1].slug}"
    assert pins["BG2"]["lat"] == 42.0 and pins["BG2"]["title"] == ""
    # Below the limit, one pin per region again.
    below = GoodPractice.objects.filter(region__parent__in=upper)
    kept = list(below.values_list("pk", flat=True)[:5])
    below.exclude(pk__in=kept).delete()
    response, _ = page(client, url)
    assert len(response.context["map_points"]) == 5 + 1
