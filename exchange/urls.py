"""Root URL configuration.

Public pages are language-prefixed (English unprefixed, /pl/ and /ro/);
machine-facing URLs (health check, admin, API, feeds) are not.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from infra import security
from portal import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", security.readyz, name="readyz"),
    path("csp-report/", security.csp_report, name="csp-report"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.ADMIN_URL, admin.site.urls),
    # API, feeds, calendar, sitemap, robots.txt
    path("", include("portal.opendata_urls")),
]

urlpatterns += i18n_patterns(
    path("", include("portal.page_urls")),
    path("practices/", include("practices.urls")),
    path("events/", include("events.urls")),
    path("documents/", include("events.document_urls")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    prefix_default_language=False,
)

# A 503 instead of a 500 when the database is away (exchange/security.py).
handler500 = "infra.security.server_error"
