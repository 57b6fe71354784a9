"""iCalendar: a subscribable feed of events and a download for one event.

Times are written in the event's own time zone (``DTSTART;TZID=Europe/Warsaw``)
with a VTIMEZONE for every zone used, so a calendar shows 9:00 in Poznań as
9:00 in Poznań, whatever the reader's zone.
"""

import datetime
import functools

import django_filters
import icalendar
from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from icalendar.parser import Contentline, param_value
from icalendar.timezone.tzid import tzid_from_tzinfo

from core.models import Region
from core.regions import in_subtrees
from events.filters import EventFilter, upcoming_first
from events.models import Event
from infra.caching import cache_anonymous_get
from infra.feeds import describe_filters, in_feed_language
from infra.links import url_for_slug

# The subscribable feed is bounded, whatever the number of events: a calendar
# app reads it whole, every few hours, and every event in it is written on
# each read (bench/README.md, "Figures behind the code"). It holds the events
# still to come, nearest first, then the past ones of the last FEED_PAST_DAYS,
# newest first, FEED_MAX_EVENTS at most. A visitor who asks for a year
# (``?year=2019``) gets that year's events instead of the window, within the
# same maximum.
FEED_MAX_EVENTS = 50
FEED_PAST_DAYS = 730
# What an event's entry shows: no long description, no region outline.
CALENDAR_FIELDS = (
    *("title", "title_en", "slug", "summary", "kind", "start", "end", "all_day"),
    *("time_zone", "venue", "city", "online_link", "updated_at"),
    *("region__name", "region__name_en"),
)


class CalendarFilter(EventFilter):
    """The event listing's filters, plus the region (slug or NUTS code) and its sub-regions."""

    region = django_filters.CharFilter(label=gettext_lazy("Region"), method="filter_region")

    class Meta(EventFilter.Meta):
        fields = [*EventFilter.Meta.fields, "region"]

    def filter_region(self, queryset, name, value):
        region = Region.objects.filter(Q(slug=value) | Q(nuts_code=value.upper())).first()
        if region is None:
            return queryset.none()
        return queryset.filter(in_subtrees(region, path="region__path"))


def location_text(event):
    parts = [event.venue, event.city]
    if event.region_id:
        parts.append(event.region.display_name)
    text = ", ".join(p for p in parts if p)
    if not text and event.online_link:
        return event.online_link
    return text


# The calendar's lines are assembled here in icalendar's order, and escaped
# and folded by icalendar's own functions: building its component objects was
# most of the feed's CPU (bench/README.md, "Event listings and the events
# feed"). icalendar still writes the VTIMEZONE components, once per process
# for each zone and span of years, and reads the feed in the tests.

NEW_PARAGRAPH = "\n\n"


def ical_text(value):
    """``value`` as a TEXT value (RFC 5545 3.3.11), escaped by icalendar."""
    return icalendar.vText(value).to_ical().decode()


def ical_line(line):
    """Return ``line`` folded (RFC 5545 3.1) by icalendar, as UTF-8."""
    return Contentline(line).to_ical()


@functools.cache
def zone_id(zone):
    """The TZID icalendar gives ``zone``: "UTC" for UTC and its aliases, or None."""
    return tzid_from_tzinfo(zone)


def ical_datetime(name, value):
    """A DATE-TIME property: in UTC ("Z"), else local time with its zone's TZID."""
    tzid = zone_id(value.tzinfo) or value.tzname()
    day = f"{value.year:04}{value.month:02}{value.day:02}"
    text = f"{day}T{value.hour:02}{value.minute:02}{value.second:02}"
    if tzid == "UTC":
        return f"{name}:{text}Z", None
    return f"{name};TZID={param_value(tzid)}:{text}", tzid


def ical_date(name, value):
    return f"{name};VALUE=DATE:{value.year:04}{value.month:02}{value.day:02}"


def ical_utc(name, value):
    return ical_datetime(name, value.astimezone(datetime.UTC))[0]


@functools.lru_cache(maxsize=64)
def vtimezone(tzid, first_date, last_date):
    """The VTIMEZONE of ``tzid`` with its transitions between the dates; b"" if unknown."""
    try:
        zone = icalendar.Timezone.from_tzid(tzid, first_date=first_date, last_date=last_date)
    except ValueError:
        return b""
    return zone.to_ical()


def event_lines(event, *, page_url, host, stamp, labels):
    """Return the content lines of ``event``'s VEVENT and the TZIDs they use.

    In icalendar's order: SUMMARY, DTSTART, DTEND, DTSTAMP, UID, then the
    other properties by name.
    """
    zones = set()
    lines = ["BEGIN:VEVENT", f"SUMMARY:{ical_text(event.display_title)}"]
    if event.all_day:
        # DATE values (RFC 5545 3.6.1): the end is the day after the last one.
        lines.append(ical_date("DTSTART", event.first_day))
        lines.append(ical_date("DTEND", event.last_day + datetime.timedelta(days=1)))
    else:
        tz = event.tzinfo
        for name, value in (("DTSTART", event.start), ("DTEND", event.end)):
            line, tzid = ical_datetime(name, value.astimezone(tz))
            lines.append(line)
            zones.add(tzid)
    lines.append(stamp)
    # Stable across edits, unique across sites: calendars update, not duplicate.
    lines.append(f"UID:{ical_text(f'event-{event.pk}@{host}')}")
    lines.append(f"CATEGORIES:{ical_text(labels['kinds'].get(event.kind, event.kind))}")
    if event.online_link:
        # RFC 7986: clients that know it offer a "join" button.
        lines.append(
            f"CONFERENCE;FEATURE=VIDEO;LABEL={labels['join']};VALUE=URI:{event.online_link}"
        )
    description = [event.summary.strip()] if event.summary.strip() else []
    if event.online_link:
        description.append(labels["online"] % {"link": event.online_link})
    description.append(page_url)
    lines.append(f"DESCRIPTION:{ical_text(NEW_PARAGRAPH.join(description))}")
    lines.append(ical_utc("LAST-MODIFIED", event.updated_at))
    location = location_text(event)
    if location:
        lines.append(f"LOCATION:{ical_text(location)}")
    lines += ["STATUS:CONFIRMED", "TRANSP:OPAQUE", f"URL:{page_url}", "END:VEVENT"]
    return lines, zones - {None}


def build_calendar(events, *, request, name):
    """Return ``events`` as an iCalendar object (bytes), each with its time zone's VTIMEZONE."""
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{ical_text(f'-//{settings.SITE_NAME}//Events//EN')}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        # Not a standard property: written as it is given, as icalendar writes
        # it and reads it back (a line break would end the line).
        f"X-WR-CALNAME:{' '.join(name.splitlines())}",
    ]
    host = request.get_host().split(":")[0]
    page_url_for = url_for_slug("events:event-detail", request=request)
    stamp = ical_utc("DTSTAMP", timezone.now())
    # Translated once for the whole calendar.
    labels = {
        "kinds": {value: str(label) for value, label in Event.Kind.choices},
        "join": param_value(_("Join online")),
        "online": _("Online: %(link)s"),
    }
    body, zones = [], set()
    first = last = None
    for event in events:
        lines, used = event_lines(
            event, page_url=page_url_for(event.slug), host=host, stamp=stamp, labels=labels
        )
        body += lines
        zones |= used
        first = min(first or event.start, event.start)
        last = max(last or event.end, event.end)
    parts = [ical_line(line) for line in head]
    if first and zones:
        # Transitions only for the years the events span, not since 1970.
        first_date = first.date() - datetime.timedelta(days=366)
        last_date = last.date() + datetime.timedelta(days=366)
        timezones = b"".join(vtimezone(tzid, first_date, last_date) for tzid in sorted(zones))
        if timezones:
            parts.append(timezones[:-2])
    parts += [ical_line(line) for line in body]
    parts.append(b"END:VCALENDAR")
    return b"\r\n".join(parts) + b"\r\n"


def calendar_response(calendar, *, filename, attachment):
    response = HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def event_calendar_feed(request):
    """Serve published events as a calendar to subscribe to: all, or filtered.

    ``?project=<slug>``, ``?region=<slug or NUTS code>``, and the listing's
    other filters (kind, format, year); ``?lang=`` for the language. Bounded
    (``FEED_MAX_EVENTS``, ``FEED_PAST_DAYS``).
    """
    with in_feed_language(request):
        return _event_calendar(request)


@cache_anonymous_get("calendar")
def _event_calendar(request):
    base = Event.objects.published().select_related("region").only(*CALENDAR_FIELDS)
    filterset = CalendarFilter(request.GET, queryset=base, request=request)
    events = filterset.qs
    if not (filterset.is_valid() and filterset.form.cleaned_data.get("year")):
        since = timezone.now() - datetime.timedelta(days=FEED_PAST_DAYS)
        events = events.filter(end__gte=since)
    # The ids first, from the listing's index; then only those rows.
    now = timezone.now()
    ids = upcoming_first(events, now=now).values("pk")[:FEED_MAX_EVENTS]
    if not connection.features.allow_sliced_subqueries_with_in:
        ids = [row["pk"] for row in ids]
    events = upcoming_first(base.filter(pk__in=ids), now=now)
    name = f"{settings.SITE_NAME}: {_('Events')}"
    described = describe_filters(filterset)
    if described:
        name = f"{name} ({described})"
    calendar = build_calendar(events, request=request, name=name)
    return calendar_response(calendar, filename="events.ics", attachment=False)


def event_ics(request, slug):
    """Serve one published event as an ``.ics`` file to add to a calendar."""
    event = get_object_or_404(Event.objects.published().for_listing(), slug=slug)
    calendar = build_calendar([event], request=request, name=event.display_title)
    return calendar_response(calendar, filename=f"{event.slug}.ics", attachment=True)
