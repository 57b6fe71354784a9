"""The public practice listing: filters, search, map and downloads."""

from django.http import QueryDict
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from core.models import CONTENT_LANGUAGES
from infra import caching
from infra.caching import PublicPageCacheMixin
from infra.feeds import feed_links
from infra.links import url_for_slug
from infra.listing import ListingView
from practices.exports import export_response
from practices.filters import (
    BROAD_SEARCH_MATCHES,
    ListedPracticeFilter,
    SortOrder,
    filter_chips,
)
from practices.models import PracticeStatus
from practices.selectors import listed_practices, page_rows, practice_cards


class PracticeListView(PublicPageCacheMixin, ListingView):
    template_name = "practices/practice_list.html"
    context_object_name = "practices"
    paginate_by = 20
    charge_builds = True
    filterset_class = ListedPracticeFilter
    export = staticmethod(export_response)
    # XLSX is served too, unlinked.
    export_links = ("csv", "json")
    # Filters whose chips and menus the page shows, in panel order.
    filter_names = (
        *("q", "country", "region", "topic", "project", "programme", "instrument"),
        *("organisation", "status", "language", "year", "validated"),
    )
    # Filters with a chip but no control in the panel (links from the
    # instrument and organisation pages): the panel's form carries them on.
    hidden_filters = ("instrument", "organisation")

    def get_base_queryset(self):
        return listed_practices()

    def page_rows(self, queryset):
        # Plain rows, topics and translations included: no model instances.
        return page_rows(self.filterset, queryset)

    def get_count(self, queryset):
        capped = self.filterset.capped_count
        if capped is not None:
            # A search was counted already (up to the broad-search limit):
            # no second count, and never a count of tens of thousands.
            return min(capped, BROAD_SEARCH_MATCHES)
        # Counted once per filter state and data generation, like the
        # facets: the next pages of a list cost no COUNT.
        return caching.cached("practice-count", self.filterset.state(), queryset.count)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["practices"] = context["object_list"] = practice_cards(
            context["object_list"], summary_words=45
        )
        filterset = self.filterset
        # The filter menus and the map are cached as rendered fragments under
        # the facets' own key (filter state and data generation): paging or
        # sorting through a list, or coming back to it, renders them once.
        # Their data is computed only when a fragment has to be rendered.
        facets = SimpleLazyObject(filterset.facets)
        fragments = caching.layer_on("fragments")
        data = filterset.cleaned_data
        chips = self.active_filters(data)
        context.update(
            filter=filterset,
            search_query=filterset.search_query,
            broad_search=filterset.is_broad_search,
            sort_order=filterset.sort_order,
            sort_options=self.sort_options(),
            filter_options=SimpleLazyObject(lambda: self.filter_options(facets, data)),
            active_filters=chips,
            # Filters set in the menus (not the search box): folded away on
            # narrow screens while there are none.
            menu_filter_count=sum(1 for chip in chips if chip["param"] != "q"),
            # A callable, which the template calls when it renders the map:
            # json_script cannot serialise a lazy object.
            map_points=lambda: self.map_points(facets["map"]),
            fragment_key=caching.key(
                "practice-fragments" if fragments else "practice-fragments-off",
                (
                    *filterset.state(),
                    filterset.search_query,
                    data.get("sort") or "",
                    # The project box keeps text that named nothing, with its message.
                    self.request.GET.get("project", "")[:200]
                    if "project" in filterset.errors
                    else "",
                ),
            ),
            # 0 stores nothing (CACHE_LAYERS_OFF=fragments), under keys of its own.
            fragment_seconds=caching.DATA_CACHE_SECONDS if fragments else 0,
            map_list_url=f"{reverse('practices:practice-list')}?{map_list_base(self.request)}",
            # A link, not a form: the page stays cached and costs no query for it.
            alert_url=url_with_query(
                reverse("practices:alert-subscribe"), query_without(self.request, ("sort",))
            ),
            # The head's feed link, shown: a reader of the list can follow it.
            feed=next(iter(feed_links(self.request)), None),
            # The query a card's topic link adds its topic to (one urlencode
            # a page instead of one per link).
            topic_link_query=self.topic_link_query(),
            year_value=data.get("year") or "",
            validated_only=bool(data.get("validated")),
            sort_param=data.get("sort") or "",
            panel_hidden_fields=[
                (name, data[name].slug) for name in self.hidden_filters if data.get(name)
            ],
            sort_hidden_fields=[
                (key, value)
                for key, values in self.request.GET.lists()
                if key not in ("sort", "page", "format")
                for value in values
            ],
        )
        return context

    def topic_link_query(self):
        return query_adding(self.request, "topic")

    def sort_options(self):
        options = SortOrder.choices
        if not self.filterset.search_query:
            options = [o for o in options if o[0] != SortOrder.RELEVANCE]
        return [(value, label) for value, label in options]

    def filter_options(self, facets, data):
        """Return the option lists of the filter menus, each option with its count."""

        def with_selected(options, selected, label):
            if selected and not any(o["value"] == selected for o in options):
                options = [{"value": selected, "label": label, "count": 0}, *options]
            for option in options:
                option["selected"] = option["value"] == selected
            return options

        def choice_options(choices, counts, selected, keep_empty):
            options = []
            for value, label in choices:
                count = counts.get(value, 0)
                if count or keep_empty or value == selected:
                    options.append({"value": value, "label": label, "count": count})
            for option in options:
                option["selected"] = option["value"] == selected
            return options

        country, region = data.get("country"), data.get("region")
        topic, project, programme = data.get("topic"), data.get("project"), data.get("programme")
        region_options = [dict(o) for o in facets["region"]]
        if region and not any(o["value"] == region.slug for o in region_options):
            region_options.insert(
                0,
                {
                    "value": region.slug,
                    "label": region.display_name,
                    "code": region.nuts_code or "",
                    "depth": 0,
                    "count": 0,
                },
            )
        for option in region_options:
            option["selected"] = region is not None and option["value"] == region.slug
            option["indent"] = "\u2003" * option["depth"]
        return {
            "country": with_selected(
                [dict(o) for o in facets["country"]],
                country.nuts_code if country else "",
                country.display_name if country else "",
            ),
            "region": region_options,
            "topic": with_selected(
                [dict(o) for o in facets["topic"]],
                topic.slug if topic else "",
                str(topic) if topic else "",
            ),
            "project": with_selected(
                [dict(o) for o in facets["project"]],
                project.slug if project else "",
                str(project) if project else "",
            ),
            "programme": with_selected(
                [dict(o) for o in facets["programme"]],
                programme.slug if programme else "",
                str(programme) if programme else "",
            ),
            "status": choice_options(
                PracticeStatus.choices, facets["status"], data.get("status") or "", True
            ),
            "language": choice_options(
                CONTENT_LANGUAGES, facets["language"], data.get("language") or "", False
            ),
        }

    def active_filters(self, data):
        """Return one chip per filter in force: its parameter, label and value."""
        return filter_chips(self.filterset, self.filter_names)

    def map_points(self, points):
        """Turn the facet's map rows into pins linking to a practice or the filtered list."""
        region_url = reverse("practices:practice-list") + query_adding(
            self.request, "region", also_removed=("country",)
        )
        practice_url = url_for_slug("practices:practice-detail")
        language = get_language()
        result = []
        for point in points:
            # As the practice's card: its version in the page's language, else
            # the original (counts cached before versions were kept have none).
            versions = point.get("practice_titles") or {}
            if point["practice_slug"]:
                url = practice_url(point["practice_slug"])
            else:
                url = region_url + point["slug"]
            result.append(
                {
                    "lat": point["lat"],
                    "lon": point["lon"],
                    "count": point["count"],
                    "name": point["name"],
                    "code": point["code"],
                    "slug": point["slug"],
                    "path": point["path"],
                    "title": versions.get(language) or point["practice_title"],
                    "url": url,
                }
            )
        return result


def query_without(request, keys):
    """Return the request's query string without ``keys``, the page and the format."""
    params = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        if key not in (*keys, "page", "format"):
            params.setlist(key, values)
    return params.urlencode()


def query_adding(request, key, also_removed=()):
    """Return ``?<other filters>&<key>=``, for links that set ``key`` to a slug.

    One urlencode a page, however many links the page has.
    """
    encoded = query_without(request, (key, *also_removed))
    return f"?{encoded}&{key}=" if encoded else f"?{key}="


def url_with_query(url, query):
    return f"{url}?{query}" if query else url


def map_list_base(request):
    """Return the listing query without place filters, for the map's cluster links."""
    return query_without(request, ("region", "country"))
