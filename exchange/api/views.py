"""Read-only API views: lists with the listings' filters, details by slug."""

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.utils import translation
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import viewsets
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination

from events.filters import EventFilter, upcoming_first
from events.models import Event, Material, Presentation
from exchange.api import serializers
from exchange.api.filters import ProjectFilter, RegionFilter
from exchange.filters import OrganisationFilter
from exchange.models import (
    Organisation,
    Partnership,
    Programme,
    Project,
    PublicationState,
    Region,
    Topic,
)
from practices.filters import PracticeFilter
from practices.models import GoodPractice, Transfer

UNIQUE_KEYS = {"pk", "-pk", "id", "-id", "slug", "-slug"}


def with_unique_last(queryset):
    """Return ``queryset`` ordered as it was, then by primary key.

    Pages of a list are separate queries; without a unique key last, rows
    with equal sort values may swap between them and appear twice or never.
    """
    ordering = list(queryset.query.order_by)
    if not ordering and queryset.query.default_ordering:
        ordering = list(queryset.model._meta.ordering)
    if ordering and isinstance(ordering[-1], str) and ordering[-1] in UNIQUE_KEYS:
        return queryset
    return queryset.order_by(*ordering, "pk")


class FormatTolerantNegotiation(DefaultContentNegotiation):
    """Let ``?format=`` be a filter when it names no renderer.

    The event listing filters on ``format`` (in person, online, hybrid); DRF
    would otherwise answer ``?format=online`` with 404, looking for a renderer.
    """

    def filter_renderers(self, renderers, format):
        return [r for r in renderers if r.format == format] or renderers


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"
    pagination_class = Pagination
    content_negotiation_class = FormatTolerantNegotiation
    detail_serializer_class = None

    def dispatch(self, request, *args, **kwargs):
        # The same answer whatever the client's language: links to public
        # pages and messages use the site's default language.
        with translation.override(settings.LANGUAGE_CODE):
            return super().dispatch(request, *args, **kwargs)

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class:
            return self.detail_serializer_class
        return self.serializer_class

    def filter_queryset(self, queryset):
        return with_unique_last(super().filter_queryset(queryset))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Open data: any web page may read it.
        response["Access-Control-Allow-Origin"] = "*"
        return response


PRACTICE_PARAMETERS = [
    OpenApiParameter("q", str, description="Search words (at most 200 characters)."),
    OpenApiParameter("country", str, description="Country code, e.g. `PL`."),
    OpenApiParameter(
        "region",
        str,
        description="Region by NUTS code or slug, e.g. `PL9`; includes the regions below it.",
    ),
    OpenApiParameter("topic", str, description="Topic slug, e.g. `industry-4-0`."),
    OpenApiParameter("project", str, description="Project slug."),
    OpenApiParameter("programme", str, description="Programme slug."),
    OpenApiParameter(
        "year",
        int,
        description="Practices active in that year (1950–2100).",
    ),
]


@extend_schema_view(
    list=extend_schema(summary="List published good practices", parameters=PRACTICE_PARAMETERS),
    retrieve=extend_schema(summary="One published good practice"),
)
class PracticeViewSet(ReadOnlyViewSet):
    """Published good practices; the filters are those of the practice listing."""

    serializer_class = serializers.PracticeListSerializer
    detail_serializer_class = serializers.PracticeDetailSerializer
    filterset_class = PracticeFilter

    def get_queryset(self):
        queryset = (
            GoodPractice.objects.published()
            .for_listing()
            .prefetch_related(
                Prefetch("topics", queryset=Topic.objects.order_by("name")),
                Prefetch("projects", queryset=Project.objects.order_by("acronym")),
            )
        )
        if self.action == "retrieve":
            presentations = Presentation.objects.select_related("event").filter(
                event__publication_state=PublicationState.PUBLISHED
            )
            queryset = queryset.prefetch_related(
                Prefetch("transfers", queryset=Transfer.objects.select_related("region")),
                Prefetch("presentations", queryset=presentations),
            )
        return queryset


@extend_schema_view(
    list=extend_schema(summary="List published events"),
    retrieve=extend_schema(summary="One published event, with its agenda and materials"),
)
class EventViewSet(ReadOnlyViewSet):
    """Published events, upcoming first; the filters are those of the event listing."""

    serializer_class = serializers.EventSerializer
    detail_serializer_class = serializers.EventDetailSerializer
    filterset_class = EventFilter

    def get_queryset(self):
        queryset = Event.objects.published().for_listing()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                "organisers",
                Prefetch(
                    "presentations",
                    queryset=Presentation.objects.select_related(
                        "presenter", "organisation", "practice"
                    ).order_by("order", "id"),
                ),
                Prefetch("materials", queryset=Material.objects.select_related("event")),
            )
        return queryset

    def filter_queryset(self, queryset):
        # The listing's order, which ends with the primary key.
        return upcoming_first(super().filter_queryset(queryset))


@extend_schema_view(
    list=extend_schema(summary="List organisations"),
    retrieve=extend_schema(summary="One organisation, with its projects and practices"),
)
class OrganisationViewSet(ReadOnlyViewSet):
    """Organisations; the filters are those of the organisation listing."""

    serializer_class = serializers.OrganisationSerializer
    detail_serializer_class = serializers.OrganisationDetailSerializer
    filterset_class = OrganisationFilter

    def get_queryset(self):
        queryset = Organisation.objects.select_related("region").order_by("name")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "partnerships",
                    queryset=Partnership.objects.select_related("project").order_by(
                        "project__acronym"
                    ),
                ),
                Prefetch(
                    "practices",
                    queryset=GoodPractice.objects.published().only(
                        "id", "slug", "title", "organisation_id"
                    ),
                    to_attr="published_practices",
                ),
            )
        return queryset


@extend_schema_view(
    list=extend_schema(summary="List projects"),
    retrieve=extend_schema(summary="One project, with its partners"),
)
class ProjectViewSet(ReadOnlyViewSet):
    serializer_class = serializers.ProjectSerializer
    detail_serializer_class = serializers.ProjectDetailSerializer
    filterset_class = ProjectFilter

    def get_queryset(self):
        queryset = (
            Project.objects.for_listing()
            .select_related("area")
            .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "partnerships",
                    queryset=Partnership.objects.select_related("organisation", "region"),
                )
            )
        return queryset


@extend_schema_view(
    list=extend_schema(summary="List regions: NUTS regions and other areas"),
    retrieve=extend_schema(summary="One region, with its place in the hierarchy"),
)
class RegionViewSet(ReadOnlyViewSet):
    """Regions; ``?parent=<slug>`` lists the regions directly below one."""

    serializer_class = serializers.RegionSerializer
    detail_serializer_class = serializers.RegionDetailSerializer
    filterset_class = RegionFilter

    def get_queryset(self):
        queryset = Region.objects.select_related("parent").order_by("path")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("covers")
        return queryset


@extend_schema_view(
    list=extend_schema(summary="List topics"),
    retrieve=extend_schema(summary="One topic"),
)
class TopicViewSet(ReadOnlyViewSet):
    serializer_class = serializers.TopicSerializer

    def get_queryset(self):
        published = Q(practices__publication_state=PublicationState.PUBLISHED)
        return Topic.objects.annotate(practice_count=Count("practices", filter=published))


@extend_schema_view(
    list=extend_schema(summary="List funding programmes"),
    retrieve=extend_schema(summary="One funding programme"),
)
class ProgrammeViewSet(ReadOnlyViewSet):
    serializer_class = serializers.ProgrammeSerializer
    queryset = Programme.objects.all()


class APIDocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the package's own files (no CDN), its script a separate file."""

    template_name = "api/swagger_ui.html"
