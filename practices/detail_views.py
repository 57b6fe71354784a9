"""The public page of one good practice (also the staff draft preview's content)."""

from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView

from events.models import Presentation
from exchange.models import Project, PublicationState
from exchange.pagecache import PublicPageCacheMixin
from practices.models import GoodPractice, Transfer

RELATED_PRACTICES = 4
RELATED_CANDIDATES = 50


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
    """Add to ``queryset`` what the detail template shows, in a fixed number of queries."""
    latest_history = (
        GoodPractice.history.model.objects.filter(id=OuterRef("pk"))
        .order_by("-history_date")
        .values("history_date")[:1]
    )
    return (
        queryset.select_related("organisation", "region__parent__parent__parent")
        .annotate(last_history_date=Subquery(latest_history))
        .prefetch_related(
            "topics",
            Prefetch("projects", queryset=Project.objects.select_related("programme")),
        )
    )


def practice_detail_context(practice):
    """Return what the detail template needs besides ``practice``.

    Used by the public page and by the staff draft preview, so that both
    show the same thing. Four queries, whatever the practice.
    """
    region_trail = []
    region = practice.region
    while region is not None:
        region_trail.insert(0, region)
        region = region.parent if region.parent_id else None
    topics = list(practice.topics.all())
    presentations = (
        Presentation.objects.filter(
            practice=practice, event__publication_state=PublicationState.PUBLISHED
        )
        .select_related("event", "presenter", "organisation")
        .order_by("event__start", "order", "id")
    )
    transfers = (
        Transfer.objects.filter(practice=practice)
        .select_related("region")
        .order_by("year", "region__name")
    )
    return {
        "region_trail": region_trail,
        "country": next((r for r in region_trail if r.is_country), None),
        "topics": topics,
        "projects": list(practice.projects.all()),
        "presentations": list(presentations),
        "transfers": list(transfers),
        "related_practices": related_practices(practice, topics),
        "last_updated": getattr(practice, "last_history_date", None) or practice.updated_at,
        "breadcrumbs": [
            (gettext_lazy("Practices"), reverse("practices:practice-list")),
            (practice.title, ""),
        ],
    }


def related_practices(practice, topics):
    """Return a few published practices sharing topics or the region, closest first.

    Candidates are the practices of the same region and the 50 sharing the
    most topics (found in the link table alone), so that the cost does not
    grow with the size of a popular topic. Two queries.
    """
    topic_ids = [t.pk for t in topics]
    if not practice.region_id and not topic_ids:
        return []
    links = GoodPractice.topics.through.objects.filter(topic_id__in=topic_ids)
    most_shared = (
        links.exclude(goodpractice_id=practice.pk)
        .values("goodpractice_id")
        .annotate(shared=Count("id"))
        .order_by("-shared", "-goodpractice_id")
        .values_list("goodpractice_id", flat=True)[:RELATED_CANDIDATES]
    )
    shared_count = (
        links.filter(goodpractice_id=OuterRef("pk"))
        .values("goodpractice_id")
        .annotate(shared=Count("id"))
        .values("shared")[:1]
    )
    # A list of ids, not a subquery: "same region OR id in (...)" then
    # combines two index scans instead of scanning every practice.
    shared_ids = list(most_shared) if topic_ids else []
    same_region = Q(region_id=practice.region_id) if practice.region_id else Q(pk__in=[])
    published = GoodPractice.objects.published().exclude(pk=practice.pk)
    return list(
        published.filter(same_region | Q(pk__in=shared_ids))
        .annotate(
            shared_topics=Coalesce(Subquery(shared_count), 0),
            in_region=Case(
                When(same_region, then=Value(1)), default=Value(0), output_field=IntegerField()
            ),
        )
        .select_related("region")
        .order_by("-shared_topics", "-in_region", "-published_at", "-id")[:RELATED_PRACTICES]
    )
