"""Reads of events: the querysets the listing, the API and the exports show."""

import functools

from django.db.models import Count, F, OuterRef, Q, Value, Window
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils.translation import get_language

from core.expressions import json_list
from core.models import Organisation, Region
from core.selectors import as_instances, has_related, region_ancestors
from core.translations import shown_title
from events.filters import upcoming_first
from events.models import (
    Event,
    Material,
    Output,
    Participant,
    Presentation,
)
from infra.links import url_for_slug
from infra.text import date_text
from practices.selectors import presented_version_title

# What the event cards show (events/_event_cards.html): long texts and region
# outlines stay in the database.
EVENT_CARD_FIELDS = (
    "title",
    "title_en",
    "slug",
    "language",
    "kind",
    "format",
    "start",
    "end",
    "all_day",
    "time_zone",
    "city",
    "region__name",
    "region__name_en",
    # display_name localises a country by its two-letter code.
    "region__nuts_code",
    "project__acronym",
    "project__title",
    "project__title_en",
    "project__language",
)


def for_event_cards(events):
    """Give events what ``events/_event_cards.html`` shows; return them.

    ``url``; ``kind_label`` and ``format_label`` (one gettext per choice for
    the whole list); ``card_title`` and ``card_title_lang``
    (``core.translations.shown_title``); ``card_dates``, one or two
    (``datetime`` attribute, date shown) in the event's own time zone, its
    days for an all-day event; ``card_meta``, the kind, format, place and
    project as one line of text. Worked out once a list here rather than by
    template lookups, filters and a ``{% timezone %}`` block per card.
    """
    language = get_language()
    kinds = {value: str(label) for value, label in Event.Kind.choices}
    formats = {value: str(label) for value, label in Event.Format.choices}
    url = url_for_slug("events:event-detail")
    for event in events:
        event.url = url(event.slug)
        event.kind_label = kinds.get(event.kind, event.kind)
        event.format_label = formats.get(event.format, event.format)
        event.card_title, event.card_title_lang = shown_title(
            getattr(event, "version_title", None),
            event.title,
            event.title_en,
            event.language,
            language,
        )
        event.card_dates = _card_dates(event)
        meta = [event.kind_label, event.format_label]
        # The region is read only where there is no city, as the card shows it.
        if event.city:
            meta.append(event.city)
        elif event.region:
            meta.append(event.region.display_name)
        if event.project:
            meta.append(event.project.label)
        event.card_meta = " · ".join(meta)
    return events


def _card_dates(event):
    zone = event.tzinfo
    first, last = event.start.astimezone(zone), event.end.astimezone(zone)
    if event.all_day:
        first, last = first.date(), last.date()
        same_day, machine = first == last, "%Y-%m-%d"
    else:
        same_day, machine = first.date() == last.date(), "%Y-%m-%dT%H:%M:%S%z"
    days = (first,) if same_day else (first, last)
    # The datetime attribute by strftime, which writes what Django's "Y-m-d"
    # and "Y-m-d\\TH:i:sO" write, without a format parsed per date; the text
    # of the day in the event's zone (aware datetimes compare as instants).
    return [
        (day.strftime(machine), date_text(day if event.all_day else day.date())) for day in days
    ]


def listed_events(*, now=None):
    """Published events as the listing and the API list them: upcoming first (at ``now``)."""
    return upcoming_first(Event.objects.published().for_listing(), now=now)


# The event page's querysets are built once per process (functools.cache)
# and narrowed per request: building them, four EXISTS subqueries included,
# cost about as much CPU as running them (bench/README.md, "Event page").


@functools.cache
def event_page_queryset():
    """Published events as their page reads them, with which optional lists each has.

    Only the fields the page shows: no region outline (GeoJSON), no long
    project texts. The organisers and the region's ancestors come as JSON
    lists in the same query (``event_organisers``, ``core.selectors.trail_of``).
    """
    return (
        Event.objects.published()
        .select_related("project", "region")
        .defer("project__summary", "project__objectives", "region__outline")
        # Most events have few of the optional lists: an absent one costs no query.
        .annotate(**event_page_flags(), **_organiser_list(), **region_ancestors(Event))
    )


def _organiser_list():
    organisers = Organisation.objects.filter(events_organised=OuterRef("pk"))
    fields = {name: F(name) for name in ("id", "slug", "name", "name_en")}
    return {"organiser_list": json_list(organisers, ["name", "id"], **fields)}


def event_organisers(event):
    """Return the organisers of ``event``, a row of ``event_page_queryset``, by name (no query)."""
    return as_instances(Organisation, event.organiser_list)


@functools.cache
def event_page_flags():
    """Columns telling whether an event has participants, instruments and translations.

    Built once (``core.selectors.has_related``); ``has_translations``
    is read by core.translations.content_version: no translation, no query.
    """
    return has_related(
        Event,
        (
            "participants",
            "participant_groups",
            "regions_represented",
            "policy_instruments",
            "translations",
        ),
    )


@functools.cache
def _agenda_rows(language):
    # One per interface language: the practice titles' translations are annotated for it.
    return (
        Presentation.objects.select_related("presenter", "organisation", "practice")
        .only(
            "title",
            "presenter__name",
            "presenter__job_title",
            "organisation__slug",
            "organisation__name",
            "organisation__name_en",
            "practice__slug",
            "practice__title",
            "practice__language",
            "practice__publication_state",
        )
        .order_by("order", "id")
        .annotate(**presented_version_title(language))
    )


def event_agenda(event):
    """The talks of ``event`` in order, with presenter, organisation and practice (no e-mail).

    Each with ``practice_version_title``, its practice's title in the page's
    language (the query is built once per language).
    """
    return list(_agenda_rows(get_language()).filter(event=event))


@functools.cache
def _material_rows():
    return (
        Material.objects.select_related("presentation")
        .only("title", "kind", "file", "url", "language", "presentation__title")
        .order_by("title", "pk")
    )


def event_materials(event):
    """The materials of ``event``, each with the title of the talk it belongs to."""
    return list(_material_rows().filter(event=event))


def event_instruments(event):
    """The policy instruments ``event`` discussed; no query when it has none."""
    if not getattr(event, "has_policy_instruments", True):
        return []
    instruments = event.policy_instruments.only("slug", "name", "name_en", "language")
    return list(instruments.order_by("name"))


# Participants (organisations and named people) an event page lists; the
# rest are counted ("and N more") and stay in the exports and the API.
PARTICIPANTS_SHOWN = 20


def _sort_name(*fields):
    """The first non-empty of ``fields``, lower-cased: a display name to sort by."""
    *preferred, last = fields
    return Lower(Coalesce(*(NullIf(field, Value("")) for field in preferred), last))


def _participants_shown(event):
    """The first ``PARTICIPANTS_SHOWN`` participants in page order, one query.

    Each row carries the number of participants and its organisation's
    number of people named, counted over all of them before the LIMIT.
    """
    return (
        Participant.objects.filter(event=event)
        .for_page()
        .annotate(
            listed=Window(Count("pk")),
            named_in_organisation=Window(Count("person"), partition_by=[F("organisation")]),
        )
        # The page's order (regions, organisations, people by name), so the
        # rows cut off are the last ones the page would list.
        .order_by(
            _sort_name("organisation__region__name_en", "organisation__region__name").asc(
                nulls_last=True
            ),
            _sort_name("organisation__acronym", "organisation__name_en", "organisation__name").asc(
                nulls_last=True
            ),
            "organisation",
            F("person").asc(nulls_first=True),
            "person__name",
        )[:PARTICIPANTS_SHOWN]
    )


def event_participation(event):
    """Who took part in ``event``: three queries at most, whatever the numbers.

    Returns the unnamed groups (head-counts), the regions represented, and
    the organisations and named people grouped by the organisation's region,
    each organisation with its number of people (the stated head-count, or
    else the number of its people named). No e-mail address is read. At most
    ``PARTICIPANTS_SHOWN`` participants are listed; ``more`` counts the rest.
    """
    # An event read with event_page_flags() skips the lists it does not have.
    groups, regions, participants = [], [], []
    if getattr(event, "has_participant_groups", True):
        groups = list(event.participant_groups.order_by("order", "pk"))
    if getattr(event, "has_regions_represented", True):
        regions = list(
            event.regions_represented.only("slug", "name", "name_en", "nuts_code", "path").order_by(
                "path"
            )
        )
    if getattr(event, "has_participants", True):
        participants = list(_participants_shown(event))
    by_region = {}
    for participant in participants:
        organisation = participant.organisation
        region = organisation.region if organisation else None
        block = by_region.setdefault(
            region.pk if region else None, {"region": region, "organisations": {}}
        )
        entry = block["organisations"].setdefault(
            organisation.pk if organisation else None,
            {"organisation": organisation, "people": [], "stated_count": None, "role": ""},
        )
        entry["named"] = participant.named_in_organisation
        if participant.person_id:
            entry["people"].append(participant)
        else:
            entry["stated_count"] = participant.people_count
            entry["role"] = participant.role
            entry["role_label"] = participant.get_role_display()
    blocks = []
    for block in by_region.values():
        organisations = []
        for entry in block["organisations"].values():
            entry["people"].sort(key=lambda p: p.person.name)
            named = entry["named"]
            entry["count"] = entry["stated_count"] if entry["stated_count"] is not None else named
            organisations.append(entry)
        # People without an organisation come last in their block.
        organisations.sort(
            key=lambda e: (e["organisation"] is None, str(e["organisation"] or "").casefold())
        )
        blocks.append({"region": block["region"], "organisations": organisations})
    blocks.sort(key=lambda b: (b["region"] is None, str(b["region"] and b["region"].display_name)))
    return {
        "groups": groups,
        "regions": regions,
        "by_region": blocks,
        "more": participants[0].listed - len(participants) if participants else 0,
        "any": bool(groups or regions or blocks),
    }


def participating_countries():
    """The countries whose regions took part in a published event (one query).

    A region takes part through a participant's, an organiser's or a
    presenter's organisation, or by being represented.
    """
    published = Event.objects.published().values("pk")
    ids = (
        Q(pk__in=Participant.objects.filter(event__in=published).values("organisation__region"))
        | Q(
            pk__in=Event.regions_represented.through.objects.filter(event__in=published).values(
                "region"
            )
        )
        | Q(
            pk__in=Event.organisers.through.objects.filter(event__in=published).values(
                "organisation__region"
            )
        )
        | Q(pk__in=Presentation.objects.filter(event__in=published).values("organisation__region"))
    )
    codes = Region.objects.filter(ids).values("country_code")
    return (
        Region.objects.countries()
        .filter(country_code__in=codes)
        .only("slug", "name", "name_en", "nuts_code", "level", "kind", "country_code")
        .order_by("name")
    )


def listed_documents():
    """Published documents for the library: newest first, undated last."""
    return (
        Output.objects.published()
        .for_listing()
        .order_by(F("date").desc(nulls_last=True), "title", "pk")
    )
