"""Pages that join every app: home, regions, projects, organisations."""

import functools
import unicodedata
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import connection, router
from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, TemplateView

from core import translations
from core.countries import named_countries, region_name
from core.exports import (
    Column,
    export_response,
    project_export_response,
    rows_response,
)
from core.expressions import AnyOf
from core.filters import OrganisationFilter, ProjectFilter
from core.models import (
    CONTENT_LANGUAGES,
    Organisation,
    Partnership,
    PolicyInstrument,
    Project,
    PublicationState,
    Region,
    project_status,
)
from core.regions import (
    below,
    grouping_depth,
    path_at_depth,
    path_prefixes,
    region_trail,
    roll_up,
)
from core.search import WORD, normalise_query
from core.selectors import LOOKUPS, listed_organisations, suggestions, trail_of
from core.translations import TranslatedPageMixin, shown_title
from events.filters import upcoming_first
from events.models import Event
from events.selectors import for_event_cards
from infra import caching, ratelimit
from infra.caching import PublicPageCacheMixin, cached
from infra.links import url_for_slug, with_links
from infra.listing import ListingView
from infra.text import date_text
from portal.insights import CHARTS, Links, build_charts, projected
from portal.selectors import (
    EVENT_CARD_FIELDS,
    LINKED_COUNT_CAP,
    REGION_ROW_FIELDS,
    SEARCH_TOP,
    events_with_participants_from,
    insight_figures,
    listed_projects,
    menu_rows,
    organisation_links,
    organisation_page_queryset,
    policy_instrument_links,
    practice_counts,
    project_card_rows,
    project_lists,
    project_page_queryset,
    project_practice_counts,
    region_catalogue,
    region_organisation_rows,
    region_transfer_rows,
    region_tree,
    regions_around,
    search_everything,
)
from practices.filters import ListedPracticeFilter, PracticeFilter
from practices.models import GoodPractice, PracticeStatus, Transfer
from practices.selectors import (
    for_practice_cards,
    listed_practices,
    newest_practice_rows,
    practice_cards,
    version_annotations,
)

# How many rows a region page lists before linking to the full, filtered list.
REGION_PAGE_PRACTICES = 24
REGION_PAGE_ORGANISATIONS = 40
# Projects shown per organisation on a region page; the others are on its page.
REGION_PAGE_ORGANISATION_PROJECTS = 5
REGION_PAGE_EVENTS = 20
REGION_PAGE_TRANSFERS = 30


@require_GET
def suggest(request, kind):
    """Suggest at most ten projects, regions or organisations by name, as JSON.

    Feeds static/js/combobox.js; names, codes and slugs only. Limited per
    client address (``SUGGEST_RATE``): beyond it, 429 with no suggestion.
    """
    if kind not in LOOKUPS:
        raise Http404
    try:
        wait = ratelimit.hit("suggest", ratelimit.client_ip(request), settings.SUGGEST_RATE)
    except ratelimit.LimitUnavailable:
        # Each suggestion is one bounded, indexed query: a lost counter store
        # must not take the comboboxes down with it.
        wait = 0
    if wait:
        response = JsonResponse(
            {"results": [], "detail": _("Too many requests. Wait a minute and try again.")},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    text = request.GET.get("q", "")
    # Once per data generation: every visitor typing "pol" asks the same.
    results = cached(
        "suggestions",
        (kind, get_language(), text),
        lambda: suggestions(kind, text),
        seconds=settings.PAGE_CACHE_SECONDS,
    )
    # No max-age: a browser or proxy would keep the answer past an edit, as
    # the server's copy (per data generation) does not.
    return JsonResponse({"results": results})


def healthz(request):
    """Answer without touching the database: the floor for a Django request."""
    return HttpResponse("ok", content_type="text/plain")


def home_counts():
    """Return the home page's four figures, counted once per data generation.

    Counting every published practice and the regions that hold one reads
    the whole practice table: the same figures for every visitor until an edit.
    """

    def count():
        practices = GoodPractice.objects.published()
        return {
            "practice_count": practices.count(),
            "project_count": Project.objects.count(),
            "region_count": practices.exclude(region=None).values("region").distinct().count(),
            "event_count": Event.objects.published().count(),
        }

    return cached("home-counts", (), count)


class HomeView(PublicPageCacheMixin, TemplateView):
    template_name = "exchange/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The events listing's first three (upcoming first, then the newest
        # past ones), cut from its index: "the next events" asked as such
        # walked every past event in start order.
        first = Event.objects.published().order_by()
        first = upcoming_first(first).values("pk")[:3]
        if not connection.features.allow_sliced_subqueries_with_in:
            first = [row["pk"] for row in first]
        events = for_event_cards(
            list(
                upcoming_first(Event.objects.published().for_listing().filter(pk__in=first))
                .only(*EVENT_CARD_FIELDS)
                .annotate(**event_card_versions())
            )
        )
        upcoming, past = split_events(events)
        context.update(
            home_counts(),
            latest_practices=practice_cards(newest_practice_rows(6), summary_words=30),
            upcoming_events=upcoming,
            # With nothing scheduled, show what happened last rather than nothing.
            recent_events=[] if upcoming else past,
        )
        return context


def sort_key(name):
    """Sort "Česko" with the Cs and "Österreich" with the Os, whatever the database's collation."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return (ascii_name or name).casefold()


def split_events(events):
    """Split events ordered by ``upcoming_first`` into (upcoming, past) lists."""
    events = list(events)
    return [e for e in events if not e.is_past], [e for e in events if e.is_past]


def upcoming_and_past(events, now):
    """Split events into (upcoming, past) lists in ``upcoming_first``'s order at ``now``.

    Sorted here, not in SQL, for the few events of a page already picked:
    the ordering's expressions cost more to build and compile than the sort.
    """
    upcoming = sorted((e for e in events if e.end >= now), key=lambda e: (e.start, e.pk))
    past = sorted((e for e in events if e.end < now), key=lambda e: e.pk)
    # Newest first; sorted() is stable, so equal starts stay in id order.
    past.sort(key=lambda e: e.start, reverse=True)
    return upcoming, past


def choice_labels(choices):
    """Return {value: translated label}: one gettext per choice, not per row."""
    return {value: str(label) for value, label in choices}


def event_card_versions():
    """The event cards' title in the page's language, where translated (no extra query)."""
    return translations.version_annotations(Event, ("title",))


# What the practice cards show (exchange/_practice_cards.html): long texts
# and region outlines stay in the database.
PRACTICE_CARD_FIELDS = (
    "title",
    "slug",
    "summary",
    "language",
    "region__name",
    "region__name_en",
    # display_name localises a country by its two-letter code.
    "region__nuts_code",
    "organisation__name",
    "organisation__name_en",
)


# The region page's querysets are built once per process (functools.cache)
# and narrowed per request, as the event page's (events/selectors.py):
# building them cost about as much CPU as running them (bench/README.md).


@functools.cache
def _event_cards(language):
    """Events as the region page's cards show them, titles in ``language``."""
    return (
        Event.objects.for_listing()
        .only(*EVENT_CARD_FIELDS)
        .annotate(**translations.version_annotations(Event, ("title",), language=language))
        # No order of its own: upcoming_first or upcoming_and_past gives it.
        .order_by()
    )


@functools.cache
def _published_events():
    return Event.objects.published().order_by()


@functools.cache
def _newest_practice_ids():
    # The cards' order, read from the listing index alone (its INCLUDE columns).
    return GoodPractice.objects.published().order_by("-published_at", "-id").values("pk")


@functools.cache
def _projects_in_area(language):
    """Projects as the region page lists those covering an area, titles in ``language``."""
    # Filtered, not read through region.projects_in_area: that manager sets
    # each project's area from its deferred area_id, two queries a project.
    return (
        Project.objects.only("acronym", "slug", "title", "title_en", "language")
        .annotate(**translations.version_annotations(Project, ("title",), language=language))
        .order_by("acronym")
    )


@functools.cache
def _practice_cards(language):
    """Published practices as the region page's cards show them, titles in ``language``."""
    return (
        GoodPractice.objects.published()
        .for_listing()
        .only(*PRACTICE_CARD_FIELDS)
        .annotate(**version_annotations())
    )


def region_organisations(below):
    """Return the first organisations based in ``below``, with their projects and roles.

    One query (``region_organisation_rows``): the organisations (one more
    than the page shows, to tell whether there are others) joined to their
    first ``REGION_PAGE_ORGANISATION_PROJECTS`` partnerships, with how many
    they have.
    """
    page_language = get_language()
    rows = region_organisation_rows(
        below,
        first=REGION_PAGE_ORGANISATIONS + 1,
        projects_shown=REGION_PAGE_ORGANISATION_PROJECTS,
        language=page_language,
    )
    organisation_url = url_for_slug("exchange:organisation-detail")
    project_url = url_for_slug("exchange:project-detail")
    kinds = choice_labels(Organisation.Kind.choices)
    roles = choice_labels(Partnership.Role.choices)
    organisations = {}
    for row in rows:
        pk, slug, name, name_en, kind, city, *place, role = row[:10]
        acronym, title_en, title, language, project_slug, projects, version_title = row[10:]
        organisation = organisations.get(pk)
        if organisation is None:
            where = region_name(place[2], place[0], place[1])
            organisation = organisations[pk] = {
                "url": organisation_url(slug),
                "display_name": name_en or name,
                "kind": kinds.get(kind, kind),
                "where": f"{city}, {where}" if city and where else city or where,
                "partnerships": [],
            }
            more = projects - REGION_PAGE_ORGANISATION_PROJECTS
            # The sentence as plain text (escaped by the template), not a
            # {% blocktranslate count %} per row; empty when none is left out.
            organisation["more_projects"] = (
                ngettext(
                    "and %(counter)s more project of %(name)s",
                    "and %(counter)s more projects of %(name)s",
                    more,
                )
                % {"counter": more, "name": organisation["display_name"]}
                if more > 0
                else ""
            )
        if project_slug is not None:
            title_text, title_lang = shown_title(
                version_title, title, title_en, language, page_language
            )
            organisation["partnerships"].append(
                {
                    "url": project_url(project_slug),
                    "acronym": acronym,
                    # As exchange/_project_title.html reads a project.
                    "project": {"title_text": title_text, "title_lang": title_lang},
                    "role": roles.get(role, role),
                }
            )
    return list(organisations.values())


def region_transfers(region, below, regions):
    """Return ``(adoptions, learning)``: transfers of published practices in ``below``, as rows.

    One query for both lists (``region_transfer_rows``), each cut at one
    more than the page shows, to tell whether there are others. ``regions``
    maps the ids of ``below`` to their regions, which name the adopters.
    """
    language = get_language()
    rows = region_transfer_rows(below, shown=REGION_PAGE_TRANSFERS + 1, language=language)
    tree = region_tree()
    practice_url = url_for_slug("practices:practice-detail")
    # The sentences of the list (plain text, escaped by the template),
    # translated once rather than by a {% blocktranslate %} per row.
    from_origin = _("from %(origin)s")
    adopted_by = _("adopted by %(adopter)s")
    learner = _("%(state)s: %(region)s")
    states = {value: str(label) for value, label in Transfer.State.choices}
    adoptions, learning = [], []
    for row in rows:
        state, year, note, region_id, slug, title, original, origin_id, version_title = row
        origin = tree.rows[tree.index[origin_id]] if origin_id in tree.index else None
        origin = origin and region_name(origin["nuts_code"], origin["name"], origin["name_en"])
        where = from_origin % {"origin": origin} if origin else ""
        adopter = regions[region_id]
        adopter = region_name(adopter["nuts_code"], adopter["name"], adopter["name_en"])
        adoption = state == Transfer.State.ADOPTED
        if adoption:
            # Adopted by a region below this one: name it.
            if region_id != region.pk:
                where += " · " + adopted_by % {"adopter": adopter}
            if year:
                where += f" · {year}"
        else:
            shown = states.get(state, state)
            where = " · ".join(filter(None, [learner % {"state": shown, "region": adopter}, where]))
        (adoptions if adoption else learning).append(
            {
                "url": practice_url(slug),
                "title": version_title or title,
                # The title's lang attribute: none when in the page's language.
                "lang": "" if version_title or original == language else original or "",
                "where": where,  # an adoption's with its year
                "note": note,
            }
        )
    return adoptions, learning


# What a map row holds of its region: not the outline.
MAP_ROW_FIELDS = ("slug", "path", "name", "name_en", "nuts_code", "label_lat", "label_lon")


@functools.cache
def _map_rows(language):
    one = GoodPractice.objects.published().filter(region=OuterRef("pk")).order_by()
    # Its title as its card names it: the version in ``language``, else the original.
    version = translations.version_annotations(GoodPractice, ("title",), language=language)
    shown = Coalesce(NullIf(version["version_title"], Value("")), "title")
    return (
        Region.objects.filter(practices__publication_state=PublicationState.PUBLISHED)
        .values("pk", *MAP_ROW_FIELDS)  # the GROUP BY
        .annotate(count=Count("practices"))
        .annotate(
            title=Case(When(count=1, then=Subquery(one.values(shown=shown)[:1]))),
            practice_slug=Case(When(count=1, then=Subquery(one.values("slug")[:1]))),
        )
        .order_by("path")
    )


def in_paths(*paths):
    """Return a ``Q`` for the regions in the subtrees at ``paths``: ``in_subtrees`` from rows."""
    condition = Q()
    for path in paths:
        condition |= below(path)
    return condition


def region_map_rows(*paths):
    """Return the published practices in the subtrees at ``paths`` as rows counted per region.

    Counted from the regions' side, so that the count reads only the practice
    index on (publication_state, region_id) instead of every practice row for
    its title (4,000 rows for a large country); the title and slug are looked
    up only where ``map_points_from_rows`` uses them, for a region holding one.
    The grouped queryset is built once per process and language, narrowed
    to the subtrees per request.
    """
    rows = _map_rows(get_language()).filter(in_paths(*paths))
    return [
        {
            **{f"region__{field}": row[field] for field in MAP_ROW_FIELDS},
            "count": row["count"],
            "title": row["title"],
            "practice_slug": row["practice_slug"],
        }
        for row in rows
    ]


# Pins of a region page's map: above this many places, their regions a
# level up (a country's NUTS 3 regions as its NUTS 2), so the page does not
# grow with the NUTS tree.
REGION_MAP_POINTS_MAX = 50


def map_points_from_rows(rows, regions):
    """Turn ``region_map_rows`` into pins, leaving out places without a label point.

    ``regions`` maps paths to the page's regions (``regions_around``). Above
    ``REGION_MAP_POINTS_MAX`` places the rows are grouped by the region above
    them at the level where they fit (or the nearest one above it that the
    page knows), one pin each at that region's label point; a group of one
    row stays that row's pin.
    """
    detail_url = url_for_slug("practices:practice-detail")
    list_url = reverse("practices:practice-list")
    depth = grouping_depth([row["region__path"] for row in rows], REGION_MAP_POINTS_MAX)
    groups = {}
    for row in rows:
        groups.setdefault(_group_path(row["region__path"], depth, regions), []).append(row)
    points = []
    for path, members in groups.items():
        region = regions[path] if len(members) > 1 else None
        if region is None:
            row = members[0]
            place = row["region__label_lat"], row["region__label_lon"]
            count, slug, path = row["count"], row["region__slug"], row["region__path"]
            name = region_name(
                row["region__nuts_code"], row["region__name"], row["region__name_en"]
            )
            code, title = row["region__nuts_code"] or "", row["title"] if count == 1 else ""
            url = (
                detail_url(row["practice_slug"])
                if count == 1
                else f"{list_url}?{urlencode({'region': slug})}"
            )
        else:
            count, slug = sum(row["count"] for row in members), region["slug"]
            name = region_name(region["nuts_code"], region["name"], region["name_en"])
            code, title = region["nuts_code"] or "", ""
            url = f"{list_url}?{urlencode({'region': slug})}"
            place = (region["label_lat"], region["label_lon"])
            if None in place:
                place = _weighted_centre(members)
        if place is None or None in place:
            continue
        points.append(
            {
                "lat": place[0],
                "lon": place[1],
                "count": count,
                "name": name,
                "code": code,
                "slug": slug,
                "path": path,
                "title": title,
                "url": url,
            }
        )
    return points


def _group_path(path, depth, regions):
    # The region at ``depth`` above ``path``, or the nearest one above that the page knows.
    for level in range(depth, 0, -1):
        above = path_at_depth(path, level)
        if above == path or above in regions:
            return above
    return path


def _weighted_centre(rows):
    # The centre of the rows' label points, each weighted by its practices.
    known = [
        r for r in rows if r["region__label_lat"] is not None and r["region__label_lon"] is not None
    ]
    total = sum(r["count"] for r in known)
    if not total:
        return None
    return (
        round(sum(r["region__label_lat"] * r["count"] for r in known) / total, 4),
        round(sum(r["region__label_lon"] * r["count"] for r in known) / total, 4),
    )


class RegionListView(PublicPageCacheMixin, ListingView):
    """Countries and the other areas, with practice counts; one country's tree on demand.

    ``/regions/`` lists the countries only, each linking to
    ``/regions/?country=<code>``, its NUTS tree: neither page grows with the
    number of regions of other countries. Both are read from ``region_tree``
    as plain rows (no query once it is read), each with its link, name and
    count as the page shows them.
    """

    template_name = "exchange/region_list.html"
    page_query_params = ("country",)

    def get(self, request, *args, **kwargs):
        given = request.GET.get("country", "").strip()[:12]
        self.tree = region_tree()
        self.country = None
        if given:
            code = given.upper()
            self.country = next(
                (
                    row
                    for _path, n in self.tree.paths
                    if (row := self.tree.rows[n])["nuts_code"] == code
                    and row["kind"] == Region.Kind.NUTS
                    and row["level"] == 0
                ),
                None,
            )
            if self.country is None:
                messages.warning(
                    request,
                    _("There is no country with the code “%(value)s”; all countries are shown.")
                    % {"value": given},
                )
        return super().get(request, *args, **kwargs)

    def get_base_queryset(self):
        """Return the listed regions as rows (copies: the page adds to them), by path."""
        rows = (self.tree.rows[n] for _path, n in self.tree.paths)
        if self.country is not None:
            code = self.country["country_code"]
            return [
                dict(r) for r in rows if r["country_code"] == code and r["kind"] == Region.Kind.NUTS
            ]
        return [
            dict(r)
            for r in rows
            if (r["kind"] == Region.Kind.NUTS and r["level"] == 0) or r["kind"] != Region.Kind.NUTS
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = practice_counts()
        regions = self.object_list
        by_id = {r["id"]: r for r in regions}
        region_url = url_for_slug("exchange:region-detail")
        kinds = choice_labels(Region.Kind.choices)
        countries, others = [], []
        for region in regions:
            region["url"] = region_url(region["slug"])
            region["display_name"] = region_name(
                region["nuts_code"], region["name"], region["name_en"]
            )
            region["kind_display"] = kinds.get(region["kind"], region["kind"])
            region["practice_count"] = n = counts.get(region["path"], 0)
            # Plain text, escaped by the template: not a {% blocktranslate count %} a row.
            region["count_text"] = ngettext("%(counter)s practice", "%(counter)s practices", n) % {
                "counter": n
            }
            region["tree_children"] = []
        country_by_code = {
            r["country_code"]: r
            for r in regions
            if r["kind"] == Region.Kind.NUTS and r["level"] == 0
        }
        for region in regions:
            if region["kind"] != Region.Kind.NUTS:
                others.append(region)
            elif region["level"] == 0:
                countries.append(region)
            # The full NUTS 3 level has over a thousand regions: list those
            # only where there is something to see.
            elif (
                region["level"] is not None
                and region["level"] >= 3
                and not region["practice_count"]
            ):
                continue
            else:
                parent = by_id.get(region["parent_id"]) or country_by_code.get(
                    region["country_code"]
                )
                if parent is not None:
                    parent["tree_children"].append(region)
        countries.sort(key=lambda r: sort_key(r["display_name"]))
        others.sort(key=lambda r: (r["kind"], sort_key(r["display_name"])))
        context.update(
            country=countries[0] if self.country is not None and countries else None,
            countries=countries,
            other_regions=others,
        )
        return context


class RegionDetailView(PublicPageCacheMixin, DetailView):
    """Everything that happens in a region and below it.

    At most nine queries (ten for an area covering NUTS regions), whatever
    the data size: the region with the regions around it (the region tree,
    no query once it is kept for the data generation), its practices, its
    organisations with their projects, its events, the events elsewhere with
    participants from it (two), the counts and map pins, the practices
    adopted here and the projects covering it (when ``regions_around`` says
    there are any). The long lists
    are read as plain rows with only the fields shown, and their links are
    built from one ``reverse()`` per kind of page: building model instances
    and reversing a URL per row cost more than the queries themselves.
    """

    model = Region
    template_name = "exchange/region_detail.html"
    context_object_name = "region"

    def get_object(self, queryset=None):
        """Read the region with its ancestors, the regions below it and the areas around.

        From the region tree (``regions_around``; a query only when the data
        changed): ancestors, descendants (children among them), areas
        covering it and areas it covers.
        """
        slug = self.kwargs["slug"]
        rows = regions_around(slug)
        row = next((r for r in rows if r["slug"] == slug), None)
        if row is None:
            raise Http404
        self.nearby = rows
        # The page's own region as a model instance (outline deferred), the
        # others stay rows: the page builds no instance for them.
        region = Region.from_db(
            router.db_for_read(Region), REGION_ROW_FIELDS, [row[f] for f in REGION_ROW_FIELDS]
        )
        region.took_part, region.has_area_projects = row["took_part"], row["has_area_projects"]
        return region

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = self.object
        nearby = [r for r in self.nearby if r["id"] != region.pk]
        children = [r for r in nearby if r["parent_id"] == region.pk]
        covered_by = [r for r in nearby if r["is_cover"]]
        covers = (
            sorted((r for r in nearby if r["is_covered"]), key=lambda r: r["path"])
            if region.kind != Region.Kind.NUTS
            else []
        )
        by_path = {r["path"]: r for r in nearby}
        ancestors = [by_path[path] for path in path_prefixes(region.path)[:-1] if path in by_path]
        # What the page shows of the rows it names: links from one reverse().
        region_url = url_for_slug("exchange:region-detail")
        kinds = choice_labels(Region.Kind.choices)
        for other in [*ancestors, *children, *covers, *covered_by]:
            other["url"] = region_url(other["slug"])
            other["display_name"] = region_name(other["nuts_code"], other["name"], other["name_en"])
            other["kind_display"] = kinds.get(other["kind"], other["kind"])
        # The subtree as a list of ids: the big tables are then read through
        # their region_id index instead of a LIKE over a join, and PostgreSQL
        # knows how many regions it is reading (given as a subquery, it guessed
        # and read all 33,000 organisations for a country's first 61).
        below_regions = {r["id"]: r for r in self.nearby if r["path"].startswith(region.path)}
        below = list(below_regions)
        # The ids as one array parameter (AnyOf), not a parameter each.
        in_below = AnyOf(F("region"), below)
        # The first practices picked from their index, then joined: joined
        # first, a region's few hundred practices were hashed against all
        # 33,000 organisations before the cut.
        first = _newest_practice_ids().filter(in_below)[:REGION_PAGE_PRACTICES]
        if not connection.features.allow_sliced_subqueries_with_in:
            first = [row["pk"] for row in first]
        practices = for_practice_cards(list(_practice_cards(get_language()).filter(pk__in=first)))
        organisations = region_organisations(below)
        # The events picked from their own table first, then joined, as on
        # the home page: joined first, a country's 350 events were hashed
        # against all 5,000 projects.
        now = timezone.now()
        first = upcoming_first(_published_events().filter(in_below), now=now).values("pk")[
            :REGION_PAGE_EVENTS
        ]
        if not connection.features.allow_sliced_subqueries_with_in:
            first = [row["pk"] for row in first]
        upcoming, past = upcoming_and_past(
            for_event_cards(list(_event_cards(get_language()).filter(pk__in=first))), now
        )
        # One grouped query over every subtree the page counts: the counts of
        # the region, its children, covered and covering areas, and the map.
        rows = region_map_rows(region.path, *(r["path"] for r in [*covers, *covered_by]))
        counts = roll_up((row["region__path"], row["count"]) for row in rows)
        # The map: this region and the areas it covers, not those covering it.
        mapped = (region.path, *(other["path"] for other in covers))
        # A macro-region rarely has practices of its own: show those of the
        # NUTS regions it covers as well, in their own section.
        covered_practices = []
        if covers:
            in_covered_area = Region.objects.filter(
                in_paths(*(other["path"] for other in covers))
            ).values("pk")
            covered_practices = for_practice_cards(
                list(
                    _practice_cards(get_language())
                    .filter(region__in=in_covered_area)
                    .exclude(region__in=below)[:REGION_PAGE_PRACTICES]
                )
            )
        for other in [*children, *covers, *covered_by]:
            other["practice_count"] = n = counts.get(other["path"], 0)
            # Plain text, escaped by the template: not a {% blocktranslate count %} a row.
            other["count_text"] = ngettext("%(counter)s practice", "%(counter)s practices", n) % {
                "counter": n
            }
        transfers, learning = region_transfers(region, below, below_regions)
        elsewhere = []
        if region.took_part:
            elsewhere = for_event_cards(
                events_with_participants_from(below, limit=REGION_PAGE_EVENTS)
            )
        context.update(
            events_elsewhere=elsewhere[:REGION_PAGE_EVENTS],
            more_events_elsewhere=len(elsewhere) > REGION_PAGE_EVENTS,
            ancestors=ancestors,
            practice_count=counts.get(region.path, 0),
            covered_practices=covered_practices,
            # Covered regions may nest (PL and PL9): count each subtree once.
            covered_practice_count=sum(
                counts.get(other["path"], 0)
                for other in covers
                if not any(
                    o["path"] != other["path"] and other["path"].startswith(o["path"])
                    for o in covers
                )
            ),
            practices=practices,
            map_points=map_points_from_rows(
                [row for row in rows if row["region__path"].startswith(mapped)],
                {r["path"]: r for r in self.nearby},
            ),
            map_list_url=reverse("practices:practice-list"),
            organisations=organisations[:REGION_PAGE_ORGANISATIONS],
            more_organisations=len(organisations) > REGION_PAGE_ORGANISATIONS,
            upcoming_events=upcoming,
            past_events=past,
            children=children,
            covers=covers,
            covered_by=covered_by,
            transfers=transfers[:REGION_PAGE_TRANSFERS],
            more_transfers=len(transfers) > REGION_PAGE_TRANSFERS,
            learning=learning[:REGION_PAGE_TRANSFERS],
            more_learning=len(learning) > REGION_PAGE_TRANSFERS,
            projects_in_area=(
                list(_projects_in_area(get_language()).filter(area=region))
                if region.has_area_projects
                else []
            ),
            breadcrumbs=[
                (_("Regions"), reverse("exchange:region-list")),
                *((a["display_name"], a["url"]) for a in ancestors),
                (region.display_name, ""),
            ],
        )
        return context


class ProjectListView(PublicPageCacheMixin, ListingView):
    template_name = "exchange/project_list.html"
    context_object_name = "projects"
    paginate_by = 50
    filterset_class = ProjectFilter
    count_kind = "project-count"
    # ?format=csv|json|xlsx downloads the whole filtered list (core.exports).
    export = staticmethod(project_export_response)

    def get_base_queryset(self):
        return listed_projects()

    def page_rows(self, queryset):
        # Plain rows of what a card shows: no model instances.
        return functools.partial(project_card_rows, queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = project_practice_counts()
        language = get_language()
        today = timezone.localdate()
        statuses = choice_labels(Project.Status.choices)
        project_url = url_for_slug("exchange:project-detail")

        # The card's counts as plain text (escaped by the template): two
        # {% blocktranslate count %} a card cost more than the rest of it.
        # Each count's text once a page: the cards share few counts.
        @functools.cache
        def partners_text(n):
            return ngettext("%(counter)s partner", "%(counter)s partners", n) % {"counter": n}

        @functools.cache
        def practices_text(n):
            return ngettext("%(counter)s practice", "%(counter)s practices", n) % {"counter": n}

        for project in context["object_list"]:
            project["url"] = project_url(project["slug"])
            project["practice_count"] = n = counts.get(project["id"], 0)
            project["partners_text"] = partners_text(project["partner_count"])
            project["practices_text"] = practices_text(n)
            # What the exchange/_project_*.html includes write, as Project's
            # properties give it, put together once a list: tags, filters and
            # model lookups a card were two thirds of the page's CPU.
            project["programme"] = project["programme__short_name"] or project["programme__name"]
            project["title_text"], project["title_lang"] = shown_title(
                project["version_title"],
                project["title"],
                project["title_en"],
                project["language"],
                language,
            )
            start, end = project["start_date"], project["end_date"]
            project["status"] = status = project_status(start, end, today)
            project["status_label"] = statuses[status]
            project["start_text"], project["end_text"] = date_text(start), date_text(end)
            project["start_iso"] = start and start.isoformat()
            project["end_iso"] = end and end.isoformat()
        return context


class ProjectDetailView(TranslatedPageMixin, PublicPageCacheMixin, DetailView):
    template_name = "exchange/project_detail.html"
    context_object_name = "project"

    def get_queryset(self):
        return project_page_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.object
        language = get_language()
        lists = project_lists(project)
        # Each row's links from one reverse() per kind of page (infra.links).
        region_url = url_for_slug("exchange:region-detail")
        organisation_url = url_for_slug("exchange:organisation-detail")
        roles = choice_labels(Partnership.Role.choices)
        for partner in lists["partnerships"]:
            partner["url"] = organisation_url(partner["slug"])
            partner["role_label"] = roles.get(partner["role"], partner["role"])
            if partner["region"] is not None:
                partner["region"]["url"] = region_url(partner["region"]["slug"])
        for region in (*lists["partner_regions"], *lists["partner_countries"]):
            region.url = region_url(region.slug)
        topic_url = reverse("practices:practice-list") + "?topic="
        for topic in lists["topics"]:
            topic.url = topic_url + topic.slug
        upcoming, past = split_events(
            for_event_cards(
                list(upcoming_first(_event_cards(language).published().filter(project=project)))
            )
        )
        if context["translated"]:
            # The title includes (exchange/_project_title.html) show the version.
            project.version_title = context["texts"]["title"]["text"]
        # The acronym, or the title as the heading shows it.
        label = project.acronym or project.title_text
        context.update(
            lists,
            practices=for_practice_cards(list(_practice_cards(language).filter(projects=project))),
            upcoming_events=upcoming,
            past_events=past,
            today=timezone.localdate(),
            page_label=label,
            breadcrumbs=[(_("Projects"), reverse("exchange:project-list")), (label, "")],
        )
        return context


class OrganisationListView(PublicPageCacheMixin, ListingView):
    template_name = "exchange/organisation_list.html"
    context_object_name = "organisations"
    paginate_by = 50
    filterset_class = OrganisationFilter
    count_kind = "organisation-count"
    # ?format=csv|json|xlsx downloads the whole filtered list (core.exports).
    export = staticmethod(export_response)

    def get_base_queryset(self):
        return listed_organisations()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Each row's two links, from one reverse() per kind of page.
        region_url = url_for_slug("exchange:region-detail")
        for organisation in with_links(context["object_list"], "exchange:organisation-detail"):
            if organisation.region is not None:
                organisation.region.url = region_url(organisation.region.slug)
        return context


class OrganisationDetailView(PublicPageCacheMixin, DetailView):
    template_name = "exchange/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return organisation_page_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.object
        # Each list newest first and bounded (LINKED_SHOWN), with its number.
        links = organisation_links(organisation)
        # Each row's links from one reverse() per kind of page (infra.links).
        project_url = url_for_slug("exchange:project-detail")
        region_url = url_for_slug("exchange:region-detail")
        event_url = url_for_slug("events:event-detail")
        practice_url = url_for_slug("practices:practice-detail")
        partnerships = links["partnerships"]
        for partnership in partnerships:
            project = partnership.project
            project.url = project_url(project.slug)
            # The title in the page's language (exchange/_project_title.html).
            project.version_title = partnership.version_title
            if partnership.region is not None:
                partnership.region.url = region_url(partnership.region.slug)
        events = links["events"]
        # Each day as the template writes it, formatted once per list (infra.text).
        for event in events:
            event.url = event_url(event.slug)
            first, last = event.first_day, event.last_day
            days = (first,) if first == last else (first, last)
            event.days = [(day.isoformat(), date_text(day)) for day in days]
            if event.project is not None:
                event.project.version_title = event.project_version_title
        presentations = links["presentations"]
        for talk in presentations:
            talk.event.url = event_url(talk.event.slug)
            day = talk.event.first_day
            talk.day_iso, talk.day_text = day.isoformat(), date_text(day)
            if talk.public_practice is not None:
                talk.public_practice.url = practice_url(talk.public_practice.slug)
        trail = trail_of(organisation)
        for region in trail:
            region.url = region_url(region.slug)
        context.update(
            partnerships=partnerships,
            more_projects=links["project_count"] - len(partnerships),
            many_projects=links["project_count"] > LINKED_COUNT_CAP,
            practices=for_practice_cards(links["practices"]),
            practice_count=links["practice_count"],
            events=events,
            more_events=links["event_count"] - len(events),
            many_events=links["event_count"] > LINKED_COUNT_CAP,
            presentations=presentations,
            more_presentations=links["presentation_count"] - len(presentations),
            many_presentations=links["presentation_count"] > LINKED_COUNT_CAP,
            count_cap=LINKED_COUNT_CAP,
            region_trail=trail,
            breadcrumbs=[
                (_("Organisations"), reverse("exchange:organisation-list")),
                (organisation.display_name, ""),
            ],
        )
        return context


class PolicyInstrumentDetailView(TranslatedPageMixin, PublicPageCacheMixin, DetailView):
    """A policy instrument and the practices, projects and events linked to it."""

    template_name = "exchange/policy_instrument_detail.html"
    context_object_name = "instrument"

    def get_queryset(self):
        return PolicyInstrument.objects.select_related("region").defer("region__outline")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        instrument = self.object
        links = policy_instrument_links(instrument)
        # Its own name on pages in its own language, the English one elsewhere.
        if instrument.name_en and instrument.language != get_language():
            shown_name = instrument.name_en
        else:
            shown_name = instrument.name
        context.update(
            shown_name=shown_name,
            practices=with_links(links["practices"], "practices:practice-detail"),
            practice_count=links["practice_count"],
            projects=links["projects"],
            more_projects=links["project_count"] - len(links["projects"]),
            many_projects=links["project_count"] > LINKED_COUNT_CAP,
            events=for_event_cards(links["events"]),
            more_events=links["event_count"] - len(links["events"]),
            many_events=links["event_count"] > LINKED_COUNT_CAP,
            count_cap=LINKED_COUNT_CAP,
            region_trail=region_trail(instrument.region),
            breadcrumbs=[
                (
                    context["texts"]["name"]["text"] if context["translated"] else shown_name,
                    "",
                )
            ],
        )
        return context


# The kinds of /search/, in the page's order: (key, heading, the listing that
# takes ?q=, or None: "see all" then pages through /search/?kind=).
SEARCH_SECTIONS = (
    ("practices", _lazy("Good practices"), "practices:practice-list"),
    ("projects", _lazy("Projects"), "exchange:project-list"),
    ("organisations", _lazy("Organisations"), "exchange:organisation-list"),
    ("events", _lazy("Events"), "events:event-list"),
    ("documents", _lazy("Documents"), "documents:document-list"),
    ("regions", _lazy("Regions"), None),
    ("policy_instruments", _lazy("Policy instruments"), None),
)
SEARCH_MAX_LENGTH = 200
SEARCH_PAGE_SIZE = 20


class SearchView(PublicPageCacheMixin, TemplateView):
    """One search box for everything: each kind's best matches, counted, linked to all of them.

    ``?kind=`` lists one kind's matches, page by page (regions and policy
    instruments have no listing of their own to link to).
    """

    template_name = "exchange/search.html"
    page_query_params = ("q", "kind", "page")
    charge_builds = True

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        # Too long is a request to refuse; words that find nothing are not.
        status = 400 if context["error"] == "too_long" else 200
        return self.render_to_response(context, status=status)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        raw = self.request.GET.get("q", "")
        q = normalise_query(raw)
        kinds = {key: (heading, listing) for key, heading, listing in SEARCH_SECTIONS}
        kind = self.request.GET.get("kind", "")
        kind = kind if kind in kinds else ""
        error = ""
        if len(raw) > SEARCH_MAX_LENGTH:
            error = "too_long"
            q = normalise_query(raw[:SEARCH_MAX_LENGTH])
        elif q and not WORD.search(q):
            error = "no_words"
        context.update(
            q=q,
            typed_length=len(raw),
            max_length=SEARCH_MAX_LENGTH,
            error=error,
            kind=kind,
            sections=[],
            total=0,
        )
        if not q or error:
            return context
        found = search_everything(
            q, kinds={kind} if kind else None, top=None if kind else SEARCH_TOP
        )
        sections = []
        for key, (heading, listing) in kinds.items():
            if key not in found:
                continue
            section = found[key]
            query = urlencode({"q": q})
            if listing:
                see_all = f"{reverse(listing)}?{query}"
            else:
                see_all = f"{reverse('exchange:search')}?{urlencode({'q': q, 'kind': key})}"
            section.update(key=key, heading=heading, see_all=see_all)
            if kind:
                page = Paginator(section["rows"], SEARCH_PAGE_SIZE).get_page(
                    self.request.GET.get("page")
                )
                section["rows"], context["page_obj"] = list(page), page
            sections.append(section)
        context.update(sections=sections, total=sum(s["count"] for s in sections))
        if kind:
            context["kind_heading"] = kinds[kind][0]
        return context


class AccessibilityView(PublicPageCacheMixin, TemplateView):
    template_name = "exchange/accessibility.html"


class InsightsView(PublicPageCacheMixin, ListingView):
    """What the exchange holds, at a glance: charts over the practice listing's filters.

    Every chart is an SVG drawn by a template, with its text summary, its
    table and its download (``?format=csv&chart=<id>``, also json and xlsx).
    The figures are counted once per filter state and data generation.
    """

    template_name = "exchange/insights.html"
    filterset_class = ListedPracticeFilter
    page_query_params = (*PracticeFilter.base_filters, "format", "chart")
    # A new filter state costs seconds of counting at 100,000 practices: the
    # listing's budget of builds per visitor applies.
    charge_builds = True

    def get_base_queryset(self):
        return listed_practices()

    def panel_fragment(self):
        # Its form is in the page's own fragment, not in the listings' shared panel.
        return {}

    def charts(self):
        """Return the page's charts and their figures (counted once per filter state)."""
        filterset = self.filterset
        figures = caching.single_flight(
            "insights", filterset.state(), lambda: insight_figures(filterset)
        )
        # Once per data generation: names, label points and projected outlines.
        regions = caching.cached(
            "insight-regions", ("nuts-0-2",), lambda: projected(region_catalogue())
        )
        links = Links(reverse("practices:practice-list"), self.request.GET.copy())
        return {"charts": build_charts(figures, regions, links), "totals": figures["totals"]}

    def export(self, request, queryset, fmt):
        name = request.GET.get("chart", "")
        if name not in CHARTS:
            return HttpResponseBadRequest(
                _("Name a chart to download: %(charts)s.") % {"charts": ", ".join(CHARTS)}
            )
        chart = next(c for c in self.charts()["charts"] if c["id"] == name)
        columns = [Column(key, None) for key in chart["table"]["keys"]]
        return rows_response(
            request, chart["table"]["rows"], columns, fmt, basename=f"insights-{name}"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("chart", None)
        query.pop("format", None)
        # The charts and the form are cached as one rendered fragment, like
        # the listing's filter panel, under the filter state and the query
        # their links and values keep: their figures, layout and menus are
        # read only when it is missing.
        fragments = caching.layer_on("fragments")
        context.update(
            insights=SimpleLazyObject(self.charts),
            fragment_key=caching.key(
                "insight-fragments" if fragments else "insight-fragments-off",
                (*self.filterset.state(), query.urlencode()),
            ),
            fragment_seconds=caching.DATA_CACHE_SECONDS if fragments else 0,
            listing_url=Links(reverse("practices:practice-list"), query).listing(),
            download_query=query.urlencode(),
            filter_options=SimpleLazyObject(
                lambda: self.filter_options(
                    caching.cached(
                        "insight-menus", ("countries", "topics", "programmes"), menu_rows
                    )
                )
            ),
        )
        return context

    def filter_options(self, rows):
        """Return the options of the page's filter menus: short lists, without counts."""
        data = self.filterset.cleaned_data

        def options(choices, selected):
            return [
                {"value": value, "label": str(label), "selected": value == selected}
                for value, label in choices
            ]

        def chosen(name, attribute):
            value = data.get(name)
            return getattr(value, attribute) if value else (value or "")

        return {
            "country": options(named_countries(rows["country"]), chosen("country", "nuts_code")),
            "topic": options(rows["topic"], chosen("topic", "slug")),
            "programme": options(rows["programme"], chosen("programme", "slug")),
            "status": options(PracticeStatus.choices, data.get("status") or ""),
            "language": options(CONTENT_LANGUAGES, data.get("language") or ""),
        }
