"""The insights page: counts that match the listing, tables, downloads, bounded queries."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape

from core.models import Region, Topic
from events.models import Event
from portal import charts
from portal.insights import LAND_IMAGE, land_svg
from portal.selectors import INSIGHT_ROWS
from practices.models import GoodPractice, PracticeStatus
from tests import factories

FULL = dict.fromkeys(GoodPractice.DESCRIPTION_FIELDS, "Written.")
NUTS_DIR = Path(django_settings.BASE_DIR).parent / "shared/data/nuts2021"


@pytest.fixture(autouse=True)
def _built_pages(settings):
    """Measure built pages: the page cache would answer the second request."""
    settings.PAGE_CACHE_SECONDS = 0


def chart(response, name):
    return next(c for c in response.context["insights"]["charts"] if c["id"] == name)


def download(client, query):
    response = client.get("/insights/", {**query, "format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def make_world(practices=3):
    """Two countries with NUTS 2 regions, practices in both, a transfer, events with people."""
    poland = factories.RegionFactory(nuts_code="PL", name="Polska", name_en="Poland")
    mazowieckie = factories.RegionFactory(
        nuts_code="PL91",
        name="Warszawski stołeczny",
        parent=factories.RegionFactory(nuts_code="PL9", name="Makroregion", parent=poland),
    )
    romania = factories.RegionFactory(nuts_code="RO", name="România", name_en="Romania")
    nord_vest = factories.RegionFactory(
        nuts_code="RO11",
        name="Nord-Vest",
        parent=factories.RegionFactory(nuts_code="RO1", name="Macroregiunea unu", parent=romania),
    )
    energy = factories.TopicFactory(name="Energy")
    mobility = factories.TopicFactory(name="Mobility")
    programme = factories.ProgrammeFactory(name="Interreg Europe", short_name="IE")
    project = factories.ProjectFactory(acronym="SMARTY", programme=programme)
    factories.PartnershipFactory(
        project=project, organisation=factories.OrganisationFactory(region=mazowieckie)
    )
    made = []
    for n in range(practices):
        made.append(
            factories.GoodPracticeFactory(
                region=mazowieckie,
                topics=[energy],
                projects=[project],
                start_date=datetime.date(2019 + n % 2, 1, 1),
                **(FULL if n % 2 else {**FULL, "difficulties": ""}),
            )
        )
    factories.GoodPracticeFactory(region=nord_vest, topics=[mobility], **FULL)
    factories.GoodPracticeFactory(region=poland, topics=[energy], status=PracticeStatus.ENDED)
    factories.GoodPracticeFactory(publication_state="draft", region=nord_vest)
    factories.TransferFactory(practice=made[0], region=nord_vest)
    start = timezone.make_aware(datetime.datetime(2023, 5, 1, 9))
    online = factories.EventFactory(
        project=project,
        format=Event.Format.ONLINE,
        start=start,
        end=start + datetime.timedelta(hours=2),
        publication_state="published",
    )
    factories.EventFactory(
        project=project,
        start=start,
        end=start + datetime.timedelta(hours=2),
        publication_state="published",
        region=mazowieckie,
    )
    factories.ParticipantFactory(event=online)
    factories.ParticipantGroupFactory(event=online, people_count=19)
    return {"poland": poland, "romania": romania, "energy": energy, "project": project}


@pytest.mark.django_db
def test_counts_match_the_listing_for_the_same_filters(client):
    world = make_world()
    for query in ({}, {"country": "PL"}, {"topic": world["energy"].slug}, {"status": "ended"}):
        listing = client.get("/practices/", query)
        insights = client.get("/insights/", query)
        listed = listing.context["paginator"].count
        assert insights.context["insights"]["totals"]["practices"] == listed, query
        countries = {row[0]: row[1] for row in chart(insights, "countries")["table"]["rows"]}
        assert sum(countries.values()) == listed, query
    response = client.get("/insights/")
    countries = {row[0]: row[1] for row in chart(response, "countries")["table"]["rows"]}
    assert countries == {"Poland": 4, "Romania": 1}
    assert chart(response, "countries")["summary"] == "Most practices come from Poland (80 %)."
    regions = chart(response, "regions")["table"]["rows"]
    assert regions[0][1:] == ["PL91", "Poland", 3]
    assert "1 practice is placed at country level" in chart(response, "regions")["summary"]


@pytest.mark.django_db
def test_each_topic_project_and_region_counts_what_the_listing_lists(client):
    world = make_world()
    other = factories.ProjectFactory(acronym="OTHER")
    factories.PartnershipFactory(
        project=other,
        organisation=factories.OrganisationFactory(
            region=factories.RegionFactory(nuts_code="DE", name="Deutschland", name_en="Germany")
        ),
    )
    factories.GoodPracticeFactory(region=None, topics=[world["energy"]], projects=[other])

    def listed(query):
        return client.get("/practices/", query).context["paginator"].count

    for base in ({}, {"status": "ongoing"}, {"q": "practice"}):
        response = client.get("/insights/", base)
        assert response.context["insights"]["totals"]["practices"] == listed(base), base
        topics = chart(response, "topics")["table"]["rows"]
        for topic in (world["energy"], Topic.objects.get(name="Mobility")):
            total = next((row[-1] for row in topics if row[0] == topic.name), 0)
            assert total == listed({**base, "topic": topic.slug}), (base, topic)
        for project in (world["project"], other):
            rows = chart(response, "completeness")["table"]["rows"]
            practices = next((row[1] for row in rows if row[0] == project.acronym), 0)
            assert practices == listed({**base, "project": project.slug}), (base, project)
        regions = {row[1]: row[3] for row in chart(response, "regions")["table"]["rows"]}
        assert regions.get("PL91", 0) == listed({**base, "region": "PL91"}), base
    # The practice without a region is counted, named as placed nowhere.
    response = client.get("/insights/")
    assert "1 practice names no country." in chart(response, "countries")["summary"]
    # Partners of any project, or of those the filters leave.
    assert chart(response, "partners")["table"]["rows"] == [["Germany", 1], ["Poland", 1]]
    response = client.get("/insights/", {"project": "smarty"})
    assert chart(response, "partners")["table"]["rows"] == [["Poland", 1]]


@pytest.mark.django_db
def test_every_chart_has_a_title_summary_table_and_download(client):
    make_world()
    response = client.get("/insights/")
    page = response.content.decode()
    for item in response.context["insights"]["charts"]:
        assert f'id="chart-{item["id"]}-title">{escape(item["title"])}</h2>' in page
        assert item["summary"] and escape(item["summary"]) in page
        assert f"format=csv&amp;chart={item['id']}" in page
        rows = download(client, {"chart": item["id"]})
        assert rows[0] == item["table"]["keys"]
        assert len(rows) - 1 == len(item["table"]["rows"])
    # Works without JavaScript: the tables are in the page, charts are inline SVG.
    assert page.count("<table>") == len(response.context["insights"]["charts"]) - page.count(
        "No data for these filters."
    )
    assert "<script>" not in page and "style=" not in page


@pytest.mark.django_db
def test_events_transfers_projects_partners_and_completeness(client):
    world = make_world()
    response = client.get("/insights/")
    assert chart(response, "events")["table"]["rows"] == [[2023, 1, 1, 0, 20]]
    assert chart(response, "people")["summary"].startswith("20 people counted")
    assert chart(response, "transfers")["table"]["rows"] == [["Poland", "Romania", 1]]
    assert chart(response, "programmes")["table"]["rows"] == [["IE", 1]]
    assert chart(response, "partners")["table"]["rows"] == [["Poland", 1]]
    # Three practices of SMARTY: two miss one section (80 %), one is complete.
    assert chart(response, "completeness")["table"]["rows"] == [["SMARTY", 3, 1, 87]]
    totals = response.context["insights"]["totals"]
    assert (totals["practices"], totals["complete"]) == (5, 2)
    assert download(client, {"chart": "events", "country": "RO"}) == [
        ["year", "in_person", "online", "hybrid", "people_counted"]
    ]
    assert world["project"].acronym in response.content.decode()


@pytest.mark.django_db
def test_bad_filter_values_are_named_and_ignored_as_on_the_listing(client):
    make_world()
    response = client.get("/insights/", {"country": "ZZ", "year": "soon"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "“Country” was ignored" in page and "“Active in year” was ignored" in page
    assert response.context["insights"]["totals"]["practices"] == 5
    assert client.get("/insights/", {"format": "csv", "chart": "nope"}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("practices", [1, 50])
def test_query_count_does_not_grow_with_the_data(client, practices, django_assert_num_queries):
    make_world(practices)
    # The topic looked up, one query of figures for this filter state, the
    # regions and the menus (once per data generation); then the topic only.
    with django_assert_num_queries(4):
        client.get("/insights/", {"topic": "energy"})
    with django_assert_num_queries(1):
        client.get("/insights/", {"topic": "energy"})


@pytest.mark.django_db
def test_the_cached_form_follows_the_query_and_the_data(client):
    """The form is cached with the charts: per filter state and query, and until an edit."""
    world = make_world()
    energy = f'<option value="{world["energy"].slug}" selected>'
    page = client.get("/insights/", {"topic": world["energy"].slug}).content.decode()
    assert energy in page
    page = client.get("/insights/", {"topic": "mobility", "q": "harbour boats"}).content.decode()
    assert energy not in page
    assert '<option value="mobility" selected>Mobility</option>' in page
    assert 'name="q" value="harbour boats"' in page
    page = client.get("/insights/", {"project": "no-such-project"}).content.decode()
    assert 'class="field filter-field field-error"' in page
    # The same filter state (the search as its words), typed otherwise.
    page = client.get("/insights/", {"topic": "mobility", "q": "harbour  boats"}).content.decode()
    assert 'name="q" value="harbour  boats"' in page
    topic = Topic.objects.get(slug="mobility")
    topic.name = "Sustainable mobility"
    topic.save()
    page = client.get("/insights/", {"topic": "mobility", "q": "harbour boats"}).content.decode()
    assert '<option value="mobility" selected>Sustainable mobility</option>' in page


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["pl", "ro"])
def test_the_page_is_translated_and_linked_from_every_page(client, language):
    make_world()
    response = client.get(f"/{language}/insights/")
    assert response.status_code == 200
    assert f'href="/{language}/insights/"' in client.get(f"/{language}/").content.decode()


def test_a_map_draws_outlines_or_points_on_one_scale():
    square = {
        "type": "Polygon",
        "coordinates": [[[10, 50], [12, 50], [12, 52], [10, 52], [10, 50]]],
    }
    d = charts.geometry_path(square)
    assert d.startswith("M") and d.endswith("z")
    layout = charts.choropleth(
        [{"name": "A", "count": 10, "d": d, "url": "/a"}],
        [
            {"name": "B", "count": 1, "lat": 45.0, "lon": 20.0, "url": "/b"},
            {"name": "Far", "count": 3, "lat": -21.1, "lon": 55.5, "url": "/c"},
        ],
    )
    assert layout["areas"][0]["fill"] == charts.BIN_FILLS[-1]
    assert [p["name"] for p in layout["points"]] == ["B"]
    assert layout["points"][0]["fill"] == charts.BIN_FILLS[0]
    assert layout["hidden"] == 1  # Réunion lies outside the frame
    assert [e["high"] for e in layout["legend"]] == [1, 3, 10]


def test_outlines_keep_the_points_that_bend_them_written_compactly():
    square = [[10, 50], [12, 50], [12, 52], [10, 52], [10, 50]]
    # The same square with points within a pixel of its edges, as a source has.
    detailed = [[10, 50], [11, 50.001], [12, 50], [12, 51], [12.001, 51.5], [12, 52]]
    detailed += [[11, 52], [10, 52], [10, 51], [10, 50]]
    d = charts.geometry_path({"type": "Polygon", "coordinates": [detailed]})
    assert d == charts.geometry_path({"type": "Polygon", "coordinates": [square]})
    assert len(re.findall(r"-?\d+", d)) == 2 + 3 * 2  # the first point, three moves
    assert " -" not in d  # a minus sign separates numbers by itself


def test_bins_split_distinct_values_and_zero_has_no_colour():
    assert charts.bins([0, 0]) == []
    assert charts.bins([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == [2, 4, 6, 8, 10]
    assert charts.fill_of(0, [2, 4]) == charts.EMPTY_FILL


def test_bar_chart_scales_to_the_largest_and_keeps_labels_whole():
    layout = charts.bar_chart(
        [
            {"label": "A very long programme name that does not fit", "value": 4},
            {"label": "B", "value": 2},
        ]
    )
    first, second = layout["rows"]
    assert first["width"] == 2 * second["width"]
    assert first["short"].endswith("…") and first["label"].startswith("A very long")
    assert second["y"] == charts.BAR_HEIGHT + charts.BAR_GAP


def test_region_outlines_are_drawn_when_imported(db, client):
    make_world()
    region = Region.objects.get(nuts_code="PL91")
    region.outline = {
        "type": "Polygon",
        "coordinates": [[[20, 52], [21.5, 52], [21.5, 53], [20, 53], [20, 52]]],
    }
    region.save()
    response = client.get("/insights/")
    layout = chart(response, "regions")["map"]
    assert [a["name"] for a in layout["areas"]] == ["Warszawski stołeczny"]
    assert layout["points"] and all(p["name"] != "Warszawski stołeczny" for p in layout["points"])


def test_the_land_image_is_drawn_from_the_listing_maps_outlines(settings):
    # Regenerate it with: static/img/europe-land.svg <- portal.insights.land_svg()
    path = Path(settings.BASE_DIR) / "static" / LAND_IMAGE
    assert path.read_text(encoding="utf-8") == land_svg()


# The limit for the page: HTML, CSS and JavaScript together.
PAGE_WEIGHT_LIMIT = 150_000


@pytest.mark.django_db
def test_the_page_with_every_nuts_2_region_stays_under_150_kb(client, settings):
    """The worst case: every NUTS 2 outline shaded and linked, and as many circles
    as a map draws for regions without an outline, full charts and tables."""
    call_command("import_nuts", str(NUTS_DIR), stdout=io.StringIO())
    organisation = factories.OrganisationFactory(region=Region.objects.get(nuts_code="BE1"))
    programmes = [
        factories.ProgrammeFactory(name=f"Interreg Programme for Cooperation {n}")
        for n in range(INSIGHT_ROWS)
    ]
    projects = [
        factories.ProjectFactory(acronym=f"PROJECT-{n}", programme=programmes[n % len(programmes)])
        for n in range(2 * INSIGHT_ROWS)
    ]
    topics = [factories.TopicFactory(name=f"Cooperation topic {n}") for n in range(20)]
    nuts2 = list(Region.objects.filter(kind=Region.Kind.NUTS, level=2, outline__isnull=False))
    assert len(nuts2) == 328
    # Regions without an outline (as generated data has), spread over the map.
    parents = [
        region
        for region in Region.objects.filter(kind=Region.Kind.NUTS, level=1).order_by("nuts_code")
        if charts.in_frame(*charts.project(region.label_lon, region.label_lat))
    ]
    for n, parent in enumerate(parents[: charts.MAP_POINTS_MAX]):
        nuts2.append(
            factories.RegionFactory(
                nuts_code=f"{parent.nuts_code}Y",
                name=f"Generated region without an outline {n}",
                parent=parent,
                label_lat=parent.label_lat,
                label_lon=parent.label_lon,
            )
        )
    for n, region in enumerate(nuts2):
        practice = factories.GoodPracticeFactory(
            region=region,
            organisation=organisation,
            start_date=datetime.date(2010 + n % 16, 1, 1),
            topics=[topics[n % len(topics)], topics[(n + 7) % len(topics)]],
            projects=[projects[n % len(projects)]],
        )
        if n % 5 == 0:
            factories.TransferFactory(practice=practice, region=nuts2[(n * 7) % len(nuts2)])
    for n, project in enumerate(projects):
        factories.PartnershipFactory(
            project=project, organisation=factories.OrganisationFactory(region=nuts2[n * 9])
        )
        for year in range(2016, 2026):
            factories.EventFactory(
                project=project,
                format=Event.Format.values[(n + year) % 3],
                start=timezone.make_aware(datetime.datetime(year, 5, 1 + n % 28, 9)),
                publication_state="published",
            )

    for prefix in ("", "/pl", "/ro"):
        response = client.get(f"{prefix}/insights/")
        assert response.status_code == 200
        regions = chart(response, "regions")["map"]
        assert len(regions["areas"]) > 300 and len(regions["points"]) == charts.MAP_POINTS_MAX
        page = response.content.decode()
        assets = re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', page)
        assert assets
        weight = len(response.content) + sum(
            (Path(settings.BASE_DIR) / "static" / asset).stat().st_size for asset in assets
        )
        assert weight <= PAGE_WEIGHT_LIMIT, (prefix, weight)
