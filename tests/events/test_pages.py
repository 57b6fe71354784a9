"""The event listing (upcoming first, filters) and the event page."""

import datetime
import functools
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.selectors import trail_of
from events.filters import EventFilter, upcoming_first_candidates
from events.models import Event
from events.selectors import event_organisers, event_page_queryset, listed_events
from infra.listing import IdsFirstPaginator
from tests.factories import (
    EventFactory,
    GoodPracticeFactory,
    MaterialFactory,
    OrganisationFactory,
    ParticipantFactory,
    PersonFactory,
    PresentationFactory,
    ProjectFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_english():
    """A request to a /pl/ page leaves Polish active in this thread; don't leak it."""
    yield
    translation.activate("en")


LIST_URL = reverse("events:event-list")


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response, response.content.decode()


def at(days, **kwargs):
    """An event starting ``days`` from now (negative: in the past)."""
    start = timezone.now() + datetime.timedelta(days=days)
    return EventFactory(start=start, end=start + datetime.timedelta(hours=6), **kwargs)


def titles(response):
    return [e.title for e in response.context["events"]]


# Listing --------------------------------------------------------------------


def test_upcoming_first_soonest_first_then_past_newest_first(client):
    at(-30, title="Past, a month ago")
    at(60, title="In two months")
    at(-400, title="Past, last year")
    at(5, title="In five days")
    at(-1, title="Yesterday")
    at(1, title="Draft tomorrow", publication_state="draft")

    response, body = page(client, LIST_URL)

    assert titles(response) == [
        "In five days",
        "In two months",
        "Yesterday",
        "Past, a month ago",
        "Past, last year",
    ]
    assert body.count("<h1") == 1
    assert body.index("Upcoming events") < body.index("In five days") < body.index("Past events")
    assert body.index("Past events") < body.index("Yesterday")
    assert "Draft tomorrow" not in body


def test_upcoming_first_pages_cut_from_their_candidates():
    """Each page, sorted among the soonest and latest ids only, is the page of the whole order."""
    now = timezone.now()
    # More past events than a page's candidates of either kind.
    for days in (9, -2, 3, -40, -1, 30, -7, 3, -400, -3, -60, -5, -90, -20, -10, -120):
        at(days)
    running = now - datetime.timedelta(hours=1)  # started, not over: upcoming
    EventFactory(start=running, end=now + datetime.timedelta(hours=1))
    at(2, publication_state="draft")
    events = listed_events(now=now)
    whole = [event.pk for event in events]
    for per_page in (1, 2, 3, 5):
        paginator = IdsFirstPaginator(
            events,
            per_page,
            candidates=functools.partial(upcoming_first_candidates, events, now=now),
        )
        pages = [paginator.page(n) for n in paginator.page_range]
        assert [event.pk for page in pages for event in page] == whole
    with CaptureQueriesContext(connection) as queries:
        list(IdsFirstPaginator(events, 4, count=17, candidates=paginator.candidates).page(2))
    assert len(queries) == 1


def test_only_past_events_says_nothing_is_coming_up(client):
    at(-3, title="Over")
    _, body = page(client, LIST_URL)
    assert "No upcoming event is scheduled" in body
    assert "Over" in body


def test_event_running_now_counts_as_upcoming(client):
    start = timezone.now() - datetime.timedelta(hours=2)
    EventFactory(title="Running now", start=start, end=start + datetime.timedelta(days=1))
    at(-3, title="Over")
    response, _ = page(client, LIST_URL)
    assert [e.is_past for e in response.context["events"]] == [0, 1]


def test_filter_by_project(client):
    gostop = ProjectFactory(acronym="GOSTOP")
    at(3, title="GOSTOP seminar", project=gostop)
    at(3, title="Other seminar")
    response, body = page(client, f"{LIST_URL}?project={gostop.slug}")
    assert titles(response) == ["GOSTOP seminar"]
    assert "Project:</span> GOSTOP" in body


def test_filter_by_kind(client):
    at(3, title="A visit", kind=Event.Kind.STUDY_VISIT)
    at(3, title="A seminar", kind=Event.Kind.THEMATIC_SEMINAR)
    response, body = page(client, f"{LIST_URL}?kind=study_visit")
    assert titles(response) == ["A visit"]
    assert "Kind:</span> Study visit" in body


def test_filter_by_format(client):
    at(3, title="On screen", format=Event.Format.ONLINE, online_link="https://meet.example/x")
    at(3, title="In the room")
    response, _ = page(client, f"{LIST_URL}?format=online")
    assert titles(response) == ["On screen"]


def test_filter_by_year(client):
    EventFactory(
        title="In 2021",
        start=datetime.datetime(2021, 5, 4, 9, tzinfo=datetime.UTC),
        end=datetime.datetime(2021, 5, 4, 17, tzinfo=datetime.UTC),
    )
    EventFactory(
        title="In 2022",
        start=datetime.datetime(2022, 5, 4, 9, tzinfo=datetime.UTC),
        end=datetime.datetime(2022, 5, 4, 17, tzinfo=datetime.UTC),
    )
    response, body = page(client, f"{LIST_URL}?year=2021")
    assert titles(response) == ["In 2021"]
    # The year select offers the years with events.
    assert '<option value="2022">2022</option>' in body


def test_filters_combine(client):
    project = ProjectFactory()
    at(3, title="Match", project=project, kind=Event.Kind.WORKSHOP)
    at(3, title="Wrong kind", project=project)
    at(3, title="Wrong project", kind=Event.Kind.WORKSHOP)
    response, _ = page(client, f"{LIST_URL}?project={project.slug}&kind=workshop")
    assert titles(response) == ["Match"]


@pytest.mark.parametrize(
    "query",
    [
        "project=no-such-project",
        "kind=party",
        "format=telepathy",
        "year=abc",
        "year=99999999",
        "year=2021.5",
        "year=-1",
        "page=abc",
        "page=999",
        "kind=workshop&kind=%00",
        "project=%FF",
    ],
)
def test_bad_parameters_are_ignored_with_a_message(client, query):
    at(3, title="Still listed", kind=Event.Kind.WORKSHOP)
    response, body = page(client, f"{LIST_URL}?{query}")
    assert "Still listed" in body
    if not query.startswith("page"):
        assert "ignored" in body


def test_empty_result_says_so(client):
    at(3, kind=Event.Kind.WORKSHOP)
    _, body = page(client, f"{LIST_URL}?kind=conference")
    assert "No event matches these filters" in body


def test_pagination_keeps_filters(client):
    for i in range(25):
        at(i + 1, kind=Event.Kind.WORKSHOP)
    at(2, kind=Event.Kind.CONFERENCE)
    response, body = page(client, f"{LIST_URL}?kind=workshop")
    assert len(response.context["events"]) == 20
    assert "?kind=workshop&amp;page=2" in body
    response, _ = page(client, f"{LIST_URL}?kind=workshop&page=2")
    assert len(response.context["events"]) == 5


def test_event_filter_is_usable_without_the_page():
    project = ProjectFactory()
    at(3, project=project, kind=Event.Kind.WORKSHOP)
    at(3, kind=Event.Kind.WORKSHOP)
    filterset = EventFilter(
        {"project": project.slug, "kind": "bogus"}, queryset=Event.objects.all()
    )
    assert filterset.qs.count() == 1
    assert list(filterset.errors) == ["kind"]


def test_listing_query_count_is_constant(client, django_assert_max_num_queries):
    url = f"{LIST_URL}?kind=thematic_seminar"
    at(3)
    # One more than the list itself: the places offered by the participants' filters.
    with django_assert_max_num_queries(6):
        page(client, url)
    for i in range(49):
        ParticipantFactory(event=at(i - 20, region=RegionFactory()))
    with django_assert_max_num_queries(6):
        page(client, url)


# Detail ---------------------------------------------------------------------


@pytest.fixture
def seminar():
    region = RegionFactory(nuts_code="PL", name="Polska")
    lodz = RegionFactory(nuts_code="PL71", name="Łódzkie", parent=region)
    organiser = OrganisationFactory(name="Łódź Region Development Agency")
    event = EventFactory(
        title="Seminarium tematyczne",
        title_en="Thematic seminar in Łódź",
        language="pl",
        summary="Przemysł przyszłości.",
        venue="EC1",
        city="Łódź",
        region=lodz,
        project=ProjectFactory(acronym="GOSTOP"),
        start=datetime.datetime(2031, 3, 10, 8, 30, tzinfo=datetime.UTC),
        end=datetime.datetime(2031, 3, 10, 15, 0, tzinfo=datetime.UTC),
        time_zone="Europe/Warsaw",
    )
    event.organisers.set([organiser])
    practice = GoodPracticeFactory(title="Industry 4.0 audit")
    draft = GoodPracticeFactory(title="Unpublished idea", publication_state="draft")
    presenter = PersonFactory(name="Jan Kowalski", job_title="Director")
    PresentationFactory(
        event=event, title="Second talk", order=2, presenter=presenter, practice=draft
    )
    PresentationFactory(
        event=event,
        title="First talk",
        order=1,
        practice=practice,
        presenter=PersonFactory(name="Maria Rossi"),
    )
    MaterialFactory(event=event, title="Conclusions report", url="https://example.org/report")
    MaterialFactory(
        event=event,
        title="Slides of the day",
        url="",
        file=ContentFile(b"%PDF-1.4 test", name="slides.pdf"),
    )
    return event


def test_event_detail(client, seminar):
    response, body = page(client, seminar.get_absolute_url())
    assert body.count("<h1") == 1
    # In the event's own time zone: 08:30 UTC is 09:30 in Warsaw in March.
    assert "9:30" in body and "Europe/Warsaw" in body and "CET" in body
    assert "EC1" in body and "Łódź" in body and "Łódzkie" in body and "Polska" in body
    assert "Łódź Region Development Agency" in body and "GOSTOP" in body
    assert body.index("First talk") < body.index("Second talk")
    assert "Jan Kowalski" in body and "Maria Rossi" in body and "Director" in body
    assert 'href="/practices/industry-40-audit/"' in body
    assert "Unpublished idea" not in body
    assert "Conclusions report" in body and "Slides of the day" in body
    assert 'lang="pl"' in body and "Original language" in body
    assert 'aria-label="Breadcrumb"' in body
    assert "@private.example" not in body


def test_times_are_marked_up_to_the_second(client):
    # HTML allows at most three digits of a second (Nu Html Checker); only
    # code stores more, and the pages write whole seconds.
    start = timezone.now().replace(microsecond=123_456) + datetime.timedelta(days=3)
    event = EventFactory(start=start, end=start + datetime.timedelta(days=1, microseconds=1))
    for url in (event.get_absolute_url(), LIST_URL):
        stamps = re.findall(r'<time datetime="([^"]*)"', page(client, url)[1])
        assert len(stamps) == 2, url
        for stamp in stamps:
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", stamp), stamp


def test_material_file_is_served_as_attachment(client, seminar):
    material = seminar.materials.get(title="Slides of the day")
    url = reverse("events:material-download", args=[seminar.slug, material.pk])
    _, body = page(client, seminar.get_absolute_url())
    assert url in body
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    link = seminar.materials.get(title="Conclusions report")
    response = client.get(reverse("events:material-download", args=[seminar.slug, link.pk]))
    assert response.status_code == 302


def test_material_of_draft_event_is_404(client):
    material = MaterialFactory(event=EventFactory(publication_state="draft"))
    url = reverse("events:material-download", args=[material.event.slug, material.pk])
    assert client.get(url).status_code == 404


def test_online_event_shows_link_and_past_without_link_says_so(client):
    upcoming = at(3, format=Event.Format.ONLINE, online_link="https://meet.example/room")
    past = at(-3, format=Event.Format.ONLINE)
    _, body = page(client, upcoming.get_absolute_url())
    assert "https://meet.example/room" in body and "Join online" in body
    _, body = page(client, past.get_absolute_url())
    assert "no online link or recording was published" in body


def test_hybrid_event_shows_place_and_link(client):
    event = at(
        3, format=Event.Format.HYBRID, online_link="https://meet.example/h", venue="Town hall"
    )
    _, body = page(client, event.get_absolute_url())
    assert "Town hall" in body and "https://meet.example/h" in body


def test_draft_and_unknown_events_are_404(client):
    draft = at(3, publication_state="draft")
    page(client, draft.get_absolute_url(), status=404)
    page(client, reverse("events:event-detail", args=["no-such-event"]), status=404)


def test_detail_query_count_is_constant(client, seminar, django_assert_max_num_queries):
    url = seminar.get_absolute_url()
    # The event, agenda and materials; participants, head-counts, regions represented.
    with django_assert_max_num_queries(7):
        page(client, url)
    for i in range(49):
        PresentationFactory(event=seminar, order=10 + i, practice=GoodPracticeFactory())
        MaterialFactory(event=seminar)
        seminar.organisers.add(OrganisationFactory())
        ParticipantFactory(event=seminar)
    with django_assert_max_num_queries(7):
        page(client, url)


def test_listing_links_downloads_and_calendar_keeping_the_filters(client):
    at(3, format=Event.Format.ONLINE, online_link="https://meet.example/x")
    _, body = page(client, f"{LIST_URL}?format=online&page=1")
    assert 'href="?format=online&amp;format=csv"' in body
    assert "/feeds/events.ics?format=online" in body
    response = client.get(f"{LIST_URL}?format=online&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


def test_event_page_links_its_calendar_file(client, seminar):
    _, body = page(client, seminar.get_absolute_url())
    assert reverse("events:event-ics", args=[seminar.slug]) in body


def test_event_page_reads_its_organisers_and_trail_in_its_own_query(django_assert_num_queries):
    pl = RegionFactory(nuts_code="PL", name="Polska", name_en="Poland")
    pl7 = RegionFactory(nuts_code="PL7", name="Makroregion centralny", parent=pl)
    pl71 = RegionFactory(nuts_code="PL71", name="Łódzkie", parent=pl7)
    event = at(3, region=pl71)
    event.organisers.set(
        [OrganisationFactory(name=name) for name in ("Zeta agency", "Alpha city", "Mid office")]
    )
    with django_assert_num_queries(1):
        row = event_page_queryset().get(pk=event.pk)
        organisers, trail = event_organisers(row), trail_of(row)
    assert [(o.pk, o.slug, o.display_name) for o in organisers] == [
        (o.pk, o.slug, o.display_name) for o in event.organisers.all()
    ]
    assert [o.name for o in organisers] == ["Alpha city", "Mid office", "Zeta agency"]
    assert trail == [pl, pl7, pl71]
    nowhere = at(4, region=None)
    row = event_page_queryset().get(pk=nowhere.pk)
    assert event_organisers(row) == [] and trail_of(row) == []
