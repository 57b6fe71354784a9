"""Machine-facing open-data URLs: API, feeds, calendar, sitemap, robots.txt.

Not language-prefixed: feeds take ``?lang=``, the sitemap lists every language.
"""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from events.calendars import event_calendar_feed
from infra.caching import cache_anonymous_get
from portal.sitemaps import SITEMAPS, robots_txt, sitemap_section
from practices.feeds import PracticeFeed

urlpatterns = [
    path("api/v1/", include("portal.api.urls")),
    path("feeds/practices/", PracticeFeed(), name="practice-feed"),
    path("feeds/events.ics", event_calendar_feed, name="event-calendar"),
    path(
        "sitemap.xml",
        # Its counts and dates read whole tables: once per data generation.
        cache_anonymous_get("sitemap")(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_section,
        name="sitemap-section",
    ),
    path("robots.txt", robots_txt, name="robots-txt"),
]
