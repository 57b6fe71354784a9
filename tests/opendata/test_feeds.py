"""Atom feed of practices and iCalendar of events, read back with real parsers."""

import datetime
import zoneinfo

import feedparser
import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Topic
from tests.factories import EventFactory, GoodPracticeFactory

FEED_URL = reverse("practice-feed")
CALENDAR_URL = reverse("event-calendar")


def parse_feed(client, query=""):
    response = client.get(f"{FEED_URL}?{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


def listing_titles(client, query):
    context = client.get(f"{reverse('practices:practice-list')}?{query}").context
    return [p.title for p in context["paginator"].object_list]


def test_feed_of_the_whole_portal_newest_first(client, portal):
    feed = parse_feed(client)
    assert [e.title for e in feed.entries] == [p.title for p in portal.practices]
    voucher = feed.entries[0]
    assert voucher.link == f"http://testserver{portal.practices[0].get_absolute_url()}"
    assert voucher.author == "Mazovia Development Agency"
    assert {t.term for t in voucher.tags} == {"Industry 4.0", "Digitalisation"}
    assert voucher.published_parsed and voucher.updated_parsed
    assert voucher.id.startswith("tag:testserver,2026:practice:")
    assert feed.feed.title == "New good practices · Regional Practice Exchange"
    assert feed.feed.link == "http://testserver/practices/"
    assert feed.feed.author == "Regional Practice Exchange"


@pytest.mark.parametrize(
    "query",
    ["region=PL9&topic=industry-4-0", "topic=clusters", "project=gostop", "country=ES"],
)
def test_feed_follows_the_listing_filters(client, portal, query):
    feed = parse_feed(client, query)
    assert [e.title for e in feed.entries] == listing_titles(client, query)
    assert feed.feed.link == f"http://testserver/practices/?{query}"
    self_link = next(link.href for link in feed.feed.links if link.rel == "self")
    assert self_link == f"http://testserver{FEED_URL}?{query}"


def test_feed_title_names_the_filters(client, portal):
    feed = parse_feed(client, "region=PL9&topic=industry-4-0")
    assert "Industry 4.0" in feed.feed.title
    assert "PL9" in feed.feed.title


def test_typed_control_characters_stay_out_of_the_feed_title(client, portal):
    # XML 1.0 has no place for them: found by `make fuzz-bench` as a 500.
    for typed in ("voucher%01", "a%0Bb", "x%1Fy%7F"):
        response = client.get(f"{FEED_URL}?q={typed}")
        assert response.status_code == 200
        title = feedparser.parse(response.content).feed.title
        assert title.startswith("New good practices: ")
        assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in title)


def test_feed_in_another_language(client, portal):
    feed = parse_feed(client, "lang=pl&topic=clusters")
    assert feed.feed.language == "pl"
    assert feed.feed.link == "http://testserver/pl/practices/?topic=clusters"
    assert feed.entries[0].link.startswith("http://testserver/pl/practices/")
    assert parse_feed(client, "lang=xx").feed.language == "en"


def test_feed_reads_its_entries_in_one_query_at_any_size(
    client, portal, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    with django_assert_num_queries(1):
        assert len(parse_feed(client).entries) == len(portal.practices)
    topics = Topic.objects.filter(slug__in=["clusters", "industry-4-0"])
    GoodPracticeFactory.create_batch(
        60, topics=topics, published_at=timezone.now() - datetime.timedelta(hours=1)
    )
    with django_assert_num_queries(1):
        entries = parse_feed(client).entries
    assert len(entries) == 50
    assert {t.term for t in entries[0].tags} == {"Clusters", "Industry 4.0"}
    # A filter by slug looks its value up first: one query more, at any size.
    with django_assert_num_queries(2):
        parse_feed(client, "topic=clusters")


def test_searched_feed_shares_the_listings_search(
    client, portal, settings, django_assert_num_queries
):
    # Whether the words match and how many practices they find is counted
    # once per filter state, for the feed and the listing alike.
    settings.PAGE_CACHE_SECONDS = 0
    for n in range(3):
        GoodPracticeFactory(
            title=f"Audit voucher {n}", published_at=timezone.now() - datetime.timedelta(minutes=n)
        )
    client.get(reverse("practices:practice-list"), {"q": "voucher"})
    with django_assert_num_queries(1):
        feed = parse_feed(client, "q=voucher")
    titles = [e.title for e in feed.entries]
    assert titles[:3] == ["Audit voucher 0", "Audit voucher 1", "Audit voucher 2"]
    assert portal.practices[0].title in titles
    with django_assert_num_queries(1):
        assert [e.title for e in parse_feed(client, "q=+voucher++").entries] == titles
    # A misspelt word: the titles like it, found once too.
    parse_feed(client, "q=vouchr")
    with django_assert_num_queries(1):
        assert parse_feed(client, "q=vouchr").entries


def test_feed_entry_authors(client, portal):
    GoodPracticeFactory(title="Nobody's practice", organisation=None, published_at=timezone.now())
    entries = {e.title: e for e in parse_feed(client).entries}
    # The English name where there is one, else the organisation's own.
    assert entries[portal.practices[0].title].author == "Mazovia Development Agency"
    assert entries["Cluster academy"].author == "ADR Nord-Vest"
    assert "author_detail" not in entries["Nobody's practice"]


def test_feed_summary_is_text_not_markup(client, db):
    GoodPracticeFactory(summary="<script>alert(1)</script> & <b>bold</b>")
    entry = parse_feed(client).entries[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in entry.summary
    assert "<b>" not in entry.summary


def test_feed_ignores_invalid_filters_like_the_page(client, portal):
    feed = parse_feed(client, "topic=nothing&year=soon")
    assert len(feed.entries) == len(listing_titles(client, "topic=nothing&year=soon"))


def test_listing_announces_its_feed_with_the_same_filters(client, portal):
    html = client.get("/pl/practices/?topic=clusters&page=1").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert f'href="http://testserver{FEED_URL}?topic=clusters&amp;lang=pl"' in html


# iCalendar ----------------------------------------------------------------


def parse_calendar(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return calendar, list(calendar.walk("VEVENT"))


def test_calendar_of_all_published_events(client, portal):
    calendar, events = parse_calendar(client.get(CALENDAR_URL))
    assert {str(e["SUMMARY"]) for e in events} == {
        "Thematic seminar in Warsaw",
        "Webinar on clusters",
    }
    assert {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")} == {
        "Europe/Warsaw",
        "Europe/Bucharest",
    }
    assert str(calendar["X-WR-CALNAME"]) == "Regional Practice Exchange: Events"


def test_event_times_are_in_the_event_time_zone(client, portal):
    _calendar, events = parse_calendar(client.get(CALENDAR_URL))
    seminar = next(e for e in events if str(e["SUMMARY"]) == "Thematic seminar in Warsaw")
    start = seminar.decoded("DTSTART")
    assert seminar["DTSTART"].params["TZID"] == "Europe/Warsaw"
    assert start == portal.seminar.start
    assert (
        start.utcoffset()
        == portal.seminar.start.astimezone(zoneinfo.ZoneInfo("Europe/Warsaw")).utcoffset()
    )
    assert seminar.decoded("DTEND") == portal.seminar.end
    assert str(seminar["LOCATION"]) == "Pałac Kultury, Warszawa, Warszawski stołeczny"
    assert str(seminar["URL"]) == f"http://testserver{portal.seminar.get_absolute_url()}"
    assert str(seminar["CONFERENCE"]) == "https://meet.example.org/smarty"
    assert "https://meet.example.org/smarty" in str(seminar["DESCRIPTION"])
    assert str(seminar["UID"]) == f"event-{portal.seminar.pk}@testserver"


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("project=smarty", {"Thematic seminar in Warsaw"}),
        ("project=gostop", {"Webinar on clusters"}),
        ("region=PL9", {"Thematic seminar in Warsaw"}),
        ("region=pl", {"Thematic seminar in Warsaw"}),
        ("region=RO", {"Webinar on clusters"}),
        ("region=nowhere", set()),
        ("format=online", {"Webinar on clusters"}),
    ],
)
def test_calendar_filters(client, portal, query, titles):
    _calendar, events = parse_calendar(client.get(f"{CALENDAR_URL}?{query}"))
    assert {str(e["SUMMARY"]) for e in events} == titles


def test_online_event_without_venue_is_located_at_its_link(client, db):
    event = EventFactory(
        format="online", online_link="https://meet.example.org/x", city="", venue=""
    )
    _calendar, events = parse_calendar(
        client.get(reverse("events:event-ics", kwargs={"slug": event.slug}))
    )
    assert str(events[0]["LOCATION"]) == "https://meet.example.org/x"


def test_single_event_download(client, portal):
    url = reverse("events:event-ics", kwargs={"slug": portal.seminar.slug})
    assert url == f"/events/{portal.seminar.slug}/event.ics"
    response = client.get(url)
    calendar, events = parse_calendar(response)
    assert response["Content-Disposition"] == (f'attachment; filename="{portal.seminar.slug}.ics"')
    assert len(events) == 1
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Warsaw"]
    # The zone's rules cover the event: the offset a client computes is right.
    start = events[0].decoded("DTSTART")
    assert start.astimezone(datetime.UTC) == portal.seminar.start.astimezone(datetime.UTC)


def test_draft_event_has_no_ics(client, portal):
    url = reverse("events:event-ics", kwargs={"slug": portal.draft_event.slug})
    assert client.get(url).status_code == 404


def test_event_listing_announces_its_calendar(client, portal):
    html = client.get(reverse("events:event-list") + "?project=smarty").content.decode()
    expected = (
        f'type="text/calendar" title="Events (iCalendar)" href="http://testserver{CALENDAR_URL}'
    )
    assert f'{expected}?project=smarty"' in html


def test_event_listing_calendar_keeps_the_event_format_filter(client, portal):
    html = client.get(reverse("events:event-list") + "?format=online&page=1").content.decode()
    assert f'href="http://testserver{CALENDAR_URL}?format=online"' in html


def test_region_and_project_pages_offer_their_feeds(client, portal):
    html = client.get(portal.regions.pl9.get_absolute_url()).content.decode()
    assert f'href="http://testserver{FEED_URL}?region=pl9"' in html
    assert f'href="http://testserver{CALENDAR_URL}?region=pl9"' in html
    html = client.get("/ro" + portal.projects.smarty.get_absolute_url()).content.decode()
    assert f'href="http://testserver{FEED_URL}?project=smarty&amp;lang=ro"' in html
    assert f'href="http://testserver{CALENDAR_URL}?project=smarty&amp;lang=ro"' in html
    # ...and the feeds they name are those of the region and the project.
    feed = parse_feed(client, "region=pl9")
    assert {e.title for e in feed.entries} == set(listing_titles(client, "region=pl9"))


def test_calendar_is_bounded_to_a_window_and_a_maximum(client, db, monkeypatch):
    from events import calendars

    monkeypatch.setattr(calendars, "FEED_MAX_EVENTS", 3)
    now = timezone.now()

    def event_in(days, title):
        start = now + datetime.timedelta(days=days)
        return EventFactory(title=title, start=start, end=start + datetime.timedelta(hours=2))

    for days in (40, 10, 20, 30):
        event_in(days, f"In {days} days")
    event_in(-5, "Five days ago")
    event_in(-calendars.FEED_PAST_DAYS - 10, "Before the window")
    # Upcoming first, nearest first, cut at the maximum.
    _calendar, events = parse_calendar(client.get(CALENDAR_URL))
    assert [str(e["SUMMARY"]) for e in events] == ["In 10 days", "In 20 days", "In 30 days"]
    # The filters apply before the cut: the furthest event is found by its kind.
    workshop = event_in(50, "Workshop in 50 days")
    workshop.kind = "workshop"
    workshop.save()
    _calendar, events = parse_calendar(client.get(f"{CALENDAR_URL}?kind=workshop"))
    assert [str(e["SUMMARY"]) for e in events] == ["Workshop in 50 days"]
    # With fewer upcoming events than the maximum, the recent past fills the
    # rest; never what ended before the window.
    monkeypatch.setattr(calendars, "FEED_MAX_EVENTS", 10)
    _calendar, events = parse_calendar(client.get(CALENDAR_URL))
    titles = [str(e["SUMMARY"]) for e in events]
    assert titles[-1] == "Five days ago" and "Before the window" not in titles
    # A year asked for replaces the window, within the same maximum.
    old_year = (now - datetime.timedelta(days=calendars.FEED_PAST_DAYS + 10)).year
    _calendar, events = parse_calendar(client.get(f"{CALENDAR_URL}?year={old_year}"))
    assert "Before the window" in [str(e["SUMMARY"]) for e in events]
