"""Atom feed of newly published practices: ``/feeds/practices/?<listing filters>``.

The feed takes the practice listing's query string (``PracticeFilter``), so a
visitor subscribes to exactly the list they are looking at: the whole portal,
one region, one topic, one project, or any mix.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from core.models import Topic
from infra.caching import cache_anonymous_get
from infra.feeds import describe_filters, in_feed_language
from practices.filters import PracticeFilter
from practices.models import GoodPractice

FEED_ITEMS = 50


class PracticeFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        with in_feed_language(request):
            return self.cached_call(request, *args, **kwargs)

    @method_decorator(cache_anonymous_get("feed"))
    def cached_call(self, request, *args, **kwargs):
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        self.request = request
        base = GoodPractice.objects.published().for_listing()
        return PracticeFilter(request.GET, queryset=base, request=request)

    def _query(self, *, with_lang=True):
        params = self.request.GET.copy()
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
        return reverse("practices:practice-list") + self._query(with_lang=False)

    def feed_url(self, filterset):
        return reverse("practice-feed") + self._query()

    def items(self, filterset):
        return (
            filterset.qs.filter(published_at__isnull=False)
            .select_related("region", "organisation")
            .prefetch_related(Prefetch("topics", queryset=Topic.objects.only("id", "name")))
            .order_by("-published_at", "-id")[:FEED_ITEMS]
        )

    def item_title(self, practice):
        return practice.title

    def item_description(self, practice):
        # Plain text in an HTML summary: escaped, so markup in it stays text.
        return linebreaks(escape(practice.summary))

    def item_link(self, practice):
        return practice.get_absolute_url()

    def item_guid(self, practice):
        # Stable when the title (and so the slug) changes.
        return f"tag:{self.request.get_host().split(':')[0]},2026:practice:{practice.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, practice):
        return practice.published_at

    def item_updateddate(self, practice):
        return practice.updated_at

    def item_author_name(self, practice):
        return practice.organisation.display_name if practice.organisation_id else None

    def item_categories(self, practice):
        return [topic.name for topic in practice.topics.all()]
