"""Downloads of the event listing: ``/events/?<filters>&format=csv|json|xlsx``.

Start and end are given in the event's own time zone, with its UTC offset
(ISO 8601), beside the zone's name; a date-only event gives its first and
last days instead. Presenters are people: their e-mail
addresses never appear; drafts are never rows.
"""

from core.exports import (
    Column,
    grouped,
    joined,
    region_columns,
    stream_export,
    url_column,
)
from events.models import Event


def local(event, value):
    return value.astimezone(event.tzinfo) if value else value


def event_columns(request):
    return [
        Column("slug", lambda e: e.slug),
        Column("title", lambda e: e.title),
        Column("title_en", lambda e: e.title_en),
        Column("kind", lambda e: e.kind),
        Column("format", lambda e: e.format),
        # A date-only event's start and end are its first and last days.
        Column("start", lambda e: e.first_day if e.all_day else local(e, e.start)),
        Column("end", lambda e: e.last_day if e.all_day else local(e, e.end)),
        Column("all_day", lambda e: e.all_day),
        Column("time_zone", lambda e: e.time_zone),
        Column("venue", lambda e: e.venue),
        Column("city", lambda e: e.city),
        *region_columns(),
        Column("online_link", lambda e: e.online_link),
        Column("project", lambda e: e.project.label if e.project_id else ""),
        Column("organisers", lambda e: joined(e.export_organisers)),
        Column("language", lambda e: e.language),
        Column("summary", lambda e: e.summary),
        url_column(request, "events:event-detail"),
    ]


def load_chunk(events):
    """Attach the organisers' names to a chunk of events (one query)."""
    organisers = grouped(
        (event_id, name_en or name)
        for event_id, name_en, name in Event.organisers.through.objects.filter(
            event_id__in=[e.pk for e in events]
        )
        .order_by("organisation__name")
        .values_list("event_id", "organisation__name_en", "organisation__name")
    )
    for event in events:
        event.export_organisers = organisers.get(event.pk, [])


def export_response(request, queryset, fmt):
    """Return the events of ``queryset`` as a CSV, JSON or XLSX download."""
    if queryset.model is not Event:
        raise TypeError("export_response() here exports events.")
    queryset = queryset.published().select_related("project", "region")
    return stream_export(
        request, queryset, event_columns(request), fmt, basename="events", load_chunk=load_chunk
    )
