"""Reads that join several apps: the listings and pages of projects, regions, organisations."""

from collections.abc import Callable
from typing import NamedTuple

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.models import Partnership, Project, PublicationState, Region
from core.regions import roll_up
from core.search import name_matches, normalise_query, similar_names
from events.models import (
    Event,
    Participant,
    ParticipationRole,
    Presentation,
    participation_event_ids,
)
from events.selectors import EVENT_CARD_FIELDS
from infra import caching
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


# The search box of every page (/search/): each kind's best matches and their number.

SEARCH_TOP = 5
# Counted up to this number ("more than 1,000"), as the practice listing counts.
SEARCH_COUNT_CAP = 1000
# Names are parsed again to be ranked (their vectors are not stored): beyond
# this many matches a kind lists its first rows in its own order instead.
NAME_RANK_CAP = 200
REGION_NAME = ("region__name", "region__name_en", "region__nuts_code", "region__kind")


class SearchKind(NamedTuple):
    queryset: QuerySet  # what a result line shows: never a contact detail
    words: Callable  # (queryset, q) -> the rows with the words, with search_rank
    similar: Callable  # (queryset, q) -> the rows with similar words, with search_rank
    order: tuple  # among equal ranks, or when not ranked
    rank_cap: int


def search_kinds():
    """Return ``{kind: SearchKind}``, in the order of the page."""
    from core.models import Organisation, PolicyInstrument
    from events.models import Output
    from practices.filters import BROAD_SEARCH_MATCHES
    from practices.search import similar_titles, word_matches

    def names(model, queryset, order):
        fields = model.SEARCH_FIELDS
        return SearchKind(
            queryset,
            lambda qs, q: name_matches(qs, q, fields),
            lambda qs, q: similar_names(qs, q, fields),
            order,
            NAME_RANK_CAP,
        )

    practices = GoodPractice.objects.published().select_related("region")
    return {
        "practices": SearchKind(
            practices.only("slug", "title", "language", "published_at", *REGION_NAME),
            word_matches,
            similar_titles,
            ("-published_at", "-id"),
            BROAD_SEARCH_MATCHES,
        ),
        "projects": names(
            Project,
            Project.objects.only("slug", "acronym", "title", "title_en", "language", "start_date"),
            ("-start_date", "acronym", "pk"),
        ),
        "organisations": names(
            Organisation,
            Organisation.objects.select_related("region").only(
                "slug", "name", "name_en", "acronym", "city", *REGION_NAME
            ),
            ("name", "pk"),
        ),
        "events": names(
            Event,
            Event.objects.published().only(
                "slug", "title", "title_en", "language", "start", "end", "all_day", "time_zone"
            ),
            ("-start", "pk"),
        ),
        "documents": names(
            Output,
            Output.objects.published().only(
                "slug", "title", "language", "kind", "date", "file", "url"
            ),
            ("-date", "pk"),
        ),
        "regions": names(
            Region,
            Region.objects.only("slug", "name", "name_en", "nuts_code", "kind", "level"),
            ("path", "pk"),
        ),
        "policy_instruments": names(
            PolicyInstrument,
            PolicyInstrument.objects.only("slug", "name", "name_en", "language"),
            ("name", "pk"),
        ),
    }


def search_everything(q, *, kinds=None, top=SEARCH_TOP):
    """Return ``{kind: {"rows", "count", "more"}}`` for the words ``q``, best matches first.

    First each kind's rows that have the words, counted up to
    ``SEARCH_COUNT_CAP`` + 1 (``more`` when there are more). Only when no
    row of any kind has them, the misspelling fallback (similar words)
    counts each kind again. The counts are cached per data generation
    (``infra.caching``). Then the ``top`` best of each kind that has
    matches: one query each. A kind with more matches than it ranks
    (``rank_cap``) lists them in its own order, as the practice listing
    does with a broad search: ranking every match of a common word reads
    and, for names, parses each one (figures in bench/README.md).
    """
    chosen = {k: v for k, v in search_kinds().items() if kinds is None or k in kinds}

    def count():
        counts = {k: _capped_count(spec.words(spec.queryset, q)) for k, spec in chosen.items()}
        if any(counts.values()):
            return {"similar": False, "counts": counts}
        similar = {k: _capped_count(spec.similar(spec.queryset, q)) for k, spec in chosen.items()}
        return {"similar": True, "counts": similar}

    # Cached as the listings' counts are (a common word's count reads
    # thousands of rows); the rows themselves are read each time.
    counted = caching.cached("search-counts", (*sorted(chosen), normalise_query(q).lower()), count)
    counts = counted["counts"]
    search = "similar" if counted["similar"] else "words"
    found = {kind: getattr(spec, search)(spec.queryset, q) for kind, spec in chosen.items()}
    result = {}
    for kind, spec in chosen.items():
        count, matches = counts[kind], found[kind]
        if count > spec.rank_cap:
            ranked = matches.order_by(*spec.order)
        else:
            ranked = matches.order_by("-search_rank", *spec.order)
        if top is not None:
            ranked = list(ranked[:top]) if count else []
        more = count > SEARCH_COUNT_CAP
        result[kind] = {"rows": ranked, "count": min(count, SEARCH_COUNT_CAP), "more": more}
    return result


def _capped_count(queryset):
    return queryset.order_by().values("pk")[: SEARCH_COUNT_CAP + 1].count()
