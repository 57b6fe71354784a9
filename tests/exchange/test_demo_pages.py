"""The demo says only what the seeds say: each correction read back from the pages."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from events.models import Event
from portal import demo_content
from practices.models import GoodPractice

pytestmark = pytest.mark.django_db

LEUVEN = "smarty-1st-thematic-seminar-leuven-2020"
ROMANIAN_WORKSHOP = "workshop-digitalizare-imm-2020"
SECOND_SEMINAR = "smarty-2nd-thematic-seminar-2020"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for the module's read-only tests, then roll it back."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def text(html):
    """The visible text of a page, tags stripped, spaces squeezed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


pytestmark = [pytestmark, pytest.mark.usefixtures("demo")]


def test_smarty_shows_its_polish_title_and_approximate_amounts(client):
    body = page(client, reverse("exchange:project-detail", kwargs={"slug": "smarty"}))
    assert 'lang="pl">Inteligentne MŚP w kierunku Przemysłu 4.0 – SMARTY</span>' in body
    assert "about €2.42 million" in body
    assert "about €1.99 million" in body
    assert "2,420,000" not in body and "1,990,000" not in body


def test_smarty_lists_only_the_partners_the_seeds_name(client):
    body = text(page(client, reverse("exchange:project-detail", kwargs={"slug": "smarty"})))
    partners = body.split("Good practices")[0].split("Partners")[-1]
    assert "Office of the Marshal of the Mazowieckie Voivodeship" in partners
    assert "Institute for Sustainable Technologies" in partners
    assert "ICAMCyL" in partners
    for not_a_partner in ("Flanders Make", "Institute for Business Competitiveness", "i2CAT"):
        assert not_a_partner not in partners


def test_diginno_has_no_partner_made_of_the_seminar_organisers(client):
    body = text(page(client, reverse("exchange:project-detail", kwargs={"slug": "diginno"})))
    assert "No partner is listed yet." in body


def test_the_romanian_project_has_no_invented_acronym(client):
    slug = demo_content.ROMANIAN_PROJECT
    for url in (
        reverse("exchange:project-detail", kwargs={"slug": slug}),
        reverse("exchange:project-list"),
        reverse("events:event-detail", kwargs={"slug": ROMANIAN_WORKSHOP}),
        reverse("api:project-detail", kwargs={"slug": slug}),
    ):
        assert "IMM 4.0" not in page(client, url), url


def test_no_practice_shows_a_status_nobody_stated(client):
    listing = page(client, reverse("practices:practice-list"))
    assert "Ongoing" not in text(listing).split("Status")[-1].split("7 practices")[-1]
    for practice in GoodPractice.objects.all():
        body = text(page(client, practice.get_absolute_url()))
        assert "Status Not stated" in body
        assert "Ongoing" not in body
        assert "To be completed" not in body


def test_the_status_filter_counts_the_unknown_status_apart(client):
    response = client.get(reverse("practices:practice-list"))
    options = {o["value"]: o["count"] for o in response.context["filter_options"]["status"]}
    assert options == {"ongoing": 0, "ended": 0, "unknown": 7}
    ongoing = client.get(reverse("practices:practice-list") + "?status=ongoing")
    assert list(ongoing.context["practices"]) == []
    unknown = client.get(reverse("practices:practice-list") + "?status=unknown")
    assert len(unknown.context["practices"]) == 7


def test_practice_pages_name_no_organisation_in_charge_the_seeds_do_not_give(client):
    gostop = text(
        page(client, reverse("practices:practice-detail", args=["gostop-factories-of-the-future"]))
    )
    assert "Organisation in charge Not given" in gostop
    # The presenter is shown as the presenter.
    assert "Presented by Ana Cvetko, Government Office of the Republic of Slovenia" in gostop
    centrtec = text(
        page(client, reverse("practices:practice-detail", args=["centr-tec-programme"]))
    )
    assert "Organisation in charge Institute for Business Competitiveness" in centrtec


def test_the_national_platform_is_placed_in_poland(client):
    body = text(
        page(client, reverse("practices:practice-detail", args=["industry-of-the-future-platform"]))
    )
    assert "Location Poland (PL)" in body
    assert "Mazovia" not in body.split("Location")[1].split("Timescale")[0]


def test_empty_template_sections_are_marked_missing(client):
    body = text(page(client, reverse("practices:practice-detail", args=["plant-run"])))
    notice = body.split("This practice is not fully described yet")[1].split("At a glance")[0]
    for section in ("Resources needed", "Evidence of success", "Detailed description"):
        assert section in notice


def test_no_demo_event_shows_an_hour(client):
    for event in Event.objects.all():
        body = page(client, event.get_absolute_url())
        assert not re.search(r"\b(09|9):00|17:00|a\.m\.|p\.m\.|time zone:", text(body)), event.slug
        ics = page(client, reverse("events:event-ics", kwargs={"slug": event.slug}))
        assert f"DTSTART;VALUE=DATE:{event.first_day:%Y%m%d}" in ics
        assert "T090000" not in ics and "TZID" not in ics
    leuven = text(page(client, reverse("events:event-detail", kwargs={"slug": LEUVEN})))
    assert "Feb. 25, 2020 – Feb. 26, 2020" in leuven
    listing = text(page(client, reverse("events:event-list")))
    assert "09:00" not in listing


def test_the_policy_brokerage_workshop_was_announced_online(client):
    body = text(
        page(
            client,
            reverse(
                "events:event-detail", kwargs={"slug": "smarty-policy-brokerage-workshop-2020"}
            ),
        )
    )
    assert "Planned as a meeting" not in body
    assert "to take place online on 4–5 June 2020" in body


def test_the_second_seminar_opens_with_mazovia(client):
    response = client.get(reverse("events:event-detail", kwargs={"slug": SECOND_SEMINAR}))
    agenda = [item.title for item in response.context["agenda"]]
    assert agenda[0] == "Powitanie i przedstawienie regionu Mazowsza"
    organisers = {o.slug for o in response.context["organisers"]}
    assert organisers == {"lukasiewicz-itee"}


def test_the_second_seminar_s_english_title_translates_the_seed_s_title(client):
    # Seed 000: "2. Międzyregionalne Seminarium Tematyczne w projekcie SMARTY".
    html = page(client, reverse("events:event-detail", kwargs={"slug": SECOND_SEMINAR}))
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    assert text(heading).strip() == "2nd Interregional Thematic Seminar in the SMARTY project"


def test_the_baltic_sea_region_lists_no_invented_coverage(client):
    response = client.get(reverse("exchange:region-detail", kwargs={"slug": "baltic-sea-region"}))
    assert response.context["covers"] == []
    assert "DIGINNO" in text(response.content.decode())


def test_the_romanian_workshop_names_its_nine_participants(client):
    body = text(page(client, reverse("events:event-detail", kwargs={"slug": ROMANIAN_WORKSHOP})))
    who = body.split("Who took part")[1].split("Agenda")[0]
    for name in (
        "Liviu Rogojinaru",
        "Sabin Sarmas",
        "Dragoș Iorga",
        "Cezar Iliu",
        "Ana-Maria Stancu",
        "Bogdan Parvu",
        "Cornelia Muraru-Ionel",
        "Ligia Neacșu",
        "Ștefan Grigore",
    ):
        assert name in who
    assert "Ministerul Economiei, Energiei și Mediului de Afaceri (2 people)" in who


def test_the_leuven_seminar_counts_19_representatives_of_seven_regions(client):
    body = text(page(client, reverse("events:event-detail", kwargs={"slug": LEUVEN})))
    who = body.split("Who took part")[1].split("Agenda")[0]
    assert "Partner representatives : 19 people, from 7 regions" in who
    assert "Flanders Make – Host" in who
    for region in ("Tuscany", "Mazovia", "Lapland", "Leeds City Region", "Slovenia", "Catalonia"):
        assert region in who.split("Regions represented:")[1]


def test_kigeit_and_the_german_ministry_show_the_diginno_seminar(client):
    for slug, part in (("kigeit", "Took part"), ("bmwi", "Organiser")):
        body = text(page(client, reverse("exchange:organisation-detail", kwargs={"slug": slug})))
        events = body.split("Presentations given")[0].split("Events")[-1]
        assert "Digitalisation of industry – Baltic Sea Region experiences" in events, slug
        assert part in events, slug
    diginno = text(
        page(
            client,
            reverse("events:event-detail", kwargs={"slug": "diginno-policy-seminar-berlin-2019"}),
        )
    )
    assert "Bożena Skibicka" in diginno.split("Who took part")[1]


def test_the_romanian_project_shows_its_seven_partner_countries(client):
    slug = demo_content.ROMANIAN_PROJECT
    body = text(page(client, reverse("exchange:project-detail", kwargs={"slug": slug})))
    assert "Number of partners 7 (1 of them named below)" in body
    assert "Partner countries Belgium Finland Italy Lithuania Poland Romania Spain" in body


def test_the_stakeholder_meeting_names_the_policy_instruments_it_discussed(client):
    slug = "smarty-2nd-stakeholder-group-meeting-2020"
    body = text(page(client, reverse("events:event-detail", kwargs={"slug": slug})))
    for name in ("Action 1.2 of RPO WM", "Action 3.3 of RPO WM", "Regional Innovation Strategy"):
        assert name in body.split("Policy instruments discussed")[1]
    rpo = reverse("exchange:policy-instrument-detail", kwargs={"slug": "rpo-wm-dzialanie-1-2"})
    instrument = text(page(client, rpo))
    assert "Programme period Not given" in instrument
    assert "2nd Regional Stakeholder Group meeting" in instrument
    assert "No project is linked to this instrument yet." in instrument
