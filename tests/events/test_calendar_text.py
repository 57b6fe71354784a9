"""The iCalendar text the feed writes itself: escaped and folded as RFC 5545 says."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

CALENDAR_URL = reverse("event-calendar")


def test_long_texts_with_special_characters_come_back_whole(client):
    title = "Łódź; Poznań, Kraków \\ " * 4
    summary = "Zażółć gęślą jaźń, \\ wiosna; " * 6 + "^caret^" * 12
    start = timezone.now() + datetime.timedelta(days=3)
    EventFactory(
        title=title,
        summary=summary,
        start=start,
        end=start + datetime.timedelta(hours=3),
        time_zone="Europe/Warsaw",
        format="online",
        online_link="https://meet.example.org/" + "x" * 90,
    )
    EventFactory(start=start, end=start, time_zone="America/New_York")
    body = client.get(CALENDAR_URL).content
    lines = body.split(b"\r\n")
    assert lines[-1] == b"" and all(len(line) <= 75 for line in lines)
    # A continuation line never starts inside a character or an escape.
    assert all(line.decode() for line in lines[:-1])
    calendar = icalendar.Calendar.from_ical(body)
    event = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]).startswith("Łódź"))
    assert str(event["SUMMARY"]) == title
    assert str(event["DESCRIPTION"]).startswith(summary.strip() + "\n\nOnline: https://")
    assert str(event["CONFERENCE"]) == "https://meet.example.org/" + "x" * 90
    # Each zone's VTIMEZONE once, in the same order on every read.
    zones = [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]
    assert zones == ["America/New_York", "Europe/Warsaw"]
