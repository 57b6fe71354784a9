"""The public page of one good practice (also the staff draft preview's content)."""

import functools

from django.db import connection
from django.db.models import BooleanField, DateTimeField
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView

from core.models import PublicationState, Region
from core.regions import region_trail
from events.models import Event, Presentation
from infra.caching import PublicPageCacheMixin
from infra.links import with_links
from practices.models import GoodPractice, Transfer

RELATED_PRACTICES = 4
# Candidates: the practices sharing the most topics, and the newest of the
# same region (fewer of those made the region's closest ones drop out).
RELATED_CANDIDATES = 20
SAME_REGION_CANDIDATES = 50
# Links read per topic, newest first, to find the practices sharing most topics.
RECENT_LINKS_PER_TOPIC = 200


class PracticeDetailView(PublicPageCacheMixin, DetailView):
    template_name = "practices/practice_detail.html"
    context_object_name = "practice"

    def get_queryset(self):
        return practice_detail_queryset(GoodPractice.objects.published())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(practice_detail_context(self.object))
        return context


def practice_detail_queryset(queryset):
    """Add to ``queryset`` what the detail template shows about the practice itself.

    Two queries. The extra columns are plain SQL: built by the ORM, the three
    subqueries cost more to compile than the database takes to run them.
    They name the practice table itself, so this queryset must not be used
    as a subquery.
    """
    history_sql, presentations_sql, transfers_sql = _practice_columns_sql()
    return (
        # The region's ancestors come from its path in one small query
        # (region_trail), cheaper than three more joins to plan and read.
        queryset.select_related("organisation", "region")
        # Not shown: the search vector (kilobytes a practice) and the region
        # outline (GeoJSON, up to hundreds of kilobytes a region).
        .defer("search_vector", "region__outline")
        # Prefetched, not read in the context: the page's JSON-LD lists the
        # topics it finds loaded (exchange/templatetags/opendata_tags.py).
        .prefetch_related("topics")
        .annotate(
            # Also counts a change of topics or projects, which updated_at misses.
            last_history_date=RawSQL(history_sql, [], output_field=DateTimeField()),
            # Most practices have neither: their lists then cost no query.
            has_presentations=RawSQL(
                presentations_sql, [PublicationState.PUBLISHED], output_field=BooleanField()
            ),
            has_transfers=RawSQL(transfers_sql, [], output_field=BooleanField()),
        )
    )


@functools.cache
def _practice_columns_sql():
    """Return the SQL of the main query's extra columns (built once: ``.history`` is costly)."""
    qn = connection.ops.quote_name
    practice_id = f"{qn(GoodPractice._meta.db_table)}.{qn('id')}"
    history = qn(GoodPractice.history.model._meta.db_table)
    presentations = qn(Presentation._meta.db_table)
    events = qn(Event._meta.db_table)
    transfers = qn(Transfer._meta.db_table)
    return (
        f"SELECT MAX(history_date) FROM {history} WHERE id = {practice_id}",
        f"EXISTS (SELECT 1 FROM {presentations} AS pr"
        f" INNER JOIN {events} AS ev ON ev.id = pr.event_id"
        f" WHERE pr.practice_id = {practice_id} AND ev.publication_state = %s)",
        f"EXISTS (SELECT 1 FROM {transfers} WHERE practice_id = {practice_id})",
    )


def practice_detail_context(practice):
    """Return what the detail template needs besides ``practice``.

    Used by the public page and by the staff draft preview, so that both
    show the same thing. Six queries at most, whatever the practice.
    """
    trail = region_trail(practice.region)
    practice_list_url = reverse("practices:practice-list")
    topics = list(practice.topics.all())
    projects = with_links(
        list(
            practice.projects.select_related("programme").only(
                "acronym",
                "title",
                "title_en",
                "slug",
                "programme",
                "programme__name",
                "programme__short_name",
            )
        ),
        "exchange:project-detail",
    )
    presentations = (
        Presentation.objects.filter(
            practice=practice, event__publication_state=PublicationState.PUBLISHED
        )
        .select_related("event", "presenter", "organisation")
        # What the list shows: no event descriptions, no e-mail address.
        .only(
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
    transfers = (
        Transfer.objects.filter(practice=practice)
        .select_related("region")
        .defer("region__outline")
        .order_by("year", "region__name")
    )
    return {
        "region_trail": trail,
        # The top of the trail: the country, or the region standing for it
        # when it repeats the country's name (SI0 for Slovenia).
        "country": trail[0] if trail and trail[0].kind == Region.Kind.NUTS else None,
        "topics": topics,
        "projects": projects,
        "presentations": list(presentations) if _may_have(practice, "presentations") else [],
        "transfers": list(transfers) if _may_have(practice, "transfers") else [],
        "related_practices": with_links(
            related_practices(practice, topics), "practices:practice-detail"
        ),
        "last_updated": getattr(practice, "last_history_date", None) or practice.updated_at,
        # Topic links are this address with ?topic=<slug>.
        "practice_list_url": practice_list_url,
        "breadcrumbs": [
            (gettext_lazy("Practices"), practice_list_url),
            (practice.title, ""),
        ],
    }


def _may_have(practice, items):
    """Tell whether ``practice`` may have ``items``: True unless known to have none."""
    return bool(getattr(practice, f"has_{items}", True))


def related_practices(practice, topics):
    """Return a few published practices sharing topics or the region, closest first.

    Closest first: most shared topics, then the same region, then newest.
    The candidates are bounded, so that the cost does not grow with the size
    of a popular topic (~10,000 practices) or region: the 20 sharing the most
    topics among the newest links of each topic (read backwards from an
    index, never the whole topic), and the 50 newest of the same region.
    The shared topics are then counted exactly for those candidates only.

    One query, in SQL that SQLite and PostgreSQL both run: the ORM cannot
    express the limit per topic, and compiling the equivalent expressions
    cost more than the query itself. Each card carries ``region_name``
    (and gets its ``url`` in the context).
    """
    topic_ids = sorted({t.pk for t in topics})
    if not practice.region_id and not topic_ids:
        return []
    qn = connection.ops.quote_name
    practices = qn(GoodPractice._meta.db_table)
    links = qn(GoodPractice.topics.through._meta.db_table)
    regions = qn(Region._meta.db_table)
    sources, source_params = [], []
    if topic_ids:
        # Compound members cannot carry their own ORDER BY/LIMIT in SQLite:
        # each one is wrapped in a subquery, which PostgreSQL accepts too.
        newest_links = " UNION ALL ".join(
            f"SELECT goodpractice_id FROM (SELECT goodpractice_id FROM {links}"
            " WHERE topic_id = %s AND goodpractice_id <> %s"
            f" ORDER BY goodpractice_id DESC LIMIT %s) AS topic_{n}"
            for n in range(len(topic_ids))
        )
        for topic_id in topic_ids:
            source_params += [topic_id, practice.pk, RECENT_LINKS_PER_TOPIC]
        sources.append(
            f"SELECT id FROM (SELECT goodpractice_id AS id FROM ({newest_links}) AS newest"
            " GROUP BY goodpractice_id ORDER BY COUNT(*) DESC, goodpractice_id DESC"
            " LIMIT %s) AS most_shared"
        )
        source_params.append(RELATED_CANDIDATES)
    if practice.region_id:
        sources.append(
            f"SELECT id FROM (SELECT id FROM {practices}"
            " WHERE region_id = %s AND publication_state = %s AND id <> %s"
            " ORDER BY published_at DESC, id DESC LIMIT %s) AS same_region"
        )
        source_params += [
            practice.region_id,
            PublicationState.PUBLISHED,
            practice.pk,
            SAME_REGION_CANDIDATES,
        ]
    if topic_ids:
        shared = (
            f"(SELECT COUNT(*) FROM {links} AS l WHERE l.goodpractice_id = p.id"
            f" AND l.topic_id IN ({', '.join(['%s'] * len(topic_ids))}))"
        )
    else:
        shared = "0"
    # The candidates in one "id IN (... UNION ...)": an OR of the two sources
    # would keep PostgreSQL from joining them and make it scan every practice.
    sql = (
        f"SELECT p.id, p.title, p.slug, p.language, p.published_at, p.region_id,"
        f" COALESCE(NULLIF(r.name_en, ''), r.name) AS region_name,"
        f" {shared} AS shared_topics,"
        f" CASE WHEN p.region_id = %s THEN 1 ELSE 0 END AS in_region"
        f" FROM {practices} AS p LEFT JOIN {regions} AS r ON r.id = p.region_id"
        f" WHERE p.publication_state = %s AND p.id <> %s"
        f" AND p.id IN ({' UNION '.join(sources)})"
        " ORDER BY shared_topics DESC, in_region DESC, p.published_at DESC, p.id DESC"
        " LIMIT %s"
    )
    params = [
        *topic_ids,
        practice.region_id,
        PublicationState.PUBLISHED,
        practice.pk,
        *source_params,
        RELATED_PRACTICES,
    ]
    return list(GoodPractice.objects.raw(sql, params))
