"""Atom feed of newly published practices: ``/feeds/practices/?<listing filters>``.

The feed takes the practice listing's query string (``ListedPracticeFilter``), so a
visitor subscribes to exactly the list they are looking at: the whole portal,
one region, one topic, one project, or any mix.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from infra.caching import cache_anonymous_get
from infra.feeds import BufferedAtom1Feed, describe_filters, in_feed_language
from infra.links import url_for_slug
from practices.filters import ListedPracticeFilter
from practices.models import GoodPractice
from practices.selectors import feed_rows

FEED_ITEMS = 50


class PracticeFeed(Feed):
    feed_type = BufferedAtom1Feed

    def __call__(self, request, *args, **kwargs):
        with in_feed_language(request):
            return self.cached_call(request, *args, **kwargs)

    @method_decorator(cache_anonymous_get("feed"))
    def cached_call(self, request, *args, **kwargs):
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        # The filter set carries the request: one Feed instance serves every
        # request, so it keeps no state of its own.
        # The listing's filter set: a search's outcome (whether its words
        # match, its capped count) is the listing's, kept per filter state.
        base = GoodPractice.objects.published().for_listing()
        return ListedPracticeFilter(request.GET, queryset=base, request=request)

    def _query(self, filterset, *, with_lang=True):
        params = filterset.request.GET.copy()
        for key in ("page", "format", "sort"):
            params.pop(key, None)
        if not with_lang:
            params.pop("lang", None)
        return f"?{params.urlencode()}" if params else ""

    def title(self, filterset):
        described = describe_filters(filterset)
        title = _("New good practices")
        if described:
            title = f"{title}: {described}"
        return f"{title} · {settings.SITE_NAME}"

    def subtitle(self, filterset):
        return _("Good practices from European regions, newest first.")

    def author_name(self, filterset):
        # Atom wants an author for every entry; entries without an
        # organisation in charge fall back to the portal.
        return settings.SITE_NAME

    def link(self, filterset):
        # The listing the feed follows, in the feed's language.
        return reverse("practices:practice-list") + self._query(filterset, with_lang=False)

    def feed_url(self, filterset):
        return reverse("practice-feed") + self._query(filterset)

    def items(self, filterset):
        # Plain rows, their addresses from one reverse(): per entry, a model
        # instance and reverse() cost more than writing the entry.
        rows = feed_rows(filterset.qs.filter(published_at__isnull=False), FEED_ITEMS)
        url = url_for_slug("practices:practice-detail")
        host = filterset.request.get_host().split(":")[0]
        for row in rows:
            row["link"] = url(row["slug"])
            # Stable when the title (and so the slug) changes.
            row["guid"] = f"tag:{host},2026:practice:{row['id']}"
        return rows

    def item_title(self, row):
        return row["title"]

    def item_description(self, row):
        # Plain text in an HTML summary: escaped, so markup in it stays text.
        return linebreaks(escape(row["summary"]))

    def item_link(self, row):
        return row["link"]

    def item_guid(self, row):
        return row["guid"]

    item_guid_is_permalink = False

    def item_pubdate(self, row):
        return row["published_at"]

    def item_updateddate(self, row):
        return row["updated_at"]

    def item_author_name(self, row):
        return row["author"]

    def item_categories(self, row):
        return row["topics"]
