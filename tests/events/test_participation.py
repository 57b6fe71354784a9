"""Who took part in an event: the model's rules, the pages, the listing filter, open data."""

import csv
import io

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.models import PolicyInstrument
from events.filters import event_years, participating_country_choices
from events.models import Participant, ParticipantGroup, ParticipationRole
from events.resources import ParticipantResource
from events.selectors import PARTICIPANTS_SHOWN
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    ParticipantFactory,
    ParticipantGroupFactory,
    PartnershipFactory,
    PersonFactory,
    PresentationFactory,
    ProjectFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    """Poland > Mazovia, Romania > Bucharest-Ilfov, Belgium > Flemish Brabant."""
    pl = RegionFactory(nuts_code="PL", name="Polska", name_en="Poland")
    ro = RegionFactory(nuts_code="RO", name="România", name_en="Romania")
    be = RegionFactory(nuts_code="BE", name="Belgique/België", name_en="Belgium")
    return {
        "pl": pl,
        "pl9": RegionFactory(nuts_code="PL9", name="Mazowieckie", name_en="Mazovia", parent=pl),
        "ro": ro,
        "ro32": RegionFactory(nuts_code="RO32", name="București-Ilfov", parent=ro),
        "be": be,
        "be24": RegionFactory(nuts_code="BE24", name="Vlaams-Brabant", parent=be),
    }


@pytest.fixture
def seminar(places):
    """A seminar in Leuven: a host, a Polish delegation of two, a head-count, regions."""
    event = EventFactory(title="Thematic seminar", region=places["be24"])
    host = OrganisationFactory(name="Research centre", region=places["be24"])
    ParticipantFactory(event=event, person=None, organisation=host, role=ParticipationRole.HOST)
    ministry = OrganisationFactory(name="Ministry of Development", region=places["pl9"])
    for name in ("Anna Nowak", "Jan Kowalski"):
        ParticipantFactory(
            event=event,
            person=PersonFactory(name=name, organisation=ministry, email=f"{name[:3]}@x.example"),
        )
    ParticipantGroupFactory(event=event, people_count=19, region_count=7)
    ParticipantGroupFactory(event=event, role=ParticipationRole.INVITED_EXPERT)
    event.regions_represented.set([places["pl9"], places["ro32"]])
    return event


# The rules, in the model and in the database ----------------------------------


def test_a_participant_needs_a_person_or_an_organisation(seminar):
    participant = Participant(event=seminar)
    with pytest.raises(ValidationError, match="Give the person's name or the organisation"):
        participant.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.create(event=seminar)


@pytest.mark.parametrize("model", [Participant, ParticipantGroup])
def test_a_negative_head_count_is_refused(seminar, model):
    values = {"organisation": OrganisationFactory()} if model is Participant else {"role": "guest"}
    row = model(event=seminar, people_count=-3, **values)
    with pytest.raises(ValidationError):
        row.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.bulk_create([row])


def test_a_named_person_is_not_a_head_count(seminar):
    participant = Participant(event=seminar, person=PersonFactory(), people_count=4)
    with pytest.raises(ValidationError, match="A named person is one person"):
        participant.full_clean()


def test_a_group_says_who_it_was(seminar):
    with pytest.raises(ValidationError, match="Give the group's role or say who they were"):
        ParticipantGroup(event=seminar, people_count=5).full_clean()
    ParticipantGroup(event=seminar, description="industry", people_count=5).full_clean()


def test_an_organisation_or_person_is_listed_once(seminar):
    organisation = seminar.participants.get(person=None).organisation
    with pytest.raises(ValidationError, match="already listed"):
        Participant(event=seminar, organisation=organisation).validate_constraints()
    person = seminar.participants.exclude(person=None).first().person
    with pytest.raises(ValidationError, match="already listed"):
        Participant(event=seminar, person=person).validate_constraints()


# The event page -------------------------------------------------------------------


def text(response):
    import re

    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_event_page_groups_participants_by_region_and_organisation(client, seminar):
    response = client.get(seminar.get_absolute_url())
    body = text(response)
    section = body.split("Who took part")[1].split("Agenda")[0]
    assert "Partner representatives : 19 people, from 7 regions" in section
    assert "Invited experts" in section
    assert "Regions represented: Mazovia , București-Ilfov" in section
    assert "Mazovia Ministry of Development (2 people) Anna Nowak Jan Kowalski" in section
    assert "Vlaams-Brabant Research centre – Host" in section
    assert "@x.example" not in response.content.decode()


def test_event_page_lists_the_first_participants_and_counts_the_rest(client, seminar, places):
    url = seminar.get_absolute_url()
    small = len(client.get(url).content)
    ministry = Participant.objects.filter(event=seminar).exclude(person=None)[0].organisation
    for i in range(60):
        ParticipantFactory(
            event=seminar,
            person=PersonFactory(
                name=f"Zed {i:02}", organisation=ministry, email=f"z{i}@x.example"
            ),
        )
    response = client.get(url)
    participation = response.context["participation"]
    assert participation["more"] == 63 - PARTICIPANTS_SHOWN
    # The page's first rows, the ministry with its full head-count; Vlaams-
    # Brabant's host comes after Mazovia's 62 people.
    section = text(response).split("Who took part")[1].split("Agenda")[0]
    assert "Ministry of Development (62 people) Anna Nowak Jan Kowalski Zed 00" in section
    assert "Zed 17 And" in section
    assert "Research centre" not in section
    assert f"And {63 - PARTICIPANTS_SHOWN} more participants" in section
    assert "Zed 59" not in section
    api = reverse("api:event-detail", kwargs={"slug": seminar.slug})
    assert f'href="{api}"' in response.content.decode()
    # Eighteen more names, then nothing however many take part.
    bounded = len(response.content)
    assert bounded - small < 18 * 200
    ParticipantFactory.create_batch(40, event=seminar)
    assert len(client.get(url).content) <= bounded + 500


def test_event_page_without_participants_says_so(client):
    response = client.get(EventFactory().get_absolute_url())
    assert "No participant is recorded for this event." in text(response)


def test_event_page_queries_do_not_grow_with_participants(
    client, seminar, django_assert_max_num_queries
):
    url = seminar.get_absolute_url()
    with django_assert_max_num_queries(8):
        client.get(url)
    for i in range(50):
        ParticipantFactory(event=seminar)
        ParticipantGroupFactory(event=seminar, people_count=2)
        seminar.regions_represented.add(RegionFactory())
        seminar.policy_instruments.add(PolicyInstrument.objects.create(name=f"Action {i}"))
    # Every optional list present: participants, head-counts, regions, instruments.
    with django_assert_max_num_queries(9):
        response = client.get(url)
    assert len(response.context["participation"]["groups"]) == 52
    assert response.context["participation"]["more"] == 53 - PARTICIPANTS_SHOWN


# Organisation, region and project pages ---------------------------------------------


def test_organisation_page_lists_the_events_it_took_part_in(client, places):
    organisation = OrganisationFactory(name="Chamber", region=places["pl"])
    organised = EventFactory(title="Organised")
    organised.organisers.add(organisation)
    hosted = EventFactory(title="Hosted")
    ParticipantFactory(event=hosted, person=None, organisation=organisation, role="host")
    attended = EventFactory(title="Attended")
    ParticipantFactory(event=attended, person=PersonFactory(organisation=organisation))
    presented = EventFactory(title="Presented")
    PresentationFactory(event=presented, organisation=organisation)
    EventFactory(title="Elsewhere entirely")
    EventFactory(title="Draft", publication_state="draft").organisers.add(organisation)

    response = client.get(organisation.get_absolute_url())
    events = {e.title: e for e in response.context["events"]}
    assert set(events) == {"Organised", "Hosted", "Attended", "Presented"}
    assert events["Organised"].organised and not events["Organised"].attended
    assert events["Hosted"].hosted and not events["Hosted"].attended
    assert events["Attended"].attended
    assert events["Presented"].presented
    body = text(response)
    assert "Organiser" in body and "Host" in body and "Took part" in body


def test_organisation_page_lists_an_event_once_whatever_it_did_there(client, places):
    organisation = OrganisationFactory(name="Chamber", region=places["pl"])
    forum = EventFactory(title="Forum")
    forum.organisers.add(organisation)
    # Its own person presented (the talk names no organisation) and attended.
    member = PersonFactory(organisation=organisation)
    PresentationFactory(event=forum, organisation=None, presenter=member)
    ParticipantFactory(event=forum, person=member)
    PresentationFactory(event=EventFactory(title="Others' talk"), organisation=None)

    response = client.get(organisation.get_absolute_url())
    [event] = response.context["events"]
    assert event.title == "Forum"
    assert event.organised and event.presented and event.attended and not event.hosted


def test_region_page_lists_events_elsewhere_its_people_took_part_in(client, seminar, places):
    EventFactory(title="Held in Mazovia", region=places["pl9"]).organisers.add(
        OrganisationFactory(region=places["pl9"])
    )
    response = client.get(places["pl"].get_absolute_url())
    assert [e.title for e in response.context["events_elsewhere"]] == ["Thematic seminar"]
    response = client.get(places["ro"].get_absolute_url())
    # Bucharest-Ilfov is among the regions represented.
    assert [e.title for e in response.context["events_elsewhere"]] == ["Thematic seminar"]
    response = client.get(places["be"].get_absolute_url())
    assert response.context["events_elsewhere"] == []


def test_project_page_shows_partner_countries_of_unnamed_partners(client, places):
    project = ProjectFactory(acronym="", title="Întărirea capacității", stated_partner_count=7)
    project.partner_regions.set([places["pl"], places["ro"], places["be"]])
    response = client.get(project.get_absolute_url())
    body = text(response)
    assert "Number of partners 7 (0 of them named below)" in body
    assert "Partner countries Belgium Poland Romania" in body
    assert response.context["partner_regions"] == []


def test_project_page_names_the_region_each_partner_represents(client, places):
    project = ProjectFactory()
    project.partner_regions.set([places["pl9"]])
    # No region of its own: it represents its organisation's, Flemish Brabant.
    PartnershipFactory(
        project=project, organisation=OrganisationFactory(name="Leuven", region=places["be24"])
    )
    # Its own region (Bucharest-Ilfov), not its organisation's (a German one).
    germany = RegionFactory(nuts_code="DE", name="Deutschland", name_en="Germany")
    PartnershipFactory(
        project=project,
        region=places["ro32"],
        organisation=OrganisationFactory(
            name="Agentur", region=RegionFactory(nuts_code="DE2", parent=germany)
        ),
    )
    body = text(client.get(project.get_absolute_url()))
    assert "Partners' regions Mazovia Partner countries Belgium Poland Romania" in body
    assert "Leuven Partner Vlaams-Brabant" in body
    assert "Agentur Partner București-Ilfov" in body
    assert "Germany" not in body


def test_project_page_query_count_is_constant(client, places, django_assert_num_queries):
    project = ProjectFactory()
    project.partner_regions.set([places["pl9"]])
    # The project (its partners, topics, instruments and places as JSON
    # lists), its events and its practices.
    with django_assert_num_queries(3):
        client.get(project.get_absolute_url())
    project.partner_regions.set(RegionFactory.create_batch(50))
    for region in places.values():
        PartnershipFactory(project=project, region=region)
    with django_assert_num_queries(3):
        response = client.get(project.get_absolute_url())
    assert len(response.context["partner_countries"]) == 3


# The listing filter, the API and the downloads ------------------------------------


EVENTS = reverse("events:event-list")


def test_listing_filters_by_participating_region_or_country(client, seminar, places):
    EventFactory(title="Nobody from Poland")
    for query in ("participating_region=pl9", "participating_country=PL"):
        response = client.get(f"{EVENTS}?{query}")
        assert [e.title for e in response.context["events"]] == ["Thematic seminar"], query
    response = client.get(f"{EVENTS}?participating_region=ro32")
    assert [e.title for e in response.context["events"]] == ["Thematic seminar"]
    response = client.get(f"{EVENTS}?participating_country=BE")
    # A host took part: Flemish Brabant is in Belgium.
    assert [e.title for e in response.context["events"]] == ["Thematic seminar"]


def test_listing_says_which_participating_filter_it_ignored(client, seminar):
    response = client.get(f"{EVENTS}?participating_country=ZZ")
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "“Participants from the country” was ignored: There is no country with the code “ZZ”."
    ]
    assert [e.title for e in response.context["events"]] == ["Thematic seminar"]


def test_api_gives_participation_without_email(client, seminar):
    response = client.get(reverse("api:event-detail", kwargs={"slug": seminar.slug}))
    data = response.json()
    names = {p["person"]["name"] for p in data["participants"] if p["person"]}
    assert names == {"Anna Nowak", "Jan Kowalski"}
    host = next(p for p in data["participants"] if p["role"] == "host")
    assert host["person"] is None and host["organisation"]["name"] == "Research centre"
    assert {"role": "partner", "description": "", "people_count": 19, "region_count": 7} in (
        data["participant_groups"]
    )
    assert [r["nuts_code"] for r in data["regions_represented"]] == ["PL9", "RO32"]
    assert "@" not in response.content.decode().replace("https://", "")
    listed = client.get(reverse("api:event-list") + "?participating_country=RO").json()
    assert [e["slug"] for e in listed["results"]] == [seminar.slug]


def test_csv_has_participation_columns(client, seminar):
    response = client.get(f"{EVENTS}?format=csv")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(content)) if r["slug"] == seminar.slug)
    assert row["regions_represented"] == "PL9; RO32"
    assert "Anna Nowak (Ministry of Development)" in row["participants"]
    assert "Research centre [host]" in row["participants"]
    assert row["participant_groups"] == "partner: 19 people from 7 regions; expert"
    assert "@" not in content


def test_participants_import_by_name_and_refuse_bad_rows(seminar):
    person = PersonFactory(name="Ligia Neacșu")
    organisation = OrganisationFactory(name="Best Smart Consulting SRL")
    headers = list(ParticipantResource._meta.fields)
    good = tablib.Dataset(
        [seminar.slug, "Ligia Neacșu", "Best Smart Consulting SRL", "", ""], headers=headers
    )
    result = ParticipantResource().import_data(good, dry_run=False)
    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    assert seminar.participants.get(person=person).organisation == organisation
    bad = tablib.Dataset(
        [seminar.slug, "", "", "", ""],
        [seminar.slug, "", "Best Smart Consulting SRL", "", "-2"],
        headers=headers,
    )
    result = ParticipantResource().import_data(bad, dry_run=True)
    assert len(result.invalid_rows) == 2
    exported = ParticipantResource().export().csv
    assert "Ligia Neacșu" in exported and "@" not in exported


def test_countries_offered_are_those_that_took_part(client, seminar):
    response = client.get(EVENTS)
    choices = dict(response.context["filter"].form.fields["participating_country"].widget.choices)
    assert set(choices) == {"", "PL", "RO", "BE"}


def test_country_and_year_choices_are_read_once_per_data_generation(
    client, seminar, places, django_assert_num_queries
):
    client.get(EVENTS)
    with django_assert_num_queries(0):
        countries = dict(participating_country_choices())
        years = dict(event_years())
    assert "HU" not in countries
    assert str(seminar.start.year) in years
    # An edit shows at once: a Hungarian delegation, at an event of a new year.
    hu = RegionFactory(nuts_code="HU", name="Magyarország", name_en="Hungary")
    event = EventFactory(start=seminar.start.replace(year=seminar.start.year - 30))
    ParticipantFactory(event=event, organisation=OrganisationFactory(region=hu))
    form = client.get(EVENTS).context["filter"].form
    assert dict(form.fields["participating_country"].widget.choices)["HU"] == "Hungary"
    assert str(event.start.year) in dict(form.fields["year"].widget.choices)


def test_event_page_reads_no_optional_list_it_does_not_have(client, django_assert_num_queries):
    # The event with its flags and organisers, its agenda and materials: no
    # query for participants, head-counts, regions, instruments or translations.
    url = EventFactory().get_absolute_url()
    with django_assert_num_queries(3):
        client.get(url)
