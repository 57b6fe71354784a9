"""Pages that join every app: home, regions, projects, organisations."""

import unicodedata
from collections import defaultdict
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView

from events.filters import upcoming_first
from events.models import Event, Presentation
from exchange.exports import EXPORT_FORMATS, export_response
from exchange.filters import OrganisationFilter
from exchange.models import Organisation, Partnership, Project, PublicationState, Region
from exchange.pagecache import PublicPageCacheMixin
from exchange.trails import region_trail
from practices.models import GoodPractice, Transfer

# How many rows a region page lists before linking to the full, filtered list.
REGION_PAGE_PRACTICES = 24
REGION_PAGE_ORGANISATIONS = 60
REGION_PAGE_EVENTS = 20
REGION_PAGE_TRANSFERS = 50


def healthz(request):
    """Answer without touching the database: the floor for a Django request."""
    return HttpResponse("ok", content_type="text/plain")


class HomeView(TemplateView):
    template_name = "exchange/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        practices = GoodPractice.objects.published()
        events = Event.objects.published()
        upcoming = list(events.upcoming().for_listing()[:3])
        context.update(
            practice_count=practices.count(),
            project_count=Project.objects.count(),
            region_count=Region.objects.filter(Q(practices__publication_state="published"))
            .distinct()
            .count(),
            event_count=events.count(),
            latest_practices=practices.for_listing()[:6],
            upcoming_events=upcoming,
            # With nothing scheduled, show what happened last rather than nothing.
            recent_events=[] if upcoming else list(events.past().for_listing()[:3]),
        )
        return context


def practice_counts(within=()):
    """Return {region path: published practices in it and below it}.

    One grouped query; each count is then added to every ancestor's path, so
    a country's figure includes its regions' practices without a query per
    region. ``within`` limits the counting to these regions' subtrees.
    """
    practices = GoodPractice.objects.published().exclude(region=None)
    if within:
        subtrees = Q()
        for region in within:
            subtrees |= Q(path__startswith=region.path)
        practices = practices.filter(region__in=Region.objects.filter(subtrees).values("pk"))
    rows = practices.order_by().values_list("region__path").annotate(n=Count("id"))
    counts = defaultdict(int)
    for path, n in rows:
        slugs = path.strip("/").split("/")
        for depth in range(1, len(slugs) + 1):
            counts["/" + "/".join(slugs[:depth]) + "/"] += n
    return counts


def sort_key(name):
    """Sort "Česko" with the Cs and "Österreich" with the Os, whatever the database's collation."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return (ascii_name or name).casefold()


def role_order():
    """Order partnerships lead partner first, then partners, advisory, associated."""
    roles = [
        Partnership.Role.LEAD_PARTNER,
        Partnership.Role.PARTNER,
        Partnership.Role.ADVISORY_PARTNER,
        Partnership.Role.ASSOCIATED,
    ]
    return Case(
        *(When(role=role, then=Value(i)) for i, role in enumerate(roles)),
        default=Value(len(roles)),
        output_field=IntegerField(),
    )


def split_events(events):
    """Split events ordered by ``upcoming_first`` into (upcoming, past) lists."""
    events = list(events)
    return [e for e in events if not e.is_past], [e for e in events if e.is_past]


def map_points(practices):
    """Return the pins of ``includes/_map.html``: one per region with published practices.

    A region holding one practice links to it; one with several links to the
    practice list filtered by that region. One grouped query, no instances.
    """
    return map_points_from_rows(
        map_rows(practices.exclude(region__label_lat=None).exclude(region__label_lon=None))
    )


def map_rows(practices):
    """Return the practices grouped by region, as ``map_points_from_rows`` takes them."""
    return (
        practices.order_by()
        .values(
            "region__slug",
            "region__path",
            "region__name",
            "region__name_en",
            "region__nuts_code",
            "region__label_lat",
            "region__label_lon",
        )
        .annotate(count=Count("pk"), title=Min("title"), practice_slug=Min("slug"))
        .order_by("region__path")
    )


def map_points_from_rows(rows):
    """Turn ``map_rows`` into pins, leaving out regions without a label point."""
    detail_url = reverse("practices:practice-detail", kwargs={"slug": "-slug-"})
    list_url = reverse("practices:practice-list")
    return [
        {
            "lat": row["region__label_lat"],
            "lon": row["region__label_lon"],
            "count": row["count"],
            "name": row["region__name_en"] or row["region__name"],
            "code": row["region__nuts_code"] or "",
            "slug": row["region__slug"],
            "path": row["region__path"],
            "title": row["title"] if row["count"] == 1 else "",
            "url": (
                detail_url.replace("-slug-", row["practice_slug"])
                if row["count"] == 1
                else f"{list_url}?{urlencode({'region': row['region__slug']})}"
            ),
        }
        for row in rows
        if row["region__label_lat"] is not None and row["region__label_lon"] is not None
    ]


class RegionListView(TemplateView):
    """Countries with their NUTS regions, and the other areas, with practice counts."""

    template_name = "exchange/region_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = practice_counts()
        # The outlines (GeoJSON) are heavy and not drawn here.
        regions = list(Region.objects.defer("outline").order_by("path"))
        by_id = {r.pk: r for r in regions}
        countries, others = [], []
        for region in regions:
            region.practice_count = counts.get(region.path, 0)
            region.tree_children = []
        country_by_code = {r.country_code: r for r in regions if r.is_country}
        for region in regions:
            if region.kind != Region.Kind.NUTS:
                others.append(region)
                # Also under its parent, whose count includes it.
                if region.parent_id in by_id:
                    by_id[region.parent_id].tree_children.append(region)
            elif region.is_country:
                countries.append(region)
            # The full NUTS 3 level has over a thousand regions: list those
            # only where there is something to see.
            elif region.level is not None and region.level >= 3 and not region.practice_count:
                continue
            else:
                parent = by_id.get(region.parent_id) or country_by_code.get(region.country_code)
                if parent is not None:
                    parent.tree_children.append(region)
        for region in reversed(regions):  # children before parents: paths sort parents first
            region.tree_size = sum(1 + child.tree_size for child in region.tree_children)
        countries.sort(key=lambda r: sort_key(r.display_name))
        others.sort(key=lambda r: (r.kind, sort_key(r.display_name)))
        context.update(countries=countries, other_regions=others)
        return context


class RegionDetailView(PublicPageCacheMixin, DetailView):
    """Everything that happens in a region and below it."""

    model = Region
    template_name = "exchange/region_detail.html"
    context_object_name = "region"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = self.object
        # The subtree as an id subquery: the big tables are then read through
        # their region_id index instead of a LIKE over a join.
        below = Region.objects.within(region).values("pk")
        practices = list(
            GoodPractice.objects.published()
            .filter(region__in=below)
            .for_listing()[:REGION_PAGE_PRACTICES]
        )
        partnerships = Partnership.objects.select_related("project").order_by("project__acronym")
        organisations = list(
            Organisation.objects.filter(region__in=below)
            .select_related("region")
            .prefetch_related(Prefetch("partnerships", queryset=partnerships))
            .annotate(
                practice_count=Count(
                    "practices",
                    filter=Q(practices__publication_state=PublicationState.PUBLISHED),
                )
            )
            .order_by("name")[: REGION_PAGE_ORGANISATIONS + 1]
        )
        upcoming, past = split_events(
            upcoming_first(Event.objects.published().filter(region__in=below).for_listing())[
                :REGION_PAGE_EVENTS
            ]
        )
        # Children, the areas covering this region and the ancestors: one query.
        ancestor_slugs = [s for s in region.path.strip("/").split("/")[:-1] if s]
        covering = Region.covers.through.objects.filter(to_region_id=region.pk)
        nearby = list(
            Region.objects.defer("outline")
            .filter(
                Q(parent_id=region.pk)
                | Q(pk__in=covering.values("from_region_id"))
                | Q(slug__in=ancestor_slugs)
            )
            .annotate(is_cover=Exists(covering.filter(from_region_id=OuterRef("pk"))))
            .order_by("name", "pk")
        )
        children = [r for r in nearby if r.parent_id == region.pk]
        covers = (
            list(region.covers.defer("outline").order_by("path"))
            if region.kind != Region.Kind.NUTS
            else []
        )
        covered_by = [r for r in nearby if r.is_cover]
        # One grouped query over every subtree the page counts: the counts of
        # the region, its children, covered and covering areas, and the map.
        subtrees = Q()
        for area in (region, *covers, *covered_by):
            subtrees |= Q(path__startswith=area.path)
        rows = list(
            map_rows(
                GoodPractice.objects.published().filter(
                    region__in=Region.objects.filter(subtrees).values("pk")
                )
            )
        )
        counts = defaultdict(int)
        for row in rows:
            slugs = row["region__path"].strip("/").split("/")
            for depth in range(1, len(slugs) + 1):
                counts["/" + "/".join(slugs[:depth]) + "/"] += row["count"]
        # The map: this region and the areas it covers, not those covering it.
        mapped = (region.path, *(other.path for other in covers))
        # A macro-region rarely has practices of its own: show those of the
        # NUTS regions it covers as well, in their own section.
        covered_practices = []
        if covers:
            covered_area = Q()
            for other in covers:
                covered_area |= Q(path__startswith=other.path)
            in_covered_area = Region.objects.filter(covered_area).values("pk")
            covered_practices = list(
                GoodPractice.objects.published()
                .filter(region__in=in_covered_area)
                .exclude(region__in=below)
                .for_listing()[:REGION_PAGE_PRACTICES]
            )
        for other in [*children, *covers, *covered_by]:
            other.practice_count = counts.get(other.path, 0)
        transfers = list(
            Transfer.objects.filter(
                region__in=below,
                practice__publication_state=PublicationState.PUBLISHED,
            )
            .select_related("practice", "practice__region", "region")
            .order_by(F("year").desc(nulls_last=True), "practice__title")[
                : REGION_PAGE_TRANSFERS + 1
            ]
        )
        by_slug = {r.slug: r for r in nearby if r.slug in ancestor_slugs}
        ancestors = [by_slug[slug] for slug in ancestor_slugs if slug in by_slug]
        context.update(
            ancestors=ancestors,
            practice_count=counts.get(region.path, 0),
            covered_practices=covered_practices,
            # Covered regions may nest (PL and PL9): count each subtree once.
            covered_practice_count=sum(
                counts.get(other.path, 0)
                for other in covers
                if not any(o.path != other.path and other.path.startswith(o.path) for o in covers)
            ),
            practices=practices,
            map_points=map_points_from_rows(
                [row for row in rows if row["region__path"].startswith(mapped)]
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
            projects_in_area=list(region.projects_in_area.order_by("acronym")),
            breadcrumbs=[
                (_("Regions"), reverse("exchange:region-list")),
                *((a.display_name, a.get_absolute_url()) for a in ancestors),
                (region.display_name, ""),
            ],
        )
        return context


class ProjectListView(ListView):
    template_name = "exchange/project_list.html"
    context_object_name = "projects"
    paginate_by = 50

    def get_queryset(self):
        # Correlated counts rather than two joined COUNT(DISTINCT): joining
        # practices and partnerships multiplies the rows (seconds at 250 projects).
        practices = (
            GoodPractice.projects.through.objects.filter(
                project=OuterRef("pk"),
                goodpractice__publication_state=PublicationState.PUBLISHED,
            )
            .order_by()
            .values("project")
            .annotate(n=Count("pk"))
            .values("n")
        )
        partners = (
            Partnership.objects.filter(project=OuterRef("pk"))
            .order_by()
            .values("project")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Project.objects.for_listing().annotate(
            practice_count=Coalesce(Subquery(practices), 0),
            partner_count=Coalesce(Subquery(partners), 0),
        )

    def paginate_queryset(self, queryset, page_size):
        page = Paginator(queryset, page_size).get_page(self.request.GET.get("page"))
        return page.paginator, page, page.object_list, page.has_other_pages()


class ProjectDetailView(DetailView):
    template_name = "exchange/project_detail.html"
    context_object_name = "project"

    def get_queryset(self):
        return Project.objects.select_related("programme", "area").prefetch_related("topics")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.object
        partnerships = list(
            project.partnerships.select_related(
                "organisation", "organisation__region", "region"
            ).order_by(role_order(), "organisation__name")
        )
        upcoming, past = split_events(
            upcoming_first(Event.objects.published().filter(project=project).for_listing())
        )
        context.update(
            partnerships=partnerships,
            practices=list(GoodPractice.objects.published().filter(projects=project).for_listing()),
            upcoming_events=upcoming,
            past_events=past,
            today=timezone.localdate(),
            breadcrumbs=[
                (_("Projects"), reverse("exchange:project-list")),
                (project.acronym, ""),
            ],
        )
        return context


class OrganisationListView(ListView):
    template_name = "exchange/organisation_list.html"
    context_object_name = "organisations"
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        # ?format=csv|json|xlsx downloads the whole filtered list (exchange.exports).
        fmt = request.GET.get("format")
        if fmt in EXPORT_FORMATS:
            return export_response(request, self.get_queryset(), fmt)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        base = (
            Organisation.objects.select_related("region")
            .annotate(project_count=Count("partnerships", distinct=True))
            .order_by("name", "pk")
        )
        self.filterset = OrganisationFilter(self.request.GET or None, queryset=base)
        invalid = self.filterset.invalid_parameters()
        if invalid:
            labels = ", ".join(str(self.filterset.filters[n].label) for n in invalid)
            messages.warning(
                self.request,
                _("Some filter values were not recognised and have been ignored: %(filters)s.")
                % {"filters": labels},
            )
        return self.filterset.qs

    def paginate_queryset(self, queryset, page_size):
        page = Paginator(queryset, page_size).get_page(self.request.GET.get("page"))
        return page.paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter=self.filterset, export_formats=EXPORT_FORMATS, **kwargs
        )


class OrganisationDetailView(DetailView):
    template_name = "exchange/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.select_related("region")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.object
        partnerships = list(
            organisation.partnerships.select_related(
                "project", "project__programme", "region"
            ).order_by("-project__start_date", "project__acronym")
        )
        presentations = list(
            Presentation.objects.filter(
                Q(organisation=organisation)
                | Q(organisation__isnull=True, presenter__organisation=organisation),
                event__publication_state=PublicationState.PUBLISHED,
            )
            .select_related("event", "practice", "presenter")
            .order_by("-event__start", "order", "pk")
        )
        for item in presentations:
            practice = item.practice
            item.public_practice = (
                practice
                if practice and practice.publication_state == PublicationState.PUBLISHED
                else None
            )
        context.update(
            partnerships=partnerships,
            practices=list(
                GoodPractice.objects.published().filter(organisation=organisation).for_listing()
            ),
            presentations=presentations,
            region_trail=region_trail(organisation.region),
            breadcrumbs=[
                (_("Organisations"), reverse("exchange:organisation-list")),
                (organisation.display_name, ""),
            ],
        )
        return context


class AccessibilityView(TemplateView):
    template_name = "exchange/accessibility.html"
