"""Reads that join several apps: the listings and pages of projects, regions, organisations."""

import bisect
import functools
from collections import defaultdict
from collections.abc import Callable
from typing import NamedTuple

from django.db import connection
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Concat, ExtractYear, NullIf, RowNumber
from django.db.models.lookups import Exact, LessThanOrEqual
from django.db.models.sql.constants import LOUTER
from django.utils.translation import get_language
from django_cte import CTE, with_cte

from core.countries import region_name
from core.expressions import AnyOf, json_list
from core.models import (
    Organisation,
    Partnership,
    PolicyInstrument,
    Programme,
    Project,
    ProjectTranslation,
    PublicationState,
    Region,
    Topic,
)
from core.regions import in_subtrees, roll_up
from core.search import name_matches, normalise_query, similar_names
from core.selectors import as_instances, partnership_count, region_ancestors
from core.translations import version_annotations
from events.models import (
    Event,
    Participant,
    ParticipantGroup,
    ParticipationRole,
    Presentation,
    participation_event_ids,
)
from events.selectors import EVENT_CARD_FIELDS
from infra import caching
from infra.caching import cached
from practices.models import GoodPractice, PracticeTally, Transfer
from practices.selectors import presented_version_title


def listed_projects():
    """Projects newest first, with the number of their partners (``practice_counts`` apart)."""
    return (
        Project.objects.for_listing()
        .annotate(partner_count=partnership_count("project"))
        .order_by("-start_date", "acronym", "pk")
    )


# What the project listing's cards show (exchange/project_list.html), as
# plain rows: neither the long texts nor a model instance a card.
PROJECT_CARD_FIELDS = (
    *("id", "slug", "acronym", "title", "title_en", "language", "start_date", "end_date"),
    *("programme_id", "programme__name", "programme__short_name", "partner_count"),
)


def project_card_rows(projects, ids):
    """Return the cards of ``ids``, a page of ``projects``, in its order.

    ``projects`` is ``listed_projects()`` filtered; each card has its title
    in the page's language where translated (``version_title``).
    """
    return (
        projects.filter(pk__in=ids)
        .annotate(**version_annotations(Project, ("title",)))
        .values(*PROJECT_CARD_FIELDS, "version_title")
    )


def project_practice_counts():
    """Return {project id: its published practices}, counted once per data generation.

    Counted per project on a page, each count read the practice rows to
    check they are published; one grouped query for all projects costs
    about as much as one page's counts did, and is then kept.
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


def regions_around(slug):
    """Return the region ``slug`` and the regions around it, by name, for the region page.

    Its ancestors, every region below it, the areas covering it and the
    areas it covers, each with ``is_cover`` (covers ``slug``) and
    ``is_covered`` (covered by it); the row of ``slug`` itself also with
    ``took_part`` (whether people from there or below took part in an
    event: a region whose people took part nowhere, most, then costs no
    query for ``events_with_participants_from``) and ``has_area_projects``
    (whether projects cover it as their area: most regions have none, and
    then the page does not ask for them). Plain rows (dicts of
    ``REGION_ROW_FIELDS`` and those four, the caller's to change), not model
    instances: the page names and links a few of a country's 86 and builds
    none. No outline: it is heavy and not drawn there. Taken from
    ``region_tree``: no query once the tree is read.
    """
    tree = region_tree()
    own = tree.by_slug.get(slug)
    if own is None:
        return []
    row = tree.rows[own]
    pk, path = row["id"], row["path"]
    # Ancestors: the regions whose path begins this one's (itself included).
    chosen = {tree.by_path[path[:n]] for n in range(len(path) + 1) if path[:n] in tree.by_path}
    # Below: the paths that begin with this one, a run of the sorted paths.
    paths = tree.paths
    at = bisect.bisect_left(paths, (path,))
    while at < len(paths) and paths[at][0].startswith(path):
        chosen.add(paths[at][1])
        at += 1
    covering = tree.covering.get(pk, frozenset())
    covered = tree.covered.get(pk, frozenset())
    chosen.update(tree.index[other] for other in covering | covered)
    rows = []
    for index in sorted(chosen):  # the tree's order: by name, then pk
        other = tree.rows[index]
        rows.append(
            {
                **other,
                "is_cover": other["id"] in covering,
                "is_covered": other["id"] in covered,
                "took_part": False,
                "has_area_projects": False,
            }
        )
    mine = next(r for r in rows if r["id"] == pk)
    mine["took_part"] = any(r["id"] in tree.took_part for r in rows if r["path"].startswith(path))
    mine["has_area_projects"] = pk in tree.area_ids
    return rows


# What a row of regions_around holds of its region: every field but the outline.
REGION_ROW_FIELDS = (
    "id",
    "name",
    "name_en",
    "slug",
    "kind",
    "nuts_code",
    "level",
    "parent_id",
    "path",
    "country_code",
    "label_lat",
    "label_lon",
)


class RegionTree(NamedTuple):
    """Every region as a row, and how they cover each other (``region_tree``)."""

    rows: list  # dicts of REGION_ROW_FIELDS, by name, then pk
    index: dict  # id -> position in rows
    by_slug: dict  # slug -> position
    by_path: dict  # path -> position
    paths: list  # (path, position), sorted by path
    covering: dict  # id -> ids of the areas covering it
    covered: dict  # id -> ids of the regions it covers
    took_part: set  # ids of the regions whose people took part in an event
    area_ids: set  # ids of the regions some project covers as its area


def region_tree():
    """Return the ``RegionTree``, read once per data generation in each process.

    Some 1,900 regions, read whole by every region page: one query when
    the data changed, none otherwise (``infra.caching.kept``). Whether a
    region's people took part in events and whether projects cover it are
    read with it, one flag a region.
    """
    return caching.kept("region-tree", _read_region_tree)


def _read_region_tree():
    participants = Participant.objects.filter(organisation__region=OuterRef("pk"))
    represented = Event.regions_represented.through.objects.filter(region=OuterRef("pk"))
    covers = Region.covers.through.objects.filter(from_region=OuterRef("pk"))
    rows = list(
        Region.objects.annotate(
            people_took_part=Exists(participants) | Exists(represented),
            is_area=Exists(Project.objects.filter(area=OuterRef("pk"))),
            # One query for the tree: the covers links as a list on the area's row.
            covers_ids=json_list(covers, ["to_region_id"], id=F("to_region_id")),
        )
        .values(*REGION_ROW_FIELDS, "people_took_part", "is_area", "covers_ids")
        .order_by("name", "pk")
    )
    took_part, area_ids = set(), set()
    covering, covered = defaultdict(set), defaultdict(set)
    for row in rows:
        if row.pop("people_took_part"):
            took_part.add(row["id"])
        if row.pop("is_area"):
            area_ids.add(row["id"])
        for link in row.pop("covers_ids"):
            covering[link["id"]].add(row["id"])
            covered[row["id"]].add(link["id"])
    return RegionTree(
        rows=rows,
        index={row["id"]: n for n, row in enumerate(rows)},
        by_slug={row["slug"]: n for n, row in enumerate(rows)},
        by_path={row["path"]: n for n, row in enumerate(rows)},
        paths=sorted((row["path"], n) for n, row in enumerate(rows)),
        covering=dict(covering),
        covered=dict(covered),
        took_part=took_part,
        area_ids=area_ids,
    )


def region_organisation_rows(below, *, first, projects_shown, language):
    """Return the ``first`` organisations based in the regions ``below``, with their first projects.

    Rows ``(id, slug, name, name_en, kind, city, region name, region name_en,
    region NUTS code, role, acronym, title_en, title, language, project slug,
    projects, version_title)``, by organisation name: one row per partnership
    among each organisation's ``projects_shown`` first (by acronym), or one
    with no project, and how many it has. Project titles in ``language``
    where translated. The partnerships are cut in a CTE of their own, so
    that the translations are looked up for the rows kept only.
    """
    if not below:
        return []
    chosen = CTE(
        _organisations_by_name().filter(AnyOf(F("region"), below))[:first],
        name="chosen_organisations",
    )
    ranked, rows = _organisation_rows(projects_shown, language)
    return list(with_cte(chosen, CTE(ranked.all(), name="ranked_partnerships"), select=rows.all()))


@functools.cache
def _organisations_by_name():
    # By name as an expression: the name index would walk the organisations
    # of every country, alphabetically, until it met this region's.
    return Organisation.objects.order_by(Concat("name", Value("")), "pk").values("id")


# The project columns the organisation rows carry, from the partnerships' CTE.
ROW_PROJECT_FIELDS = ("acronym", "title_en", "title", "language", "slug")


@functools.cache
def _organisation_rows(projects_shown, language):
    # Built once per process: the CTEs are referred to by name, so the
    # queries around them do not depend on the request (each is cloned).
    chosen = CTE(Organisation.objects.none(), name="chosen_organisations")
    by_organisation = {"partition_by": F("organisation_id")}
    ranked = (
        chosen.join(Partnership, organisation_id=chosen.col.id)
        .values(
            "id",
            "organisation_id",
            "role",
            "project_id",
            **{f"project_{name}": F(f"project__{name}") for name in ROW_PROJECT_FIELDS},
        )
        .annotate(
            row_rank=Window(
                RowNumber(), order_by=[F("project__acronym"), F("id")], **by_organisation
            ),
            projects=Window(Count("*"), **by_organisation),
        )
        .order_by()
    )
    cut = CTE(ranked, name="ranked_partnerships")
    rows = (
        cut.join(
            chosen.join(Organisation, id=chosen.col.id),
            LessThanOrEqual(cut.col.row_rank, projects_shown),
            id=cut.col.organisation_id,
            _join_type=LOUTER,
        )
        .annotate(
            role=cut.col.role,
            project=cut.col.project_id,
            **{
                f"project_{name}": getattr(cut.col, f"project_{name}")
                for name in ROW_PROJECT_FIELDS
            },
            project_count=Coalesce(cut.col.projects, 0),
        )
        .order_by("name", "pk", cut.col.project_acronym, cut.col.id)
        .values_list(
            "pk",
            "slug",
            "name",
            "name_en",
            "kind",
            "city",
            "region__name",
            "region__name_en",
            "region__nuts_code",
            "role",
            *(f"project_{name}" for name in ROW_PROJECT_FIELDS),
            "project_count",
        )
        .annotate(**version_annotations(Project, ("title",), of="project", language=language))
    )
    return ranked, rows


def region_transfer_rows(below, *, shown, language):
    """Return the transfers of published practices into the regions ``below``, as rows.

    Rows ``(state, year, note, region id, practice slug, practice title,
    practice language, its region's id, version_title)``, newest first, then
    by practice title (the practice's region is named from ``region_tree``,
    not joined to all regions): the first
    ``shown`` adoptions and the first ``shown`` learning regions, each
    numbered in its own window. Only transfers whose region agreed to be
    shown; practice titles in ``language`` where translated, looked up for
    the rows kept only (the window's cut in a CTE of its own). The adopting
    region is one of ``below``, which the caller has read: by id only.
    """
    if not below:
        return []
    ranked, rows = _transfer_rows(shown, language)
    return list(
        with_cte(
            CTE(ranked.filter(AnyOf(F("region"), below)), name="ranked_transfers"),
            select=rows.all(),
        )
    )


@functools.cache
def _transfer_rows(shown, language):
    # Built once per process, as _organisation_rows.
    adopted = Q(state=Transfer.State.ADOPTED)
    newest = [F("year").desc(nulls_last=True), F("practice__title"), F("pk")]
    ranked = (
        Transfer.objects.filter(
            adopted | Q(state__in=Transfer.LEARNING),
            practice__publication_state=PublicationState.PUBLISHED,
            show_region=True,
        )
        .values("id", "state", "year", "note", "region_id", "practice_id")
        .annotate(
            row_rank=Window(
                RowNumber(),
                partition_by=[ExpressionWrapper(adopted, output_field=BooleanField())],
                order_by=newest,
            )
        )
        .order_by()
    )
    rows = (
        CTE(ranked, name="ranked_transfers")
        .queryset()
        .filter(row_rank__lte=shown)
        .order_by(*newest)
        .values_list(
            "state",
            "year",
            "note",
            "region_id",
            "practice__slug",
            "practice__title",
            "practice__language",
            "practice__region_id",
        )
        .annotate(**version_annotations(GoodPractice, ("title",), of="practice", language=language))
    )
    return ranked, rows


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
        .annotate(**version_annotations(Event, ("title",)))
        .order_by("-start", "pk")[: limit + 1]
    )


# The project page's one query, built once per process (functools.cache) and
# narrowed per request, as the organisation page's: building it anew was a
# measurable share of the page's CPU. Only ever cloned.

# What the page shows of a region: its name (a country's localised by its
# code) and its link.
PLACE_FIELDS = ("id", "slug", "name", "name_en", "nuts_code", "level", "kind", "country_code")
# What it shows of a partner: the organisation, its role, the region it represents.
PARTNER_FIELDS = {
    "role": "role",
    "slug": "organisation__slug",
    "name": "organisation__name",
    "name_en": "organisation__name_en",
    "city": "organisation__city",
    **{f"region_{name}": f"region__{name}" for name in ("slug", "name", "name_en", "nuts_code")},
    **{
        f"home_{name}": f"organisation__region__{name}"
        for name in ("slug", "name", "name_en", "nuts_code")
    },
}
PARTNER_ROLE_ORDER = (
    Partnership.Role.LEAD_PARTNER,
    Partnership.Role.PARTNER,
    Partnership.Role.ADVISORY_PARTNER,
    Partnership.Role.ASSOCIATED,
)


@functools.cache
def project_page_queryset():
    """Projects as their page reads them, with their partners, topics, instruments and places.

    One query: the programme and cooperation area (no outline), whether the
    project has translations (``core.translations.content_version``), and
    as JSON lists (``project_lists``) its partnerships (lead partner first),
    topics, the policy instruments it aims to improve, its partners' regions
    and the countries of those and of its named partners' regions (a
    partnership's region, else its organisation's).
    """
    project = OuterRef("pk")
    role_order = Case(
        *(When(role=role, then=Value(i)) for i, role in enumerate(PARTNER_ROLE_ORDER)),
        default=Value(len(PARTNER_ROLE_ORDER)),
        output_field=IntegerField(),
    )
    codes = (
        Region.objects.filter(projects_with_partners=OuterRef(project))
        .order_by()
        .values("country_code")
        .union(
            Partnership.objects.filter(project=OuterRef(project))
            .order_by()
            .values(code=Coalesce("region__country_code", "organisation__region__country_code"))
        )
    )
    # A country's NUTS code is its country code: each found by its unique index.
    countries = Region.objects.countries().filter(nuts_code__in=codes)
    places = {name: F(name) for name in PLACE_FIELDS}
    return (
        Project.objects.select_related("programme", "area")
        .defer("translation_words", "area__outline")
        .annotate(
            has_translations=Exists(ProjectTranslation.objects.filter(master=project)),
            partnership_list=json_list(
                Partnership.objects.filter(project=project),
                [role_order, "organisation__name"],
                **{key: F(field) for key, field in PARTNER_FIELDS.items()},
            ),
            topic_list=json_list(
                Topic.objects.filter(project=project),
                ["name", "id"],
                **{name: F(name) for name in ("id", "name", "slug")},
            ),
            instrument_list=json_list(
                PolicyInstrument.objects.filter(projects=project),
                ["name", "id"],
                **{name: F(name) for name in ("id", "slug", "name", "name_en", "language")},
            ),
            partner_region_list=json_list(
                Region.objects.filter(projects_with_partners=project), ["name", "id"], **places
            ),
            country_list=json_list(countries, ["nuts_code"], **places),
        )
    )


def project_lists(project):
    """Return the partners, topics, instruments, partners' regions and countries of ``project``.

    No query: ``project`` is a row of ``project_page_queryset``. Each
    partner is a dict of ``role``, ``slug``, ``name`` (English where given),
    ``city`` and the region it represents (``region``: ``slug`` and
    ``name``, or None). Regions that are countries are among the countries
    only; countries by their name in the page's language.
    """
    partners = []
    for row in project.partnership_list:
        # The partnership's region, else its organisation's.
        side = "region" if row["region_slug"] is not None else "home"
        region = None
        if row[f"{side}_slug"] is not None:
            region = {
                "slug": row[f"{side}_slug"],
                "name": region_name(
                    row[f"{side}_nuts_code"], row[f"{side}_name"], row[f"{side}_name_en"]
                ),
            }
        partners.append(
            {
                "role": row["role"],
                "slug": row["slug"],
                "name": row["name_en"] or row["name"],
                "city": row["city"],
                "region": region,
            }
        )
    regions = as_instances(Region, project.partner_region_list)
    return {
        "partnerships": partners,
        "topics": as_instances(Topic, project.topic_list),
        "instruments": as_instances(PolicyInstrument, project.instrument_list),
        "partner_regions": [r for r in regions if not r.is_country],
        "partner_countries": sorted(
            as_instances(Region, project.country_list), key=lambda r: r.display_name
        ),
    }


# How many of each kind a policy instrument's or an organisation's page
# lists, newest first; the page counts the rest and links to them.
LINKED_SHOWN = {"practices": 20, "practice_cards": 10, "projects": 20, "events": 10, "talks": 10}


# Counted up to this number ("more than 1,000"), as the practice listing counts.
LINKED_COUNT_CAP = 1000


def shown_with_total(queryset, kind, *, order, rows=None):
    """Return ``(rows, total)``: the first ``LINKED_SHOWN[kind]`` rows in ``order``, and how many.

    One query: the total is a window count over the first ``LINKED_COUNT_CAP
    + 1`` rows (a total above the cap means "more than"), so an instrument
    linked to every practice reads a thousand rows, not all of them.
    ``rows``: what the page reads of each (joins, ``only``, annotations), the
    same model's rows read by the ids ``queryset`` selects, so that its
    conditions are compiled and planned once rather than twice.
    """
    first = queryset.order_by(*order).values("pk")[: LINKED_COUNT_CAP + 1]
    shown = list(
        (queryset if rows is None else rows)
        .filter(pk__in=first)
        .annotate(listed_total=Window(Count("pk")))
        .order_by(*order)[: LINKED_SHOWN[kind]]
    )
    return shown, shown[0].listed_total if shown else 0


def policy_instrument_links(instrument):
    """Return what links to ``instrument``: published practices, projects, published events.

    Each kind's newest (``LINKED_SHOWN``) and their number (``<kind>_count``):
    three queries, whatever their numbers.
    """
    practices, practice_count = shown_with_total(
        instrument.practices.published(),
        "practices",
        order=("-published_at", "-pk"),
        rows=GoodPractice.objects.select_related("region")
        .only("slug", "title", "language", *REGION_NAME)
        .annotate(**version_annotations(GoodPractice, ("title",))),
    )
    projects, project_count = shown_with_total(
        instrument.projects.all(),
        "projects",
        order=(F("start_date").desc(nulls_last=True), "acronym", "pk"),
        rows=Project.objects.only("slug", "acronym", "title", "title_en", "language").annotate(
            **version_annotations(Project, ("title",))
        ),
    )
    events, event_count = shown_with_total(
        instrument.events.published(),
        "events",
        order=("-start", "pk"),
        rows=Event.objects.select_related("project", "region")
        .only(*EVENT_CARD_FIELDS)
        .annotate(**version_annotations(Event, ("title",))),
    )
    return {
        "practices": practices,
        "practice_count": practice_count,
        "projects": projects,
        "project_count": project_count,
        "events": events,
        "event_count": event_count,
    }


@functools.cache
def organisation_page_queryset():
    """Organisations as their page reads them: the region and its ancestors (``trail_of``)."""
    return (
        Organisation.objects.select_related("region")
        .defer("region__outline")
        .annotate(**region_ancestors(Organisation))
    )


# What the organisation page reads of its projects, events, talks and practices
# (no region outlines, no long texts), built once per process and language:
# building them anew was a measurable share of the page's CPU. Only ever cloned.


@functools.cache
def _organisation_page_rows(language):
    project_title = version_annotations(Project, ("title",), of="project", language=language)
    return {
        "partnerships": Partnership.objects.select_related(
            "project", "project__programme", "region"
        )
        .only(
            "role",
            "project__slug",
            "project__acronym",
            "project__title",
            "project__title_en",
            "project__language",
            "project__programme__name",
            "project__programme__short_name",
            "region__slug",
            *REGION_NAME,
        )
        .annotate(**project_title),
        "talks": Presentation.objects.select_related("event", "practice", "presenter")
        .only(
            "title",
            "event__slug",
            "event__title",
            "event__title_en",
            # The title in the page's language, and its lang (Event.title_text).
            "event__language",
            "event__start",
            "event__time_zone",
            "practice__slug",
            "practice__title",
            "practice__language",
            "practice__publication_state",
            "presenter__name",
        )
        .annotate(**presented_version_title(language)),
        "events": Event.objects.select_related("project")
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
        .annotate(
            **version_annotations(Event, ("title",), language=language),
            project_version_title=project_title["version_title"],
        ),
        "practices": GoodPractice.objects.select_related("region")
        .only("slug", "title", "summary", "language", "organisation", *REGION_NAME)
        .annotate(**version_annotations(GoodPractice, ("title", "summary"), language=language)),
    }


def organisation_links(organisation):
    """Return what the page of ``organisation`` lists: its projects, events, talks, practices.

    Each kind's newest (``LINKED_SHOWN``) and their number (``<kind>_count``):
    four queries, whatever their numbers. Projects come as partnerships (with
    the organisation's role); events say which of organised, hosted,
    presented, attended it did; titles in the page's language where
    translated (``version_title``, ``project_version_title``,
    ``practice_version_title``).
    """
    rows = _organisation_page_rows(get_language())
    partnerships, project_count = shown_with_total(
        organisation.partnerships.all(),
        "projects",
        order=("-project__start_date", "project__acronym", "pk"),
        rows=rows["partnerships"],
    )
    events, event_count = shown_with_total(
        _events_of(organisation),
        "events",
        order=("-start", "pk"),
        rows=rows["events"].annotate(**_event_flags(organisation)),
    )
    talks, talk_count = shown_with_total(
        Presentation.objects.filter(
            Q(organisation=organisation)
            | Q(organisation__isnull=True, presenter__organisation=organisation),
            event__publication_state=PublicationState.PUBLISHED,
        ),
        "talks",
        order=("-event__start", "order", "pk"),
        rows=rows["talks"],
    )
    practices, practice_count = shown_with_total(
        GoodPractice.objects.published().filter(organisation=organisation),
        "practice_cards",
        order=("-published_at", "-id"),
        rows=rows["practices"],
    )
    # The cards name the practice's organisation: this one, not joined again.
    for practice in practices:
        practice.organisation = organisation
    return {
        "partnerships": partnerships,
        "project_count": project_count,
        "events": events,
        "event_count": event_count,
        "presentations": talks,
        "presentation_count": talk_count,
        "practices": practices,
        "practice_count": practice_count,
    }


def _events_of(organisation):
    # The events it took part in, from the three link tables: as an OR of the
    # four flags of _event_flags, every published event was read to test them.
    presenters = Q(organisation=organisation) | Q(
        organisation__isnull=True, presenter__organisation=organisation
    )
    linked = (
        Event.organisers.through.objects.filter(organisation=organisation)
        .values("event_id")
        .union(
            Participant.objects.filter(organisation=organisation).order_by().values("event_id"),
            Presentation.objects.filter(presenters).order_by().values("event_id"),
        )
    )
    return Event.objects.published().filter(pk__in=linked)


def _event_flags(organisation):
    """Which of organised, hosted, attended, presented ``organisation`` did at each event."""
    event = OuterRef("pk")
    took_part = Participant.objects.filter(event=event, organisation=organisation)
    presenters = Q(organisation=organisation) | Q(
        organisation__isnull=True, presenter__organisation=organisation
    )
    return {
        "organised": Exists(
            Event.organisers.through.objects.filter(event=event, organisation=organisation)
        ),
        "hosted": Exists(took_part.filter(role=ParticipationRole.HOST)),
        "attended": Exists(took_part.exclude(role=ParticipationRole.HOST)),
        "presented": Exists(Presentation.objects.filter(presenters, event=event)),
    }


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
            practices.only("slug", "title", "language", "published_at", *REGION_NAME).annotate(
                **version_annotations(GoodPractice, ("title",))
            ),
            word_matches,
            similar_titles,
            ("-published_at", "-id"),
            BROAD_SEARCH_MATCHES,
        ),
        "projects": names(
            Project,
            Project.objects.only(
                "slug", "acronym", "title", "title_en", "language", "start_date"
            ).annotate(**version_annotations(Project, ("title",))),
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
            Event.objects.published()
            .only("slug", "title", "title_en", "language", "start", "end", "all_day", "time_zone")
            .annotate(**version_annotations(Event, ("title",))),
            ("-start", "pk"),
        ),
        "documents": names(
            Output,
            Output.objects.published()
            .only("slug", "title", "language", "kind", "date", "file", "url")
            .annotate(**version_annotations(Output, ("title",))),
            ("-date", "pk"),
        ),
        "regions": names(
            Region,
            Region.objects.only("slug", "name", "name_en", "nuts_code", "kind", "level"),
            ("path", "pk"),
        ),
        "policy_instruments": names(
            PolicyInstrument,
            PolicyInstrument.objects.only("slug", "name", "name_en", "language").annotate(
                **version_annotations(PolicyInstrument, ("name",))
            ),
            ("name", "pk"),
        ),
    }


def search_everything(q, *, kinds=None, top=SEARCH_TOP):
    """Return ``{kind: {"rows", "count", "more"}}`` for the words ``q``, best matches first.

    First each kind's rows that have the words, counted up to
    ``SEARCH_COUNT_CAP`` + 1 (``more`` when there are more), all in one
    query (``search_counts``). Only when no row of any kind has them, the
    misspelling fallback (similar words) counts each kind again, in a
    second one. The counts are cached per data generation
    (``infra.caching``). Then the ``top`` best of each kind that has
    matches: one query each. A kind with more matches than it ranks
    (``rank_cap``) lists them in its own order, as the practice listing
    does with a broad search: ranking every match of a common word reads
    and, for names, parses each one (figures in bench/README.md).
    """
    chosen = {k: v for k, v in search_kinds().items() if kinds is None or k in kinds}
    # Cached as the listings' counts are (a common word's count reads
    # thousands of rows); the rows themselves are read each time.
    counted = caching.cached(
        "search-counts",
        (*sorted(chosen), normalise_query(q).lower()),
        lambda: search_counts(chosen, q),
    )
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


def search_counts(chosen, q):
    """Return ``{"similar", "counts": {kind: count}}`` of the kinds ``chosen``.

    Each kind's rows with the words of ``q``, counted up to
    ``SEARCH_COUNT_CAP`` + 1, all kinds in one query; only when no row of
    any kind has them, the rows with similar words, counted in a second one.
    Not the two in one query behind a condition: planning the trigram
    searches a found word never runs doubled the time of its counts.
    """
    counts = _counted_kinds(chosen, q, "words")
    if any(counts.values()):
        return {"similar": False, "counts": counts}
    return {"similar": True, "counts": _counted_kinds(chosen, q, "similar")}


def _counted_kinds(chosen, q, search):
    """Return ``{kind: count}`` of the ``search`` ("words", "similar") of each kind, in one query.

    Each kind's matches capped in a CTE, counted by one part of a UNION ALL.
    """
    ctes = {
        kind: CTE(
            getattr(spec, search)(spec.queryset, q).order_by().values("pk")[: SEARCH_COUNT_CAP + 1],
            name=f"search_{kind}",
        )
        for kind, spec in chosen.items()
    }
    parts = [
        cte.queryset()
        .order_by()
        .values(kind=Value(kind, output_field=CharField()))
        .annotate(n=Count("*"))
        .values_list("kind", "n")
        for kind, cte in ctes.items()
    ]
    counted = dict(with_cte(*ctes.values(), select=parts[0].union(*parts[1:], all=True)))
    return {kind: counted.get(kind, 0) for kind in chosen}


# The insights page ----------------------------------------------------------

# The longest lists the insights page charts; the data tables of the longer
# ones (regions, flows, projects) and their downloads keep the same rows.
INSIGHT_ROWS = 15
# Years shown in the topics-over-time grid and the events chart; earlier
# years are summed (the grid) or left to the table (events).
INSIGHT_YEARS = 10
# Topics in the grid (the most frequent; the table has them all).
INSIGHT_TOPICS = 12


def insight_events(filterset):
    """Published events narrowed by the listing filters that concern events.

    An event has a project (so a programme), a region and dates; it has no
    topic, status or language of a practice, and the search is of practices.
    """
    data = filterset.cleaned_data
    events = Event.objects.published()
    if data.get("project"):
        events = events.filter(project=data["project"])
    if data.get("programme"):
        events = events.filter(project__programme=data["programme"])
    if data.get("country"):
        events = events.filter(region__country_code=data["country"].country_code)
    if data.get("region"):
        events = events.filter(in_subtrees(data["region"], path="region__path"))
    if data.get("year"):
        events = events.filter(start__year=data["year"])
    return events


# The filters that narrow the projects (``insight_projects``).
PROJECT_FILTERS = ("project", "programme", "topic", "country", "region", "year")


def insight_projects(filterset):
    """Projects narrowed by the listing filters that concern projects.

    Programme, project, topic, the year they were running in, and a country
    or region one of their partners comes from.
    """
    data = filterset.cleaned_data
    projects = Project.objects.all()
    if data.get("project"):
        projects = projects.filter(pk=data["project"].pk)
    if data.get("programme"):
        projects = projects.filter(programme=data["programme"])
    if data.get("topic"):
        projects = projects.filter(
            Exists(
                Project.topics.through.objects.filter(project=OuterRef("pk"), topic=data["topic"])
            )
        )
    place = None
    if data.get("country"):
        place = Q(organisation__region__country_code=data["country"].country_code)
    if data.get("region"):
        place = in_subtrees(data["region"], path="organisation__region__path")
    if place is not None:
        projects = projects.filter(
            Exists(Partnership.objects.filter(place, project=OuterRef("pk")))
        )
    if data.get("year"):
        projects = projects.filter(
            Q(start_date__year__lte=data["year"]) | Q(start_date=None),
            Q(end_date__year__gte=data["year"]) | Q(end_date=None),
        )
    return projects


# The columns every part of the insights query gives, by alias: up to three
# keys (text) and three numbers; a part leaves out those it does not need.
INSIGHT_KEYS = ("k1", "k2", "k3")
INSIGHT_NUMBERS = ("n1", "n2", "n3")


def insight_part(name, queryset, keys, numbers):
    """Group ``queryset`` by ``keys`` into the insights query's columns: part, k1..k3, n1..n3.

    The keys as text and the numbers as floats, NULL where a part has none,
    so that every part of the UNION ALL has the same columns.
    """
    # Text without a length: PostgreSQL sizes a VARCHAR(500) at 500 bytes a
    # row, and the plan's sorts then cost enough to compile it (JIT, 0.6 s).
    text, number = CharField(), FloatField()
    groups = {k: Cast(keys.get(k, Value(None)), text) for k in INSIGHT_KEYS}
    totals = {n: Cast(numbers.get(n, Value(None)), number) for n in INSIGHT_NUMBERS}
    return (
        queryset.order_by()
        .values(**groups)
        .annotate(part=Value(name, output_field=CharField(max_length=20)), **totals)
        .values_list("part", *INSIGHT_KEYS, *INSIGHT_NUMBERS)
    )


def _practice_columns(practices):
    """The columns of the filtered practices' CTE, read from ``practices``."""
    return practices.values(
        pid=F("pk"),
        place=F("region_id"),
        country=F("region__country_code"),
        written=F("completeness"),
        # An integer, not PostgreSQL's numeric EXTRACT: cheaper to group.
        year=Cast(Coalesce(ExtractYear("start_date"), ExtractYear("published_at")), IntegerField()),
    )


@functools.cache
def _insight_practice_parts():
    """Return the practice counts: ``({CTE name: queryset}, {part name: queryset})``.

    Built once per process (each is cloned at each use): the filtered
    practices are a CTE referred to by name, so nothing here depends on the
    request. The long groupings (practices per region, topic and year,
    project) are counted by integer keys in CTEs of their own, and only
    their few rows join the names: grouping 170,000 topic pairs by name
    sorted on disk.
    """
    chosen = CTE(_practice_columns(GoodPractice.objects.none()), name="insight_practices")
    complete = Exact(chosen.col.written, 100)
    counted = {
        "insight_regions": chosen.queryset()
        .values(place_id=chosen.col.place)
        .annotate(
            n=Count("*"),
            complete=Count(chosen.col.pid, filter=Q(complete)),
            written=Sum(chosen.col.written),
        )
        .order_by(),
        "insight_topic_years": chosen.join(
            GoodPractice.topics.through, goodpractice_id=chosen.col.pid
        )
        .values("topic_id", started=chosen.col.year)
        .annotate(n=Count("*"))
        .order_by(),
        "insight_projects": chosen.join(
            GoodPractice.projects.through, goodpractice_id=chosen.col.pid
        )
        .values("project_id")
        .annotate(
            n=Count("*"),
            complete=Count(chosen.col.pid, filter=Q(complete)),
            written=Avg(chosen.col.written),
        )
        .order_by(),
    }
    per_region, per_topic_year, per_project = (
        CTE(queryset, name=name) for name, queryset in counted.items()
    )
    completeness = insight_part(
        "completeness",
        per_project.join(Project, id=per_project.col.project_id),
        {"k1": F("slug"), "k2": F("acronym"), "k3": F("title")},
        {"n1": per_project.col.n, "n2": per_project.col.complete, "n3": per_project.col.written},
    )
    if connection.features.supports_slicing_ordering_in_compound:
        # The projects with most practices; SQLite cannot cut inside a UNION
        # (the demo's few projects): insight_figures does, in the same order.
        completeness = completeness.order_by("-n1", "n3", "k1")[:INSIGHT_ROWS]
    return counted, {
        "region": insight_part(
            "region",
            per_region.queryset(),
            {"k1": Subquery(Region.objects.filter(pk=OuterRef("place_id")).values("path"))},
            {
                "n1": per_region.col.n,
                "n2": per_region.col.complete,
                "n3": per_region.col.written,
            },
        ),
        "topic_year": insight_part(
            "topic_year",
            per_topic_year.join(Topic, id=per_topic_year.col.topic_id),
            {"k1": F("slug"), "k2": F("name"), "k3": per_topic_year.col.started},
            {"n1": per_topic_year.col.n},
        ),
        "flow": insight_part(
            "flow",
            chosen.join(Transfer, practice_id=chosen.col.pid),
            {"k1": chosen.col.country, "k2": F("region__country_code")},
            {"n1": Count("*")},
        ),
        "completeness": completeness,
    }


def _tallied_counts(scope):
    """Return ``_insight_practice_parts``' counted CTEs as read from ``PracticeTally``.

    The same names and columns, for every published practice (``scope``
    0) or those of one topic (its id): a few thousand kept rows grouped
    instead of 87,000 practices joined with their topics and projects
    (bench/README.md, "Insights: the first visit without filters or with
    a topic, from a kept tally").
    """
    tally = PracticeTally.objects.filter(scope=scope, practices__gt=0).order_by()
    complete = Q(completeness=100)
    return {
        "insight_regions": tally.filter(kind="region")
        .values(place_id=NullIf("key", Value(0)))
        .annotate(
            n=Sum("practices"),
            complete=Coalesce(Sum("practices", filter=complete), 0),
            written=Sum(F("practices") * F("completeness")),
        ),
        "insight_topic_years": tally.filter(kind="topic")
        .values(topic_id=F("key"), started=NullIf("year", Value(0)))
        .annotate(n=Sum("practices")),
        "insight_projects": tally.filter(kind="project")
        .values(project_id=F("key"))
        .annotate(
            n=Sum("practices"),
            complete=Coalesce(Sum("practices", filter=complete), 0),
            written=Cast(Sum(F("practices") * F("completeness")), FloatField())
            / Cast(Sum("practices"), FloatField()),
        ),
    }


def _tally_scope(filterset):
    """Return the tally's scope that holds the counts of this filter state, or None.

    0 without filters, a topic's id with that topic only: the states the
    tally counts; any other filter counts the practices at query time.
    """
    data = filterset.cleaned_data
    used = {name for name, value in data.items() if name != "sort" and value not in (None, "")}
    if not used:
        return 0
    if used == {"topic"}:
        return data["topic"].pk
    return None


def insight_parts(filterset):
    """Return the insights page's aggregations, grouped in the database: ``([CTE], [queryset])``.

    The filtered practices are selected once, in a common table expression
    (django-cte, as ``practices.selectors.facet_rows``) that the practice
    counts (``_insight_practice_parts``) read: the filters (a common word's
    search) run once, and the counts read the few columns they need instead
    of the practices' rows. Without filters or with a topic only, the counts
    are read from the tally the database keeps (``_tallied_counts``) and
    the flows from the transfers of those practices.
    """
    counted, practice_parts = _insight_practice_parts()
    practice = {name: part.all() for name, part in practice_parts.items()}
    scope = _tally_scope(filterset)
    if scope is None:
        # The practices as the facets count them: a search's words given to the
        # plan as a parameter (its GIN index), not a scan of every search vector.
        filtered = filterset.apply_filters(filterset.facet_base().order_by())
        chosen = CTE(_practice_columns(filtered), name="insight_practices")
        ctes = [chosen, *(CTE(queryset.all(), name=name) for name, queryset in counted.items())]
    else:
        ctes = [CTE(queryset, name=name) for name, queryset in _tallied_counts(scope).items()]
        transfers = Transfer.objects.filter(practice__publication_state=PublicationState.PUBLISHED)
        if scope:
            transfers = transfers.filter(
                Exists(
                    GoodPractice.topics.through.objects.filter(
                        goodpractice_id=OuterRef("practice_id"), topic_id=scope
                    )
                )
            )
        practice["flow"] = insight_part(
            "flow",
            transfers,
            {"k1": F("practice__region__country_code"), "k2": F("region__country_code")},
            {"n1": Count("*")},
        )
    events = insight_events(filterset)
    event_ids = events.values("pk")
    projects = insight_projects(filterset)
    # A partner of any project, unless a filter narrows the projects.
    partner_projects = (
        Q(project__in=projects.values("pk"))
        if any(filterset.cleaned_data.get(name) for name in PROJECT_FILTERS)
        else Q()
    )
    return ctes, [
        practice["region"],
        practice["topic_year"],
        practice["flow"],
        insight_part(
            "event",
            events,
            {"k1": ExtractYear("start"), "k2": F("format")},
            {"n1": Count("pk")},
        ),
        # People counted: a named person is one; an organisation or a group
        # counts the people stated for it (none when not stated).
        insight_part(
            "people",
            Participant.objects.filter(event__in=event_ids),
            {"k1": ExtractYear("event__start")},
            {
                "n1": Sum(
                    Case(
                        When(person__isnull=False, then=1),
                        default=Coalesce("people_count", 0),
                        output_field=IntegerField(),
                    )
                ),
                "n2": Count("event", distinct=True),
            },
        ),
        insight_part(
            "group",
            ParticipantGroup.objects.filter(event__in=event_ids),
            {"k1": ExtractYear("event__start")},
            {"n1": Coalesce(Sum("people_count"), 0), "n2": Count("event", distinct=True)},
        ),
        insight_part(
            "programme",
            projects,
            {
                "k1": F("programme__slug"),
                "k2": F("programme__short_name"),
                "k3": F("programme__name"),
            },
            {"n1": Count("pk")},
        ),
        # Each organisation once: those with a partnership in these projects
        # (a semi-join, not a COUNT(DISTINCT) over every partnership).
        insight_part(
            "partner",
            Organisation.objects.filter(
                Exists(Partnership.objects.filter(partner_projects, organisation=OuterRef("pk")))
            ),
            {"k1": F("region__country_code")},
            {"n1": Count("*")},
        ),
        practice["completeness"],
    ]


def insight_rows(filterset):
    """Return ``{part name: [(k1, k2, k3, n1, n2, n3)...]}`` of ``insight_parts``, in one query.

    The parts in one UNION ALL with the practices' CTE: a round trip instead
    of nine; the keys come back as text and the numbers as floats.
    """
    ctes, parts = insight_parts(filterset)
    rows = defaultdict(list)
    for name, *values in with_cte(*ctes, select=parts[0].union(*parts[1:], all=True)):
        rows[name].append(tuple(values))
    return rows


def insight_figures(filterset):
    """Return the numbers of the insights page for the filters of ``filterset``.

    Plain data (cacheable), every figure an aggregation in the database,
    all read in one query (``insight_rows``) whatever the number of practices.
    """

    def year(value):
        return int(float(value)) if value is not None else None

    def count(value):
        return int(value or 0)

    rows = insight_rows(filterset)
    by_region = [(path, count(n)) for path, _k2, _k3, n, _c, _s in rows["region"]]
    total = sum(n for _path, n in by_region)
    totals = {
        "practices": total,
        "complete": sum(count(c) for *_keys, _n, c, _s in rows["region"]),
        "completeness": round(sum(s or 0 for *_rest, s in rows["region"]) / total) if total else 0,
    }
    return {
        "totals": totals,
        "by_region": by_region,
        "topic_year": [(a, b, year(c), count(n)) for a, b, c, n, _n2, _n3 in rows["topic_year"]],
        "flows": [(a, b, count(n)) for a, b, _c, n, _n2, _n3 in rows["flow"]],
        "events": [(year(a), b, count(n)) for a, b, _c, n, _n2, _n3 in rows["event"]],
        "people": [(year(a), count(n), count(e)) for a, _b, _c, n, e, _n3 in rows["people"]],
        "groups": [(year(a), count(n), count(e)) for a, _b, _c, n, e, _n3 in rows["group"]],
        "programmes": [(a, b, c, count(n)) for a, b, c, n, _n2, _n3 in rows["programme"]],
        "partners": [(a, count(n)) for a, _b, _c, n, _n2, _n3 in rows["partner"]],
        "completeness": [
            (slug, acronym or title, count(n), count(c), round(average or 0))
            for slug, acronym, title, n, c, average in sorted(
                rows["completeness"], key=lambda row: (-row[3], row[5] or 0, row[0] or "")
            )[:INSIGHT_ROWS]
        ],
    }


def region_catalogue():
    """Return the countries and NUTS 2 regions: names, label points and outlines.

    ``{path: {"path", "slug", "name", "code", "level", "lat", "lon",
    "outline"}}``, one query. The outline is None where none was imported
    (the demo and the generated data): the maps then draw circles at the
    regions' label points.
    """
    rows = Region.objects.filter(kind=Region.Kind.NUTS, level__in=(0, 2)).values_list(
        "path", "slug", "name", "name_en", "nuts_code", "level", "label_lat", "label_lon", "outline"
    )
    return {
        path: {
            "path": path,
            "slug": slug,
            "name": name_en or name,
            "code": code,
            "level": level,
            "lat": lat,
            "lon": lon,
            "outline": outline,
        }
        for path, slug, name, name_en, code, level, lat, lon, outline in rows
    }


def menu_rows():
    """Return the insights page's menus: ``{"country"|"topic"|"programme": [(value, label)]}``.

    One query: the three short lists in a UNION ALL.
    """
    countries = (
        Region.objects.countries()
        .annotate(menu=Value("country"), label=Coalesce(NullIf("name_en", Value("")), "name"))
        .values_list("menu", "nuts_code", "label")
    )
    topics = Topic.objects.annotate(menu=Value("topic")).values_list("menu", "slug", "name")
    programmes = Programme.objects.annotate(
        menu=Value("programme"), label=Coalesce(NullIf("short_name", Value("")), "name")
    ).values_list("menu", "slug", "label")
    menus = {"country": [], "topic": [], "programme": []}
    for kind, value, label in countries.order_by().union(
        topics.order_by(), programmes.order_by(), all=True
    ):
        menus[kind].append((value, label))
    return {kind: sorted(options, key=lambda o: o[1].lower()) for kind, options in menus.items()}
