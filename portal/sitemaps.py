"""sitemap.xml: every public page, in every interface language, with hreflang alternates."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from core.models import Organisation, Project, Region
from events.models import Event
from infra.caching import cached
from infra.links import url_for_slug
from practices.models import GoodPractice


class PerLanguage:
    """The (item, language) pairs of a queryset, read one page at a time.

    Django lists every pair of every item before cutting out a page; with
    100,000 practices in three languages that is seconds and hundreds of MB
    for each of the sitemap's pages. Here a page queries only its own rows.
    """

    def __init__(self, queryset, languages, name):
        self.queryset = queryset
        self.languages = list(languages)
        self.name = name

    def count(self):
        # Counted once per data generation: the index and every page of a
        # section count the same rows.
        return cached("sitemap-count", (self.name,), self.queryset.count) * len(self.languages)

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        n = len(self.languages)
        start, stop = index.start or 0, index.stop
        first = start // n
        rows = self.queryset[first : None if stop is None else -(-stop // n)]
        pairs = [(item, language) for item in rows for language in self.languages]
        offset = start - first * n
        return pairs[offset : None if stop is None else offset + stop - start]


class I18nSitemap(Sitemap):
    # One <url> per language, each listing the others as <xhtml:link
    # rel="alternate" hreflang>, and x-default pointing at the unprefixed page.
    i18n = True
    alternates = True
    x_default = True
    limit = 10000

    def _items(self):
        items = self.items()
        if isinstance(items, QuerySet):
            return PerLanguage(items, self._languages(), type(self).__name__)
        return super()._items()

    def latest_of(self, items):
        """The newest ``updated_at`` of ``items``, read once per data generation."""
        return cached(
            "sitemap-lastmod",
            (type(self).__name__,),
            lambda: items.aggregate(latest=Max("updated_at"))["latest"],
        )


class StaticPageSitemap(I18nSitemap):
    priority = 0.8
    changefreq = "daily"

    def items(self):
        return [
            "exchange:home",
            "practices:practice-list",
            "events:event-list",
            "exchange:region-list",
            "exchange:project-list",
            "exchange:organisation-list",
            "practices:proposal-create",
            "exchange:accessibility",
        ]

    def location(self, item):
        return reverse(item)


class RowSitemap(I18nSitemap):
    """The page of each row of ``model`` (shown by the view ``view_name``), by primary key."""

    model = None
    view_name = None

    def __init__(self):
        # Django makes one sitemap per request: a language's addresses
        # are reversed once for the request.
        self.url_in = {}

    def items(self):
        return self.model.objects.only("slug").order_by("pk")

    def location(self, row):
        # Django asks five addresses of each row (its own, three
        # alternates, x-default), each a reverse() of get_absolute_url.
        language = translation.get_language()
        url = self.url_in.get(language)
        if url is None:
            url = self.url_in[language] = url_for_slug(self.view_name)
        return url(row.slug)


class PublishedSitemap(RowSitemap):
    """The page of each published row of ``model``, with its last change."""

    def items(self):
        return self.model.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, row):
        return row.updated_at

    def get_latest_lastmod(self):
        return self.latest_of(self.items())


class PracticeSitemap(PublishedSitemap):
    model = GoodPractice
    view_name = "practices:practice-detail"
    changefreq = "weekly"
    priority = 0.7


class EventSitemap(PublishedSitemap):
    model = Event
    view_name = "events:event-detail"
    changefreq = "weekly"
    priority = 0.5


class RegionSitemap(RowSitemap):
    model = Region
    view_name = "exchange:region-detail"
    changefreq = "weekly"
    priority = 0.5


class ProjectSitemap(RowSitemap):
    model = Project
    view_name = "exchange:project-detail"
    changefreq = "monthly"
    priority = 0.6


class OrganisationSitemap(RowSitemap):
    model = Organisation
    view_name = "exchange:organisation-detail"
    changefreq = "monthly"
    priority = 0.4


SITEMAPS = {
    "pages": StaticPageSitemap,
    "practices": PracticeSitemap,
    "events": EventSitemap,
    "regions": RegionSitemap,
    "projects": ProjectSitemap,
    "organisations": OrganisationSitemap,
}


def robots_txt(request):
    """Serve robots.txt: index every page, skip the API and downloads, name the sitemap."""
    return render(
        request,
        "robots.txt",
        {
            "site_name": settings.SITE_NAME,
            "sitemap_url": request.build_absolute_uri(reverse("sitemap")),
        },
        content_type="text/plain; charset=utf-8",
    )
