"""iCalendar: a subscribable feed of events and a download for one event.

Times are written in the event's own time zone (``DTSTART;TZID=Europe/Warsaw``)
with a VTIMEZONE for every zone used, so a calendar shows 9:00 in Poznań as
9:00 in Poznań, whatever the reader's zone.
"""

import datetime

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


def event_component(event, *, page_url, host):
    tz = event.tzinfo
    component = icalendar.Event()
    # Stable across edits, unique across sites: calendars update, not duplicate.
    component.add("uid", f"event-{event.pk}@{host}")
    component.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    component.add("last-modified", event.updated_at.astimezone(datetime.UTC))
    if event.all_day:
        # DATE values (RFC 5545 3.6.1): the end is the day after the last one.
        component.add("dtstart", event.first_day)
        component.add("dtend", event.last_day + datetime.timedelta(days=1))
    else:
        component.add("dtstart", event.start.astimezone(tz))
        component.add("dtend", event.end.astimezone(tz))
    component.add("summary", event.display_title)
    description = [event.summary.strip()] if event.summary.strip() else []
    if event.online_link:
        description.append(_("Online: %(link)s") % {"link": event.online_link})
    description.append(page_url)
    component.add("description", "\n\n".join(description))
    component.add("url", page_url)
    location = location_text(event)
    if location:
        component.add("location", location)
    if event.online_link:
        # RFC 7986: clients that know it offer a "join" button.
        component.add(
            "conference",
            event.online_link,
            parameters={"VALUE": "URI", "FEATURE": "VIDEO", "LABEL": _("Join online")},
        )
    component.add("categories", [str(event.get_kind_display())])
    component.add("status", "CONFIRMED")
    component.add("transp", "OPAQUE")
    return component


def build_calendar(events, *, request, name):
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    host = request.get_host().split(":")[0]
    page_url_for = url_for_slug("events:event-detail", request=request)
    first = last = None
    for event in events:
        calendar.add_component(event_component(event, page_url=page_url_for(event.slug), host=host))
        first = min(first or event.start, event.start)
        last = max(last or event.end, event.end)
    if first:
        # Transitions only for the years the events span, not since 1970.
        calendar.add_missing_timezones(
            first_date=first.date() - datetime.timedelta(days=366),
            last_date=last.date() + datetime.timedelta(days=366),
        )
    return calendar


def calendar_response(calendar, *, filename, attachment):
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
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
