"""Reads that join several apps: the listings and pages of projects, regions, organisations."""

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from core.models import Partnership, Project, PublicationState, Region
from core.regions import roll_up
from events.models import (
    Event,
    Participant,
    ParticipationRole,
    Presentation,
    participation_event_ids,
)
from events.selectors import EVENT_CARD_FIELDS
from infra.caching import cached
from practices.models import GoodPractice


def listed_projects():
    """Projects newest first, with the number of their partners (``practice_counts`` apart).

    A correlated count rather than a joined COUNT(DISTINCT): joining the
    partnerships multiplies the rows.
    """
    partners = (
        Partnership.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Project.objects.for_listing()
        .annotate(partner_count=Coalesce(Subquery(partners), 0))
        .order_by("-start_date", "acronym", "pk")
    )


def project_practice_counts():
    """Return {project id: its published practices}, counted once per data generation.

    Counted per project on a page, each count read the practice rows to
    check they are published: 30 ms for 50 projects; one grouped query for
    all projects costs about as much, once.
    """

    def count():
        rows = (
            GoodPractice.projects.through.objects.filter(
                goodpractice__publication_state=PublicationState.PUBLISHED
            )
            .order_by()
            .values_list("project")
            .annotate(n=Count("pk"))
        )
        return dict(rows)

    return cached("project-practice-counts", (), count)


def listed_regions():
    """Every region by path (parents first), without its outline."""
    return Region.objects.defer("outline").order_by("path")


def practice_counts():
    """Return {region path: published practices in it and below it}.

    One grouped query over every published practice, so computed once per
    data generation.
    """

    def count():
        rows = (
            GoodPractice.objects.published()
            .exclude(region=None)
            .order_by()
            .values_list("region__path")
            .annotate(n=Count("id"))
        )
        return roll_up(rows)

    return cached("region-practice-counts", (), count)


def organisation_events(organisation):
    """Published events ``organisation`` organised, hosted, presented at or attended (one query).

    Newest first; each event says which of the four it did (``organised``,
    ``hosted``, ``presented``, ``attended``).
    """
    event = OuterRef("pk")
    took_part = Participant.objects.filter(event=event, organisation=organisation)
    return (
        Event.objects.published()
        .annotate(
            organised=Exists(
                Event.organisers.through.objects.filter(event=event, organisation=organisation)
            ),
            hosted=Exists(took_part.filter(role=ParticipationRole.HOST)),
            attended=Exists(took_part.exclude(role=ParticipationRole.HOST)),
            presented=Exists(
                Presentation.objects.filter(
                    Q(organisation=organisation)
                    | Q(organisation__isnull=True, presenter__organisation=organisation),
                    event=event,
                )
            ),
        )
        .filter(Q(organised=True) | Q(hosted=True) | Q(attended=True) | Q(presented=True))
        .select_related("project")
        .only(
            "slug",
            "title",
            "title_en",
            "language",
            "start",
            "end",
            "all_day",
            "time_zone",
            "project__slug",
            "project__acronym",
            "project__title",
            "project__title_en",
            "project__language",
        )
        .order_by("-start", "pk")
    )


def took_part_below(path):
    """Whether people from the region at ``path`` (an expression) or below took part in an event.

    An expression for the region page's query of the regions around it, so
    that a region whose people took part nowhere (most) costs no query for
    ``events_with_participants_from``.
    """
    return Exists(Participant.objects.filter(organisation__region__path__startswith=path)) | Exists(
        Event.regions_represented.through.objects.filter(region__path__startswith=path)
    )


def events_with_participants_from(below, *, limit):
    """Published events with participants from the regions ``below``, held elsewhere.

    ``below`` are the ids of a region and the regions below it. The event
    ids first (one small query), then at most ``limit`` + 1 events, newest
    first: a region whose people took part nowhere costs one index read, not
    a walk through every event in date order.
    """
    ids = {row["event_id"] for row in participation_event_ids(below)}
    if not ids:
        return []
    return list(
        Event.objects.published()
        .filter(pk__in=ids)
        .exclude(region__in=below)
        .select_related("project", "region")
        .only(*EVENT_CARD_FIELDS)
        .order_by("-start", "pk")[: limit + 1]
    )


def project_partner_places(project, partnerships):
    """Return (regions, countries) the partners of ``project`` come from (two queries).

    The regions are those the sources give (``Project.partner_regions``),
    also for partners they do not name; the countries add those of the
    named partners' regions.
    """
    regions = list(
        project.partner_regions.only(
            "slug", "name", "name_en", "nuts_code", "level", "kind", "country_code"
        ).order_by("name")
    )
    codes = {r.country_code for r in regions}
    for partnership in partnerships:
        region = partnership.region or partnership.organisation.region
        if region is not None:
            codes.add(region.country_code)
    codes.discard("")
    countries = sorted(
        Region.objects.countries()
        .filter(country_code__in=codes)
        .only("slug", "name", "name_en", "nuts_code", "level", "kind", "country_code"),
        key=lambda r: r.display_name,
    )
    return [r for r in regions if not r.is_country], countries


def policy_instrument_links(instrument):
    """Return what links to ``instrument``: published practices, projects, published events.

    Three queries, whatever their numbers.
    """
    practices = list(
        instrument.practices.published()
        .select_related("region")
        .only("slug", "title", "language", "region__name", "region__name_en")
        .order_by("title", "pk")
    )
    projects = list(
        instrument.projects.only("slug", "acronym", "title", "title_en", "language").order_by(
            "acronym", "title", "pk"
        )
    )
    events = list(
        instrument.events.published()
        .select_related("project", "region")
        .only(*EVENT_CARD_FIELDS)
        .order_by("-start", "pk")
    )
    return {"practices": practices, "projects": projects, "events": events}
