"""Read-only API views: lists with the listings' filters, details by slug."""

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.utils import timezone, translation
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import InvalidPage, PageNumberPagination
from rest_framework.response import Response

from core import translations
from core.filters import OrganisationFilter, ProjectFilter
from core.models import (
    Organisation,
    Partnership,
    PolicyInstrument,
    Programme,
    Project,
    PublicationState,
    Region,
    Topic,
)
from events.filters import DocumentFilter, EventFilter
from events.models import Event, Material, Output, Participant, Presentation
from events.selectors import listed_events
from infra import caching
from infra.listing import IdsFirstPaginator
from portal.api import serializers
from portal.api.filters import RegionFilter
from practices.filters import BROAD_SEARCH_MATCHES, ListedPracticeFilter
from practices.models import GoodPractice, PracticeTranslation, Transfer
from practices.selectors import listed_practices, page_rows


def related_columns(relation, serializer_class):
    """The columns of ``relation`` that ``serializer_class`` (a reference) reads."""
    return [f"{relation}__{column}" for column in serializer_class.Meta.columns]


class FormatTolerantNegotiation(DefaultContentNegotiation):
    """Let ``?format=`` be a filter when it names no renderer.

    The event listing filters on ``format`` (in person, online, hybrid); DRF
    would otherwise answer ``?format=online`` with 404, looking for a renderer.
    """

    def filter_renderers(self, renderers, format):
        return [r for r in renderers if r.format == format] or renderers


class Pagination(PageNumberPagination):
    """Pages of a list, counted once per state of the data and its filters."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    count_capped = False

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        count, self.count_capped = view.count_for(queryset)
        paginator = IdsFirstPaginator(
            queryset, page_size, count=count, rows=view.page_rows(queryset)
        )
        page_number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage as exc:
            raise NotFound(
                self.invalid_page_message.format(page_number=page_number, message=str(exc))
            ) from exc
        # The rows in one pass: neither the page nor the serializers, which
        # refer to the view and to one another, keep them (``release_rows``).
        rows, self.page.object_list = self.page.object_list, ()
        return iter(rows)


class PracticePagination(Pagination):
    """Pages of practices, counted as the listing counts them.

    A search is counted up to ``BROAD_SEARCH_MATCHES`` (the filter set
    counted it already) and a broader one lists only that many, as the
    listing does; ``count_capped`` says so.
    """

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_capped": self.count_capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "count_capped", "results"]
        properties = response["properties"]
        properties["count"]["description"] = (
            "The number of practices listed (over all pages): for a search, at most "
            f"{BROAD_SEARCH_MATCHES:,}."
        )
        response["properties"] = {
            "count": properties.pop("count"),
            "count_capped": {
                "type": "boolean",
                "description": (
                    f"True when a search matched more than {BROAD_SEARCH_MATCHES:,} practices: "
                    f"only the first {BROAD_SEARCH_MATCHES:,} are listed, newest first unless "
                    "sorted by title, as on the practice listing. Add words or filters to "
                    "narrow the search."
                ),
            },
            **properties,
        }
        return response


class RememberingFilterBackend(DjangoFilterBackend):
    """``DjangoFilterBackend`` that leaves the filter set on the view (for its counts)."""

    def get_filterset(self, request, queryset, view):
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"
    pagination_class = Pagination
    content_negotiation_class = FormatTolerantNegotiation
    filter_backends = [RememberingFilterBackend]
    detail_serializer_class = None
    filterset = None
    # What a list row does not read: columns left out of lists (not details).
    list_only = ()
    list_defer = ()
    # Rows carry their staff translations (``versions``).
    translated = False

    def get_queryset(self):
        """The rows of ``base_queryset()``, cut to what the action's serializer reads."""
        queryset = self.base_queryset()
        if self.action == "list":
            if self.list_only:
                queryset = queryset.only(*self.list_only)
            if self.list_defer:
                queryset = queryset.defer(*self.list_defer)
        if self.translated:
            queryset = queryset.annotate(translation_versions=self.versions(queryset.model))
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(*self.detail_prefetches())
        return queryset

    def base_queryset(self):
        return super().get_queryset()

    def detail_prefetches(self):
        """Return the lookups a detail prefetches beyond a list row's."""
        return ()

    def dispatch(self, request, *args, **kwargs):
        # The same answer whatever the client's language: links to public
        # pages and messages use the site's default language.
        with translation.override(settings.LANGUAGE_CODE):
            return super().dispatch(request, *args, **kwargs)

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class:
            return self.detail_serializer_class
        return self.serializer_class

    def count_for(self, queryset):
        """Return ``(count, capped)`` for the filtered list ``queryset``.

        Counted once per state of the data and filters (any edit starts a
        new cache generation): counting every published practice is most of
        a list page, even as an index-only scan.
        """
        # The date: a filter may depend on it (projects running today).
        state = [self.basename, str(timezone.localdate())]
        if self.filterset is not None:
            for name, value in sorted(self.filterset.form.cleaned_data.items()):
                if name != "sort" and value not in (None, ""):
                    state.append(f"{name}={getattr(value, 'pk', value)}")
        return caching.cached("api-count", state, queryset.count), False

    def page_rows(self, listed):
        """Return ``ids -> the rows of a page`` of ``listed``, or None for its own rows."""
        return None

    def list(self, request, *args, **kwargs):
        return self.cached(super().list, request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self.cached(super().retrieve, request, *args, **kwargs)

    def cached(self, handler, request, *args, **kwargs):
        """Answer an anonymous GET from the cache (``infra.caching``) when it can.

        Here, after ``initial()``: the throttle has counted the request and
        the format is negotiated. The key is the request's (query sorted)
        and the media type; ``finalize_response`` stores a built answer.
        """
        plain = request._request
        if not caching.request_may_use_cache(plain):
            return handler(request, *args, **kwargs)
        caching.sort_query(plain)
        name = caching.response_key("api", plain, request.accepted_media_type)
        if name is None:  # the cache cannot say its generation
            return handler(request, *args, **kwargs)
        response = caching.cached_response(plain, name)
        if response is None:
            response = handler(request, *args, **kwargs)
            self.store_as = name
        return response

    def versions(self, model):
        """Every staff translation of each row, as a JSON list: a list row's title and
        summary (name and description), a detail's every translated text."""
        translated = translations.translation_model(model).FIELDS
        return translations.translations_json(
            model, translated if self.action == "retrieve" else translated[:2]
        )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Open data: any web page may read it.
        response["Access-Control-Allow-Origin"] = "*"
        name = self.__dict__.pop("store_as", None)
        if name is not None:
            caching.store_response(request._request, name, response)
        if isinstance(response, Response):
            response.add_post_render_callback(release_rows)
        return response


def release_rows(response):
    """Let go of a rendered response's rows, so that they are freed at once.

    DRF's view, request, response and list serializers refer to one another:
    whatever they keep waits for the cycle collector, whose runs then come
    more often and, through the objects they promote, take longer
    (bench/README.md, "The API list's rows and the garbage collector").
    """
    response.data = None


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
    OpenApiParameter(
        "validated", str, enum=["1"], description="`1`: only practices validated by experts."
    ),
]


@extend_schema_view(
    list=extend_schema(summary="List published good practices", parameters=PRACTICE_PARAMETERS),
    retrieve=extend_schema(summary="One published good practice"),
)
class PracticeViewSet(ReadOnlyViewSet):
    """Published good practices; the filters are those of the practice listing.

    A search matching more than 1,000 practices lists only the first 1,000,
    newest first unless sorted by title (``count_capped`` is true), as the
    practice listing does.
    """

    serializer_class = serializers.PracticeListSerializer
    detail_serializer_class = serializers.PracticeDetailSerializer
    filterset_class = ListedPracticeFilter
    pagination_class = PracticePagination

    def get_queryset(self):
        if self.action == "retrieve":
            presentations = Presentation.objects.select_related("event").filter(
                event__publication_state=PublicationState.PUBLISHED
            )
            return (
                GoodPractice.objects.published()
                .for_listing()
                .prefetch_related(
                    Prefetch("topics", queryset=Topic.objects.order_by("name")),
                    Prefetch("projects", queryset=Project.objects.order_by("acronym")),
                    Prefetch(
                        "transfers",
                        # Regions that did not agree to be named stay out.
                        queryset=Transfer.objects.filter(show_region=True).select_related("region"),
                    ),
                    Prefetch("presentations", queryset=presentations),
                    Prefetch("policy_instruments", queryset=instruments()),
                    Prefetch(
                        "translations",
                        queryset=PracticeTranslation.objects.order_by("language_code"),
                    ),
                )
            )
        return listed_practices()

    def count_for(self, queryset):
        filterset = self.filterset
        if filterset is not None and filterset.capped_count is not None:
            # A search: counted by the filter set, up to the broad-search limit.
            capped = filterset.capped_count > BROAD_SEARCH_MATCHES
            return min(filterset.capped_count, BROAD_SEARCH_MATCHES), capped
        return super().count_for(queryset)

    def page_rows(self, listed):
        # Plain rows of the columns a list row shows: no model instances.
        return page_rows(self.filterset, listed)


@extend_schema_view(
    list=extend_schema(summary="List published events"),
    retrieve=extend_schema(summary="One published event, with its agenda and materials"),
)
class EventViewSet(ReadOnlyViewSet):
    """Published events, upcoming first; the filters are those of the event listing."""

    serializer_class = serializers.EventSerializer
    detail_serializer_class = serializers.EventDetailSerializer
    filterset_class = EventFilter
    # Not the description, nor the project's texts or the outline.
    list_only = (
        *serializers.EventSerializer.Meta.columns,
        *related_columns("project", serializers.ProjectRefSerializer),
        *related_columns("region", serializers.RegionRefSerializer),
    )
    translated = True

    def base_queryset(self):
        return listed_events()

    def detail_prefetches(self):
        return (
            "organisers",
            Prefetch(
                "presentations",
                queryset=Presentation.objects.select_related(
                    "presenter", "organisation", "practice"
                ).order_by("order", "id"),
            ),
            Prefetch("materials", queryset=Material.objects.select_related("event")),
            Prefetch("participants", queryset=Participant.objects.for_page()),
            "participant_groups",
            Prefetch("regions_represented", queryset=Region.objects.defer("outline")),
            Prefetch("outputs", queryset=Output.objects.published().order_by("title", "pk")),
            Prefetch("policy_instruments", queryset=instruments()),
        )


@extend_schema_view(
    list=extend_schema(summary="List organisations"),
    retrieve=extend_schema(summary="One organisation, with its projects and practices"),
)
class OrganisationViewSet(ReadOnlyViewSet):
    """Organisations; the filters are those of the organisation listing."""

    serializer_class = serializers.OrganisationSerializer
    detail_serializer_class = serializers.OrganisationDetailSerializer
    filterset_class = OrganisationFilter
    queryset = Organisation.objects.select_related("region").order_by("name", "pk")
    list_defer = ("region__outline",)

    def detail_prefetches(self):
        return (
            Prefetch(
                "partnerships",
                queryset=Partnership.objects.select_related("project").order_by("project__acronym"),
            ),
            Prefetch(
                "practices",
                queryset=GoodPractice.objects.published().only(
                    "id", "slug", "title", "organisation_id"
                ),
                to_attr="published_practices",
            ),
        )


@extend_schema_view(
    list=extend_schema(summary="List projects"),
    retrieve=extend_schema(summary="One project, with its partners"),
)
class ProjectViewSet(ReadOnlyViewSet):
    serializer_class = serializers.ProjectSerializer
    detail_serializer_class = serializers.ProjectDetailSerializer
    filterset_class = ProjectFilter
    list_defer = ("objectives", "area__outline")
    translated = True

    def base_queryset(self):
        return (
            Project.objects.for_listing()
            .order_by("-start_date", "acronym", "pk")
            .select_related("area")
            .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
        )

    def detail_prefetches(self):
        return (
            Prefetch(
                "partnerships",
                queryset=Partnership.objects.select_related("organisation", "region"),
            ),
            Prefetch("partner_regions", queryset=Region.objects.defer("outline")),
            Prefetch("policy_instruments", queryset=instruments()),
        )


@extend_schema_view(
    list=extend_schema(summary="List regions: NUTS regions and other areas"),
    retrieve=extend_schema(summary="One region, with its place in the hierarchy"),
)
class RegionViewSet(ReadOnlyViewSet):
    """Regions; ``?parent=<slug>`` lists the regions directly below one."""

    serializer_class = serializers.RegionSerializer
    detail_serializer_class = serializers.RegionDetailSerializer
    filterset_class = RegionFilter
    queryset = Region.objects.select_related("parent").order_by("path", "pk")
    list_defer = ("outline", "parent__outline")

    def detail_prefetches(self):
        return ("covers",)


@extend_schema_view(
    list=extend_schema(summary="List topics"),
    retrieve=extend_schema(summary="One topic"),
)
class TopicViewSet(ReadOnlyViewSet):
    serializer_class = serializers.TopicSerializer
    queryset = Topic.objects.order_by("name", "pk")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "practice_counts": practice_counts()}

    def count_for(self, queryset):
        # Every topic has its count: no filters, so no query to count them.
        return len(practice_counts()), False


def practice_counts():
    """Return ``{topic id: number of published practices}`` for every topic.

    Once per state of the data (cache generation): it reads 200,000 links
    at 100,000 practices.
    """

    def count():
        published = Q(practices__publication_state=PublicationState.PUBLISHED)
        return dict(
            Topic.objects.annotate(n=Count("practices", filter=published))
            .order_by()
            .values_list("pk", "n")
        )

    return caching.cached("api-topic-practice-counts", (), count)


@extend_schema_view(
    list=extend_schema(summary="List funding programmes"),
    retrieve=extend_schema(summary="One funding programme"),
)
class ProgrammeViewSet(ReadOnlyViewSet):
    serializer_class = serializers.ProgrammeSerializer
    queryset = Programme.objects.order_by("name", "pk")


def instruments():
    """Policy instruments as references name them."""
    return PolicyInstrument.objects.only("slug", "name", "name_en").order_by("name", "pk")


@extend_schema_view(
    list=extend_schema(summary="List published documents: studies, analyses, plans, reports"),
    retrieve=extend_schema(summary="One published document"),
)
class DocumentViewSet(ReadOnlyViewSet):
    """The document library; the filters are those of /documents/."""

    serializer_class = serializers.DocumentSerializer
    filterset_class = DocumentFilter
    translated = True

    def base_queryset(self):
        return (
            Output.objects.published()
            .select_related("project", "event")
            .prefetch_related(
                Prefetch("regions", queryset=Region.objects.defer("outline").order_by("path"))
            )
            .order_by(*Output._meta.ordering)
        )


@extend_schema_view(
    list=extend_schema(summary="List policy instruments"),
    retrieve=extend_schema(
        summary="One policy instrument, with the practices, projects and events linked to it"
    ),
)
class PolicyInstrumentViewSet(ReadOnlyViewSet):
    """Regional programmes, their actions and strategies that projects aim to improve."""

    serializer_class = serializers.PolicyInstrumentSerializer
    detail_serializer_class = serializers.PolicyInstrumentDetailSerializer
    queryset = (
        PolicyInstrument.objects.select_related("region")
        .order_by("name", "pk")
        .defer("region__outline")
    )
    translated = True

    def detail_prefetches(self):
        return (
            Prefetch(
                "practices",
                queryset=GoodPractice.objects.only("slug", "title", "publication_state").order_by(
                    "title", "pk"
                ),
            ),
            Prefetch("projects", queryset=Project.objects.only("slug", "acronym")),
            Prefetch(
                "events",
                queryset=Event.objects.only(
                    "slug", "title", "title_en", "start", "end", "publication_state"
                ).order_by("start", "pk"),
            ),
        )


class APIDocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the package's own files (no CDN), its script a separate file."""

    template_name = "api/swagger_ui.html"
