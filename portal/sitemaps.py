"""sitemap.xml: every public page, in every interface language, with hreflang alternates."""

from html import escape

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import x_robots_tag
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import http_date

from core.models import Organisation, Project, Region
from events.models import Event
from infra.caching import cached
from infra.links import url_for_slug
from practices.models import GoodPractice

# As Django's sitemap.xml template writes a page (its entries without the
# white space between tags), so that a page reads the same.
URLSET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)
URLSET_END = "\n</urlset>\n"


class PerLanguage:
    """The (item, language) pairs of a queryset ordered by primary key, read a page at a time.

    Django lists every pair of every item before cutting out a page; with
    100,000 practices in three languages that is seconds and hundreds of MB
    for each of the sitemap's pages. Here a page queries only its own rows,
    from the primary key its first item has: an OFFSET would read every row
    before it, so that the last pages would cost most.
    """

    def __init__(self, queryset, languages, name, per_page):
        self.queryset = queryset
        self.languages = list(languages)
        self.name = name
        self.per_page = per_page

    def item_count(self):
        # Counted once per data generation: the index and every page of a
        # section count the same rows.
        return cached("sitemap-count", (self.name,), self.queryset.count)

    def count(self):
        return self.item_count() * len(self.languages)

    def __len__(self):
        return self.count()

    def first_keys(self):
        """Return ``{item number: primary key}`` of each page's first item, once per generation."""

        def compute():
            n = len(self.languages)
            firsts = sorted({start // n for start in range(0, self.count(), self.per_page)})
            numbered = self.queryset.values("pk").annotate(
                number=Window(RowNumber(), order_by="pk") - 1
            )
            return dict(numbered.filter(number__in=firsts).values_list("number", "pk"))

        return cached("sitemap-first-keys", (self.name, self.per_page), compute)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        n = len(self.languages)
        start, stop = index.start or 0, index.stop
        first = start // n
        last = None if stop is None else -(-stop // n)
        key = self.first_keys().get(first)
        if key is None:
            rows = self.queryset[first:last]
        else:
            rows = self.queryset.filter(pk__gte=key)[: None if last is None else last - first]
        pairs = [(item, language) for item in rows for language in self.languages]
        offset = start - first * n
        return pairs[offset : None if stop is None else offset + stop - start]


class I18nSitemap(Sitemap):
    # One <url> per language, each listing the others as <xhtml:link
    # rel="alternate" hreflang>, and x-default pointing at the unprefixed page.
    i18n = True
    alternates = True
    x_default = True
    # URLs a page (each item's languages together): pages of a bounded
    # size and build time, however many items a section has.
    limit = 2400

    def _items(self):
        items = self.items()
        if isinstance(items, QuerySet):
            return PerLanguage(items, self._languages(), type(self).__name__, self.limit)
        return super()._items()

    def latest_of(self, items):
        """The newest ``updated_at`` of ``items``, read once per data generation."""
        return cached(
            "sitemap-lastmod",
            (type(self).__name__,),
            lambda: items.aggregate(latest=Max("updated_at"))["latest"],
        )

    def paths(self, item):
        """Return ``{language: path}`` of ``item``'s page in every language."""
        paths = {}
        for language in self._languages():
            with translation.override(language):
                paths[language] = self.location(item)
        return paths

    def page_xml(self, page, protocol, domain):
        """Return page ``page`` as XML, and the newest ``lastmod`` on it (or None).

        The XML Django's template writes, written as text: per address, the
        template's nodes cost more than the rest of the page together.
        Raises ``EmptyPage`` or ``PageNotAnInteger`` as ``Paginator.page``.
        """
        pairs = self.paginator.page(page).object_list
        site = f"{protocol}://{domain}"
        languages = self._languages()
        has_lastmod = callable(getattr(self, "lastmod", None))
        changefreq, priority = getattr(self, "changefreq", None), getattr(self, "priority", None)
        changefreq = f"<changefreq>{changefreq}</changefreq>" if changefreq else ""
        priority = f"<priority>{priority}</priority>" if priority is not None else ""
        default = settings.LANGUAGE_CODE if self.x_default else None
        latest = None
        entries = []
        last = None
        for item, language in pairs:
            if item is not last:
                last = item
                paths = self.paths(item)
                # html.escape is what the template's autoescape does, less its lazy wrapper.
                locs = {lang: escape(site + path) for lang, path in paths.items()}
                alternates = "".join(
                    f'<xhtml:link rel="alternate" hreflang="{lang}" href="{locs[lang]}"/>'
                    for lang in languages
                )
                if default in paths:
                    # As Django: the default language's prefix, if any, taken out.
                    loc = (site + paths[default]).replace(f"/{default}/", "/", 1)
                    alternates += (
                        f'<xhtml:link rel="alternate" hreflang="x-default" href="{escape(loc)}"/>'
                    )
                details = changefreq + priority
                if has_lastmod:
                    lastmod = self.lastmod(item)
                    if lastmod is not None:
                        latest = lastmod if latest is None else max(latest, lastmod)
                        day = timezone.localtime(lastmod).date().isoformat()
                        details = f"<lastmod>{day}</lastmod>{details}"
                tail = f"</loc>{details}{alternates}</url>"
            entries.append(f"<url><loc>{locs[language]}{tail}")
        return f"{URLSET_START}{''.join(entries)}{URLSET_END}", latest


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
    """The page of each row of ``model`` (shown by the view ``view_name``), by primary key.

    Its items are plain rows, ``(slug,)``.
    """

    model = None
    view_name = None

    def __init__(self):
        # Django makes one sitemap per request: a language's addresses
        # are reversed once for the request.
        self.url_in = {}
        self.urls = []

    def items(self):
        return self.model.objects.order_by("pk").values_list("slug")

    def url(self, language):
        """Return ``slug -> path`` of the page in ``language``, reversed once."""
        url = self.url_in.get(language)
        if url is None:
            with translation.override(language):
                url = self.url_in[language] = url_for_slug(self.view_name)
        return url

    def paths(self, row):
        if not self.urls:
            self.urls = [(language, self.url(language)) for language in self._languages()]
        return {language: url(row[0]) for language, url in self.urls}


class PublishedSitemap(RowSitemap):
    """The page of each published row of ``model``, with its last change: ``(slug, updated_at)``."""

    def items(self):
        return self.model.objects.published().order_by("pk").values_list("slug", "updated_at")

    def lastmod(self, row):
        return row[1]

    def get_latest_lastmod(self):
        return self.latest_of(self.model.objects.published())


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


@x_robots_tag
def sitemap_section(request, section):
    """Serve page ``?p=`` of one section of the sitemap (Django's ``sitemap`` view, leaner)."""
    if section not in SITEMAPS:
        raise Http404(f"No sitemap available for section: {section!r}")
    try:
        xml, latest = SITEMAPS[section]().page_xml(
            request.GET.get("p", 1), request.scheme, request.get_host()
        )
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404(str(error)) from None
    # For ConditionalGetMiddleware's 304, as Django's view.
    headers = {"Last-Modified": http_date(latest.timestamp())} if latest else None
    return HttpResponse(xml, content_type="application/xml", headers=headers)


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
