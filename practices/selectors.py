"""Reads of practices: the querysets and rows the pages, the API and the exports show.

Practices reach events only through reverse relations (``presentations``):
this app sits below events and never imports it.
"""

import functools

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat, NullIf
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext
from django_cte import CTE, with_cte

from core import translations
from core.countries import region_name
from core.expressions import AnyOf, json_list
from core.models import (
    CONTENT_LANGUAGES,
    Person,
    Programme,
    Project,
    PublicationState,
    Region,
    Topic,
)
from core.regions import grouping_depth, path_at_depth, path_prefixes, roll_up
from core.selectors import as_instances, has_related, region_ancestors
from infra.caching import cached_many
from infra.links import url_for_slug
from practices.models import GoodPractice, PracticeStatus, PracticeTranslation


def listed_practices():
    """Published practices as the listing and the API list them, newest first.

    A region's outline (GeoJSON, up to hundreds of kB with the NUTS outlines
    imported) is drawn on region pages, not in lists.
    """
    return GoodPractice.objects.published().for_listing().defer("region__outline")


# The columns of a practice list row: none of the long texts, nor a region's outline.
PRACTICE_ROW_COLUMNS = (
    "id",
    "slug",
    "title",
    "summary",
    "status",
    "start_date",
    "end_date",
    "language",
    "city",
    "keywords",
    "published_at",
    "updated_at",
    "validated_on",
    "validated_by",
    "edited_since_validation",
)
RELATED_ROW_COLUMNS = {
    "region": ("slug", "nuts_code", "name", "name_en", "kind", "level", "country_code"),
    "organisation": ("slug", "name", "name_en"),
}
# A practice's topics and projects in a row, in the order of its detail.
TAG_ROW_COLUMNS = {
    "topics": ("topic", "name"),
    "projects": ("project", "acronym"),
}


def practice_rows(queryset):
    """Return the practices of ``queryset`` as plain rows for lists (no model instances).

    A row holds ``PRACTICE_ROW_COLUMNS``, ``keyword_list``, its region and
    organisation (``RELATED_ROW_COLUMNS`` and ``display_name``, or None) and
    its topics and projects as lists of ``{"slug", "name"}`` and
    ``{"slug", "acronym"}``, and its translations' titles and summaries
    (``TRANSLATION_ROW_COLUMNS``, by language): one query, the lists as
    JSON in each row (``_tag_lists``).
    """
    return _rows(_row_values(queryset))


def page_rows(filterset, listed):
    """Return ``ids -> the rows`` (``practice_rows``) of a page of ``listed``, in its order.

    ``listed`` is ``filterset``'s list. Sorted by columns, the rows come from
    the query built once per process (``practice_rows_of``); sorted by a
    search's rank, from the filtered list itself.
    """
    if filterset is not None and not filterset.sorts_by_rank:
        return lambda ids: practice_rows_of(ids, filterset.apply_sort)
    return lambda ids: practice_rows(listed.filter(pk__in=ids))


def newest_practice_rows(count):
    """Return the rows (``practice_rows``) of the ``count`` practices listed first, newest."""
    ids = listed_practices().values("pk")[:count]
    if not connection.features.allow_sliced_subqueries_with_in:
        ids = [row["pk"] for row in ids]
    return practice_rows_of(ids, lambda rows: rows.order_by("-published_at", "-id"))


def practice_rows_of(ids, sort):
    """Return the rows (as ``practice_rows``) of the practices ``ids``, ordered by ``sort``.

    ``ids`` is a page of a list (a subquery or a list), ``sort`` a function
    ordering a queryset by columns (``PracticeFilter.apply_sort`` when it
    does not sort by a search's rank). The rows query is built once per
    process and only narrowed to the page here: building its subqueries of
    topics and projects anew took longer than running it (bench/README.md).
    """
    return _rows(sort(_row_template().filter(pk__in=ids)))


@functools.cache
def _row_template():
    return _row_values(GoodPractice.objects.all())


def _row_values(queryset):
    related = [
        f"{relation}__{column}"
        for relation, columns in RELATED_ROW_COLUMNS.items()
        for column in columns
    ]
    return queryset.values(*PRACTICE_ROW_COLUMNS, *related, **_tag_lists())


def _rows(values):
    rows = list(values)
    for row in rows:
        for name, key in LIST_KEYS:
            row[name] = row.pop(key)
        _nest(row)
    return rows


def feed_rows(listed, count):
    """Return the ``count`` newest practices of ``listed`` as the Atom feed's rows: one query.

    A row holds ``id``, ``slug``, ``title``, ``summary``, ``published_at``,
    ``updated_at``, ``author`` (its organisation's ``display_name``, or None)
    and ``topics``, its topics' names in their order. Leaner than
    ``practice_rows``: no region, projects or translations, which the feed
    does not show (bench/README.md, "Practices feed").
    """
    ids = listed.order_by("-published_at", "-id").values("pk")[:count]
    if not connection.features.allow_sliced_subqueries_with_in:
        ids = [row["pk"] for row in ids]
    rows = list(_feed_template().filter(pk__in=ids).order_by("-published_at", "-id"))
    for row in rows:
        # As Organisation.display_name: the English name where there is one.
        name_en, name = row.pop("organisation__name_en"), row.pop("organisation__name")
        row["author"] = name_en or name
        row["topics"] = [topic["name"] for topic in row.pop("topics_list")]
    return rows


@functools.cache
def _feed_template():
    topics = Topic.objects.filter(practices=OuterRef("pk"))
    return GoodPractice.objects.values(
        "id",
        "slug",
        "title",
        "summary",
        "published_at",
        "updated_at",
        "organisation__name",
        "organisation__name_en",
        topics_list=json_list(topics, ["name", "id"], name=F("name")),
    )


# The title and summary of each translation, as a JSON list in the row.
TRANSLATION_ROW_COLUMNS = ("language_code", "translated_title", "translated_summary")


@functools.cache
def _tag_lists():
    """The JSON lists of a practice's topics, projects and translations, built once.

    Correlated subqueries of the rows' own query (``core.expressions.json_list``);
    annotate() resolves a copy of each.
    """
    lists = {}
    for name, (_field, label) in TAG_ROW_COLUMNS.items():
        tags = getattr(GoodPractice, name).field.related_model.objects.filter(
            practices=OuterRef("pk")
        )
        lists[f"{name}_list"] = json_list(tags, [label, "id"], slug=F("slug"), **{label: F(label)})
    # Its translations' titles and summaries (TRANSLATION_ROW_COLUMNS), by language.
    lists["translations_list"] = json_list(
        PracticeTranslation.objects.filter(master=OuterRef("pk")),
        ["language_code"],
        **{column: F(column) for column in TRANSLATION_ROW_COLUMNS},
    )
    return lists


# The keys ``values()`` gives a row's lists and related columns.
LIST_KEYS = tuple((name, f"{name}_list") for name in (*TAG_ROW_COLUMNS, "translations"))
RELATED_KEYS = {
    relation: tuple((column, f"{relation}__{column}") for column in columns)
    for relation, columns in RELATED_ROW_COLUMNS.items()
}


def _nest(row):
    """Make a ``values()`` row a practice row, in place (a page has hundreds of values)."""
    pop = row.pop
    row["keyword_list"] = [k for k in map(str.strip, row["keywords"].split(",")) if k]
    for relation, keys in RELATED_KEYS.items():
        values = {column: pop(key) for column, key in keys}
        if values["slug"] is None:
            row[relation] = None
        else:
            # As the models' display_name: the English name where there is one.
            values["display_name"] = values["name_en"] or values["name"]
            row[relation] = values


# Practice cards ------------------------------------------------------------


def card_texts(language, own, title, summary, summary_words):
    """Return a card's ``(title, title_lang, summary, summary_lang)``.

    ``title`` and ``summary`` are ``(original, translation or None)``: the
    page language's version where there is one, else the original, whose
    language ``own`` is then given when not the page's. The summary is cut
    at ``summary_words``, as the truncatewords filter cuts it.
    """
    foreign = own if own and own != language else ""
    (title, translated_title), (summary, translated_summary) = title, summary
    return (
        translated_title or title,
        "" if translated_title else foreign,
        Truncator(translated_summary or summary).words(summary_words, truncate=" …"),
        "" if translated_summary else foreign,
    )


def practice_cards(rows, *, summary_words):
    """Give practice rows (``practice_rows``) what a practice card shows; return them.

    ``url``; ``card_title`` and ``card_summary`` (cut to ``summary_words``):
    the page language's version where translated, else the original, whose
    language is then ``title_lang``/``summary_lang`` when not the page's;
    ``region_name`` (a country named in the page's language) and ``place``
    (with the region's country code); ``status_name``; ``years``; ``language_note``
    ("translated from …", "in …") when the practice is in another language.
    Worked out once a list here rather than by template lookups, tags and
    filters per card.
    """
    language = get_language()
    languages = {code: str(name) for code, name in CONTENT_LANGUAGES}
    statuses = {value: str(label) for value, label in PracticeStatus.choices}
    since = gettext("since %(year)s")
    translated_from = gettext("translated from %(language)s")
    written_in = gettext("in %(language)s")
    url = url_for_slug("practices:practice-detail")
    for row in rows:
        row["url"] = url(row["slug"])
        own = row["language"]
        version = next((t for t in row["translations"] if t["language_code"] == language), {})
        title = version.get("translated_title")
        row["card_title"], row["title_lang"], row["card_summary"], row["summary_lang"] = card_texts(
            language,
            own,
            (row["title"], title),
            (row["summary"], version.get("translated_summary")),
            summary_words,
        )
        region = row["region"]
        if region is None:
            row["region_name"] = row["place"] = ""
        else:
            name = region_name(region["nuts_code"], region["name"], region["name_en"])
            code = region["country_code"]
            row["region_name"] = name
            row["place"] = f"{name} ({code})" if code and code != region["nuts_code"] else name
        row["status_name"] = statuses.get(row["status"], row["status"])
        start, end = row["start_date"], row["end_date"]
        if start is None:
            row["years"] = ""
        else:
            row["years"] = f"{start.year}–{end.year}" if end else since % {"year": start.year}
        if own != language:
            note = translated_from if title else written_in
            row["language_note"] = note % {"language": languages.get(own, own)}
        else:
            row["language_note"] = ""
    return rows


# Words of a practice card's summary (as ``truncatewords:30`` cut it).
CARD_SUMMARY_WORDS = 30


def for_practice_cards(practices):
    """Give practices what ``exchange/_practice_cards.html`` shows; return them.

    ``url``; ``card_title`` and ``card_summary`` (the page language's
    version where translated, else the original; the summary cut at
    ``CARD_SUMMARY_WORDS``), with ``title_lang``/``summary_lang`` where the original's
    language is not the page's; ``card_place``, the region and the
    organisation. Worked out once a list here rather than by template
    lookups and filters per card. The practices (model instances, unlike
    ``practice_cards``' rows of the listing) come with their region and
    organisation selected and ``version_annotations()``.
    """
    language = get_language()
    url = url_for_slug("practices:practice-detail")
    for practice in practices:
        practice.url = url(practice.slug)
        practice.card_title, practice.title_lang, practice.card_summary, practice.summary_lang = (
            card_texts(
                language,
                practice.language,
                (practice.title, getattr(practice, "version_title", None)),
                (practice.summary, getattr(practice, "version_summary", None)),
                CARD_SUMMARY_WORDS,
            )
        )
        region, organisation = practice.region, practice.organisation
        practice.card_place = " · ".join(
            [
                *([region.display_name] if region else []),
                *([organisation.display_name] if organisation else []),
            ]
        )
    return practices


# Translations --------------------------------------------------------------


def version_annotations(fields=("title", "summary")):
    """Return the cards' ``version_<field>`` annotations (``core.translations``)."""
    return translations.version_annotations(GoodPractice, fields)


def practice_version(practice, *, original=False):
    """Return what the practice page shows of its texts (``core.translations.content_version``)."""
    return translations.content_version(practice, original=original)


# The practice page ---------------------------------------------------------

RELATED_PRACTICES = 4
# Candidates: the practices sharing the most topics, and the newest of the
# same region (fewer of those made the region's closest ones drop out).
RELATED_CANDIDATES = 20
SAME_REGION_CANDIDATES = 50
# Links read per topic, newest first, to find the practices sharing most topics.
RECENT_LINKS_PER_TOPIC = 200


def _related_model(name):
    """Return the model on the other side of ``GoodPractice.<name>`` (a reverse relation)."""
    return GoodPractice._meta.get_field(name).related_model


def practice_page(queryset):
    """Add to ``queryset`` what the practice page shows about the practice itself.

    One query, with its topics, projects and region's ancestors as JSON
    lists (``practice_topics``, ``practice_projects``, ``core.selectors.trail_of``).
    Whether the practice has talks or adoptions comes with it: most have
    neither, and their lists then cost no query.
    """
    return (
        queryset.select_related("organisation", "region")
        # Not shown: the search vector (kilobytes a practice) and the region
        # outline (GeoJSON, up to hundreds of kilobytes a region).
        .defer("search_vector", "region__outline")
        .annotate(**_page_columns())
    )


@functools.cache
def _page_columns():
    """The practice page's extra columns, built once per process (annotate() resolves a copy)."""
    history = GoodPractice.history.model._base_manager.filter(id=OuterRef("pk"))
    editors = get_user_model()._base_manager.filter(
        ~Q(email=""), is_active=True, edited_projects__practices=OuterRef("pk")
    )
    projects = Project.objects.filter(practices=OuterRef("pk"))
    return {
        # Its topics and projects (with their programme), in the models' order.
        "topic_list": json_list(
            Topic.objects.filter(practices=OuterRef("pk")),
            ["name", "id"],
            **{name: F(name) for name in ("id", "name", "slug")},
        ),
        "project_list": json_list(
            projects,
            ["acronym", "id"],
            **{name: F(name) for name in PAGE_PROJECT_COLUMNS},
            programme_name=F("programme__name"),
            programme_short_name=F("programme__short_name"),
        ),
        # Also counts a change of topics or projects, which updated_at misses.
        "last_history_date": Subquery(history.order_by("-history_date").values("history_date")[:1]),
        # Where the contact form would send a message (practices.services.contact_route).
        "has_contact_email": Exists(
            Person._base_manager.filter(~Q(email=""), pk=OuterRef("contact"))
        ),
        "has_editor_email": Exists(editors),
        **region_ancestors(GoodPractice),
        # Most practices have none of these: their lists then cost no query.
        **has_related(
            GoodPractice,
            ("presentations", "transfers", "translations", "policy_instruments"),
            where={"presentations": Q(event__publication_state=PublicationState.PUBLISHED)},
        ),
    }


def contact_recipient(practice):
    """Return who the contact form of ``practice`` reaches: "owner", "editors" or None."""
    if practice.has_contact_email:
        return "owner"
    if practice.has_editor_email:
        return "editors"
    return None


# What the practice page shows of a project (with its programme's names).
PAGE_PROJECT_COLUMNS = ("id", "acronym", "slug", "title", "title_en", "programme_id")


def practice_topics(practice):
    """Return the topics of ``practice``, a row of ``practice_page`` (no query)."""
    return as_instances(Topic, practice.topic_list)


def practice_projects(practice):
    """Return the projects of ``practice``, a row of ``practice_page``, with their programme."""
    projects = as_instances(Project, practice.project_list)
    for project, row in zip(projects, practice.project_list, strict=True):
        if project.programme_id is not None:
            names = {"name": row["programme_name"], "short_name": row["programme_short_name"]}
            [project.programme] = as_instances(Programme, [{"id": project.programme_id, **names}])
    return projects


def practice_presentations(practice):
    """Return the talks about ``practice`` at published events, in time order.

    Each has its slides and other files in ``material_list``: read in one
    more query, and only when a talk has any (most have none).
    """
    if not getattr(practice, "has_presentations", True):
        return []
    materials = _related_model("presentations")._meta.get_field("materials").related_model
    presentations = list(
        practice.presentations.filter(event__publication_state=PublicationState.PUBLISHED)
        .select_related("event", "presenter", "organisation")
        .annotate(**_presentation_columns())
        # What the list shows: no event descriptions, no e-mail address.
        .only(
            "practice",
            "event",
            "presenter",
            "organisation",
            "event__slug",
            "event__title",
            "event__title_en",
            "event__language",
            "event__start",
            "event__time_zone",
            "event__city",
            "presenter__name",
            "presenter__job_title",
            "organisation__name",
            "organisation__name_en",
        )
        .order_by("event__start", "order", "id")
    )
    found = {}
    with_materials = [p.pk for p in presentations if p.has_materials]
    if with_materials:
        for material in materials.objects.filter(presentation__in=with_materials):
            found.setdefault(material.presentation_id, []).append(material)
    for presentation in presentations:
        presentation.material_list = found.get(presentation.pk, [])
    return presentations


@functools.cache
def _presentation_columns():
    # has_materials, written once (core.selectors.has_related).
    return has_related(_related_model("presentations"), ("materials",))


def practice_instruments(practice):
    """Return the policy instruments ``practice`` influenced (no query when it has none)."""
    if not getattr(practice, "has_policy_instruments", True):
        return []
    return list(
        practice.policy_instruments.only("slug", "name", "name_en", "language").order_by("name")
    )


def practice_transfers(practice):
    """Return the regions that adopted ``practice``, by year."""
    if not getattr(practice, "has_transfers", True):
        return []
    return list(
        practice.transfers.select_related("region")
        .defer("region__outline")
        .order_by("year", "region__name")
    )


def presented_version_title(language=None):
    """Return the annotation giving talks ``practice_version_title`` (no query).

    Their practice's title in ``language`` (the page's by default), or None,
    as ``version_annotations`` gives practice cards.
    """
    versions = translations.version_annotations(
        GoodPractice, ("title",), of="practice", language=language
    )
    return {"practice_version_title": versions["version_title"]}


def related_practices(practice, topics):
    """Return a few published practices sharing topics or the region, closest first.

    Closest first: most shared topics, then the same region, then newest.
    The candidates are bounded, so that the cost does not grow with the size
    of a popular topic (~10,000 practices) or region: the 20 sharing the most
    topics among the newest links of each topic, and the 50 newest of the
    same region. Those sources depend on the topic or region and the data
    only: each is cached per data generation with what ranks its practices
    (``related_sources``), so the candidates are chosen and ranked in Python
    and the four cards come from the cache too (``related_cards``). Each
    carries ``region_name``, ``shared_topics``, ``in_region`` and, as
    ``version_annotations`` gives listing cards, ``version_title`` (in the
    page's language, or None).
    """
    topic_ids = sorted({t.pk for t in topics})
    if not practice.region_id and not topic_ids:
        return []
    sources = related_sources(topic_ids, practice.region_id)
    own = practice.pk
    found, shared = {}, {}
    for topic_id in topic_ids:
        newest = [row for row in sources[("topic", topic_id)] if row[0] != own]
        for row in newest[:RECENT_LINKS_PER_TOPIC]:
            found[row[0]] = row
            shared[row[0]] = shared.get(row[0], 0) + 1
    # The most shared first, then the newest link (the highest id).
    candidates = sorted(shared, key=lambda pk: (shared[pk], pk), reverse=True)
    candidates = [found[pk] for pk in candidates[:RELATED_CANDIDATES]]
    if practice.region_id:
        here = [row for row in sources[("region", practice.region_id)] if row[0] != own]
        candidates += here[:SAME_REGION_CANDIDATES]
    wanted = set(topic_ids)
    ranked = {}
    for pk, published, region_id, topic_list in candidates:
        if published is not None:  # None: not published
            in_region = int(region_id == practice.region_id)
            ranked[pk] = (len(wanted.intersection(topic_list)), in_region, published, pk)
    closest = sorted(ranked.values(), reverse=True)[:RELATED_PRACTICES]
    if not closest:
        return []
    cards = related_cards([rank[3] for rank in closest])
    language = get_language()
    for card, (shared_topics, in_region, _published, _pk) in zip(cards, closest, strict=True):
        card.shared_topics, card.in_region = shared_topics, in_region
        card.version_title = card.versions.get(language)
    return cards


def related_cards(ids):
    """Return the practices ``ids`` as related cards: title, slug, language, region name.

    ``versions`` is ``{language: translated title}``. Cached per practice
    and data generation; the missing ones are read in one query.
    """
    found = cached_many("related-cards", [(pk,) for pk in ids], _read_related_cards)
    rows = [found[(pk,)] for pk in ids]
    cards = as_instances(GoodPractice, rows)
    for card, row in zip(cards, rows, strict=True):
        card.region_name, card.versions = row["region_name"], row["versions"]
    return cards


def _read_related_cards(wanted):
    rows = _card_rows().filter(AnyOf(F("pk"), [pk for (pk,) in wanted]))
    found = {}
    for row in rows:
        versions = row.pop("version_list")
        row["versions"] = {v["language"]: v["title"] for v in versions}
        found[(row["id"],)] = row
    return found


@functools.cache
def _card_rows():
    # Built once per process: the query is compiled on a cache miss only.
    return (
        GoodPractice.objects.order_by()
        .annotate(
            region_name=Coalesce(NullIf("region__name_en", Value("")), "region__name"),
            version_list=translations.translations_json(GoodPractice, ("title",)),
        )
        .values(
            "id",
            "title",
            "slug",
            "language",
            "published_at",
            "region_id",
            "region_name",
            "version_list",
        )
    )


# As PostgreSQL orders "published_at DESC": no date first.
_NO_DATE = float("inf")


def related_sources(topic_ids, region_id):
    """Return where related practices are found, each newest first.

    ``{("topic", id): rows, ("region", id): rows}``: a topic's newest
    ``RECENT_LINKS_PER_TOPIC`` + 1 linked practices (any state: links by
    practice id, read backwards from ``practice_topics_topic_practice_idx``),
    a region's newest ``SAME_REGION_CANDIDATES`` + 1 published practices
    (by publication date); one more than a page uses, for the page's own
    practice. A row is what ranks the practice: ``(id, publication time as
    a number or None when not published, region id, topic ids)``. Cached per
    data generation; the missing ones are read in one query.
    """
    wanted = [("topic", pk, RECENT_LINKS_PER_TOPIC) for pk in topic_ids]
    if region_id:
        wanted.append(("region", region_id, SAME_REGION_CANDIDATES))
    found = cached_many("related-sources", wanted, _read_related_sources)
    return {(kind, pk): found[(kind, pk, limit)] for kind, pk, limit in wanted}


def _read_related_sources(wanted):
    links = GoodPractice.topics.through.objects
    members = []
    for n, (kind, pk, limit) in enumerate(wanted):
        # Each member's LIMIT in a subquery: SQLite allows none in a UNION's member.
        if kind == "topic":
            newest = links.filter(topic_id=pk).order_by("-goodpractice_id").values("pk")
            rows, practice = links.filter(pk__in=newest[: limit + 1]), "goodpractice__"
        else:
            newest = GoodPractice.objects.filter(
                region_id=pk, publication_state=PublicationState.PUBLISHED
            ).order_by("-published_at", "-id")
            rows, practice = (
                GoodPractice.objects.filter(pk__in=newest.values("pk")[: limit + 1]),
                "",
            )
        topic_list = json_list(
            links.filter(goodpractice_id=OuterRef(f"{practice}pk")), ["topic_id"], id=F("topic_id")
        )
        members.append(
            rows.order_by().values_list(
                Value(n),
                f"{practice}pk",
                f"{practice}publication_state",
                f"{practice}published_at",
                f"{practice}region_id",
                topic_list,
            )
        )
    found = [[] for _ in wanted]
    for n, pk, state, published_at, region_id, topic_list in members[0].union(
        *members[1:], all=True
    ):
        if state != PublicationState.PUBLISHED:
            published = None
        else:
            published = _NO_DATE if published_at is None else published_at.timestamp()
        found[n].append((pk, published, region_id, tuple(topic["id"] for topic in topic_list)))
    # Newest first: a topic's links by practice id, a region's practices by
    # publication date, then id.
    return {
        parts: sorted(rows, key=_by_id if parts[0] == "topic" else _by_date, reverse=True)
        for parts, rows in zip(wanted, found, strict=True)
    }


def _by_id(row):
    return row[0]


def _by_date(row):
    return row[1], row[0]


# Facet counts of the listing's filter menus and map

# Menus and the map stay small whatever the data: above this many regions
# the region menu lists only the upper levels (a country filter brings the
# lower ones back), topic/project/programme menus list the most frequent
# values, and the map draws upper-level regions instead of every NUTS 3.
REGION_OPTIONS_MAX = 300
TAG_OPTIONS_MAX = 150
MAP_POINTS_MAX = 300


def practice_facets(filterset):
    """Return the counts per value of each filter and per region for the map.

    ``{"country": [{"value", "label", "count"}...], "region": [...], ...,
    "map": [{"path", "slug", "name", "code", "lat", "lon", "count",
    "practice_slug", "practice_title", "practice_titles": {language: title}}...]}``.
    Each facet counts the practices of ``filterset`` (a ``PracticeFilter``)
    that match every other filter. Two or three queries.
    """
    rows = facet_rows(filterset)
    raw = {name: [] for name in (*filterset.FACETS, "map")}
    for facet, key, label, n in rows:
        if key not in (None, ""):
            raw[facet].append((key, label or "", n))

    regions = _regions_for(raw)
    single_ids = [int(first) for _path, first, n in raw["map"] if n == 1 and first]
    # Every language's title: the facets are cached for all languages, and a
    # pin names its practice as the practice's card does in the page's.
    singles = {
        str(pk): (slug, title, {v["language"]: v["title"] for v in versions if v["title"]})
        for pk, slug, title, versions in GoodPractice.objects.filter(pk__in=single_ids)
        .annotate(versions=translations.translations_json(GoodPractice, ("title",)))
        .values_list("pk", "slug", "title", "versions")
    }
    raw["map"] = [(path, singles.get(first), n) for path, first, n in raw["map"]]
    result = {
        "country": _country_options(raw["country"], regions),
        "region": _region_options(raw["region"], regions),
        "topic": _tag_options(raw["topic"]),
        "project": _tag_options(raw["project"]),
        "programme": _tag_options(
            [(k, _programme_label(label), n) for k, label, n in raw["programme"]]
        ),
        "status": {k: n for k, _label, n in raw["status"]},
        "language": {k: n for k, _label, n in raw["language"]},
        "map": _map_points(raw["map"], regions),
    }
    return result


def facet_rows(filterset):
    """Return ``(facet, key, label, count)`` rows for every facet of ``filterset``, in one query.

    The filtered practices are selected once per distinct filter state in a
    common table expression (django-cte) that every facet's count reads; as
    separate subqueries (a plain UNION of querysets) a common word's search
    runs once per facet (EXPLAIN ANALYZE at 100,000 practices in
    bench/README.md).
    """
    base = filterset.facet_base().order_by()
    active = filterset.active_facets()
    ctes = []

    def cte(skip):
        queryset = filterset.apply_filters(base, skip={skip} if skip else ()).values(
            pid=F("pk"),
            region_path=F("region__path"),
            country=F("region__country_code"),
            state=F("status"),
            lang=F("language"),
        )
        ctes.append(CTE(queryset, name=f"facet_{skip}" if skip else "facet_all"))
        return ctes[-1]

    everything = cte(None)
    source = {name: cte(name) if name in active else everything for name in filterset.FACETS}
    blank = Value("", output_field=CharField())

    def column_counts(facet, column, first=None):
        rows = source.get(facet, everything).queryset().values(key=F(column))
        label = Cast(Min("pid"), CharField(max_length=20)) if first else blank
        rows = rows.annotate(facet=Value(facet), label=label, n=Count("*")).order_by()
        return rows.values_list("facet", "key", "label", "n")

    def linked_counts(facet, through, key, label, n=None):
        rows = source[facet].join(through, goodpractice_id=source[facet].col.pid).values(key=F(key))
        rows = rows.annotate(facet=Value(facet), label=Min(label), n=n or Count("*")).order_by()
        return rows.values_list("facet", "key", "label", "n")

    topics, projects = GoodPractice.topics.through, GoodPractice.projects.through
    parts = [
        column_counts("country", "country"),
        column_counts("region", "region_path"),
        linked_counts("topic", topics, "topic__slug", "topic__name"),
        linked_counts(
            "project",
            projects,
            "project__slug",
            Coalesce(NullIf("project__acronym", Value("")), "project__title"),
        ),
        linked_counts(
            "programme",
            projects,
            "project__programme__slug",
            Concat("project__programme__short_name", Value("|"), "project__programme__name"),
            n=Count(source["programme"].col.pid, distinct=True),
        ),
        column_counts("status", "state"),
        column_counts("language", "lang"),
        # The id of one practice per region: the pin of a region with a
        # single practice links to it (slug and title fetched afterwards,
        # so that this scan can be index-only).
        column_counts("map", "region_path", first=True),
    ]
    return list(with_cte(*ctes, select=parts[0].union(*parts[1:], all=True)))


def _regions_for(raw):
    """Fetch, in one query, every region the facets and the map name, with ancestors."""
    paths = set()
    for key, _label, _n in raw["region"] + raw["map"]:
        paths.update(path_prefixes(key))
    codes = {key for key, _label, _n in raw["country"]}
    if not paths and not codes:
        return {}
    rows = Region.objects.filter(
        Q(path__in=paths) | Q(kind=Region.Kind.NUTS, level=0, nuts_code__in=codes)
    ).values("path", "slug", "name", "name_en", "nuts_code", "level", "label_lat", "label_lon")
    return {row["path"]: row for row in rows}


def _country_options(raw, regions):
    names = {r["nuts_code"]: r["name_en"] or r["name"] for r in regions.values() if r["level"] == 0}
    options = [
        {"value": code, "label": names.get(code, code), "count": n} for code, _label, n in raw
    ]
    return sorted(options, key=lambda o: o["label"].lower())


def _region_options(raw, regions):
    totals = roll_up((path, n) for path, _label, n in raw)
    options = []
    for path in sorted(totals):
        region = regions.get(path)
        if region is None:
            continue
        options.append(
            {
                "value": region["slug"],
                "label": region["name_en"] or region["name"],
                "code": region["nuts_code"] or "",
                "depth": path.count("/") - 2,
                "count": totals[path],
            }
        )
    depth = max((o["depth"] for o in options), default=0)
    while len(options) > REGION_OPTIONS_MAX and depth > 0:
        depth -= 1
        options = [o for o in options if o["depth"] <= depth]
    return options


def _map_points(raw, regions):
    """Return one pin per region, or per upper-level region when there are too many."""
    depth = grouping_depth([key for key, _first, _n in raw], MAP_POINTS_MAX)
    groups = {}
    for path, first, n in raw:
        key = path_at_depth(path, depth)
        group = groups.setdefault(key, {"count": 0, "first": first, "members": []})
        group["count"] += n
        group["members"].append((path, n))
    points = []
    for path, group in groups.items():
        region = regions.get(path)
        place = None
        if region and region["label_lat"] is not None:
            place = region["label_lat"], region["label_lon"]
        else:
            # The weighted centre of the places below it (each at its own
            # label point or its nearest ancestor's).
            known = [(_label_point(p, regions), n) for p, n in group["members"]]
            known = [(point, n) for point, n in known if point is not None]
            if known:
                total = sum(n for _point, n in known)
                place = (
                    sum(point[0] * n for point, n in known) / total,
                    sum(point[1] * n for point, n in known) / total,
                )
        if region is None or place is None:
            continue
        single = group["count"] == 1 and group["first"] is not None
        slug, title, versions = group["first"] if single else ("", "", {})
        points.append(
            {
                "path": path,
                "slug": region["slug"],
                "name": region["name_en"] or region["name"],
                "code": region["nuts_code"] or "",
                "lat": round(place[0], 4),
                "lon": round(place[1], 4),
                "count": group["count"],
                "practice_slug": slug,
                "practice_title": title,
                "practice_titles": versions,
            }
        )
    return points


def _label_point(path, regions):
    """Return the label point of the region at ``path`` or of its nearest ancestor."""
    depth = path.count("/") - 1
    for i in range(depth, 0, -1):
        candidate = regions.get(path_at_depth(path, i))
        if candidate and candidate["label_lat"] is not None:
            return candidate["label_lat"], candidate["label_lon"]
    return None


def _tag_options(raw):
    """Return menu options for tags, the most frequent ones when there are many."""
    options = [{"value": k, "label": label, "count": n} for k, label, n in raw]
    if len(options) > TAG_OPTIONS_MAX:
        options = sorted(options, key=lambda o: -o["count"])[:TAG_OPTIONS_MAX]
    return sorted(options, key=lambda o: o["label"].lower())


def _programme_label(label):
    short_name, _sep, name = label.partition("|")
    return short_name or name
