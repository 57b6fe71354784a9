"""The practice detail page: every template field, context, privacy, drafts, query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.models import PublicationState
from tests.factories import (
    EventFactory,
    GoodPracticeFactory,
    MaterialFactory,
    OrganisationFactory,
    PersonFactory,
    PresentationFactory,
    ProjectFactory,
    RegionFactory,
    TopicFactory,
    TransferFactory,
)
from tests.practices.browse_data import build_practices, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def full_practice(world):
    organisation = OrganisationFactory(
        name="Sieć Badawcza Łukasiewicz", name_en="Łukasiewicz Research Network", region=world.pl91
    )
    practice = GoodPracticeFactory(
        title="Industry of the Future Platform",
        summary="A national platform for Industry 4.0.",
        description="How the platform works.",
        resources_needed="Staff and a budget.",
        evidence_of_success="Two hundred firms joined.",
        difficulties="Reaching SMEs in every region.",
        potential_for_transfer="Any region without a single contact point.",
        expert_opinion="A convincing ecosystem approach.",
        start_date=datetime.date(2017, 3, 1),
        end_date=datetime.date(2022, 6, 30),
        status="ended",
        region=world.pl91,
        city="Warszawa",
        organisation=organisation,
        keywords="Industry 4.0, ecosystem, Poland",
        further_information="https://example.org/platform",
        language="pl",
        contact=PersonFactory(name="Hidden Contact", email="contact.person@private.example"),
        topics=[TopicFactory(name="Industry 4.0")],
        projects=[ProjectFactory(acronym="SMARTY")],
    )
    event = EventFactory(
        title="1st Interregional Thematic Seminar",
        start=timezone.make_aware(datetime.datetime(2020, 2, 25, 9)),
        end=timezone.make_aware(datetime.datetime(2020, 2, 26, 17)),
    )
    PresentationFactory(
        event=event,
        practice=practice,
        presenter=PersonFactory(
            name="Anna Pająk", job_title="Expert", email="anna.presenter@private.example"
        ),
        organisation=organisation,
    )
    hidden_event = EventFactory(
        title="Unpublished meeting", publication_state=PublicationState.DRAFT
    )
    PresentationFactory(event=hidden_event, practice=practice)
    TransferFactory(practice=practice, region=world.iti1, year=2023, note="Adapted for Tuscany.")
    return practice


def get(client, practice):
    return client.get(reverse("practices:practice-detail", kwargs={"slug": practice.slug}))


def test_detail_shows_every_template_field_under_headings(client, full_practice):
    response = get(client, full_practice)
    assert response.status_code == 200
    body = response.content.decode()
    for heading in [
        "Detailed description",
        "Resources needed",
        "Evidence of success",
        "Difficulties encountered and lessons learned",
        "Potential for learning or transfer",
        "Expert opinion",
        "Organisation in charge",
        "Location",
        "Timescale",
        "Status",
        "Keywords",
        "Further information",
        "Where it was presented",
        "Regions that adopted it",
        "Last updated",
    ]:
        assert heading in body, heading
    for text in [
        "How the platform works.",
        "Staff and a budget.",
        "Two hundred firms joined.",
        "Reaching SMEs in every region.",
        "Any region without a single contact point.",
        "A convincing ecosystem approach.",
        "Warszawa",
        "March 2017 to June 2022",
        "Industry 4.0, ecosystem, Poland",
        'href="https://example.org/platform"',
        "SMARTY",
    ]:
        assert text in body, text
    assert body.count("<h1") == 1


def test_detail_links_organisation_region_country_projects_topics(client, full_practice, world):
    body = get(client, full_practice).content.decode()
    organisation = full_practice.organisation
    assert f'href="{organisation.get_absolute_url()}"' in body
    assert f'href="{world.pl91.get_absolute_url()}"' in body
    assert "Country: Polska" in body
    project = full_practice.projects.get()
    assert f'href="{project.get_absolute_url()}"' in body
    topic = full_practice.topics.get()
    assert f'href="{topic.get_absolute_url()}"' in body


def test_presentations_with_presenter_and_date_and_only_published_events(client, full_practice):
    response = get(client, full_practice)
    body = response.content.decode()
    assert "1st Interregional Thematic Seminar" in body
    # The date follows the interface language's own format (Polish: "25 lutego 2020").
    assert "Feb. 25, 2020" in body
    assert "Anna Pająk" in body
    assert "Unpublished meeting" not in body
    assert len(response.context["presentations"]) == 1


def test_transfers_are_listed(client, full_practice, world):
    body = get(client, full_practice).content.decode()
    assert "Toscana" in body and "2023" in body and "Adapted for Tuscany." in body


def test_original_language_is_marked(client, full_practice):
    body = get(client, full_practice).content.decode()
    assert 'lang="pl"' in body
    assert "Original language: Polish" in body


def test_no_original_language_notice_when_it_is_the_interface_language(client, world):
    practice = GoodPracticeFactory(region=world.pl91, language="en")
    body = get(client, practice).content.decode()
    assert "Original language: " not in body


def test_no_email_address_anywhere(client, full_practice):
    body = get(client, full_practice).content.decode()
    assert "@private.example" not in body
    assert "mailto:" not in body
    assert "Hidden Contact" not in body


def test_draft_and_archived_practices_are_not_found(client, world):
    draft = GoodPracticeFactory(publication_state=PublicationState.DRAFT)
    archived = GoodPracticeFactory(publication_state=PublicationState.ARCHIVED)
    assert get(client, draft).status_code == 404
    assert get(client, archived).status_code == 404
    assert client.get("/practices/no-such-practice/").status_code == 404


def test_breadcrumbs_and_last_updated(client, full_practice):
    response = get(client, full_practice)
    body = response.content.decode()
    assert 'aria-label="Breadcrumb"' in body
    assert f'<span aria-current="page">{full_practice.title}</span>' in body
    assert response.context["last_updated"] is not None


def test_related_practices_share_a_topic_or_the_region(client, world):
    data = build_practices(world)
    response = get(client, data.warsaw)
    related = response.context["related_practices"]
    assert data.warsaw not in related
    assert data.draft not in related
    assert 0 < len(related) <= 4
    # Same topics first: Mazovia shares "Digitalisation", others "Industry 4.0".
    for practice in related:
        shares_topic = set(practice.topics.all()) & set(data.warsaw.topics.all())
        assert shares_topic or practice.region_id == data.warsaw.region_id


def test_a_city_region_shows_its_country(client, world):
    practice = GoodPracticeFactory(region=world.leeds)
    response = get(client, practice)
    assert response.context["country"] == world.uk
    assert "Country: United Kingdom" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 50])
def test_query_count_does_not_grow(client, django_assert_max_num_queries, world, rows):
    topics = [TopicFactory() for _ in range(min(rows, 10))]
    practice = GoodPracticeFactory(
        region=world.pl91, topics=topics, projects=[ProjectFactory() for _ in range(3)]
    )
    event = EventFactory()
    adopters = [world.es41, world.es51, world.iti1, world.uke, world.leeds]
    for region in adopters[: min(rows, len(adopters))]:
        TransferFactory(practice=practice, region=region)
    for n in range(rows):
        MaterialFactory(
            event=event, presentation=PresentationFactory(practice=practice, event=event)
        )
        GoodPracticeFactory(region=world.pl92, topics=topics[:1], title=f"Related {n}")
    # One more than without materials: the talks' slides and files.
    with django_assert_max_num_queries(8):
        response = get(client, practice)
    assert response.status_code == 200
    assert len(response.context["presentations"]) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_query_count_with_many_presentations(client, django_assert_max_num_queries, world, rows):
    practice = GoodPracticeFactory(region=world.pl91)
    event = EventFactory()
    for n in range(rows):
        PresentationFactory(practice=practice, event=event, title=f"Talk {n}")
    with django_assert_max_num_queries(8):
        response = get(client, practice)
    assert len(response.context["presentations"]) == rows


def test_related_practices_closest_first(client, world):
    industry, digital, clusters = TopicFactory(), TopicFactory(), TopicFactory()
    day = datetime.timedelta(days=1)
    now = timezone.now()

    def practice(region, topics, age):
        return GoodPracticeFactory(region=region, topics=topics, published_at=now - age * day)

    both_topics = practice(world.es41, [industry, digital], age=30)
    one_topic_same_region = practice(world.pl91, [industry], age=20)
    one_topic_newer = practice(world.iti1, [digital], age=1)
    one_topic_older = practice(world.uke, [digital], age=10)
    same_region_only = practice(world.pl91, [clusters], age=2)
    practice(world.es51, [clusters], age=0)  # shares nothing
    GoodPracticeFactory(
        region=world.pl91, topics=[industry, digital], publication_state=PublicationState.DRAFT
    )
    warsaw = practice(world.pl91, [industry, digital], age=5)

    related = get(client, warsaw).context["related_practices"]

    # Most shared topics, then the same region, then newest; four at most.
    assert related == [both_topics, one_topic_same_region, one_topic_newer, one_topic_older]
    assert same_region_only not in related


def test_related_practices_show_title_link_and_region(client, world):
    topic = TopicFactory()
    other = GoodPracticeFactory(region=world.leeds, topics=[topic], title="Access Innovation")
    practice = GoodPracticeFactory(region=world.pl91, topics=[topic])
    body = get(client, practice).content.decode()
    related = body[body.index('id="h-related"') :]
    assert f'href="{other.get_absolute_url()}"' in related
    assert "Access Innovation" in related
    assert "Leeds City Region" in related


def test_related_practices_read_only_the_newest_links_of_each_topic(client, world, monkeypatch):
    """A topic can hold 10,000 practices: only its newest links are candidates."""
    from practices import selectors

    monkeypatch.setattr(selectors, "RECENT_LINKS_PER_TOPIC", 2)
    industry, digital = TopicFactory(), TopicFactory()
    old_both_topics = GoodPracticeFactory(region=world.es41, topics=[industry, digital])
    old_same_region = GoodPracticeFactory(region=world.pl92, topics=[industry])
    newer = [
        GoodPracticeFactory(region=world.uke, topics=[topic]) for topic in (industry, digital) * 2
    ]
    practice = GoodPracticeFactory(region=world.pl92, topics=[industry, digital])

    related = get(client, practice).context["related_practices"]

    # Beyond the two newest links of each topic: not a candidate, however
    # many topics it shares; the same region is a candidate of its own.
    assert old_both_topics not in related
    assert related[0] == old_same_region
    assert set(related[1:]) <= set(newer)


def test_related_practices_without_a_region_share_topics(client, world):
    topic = TopicFactory()
    practice = GoodPracticeFactory(region=None, topics=[topic])
    same_topic = GoodPracticeFactory(region=world.leeds, topics=[topic])
    GoodPracticeFactory(region=None)  # no region in common: "no region" is none
    assert get(client, practice).context["related_practices"] == [same_topic]


def test_related_practices_without_topics_are_of_the_same_region(client, world):
    practice = GoodPracticeFactory(region=world.pl91)
    here = GoodPracticeFactory(region=world.pl91)
    GoodPracticeFactory(region=world.pl92)
    assert get(client, practice).context["related_practices"] == [here]


def test_related_practices_follow_an_edit_at_once(client, world, settings):
    """Where related practices are found, and their cards, are cached per data generation."""
    settings.PAGE_CACHE_SECONDS = 0
    topic = TopicFactory()
    practice = GoodPracticeFactory(region=world.pl91, topics=[topic])
    older = GoodPracticeFactory(
        region=world.es41, topics=[topic], published_at=timezone.now() - datetime.timedelta(days=9)
    )
    assert get(client, practice).context["related_practices"] == [older]

    newer = GoodPracticeFactory(region=world.uke, topics=[topic], title="Published Since")
    older.title = "Renamed Since"
    older.save()

    response = get(client, practice)
    assert response.context["related_practices"] == [newer, older]
    related = response.content.decode().split('id="h-related"')[1]
    assert "Published Since" in related and "Renamed Since" in related


def test_no_related_practices_without_region_or_topics(client):
    practice = GoodPracticeFactory(region=None)
    GoodPracticeFactory(region=None)
    response = get(client, practice)
    assert response.context["related_practices"] == []
    assert 'id="h-related"' not in response.content.decode()


def test_region_outlines_and_search_vector_are_not_read(client, world, full_practice):
    """A NUTS outline weighs up to hundreds of kilobytes; the page shows none."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    TopicFactory()
    with CaptureQueriesContext(connection) as queries:
        response = get(client, full_practice)
    assert response.status_code == 200
    for query in queries.captured_queries:
        assert "outline" not in query["sql"], query["sql"]
        assert "search_vector" not in query["sql"], query["sql"]


def test_last_updated_is_the_latest_recorded_change(client, world):
    practice = GoodPracticeFactory(region=world.pl91)
    # An update that bypasses save() leaves updated_at behind the history.
    type(practice).objects.filter(pk=practice.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=400)
    )
    latest = practice.history.latest().history_date
    response = get(client, practice)
    assert response.context["last_updated"] == latest
    # Whole seconds: HTML allows at most three digits of a second (Nu Html Checker).
    shown = timezone.localtime(latest).strftime("%Y-%m-%dT%H:%M:%S%z")
    assert f'<time datetime="{shown}">' in response.content.decode()


def test_no_presentation_or_transfer_costs_no_query(
    client, world, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    topic = TopicFactory()
    practice = GoodPracticeFactory(region=world.pl91, topics=[topic])
    GoodPracticeFactory(region=world.pl92, topics=[topic])
    # A presentation at an unpublished event does not count.
    PresentationFactory(
        practice=practice, event=EventFactory(publication_state=PublicationState.DRAFT)
    )
    # The practice (its topics, projects and region ancestors in the same
    # query); related practices, where they are found (each topic's and the
    # region's newest practices) and their cards, once per data generation.
    with django_assert_num_queries(3):
        get(client, practice)
    with django_assert_num_queries(1):
        response = get(client, practice)
    body = response.content.decode()
    assert "No event presentation of this practice is recorded yet." in body
    assert "No region is recorded as having adopted this practice yet." in body


def test_a_country_practice_names_the_country_once(client, world):
    practice = GoodPracticeFactory(region=world.pl)
    response = get(client, practice)
    assert response.context["country"] == world.pl
    assert response.context["region_trail"] == [world.pl]
    assert "Country: " not in response.content.decode()


def test_a_practice_in_a_region_repeating_the_country_names_it_once(client):
    # Fixed: the practice page showed "Slovenia, Slovenia" (its trail did not
    # merge a level repeating the country's name, unlike the other pages).
    si = RegionFactory(nuts_code="SI", name="Slovenija", name_en="Slovenia")
    si0 = RegionFactory(nuts_code="SI0", name="Slovenija", name_en="Slovenia", parent=si)
    si03 = RegionFactory(nuts_code="SI03", name="Vzhodna Slovenija", parent=si0)
    body = get(client, GoodPracticeFactory(region=si0)).content.decode()
    assert "<span>Slovenia</span>" in body
    assert "Country: " not in body
    body = get(client, GoodPracticeFactory(region=si03)).content.decode()
    assert "<span>Vzhodna Slovenija, Slovenia</span>" in body
    assert "Country: Slovenia" in body


@pytest.mark.parametrize("language", ["pl", "ro"])
def test_a_translated_practice_header_names_the_country_twin_once(client, language):
    si = RegionFactory(nuts_code="SI", name="Slovenija", name_en="Slovenia")
    si0 = RegionFactory(nuts_code="SI0", name="Slovenija", name_en="Slovenia", parent=si)
    practice = GoodPracticeFactory(region=si0)
    with translation.override(language):
        url = reverse("practices:practice-detail", kwargs={"slug": practice.slug})
    body = client.get(url).content.decode()
    assert "<span>Slovenia</span>" in body
    assert "Słowenia" not in body and "Slovenia, Slov" not in body


def test_the_slides_of_a_talk_show_on_the_practice_page(client, world):
    practice = GoodPracticeFactory(region=world.pl91)
    event = EventFactory()
    talk = PresentationFactory(practice=practice, event=event)
    MaterialFactory(event=event, presentation=talk, title="Slides of the talk", language="pl")
    MaterialFactory(event=event, title="Another talk's slides")
    draft_event = EventFactory(publication_state="draft")
    MaterialFactory(
        event=draft_event,
        presentation=PresentationFactory(practice=practice, event=draft_event),
        title="Slides of a draft event",
    )
    body = get(client, practice).content.decode()
    assert (
        'href="https://example.org/slides.pdf" rel="external" lang="pl">Slides of the talk' in body
    )
    assert "Another talk's slides" not in body
    assert "Slides of a draft event" not in body
