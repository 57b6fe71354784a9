"""Region page: what the organisation table and the adoptions list show.

The region page reads these lists as plain rows (issue 10); these tests pin
what a visitor sees in them, in English and in Polish.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.models import Partnership
from portal.views import REGION_PAGE_ORGANISATION_PROJECTS, REGION_PAGE_ORGANISATIONS
from tests.factories import (
    EventFactory,
    GoodPracticeFactory,
    OrganisationFactory,
    PartnershipFactory,
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


@pytest.fixture
def poland():
    country = RegionFactory(nuts_code="PL", name="Polska", name_en="Poland")
    region = RegionFactory(nuts_code="PL7", name="Makroregion centralny", parent=country)
    lodz = RegionFactory(nuts_code="PL71", name="Łódzkie", parent=region)
    return country, region, lodz


def body_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def row_of(body, name):
    """Return the table row (<tr>…</tr>) of the organisation called ``name``."""
    match = re.search(r"<tr>(?:(?!</tr>).)*>" + re.escape(name) + r"</a>.*?</tr>", body, re.S)
    assert match, name
    return match.group(0)


def test_organisation_rows_show_kind_place_and_projects_in_acronym_order(client, poland):
    _, region, lodz = poland
    agency = OrganisationFactory(name="Agencja Rozwoju", name_en="Development Agency")
    agency.region, agency.city = lodz, "Łódź"
    agency.save()
    zeta, alpha = ProjectFactory(acronym="ZETA"), ProjectFactory(acronym="ALPHA")
    PartnershipFactory(organisation=agency, project=zeta, role=Partnership.Role.PARTNER)
    PartnershipFactory(organisation=agency, project=alpha, role=Partnership.Role.LEAD_PARTNER)
    OrganisationFactory(name="Quiet Office", region=lodz)

    body = body_of(client, region.get_absolute_url())

    row = row_of(body, "Development Agency")
    assert f'href="{agency.get_absolute_url()}"' in row
    assert "Public authority" in row
    assert '<td data-label="Where">Łódź, Łódzkie</td>' in row
    assert row.index(f'href="{alpha.get_absolute_url()}">ALPHA</a> – Lead partner') < row.index(
        f'href="{zeta.get_absolute_url()}">ZETA</a> – Partner'
    )
    quiet = row_of(body, "Quiet Office")
    assert '<td data-label="Where">Łódzkie</td>' in quiet
    assert "No project listed" in quiet


def test_organisation_rows_in_polish(client, poland):
    _, region, lodz = poland
    agency = OrganisationFactory(name="Urząd Marszałkowski", region=lodz)
    PartnershipFactory(organisation=agency, project=ProjectFactory(acronym="GOSTOP"), role="lead")
    with translation.override("pl"):
        url = region.get_absolute_url()
    row = row_of(body_of(client, url), "Urząd Marszałkowski")
    assert "Organ władzy publicznej" in row
    assert "GOSTOP</a> – Partner wiodący" in row
    assert 'href="/pl/' in row


def test_organisation_table_links_to_the_rest_past_forty(client, poland):
    # Forty, not sixty: a large country's page passed 100 KB (issue 16).
    country, _, lodz = poland
    OrganisationFactory.create_batch(REGION_PAGE_ORGANISATIONS, region=lodz)
    url = country.get_absolute_url()
    assert "More organisations in the organisation list" not in body_of(client, url)
    OrganisationFactory(region=lodz)
    body = body_of(client, url)
    assert body.count('<th scope="row">') == REGION_PAGE_ORGANISATIONS == 40
    assert "More organisations in the organisation list" in body


def test_an_organisation_row_shows_its_first_projects_and_links_to_the_rest(
    client, poland, django_assert_num_queries
):
    # A partner of many projects must not make the region page grow (issue 16).
    _, region, lodz = poland
    agency = OrganisationFactory(name="Busy Agency", region=lodz)
    for n in range(REGION_PAGE_ORGANISATION_PROJECTS):
        PartnershipFactory(organisation=agency, project=ProjectFactory(acronym=f"P{n:02}"))
    url = region.get_absolute_url()
    with CaptureQueriesContext(connection) as few:
        row = row_of(body_of(client, url), "Busy Agency")
    assert row.count("<li>") == REGION_PAGE_ORGANISATION_PROJECTS == 5
    assert "more project" not in row
    for n in range(REGION_PAGE_ORGANISATION_PROJECTS, 12):
        PartnershipFactory(organisation=agency, project=ProjectFactory(acronym=f"P{n:02}"))
    # Built again after the edits, with as many queries.
    with django_assert_num_queries(len(few)):
        body = body_of(client, url)
    row = row_of(body, "Busy Agency")
    # The first five by acronym, then a link to the organisation's page.
    assert [f"P{n:02}</a>" in row for n in range(12)] == [True] * 5 + [False] * 7
    assert row.count("<li>") == REGION_PAGE_ORGANISATION_PROJECTS + 1
    assert (
        f'<li><a href="{agency.get_absolute_url()}">and 7 more projects of Busy Agency</a></li>'
        in row
    )
    with translation.override("pl"):
        polish = region.get_absolute_url()
    assert "i jeszcze 7 projektów organizacji Busy Agency" in body_of(client, polish)


def test_adoptions_name_the_origin_and_the_adopting_region_below(client, poland):
    _, region, lodz = poland
    origin = RegionFactory(nuts_code="ES51", name="Cataluña", name_en="Catalonia")
    here = GoodPracticeFactory(title="Adopted right here", region=origin, language="es")
    below = GoodPracticeFactory(title="Adopted in Łódź", region=origin, language="en")
    TransferFactory(practice=here, region=region, year=2021, note="Set up with the ERDF.")
    TransferFactory(practice=below, region=lodz, year=2023)
    TransferFactory(
        practice=GoodPracticeFactory(title="Draft practice", publication_state="draft"),
        region=lodz,
    )

    body = body_of(client, region.get_absolute_url())

    section = body[body.index('id="transfers-title"') :]
    assert section.index("Adopted in Łódź") < section.index("Adopted right here")  # newest first
    assert f'<a href="{here.get_absolute_url()}" lang="es">Adopted right here</a>' in section
    assert f'<a href="{below.get_absolute_url()}">Adopted in Łódź</a>' in section
    assert "from Catalonia · adopted by Łódzkie · 2023" in section
    assert "from Catalonia · 2021" in section  # adopted by this region itself: not named
    assert "Set up with the ERDF." in section
    assert "Draft practice" not in body

    with translation.override("pl"):
        url = region.get_absolute_url()
    section = body_of(client, url).split('id="transfers-title"')[1]
    assert "pochodzenie: Catalonia · przeniesiona do: Łódzkie · 2023" in section


def test_adoptions_escape_the_region_names(client, poland):
    _, region, lodz = poland
    lodz.name = "Łódź & <Okolice>"
    lodz.save()
    origin = RegionFactory(nuts_code="ES51", name="Barcelona <Àrea>")
    TransferFactory(practice=GoodPracticeFactory(region=origin), region=lodz, year=None)
    section = body_of(client, region.get_absolute_url()).split('id="transfers-title"')[1]
    assert "from Barcelona &lt;Àrea&gt; · adopted by Łódź &amp; &lt;Okolice&gt;</span>" in section


def test_region_page_has_no_outline_in_its_queries(client, poland):
    """The GeoJSON outlines are heavy and the region page does not draw them."""
    _, region, lodz = poland
    region.outline = {"type": "Point", "coordinates": [19.4, 51.8]}
    region.save()
    GoodPracticeFactory(region=lodz)
    with CaptureQueriesContext(connection) as queries:
        body_of(client, reverse("exchange:region-detail", args=[region.slug]))
    assert not [q["sql"] for q in queries.captured_queries if "outline" in q["sql"]]


def test_events_held_here_upcoming_soonest_first_past_newest_first(client, poland):
    _, _, lodz = poland
    now = timezone.now()

    def event(title, days):
        start = now + datetime.timedelta(days=days)
        return EventFactory(
            title=title, region=lodz, start=start, end=start + datetime.timedelta(hours=8)
        )

    later, sooner = event("Later", 20), event("Sooner", 5)
    twin_a = event("Twin A", 9)
    # The same start: by id.
    twin_b = EventFactory(title="Twin B", region=lodz, start=twin_a.start, end=twin_a.end)
    old, recent = event("Old", -40), event("Recent", -3)
    # Under way: ends after now, so still upcoming, listed by its start.
    running = EventFactory(
        title="Running",
        region=lodz,
        start=now - datetime.timedelta(days=1),
        end=now + datetime.timedelta(days=1),
    )

    response = client.get(lodz.get_absolute_url())

    assert [e.title for e in response.context["upcoming_events"]] == [
        running.title,
        sooner.title,
        twin_a.title,
        twin_b.title,
        later.title,
    ]
    assert [e.title for e in response.context["past_events"]] == [recent.title, old.title]
