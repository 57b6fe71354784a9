"""Downloads of the event listing: ``/events/?<filters>&format=csv|json|xlsx``.

Start and end are given in the event's own time zone, with its UTC offset
(ISO 8601), beside the zone's name; a date-only event gives its first and
last days instead. Presenters and participants are people: only their
names appear, never their e-mail addresses; drafts are never rows.
"""

from core.exports import (
    Column,
    grouped,
    joined,
    region_codes,
    region_columns,
    stream_export,
    url_column,
)
from events.models import Event, Output, Participant, ParticipantGroup


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
        Column("regions_represented", lambda e: joined(e.export_regions)),
        Column("participants", lambda e: joined(e.export_participants)),
        Column("participant_groups", lambda e: joined(e.export_groups)),
        Column("language", lambda e: e.language),
        Column("summary", lambda e: e.summary),
        url_column(request, "events:event-detail"),
    ]


def participant_text(person, name_en, name, role, count):
    """ "Name (Organisation)", "Organisation (3)" or "Organisation": never an e-mail."""
    organisation = name_en or name
    text = f"{person} ({organisation})" if person and organisation else person or organisation
    if count is not None:
        text = f"{text} ({count})"
    return f"{text} [{role}]" if role else text


def group_text(role, description, people, regions):
    """ "partner: 19 people from 7 regions", "reprezentanci przemysłu" ..."""
    parts = [p for p in (role, description) if p]
    counts = []
    if people is not None:
        counts.append(f"{people} people")
    if regions is not None:
        counts.append(f"from {regions} regions")
    return ": ".join([" – ".join(parts), " ".join(counts)]) if counts else " – ".join(parts)


def load_chunk(events):
    """Attach organisers, regions represented and participants to a chunk (four queries)."""
    ids = [e.pk for e in events]
    organisers = grouped(
        (event_id, name_en or name)
        for event_id, name_en, name in Event.organisers.through.objects.filter(event_id__in=ids)
        .order_by("organisation__name")
        .values_list("event_id", "organisation__name_en", "organisation__name")
    )
    regions = region_codes(
        Event.regions_represented.through.objects.filter(event_id__in=ids), "event_id"
    )
    participants = grouped(
        (row[0], participant_text(*row[1:]))
        for row in Participant.objects.filter(event_id__in=ids)
        .order_by("organisation__name", "person__name", "pk")
        .values_list(
            "event_id",
            "person__name",
            "organisation__name_en",
            "organisation__name",
            "role",
            "people_count",
        )
    )
    groups = grouped(
        (row[0], group_text(*row[1:]))
        for row in ParticipantGroup.objects.filter(event_id__in=ids)
        .order_by("order", "pk")
        .values_list("event_id", "role", "description", "people_count", "region_count")
    )
    for event in events:
        event.export_organisers = organisers.get(event.pk, [])
        event.export_regions = regions.get(event.pk, [])
        event.export_participants = participants.get(event.pk, [])
        event.export_groups = groups.get(event.pk, [])


def export_response(request, queryset, fmt):
    """Return the events of ``queryset`` as a CSV, JSON or XLSX download."""
    if queryset.model is not Event:
        raise TypeError("export_response() here exports events.")
    queryset = queryset.published().select_related("project", "region")
    return stream_export(
        request, queryset, event_columns(request), fmt, basename="events", load_chunk=load_chunk
    )


def document_columns(request):
    base = request.build_absolute_uri("/")[:-1]

    def address(document):
        # A file is sent by the portal; a link is given as it is.
        return base + document.get_absolute_url() if document.file else document.url

    return [
        Column("slug", lambda d: d.slug),
        Column("title", lambda d: d.title),
        Column("type", lambda d: d.kind),
        Column("language", lambda d: d.language),
        Column("date", lambda d: d.date),
        Column("project", lambda d: d.project.label if d.project_id else ""),
        Column("event", lambda d: d.event.slug if d.event_id else ""),
        Column("regions", lambda d: joined(d.export_regions)),
        Column("summary", lambda d: d.summary),
        Column("address", address),
    ]


def load_document_chunk(documents):
    """Attach the regions concerned to a chunk of documents (one query)."""
    regions = region_codes(
        Output.regions.through.objects.filter(output_id__in=[d.pk for d in documents]),
        "output_id",
    )
    for document in documents:
        document.export_regions = regions.get(document.pk, [])


def document_export_response(request, queryset, fmt):
    """Return the documents of ``queryset`` as a CSV, JSON or XLSX download."""
    queryset = queryset.published().prefetch_related(None).select_related("project", "event")
    return stream_export(
        request,
        queryset,
        document_columns(request),
        fmt,
        basename="documents",
        load_chunk=load_document_chunk,
    )
