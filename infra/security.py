"""Security plumbing: login throttling backend, CSP violation reports, error pages, readiness."""

import json
import logging
import sys
import uuid
from urllib.parse import urlsplit

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from infra.middleware import service_unavailable

csp_logger = logging.getLogger("exchange.csp")

# A report is a few hundred bytes; anything much larger is not one.
MAX_CSP_REPORT_BYTES = 8 * 1024
# Reports of one POST looked at (a browser batches a few at most).
MAX_CSP_REPORTS = 10


class AxesBackend(AxesStandaloneBackend):
    """Throttle logins over HTTP; leave request-less authentication alone.

    ``authenticate()`` without a request is not a login attempt from the web
    (management commands, the test client's ``login()``); axes cannot count
    it by address and would refuse it outright.
    """

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the translated lock-out page, status 429."""
    cool_off = settings.AXES_COOLOFF_TIME
    return render(
        request,
        "axes/lockout.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": int(cool_off.total_seconds() // 60) if cool_off else 0,
        },
        status=429,
    )


def _path_only(uri):
    """Keep scheme, host and path of a reported URI: queries may carry personal data."""
    if not isinstance(uri, str):
        return ""
    if "://" not in uri:
        return uri[:100]  # "inline", "eval", "data" and the like
    parts = urlsplit(uri[:2000])
    return f"{parts.scheme}://{parts.netloc}{parts.path}"[:300]


@csrf_exempt
@require_POST
def csp_report(request):
    """Log a browser's Content-Security-Policy violation report."""
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_CSP_REPORT_BYTES:
        return HttpResponse(status=413)
    try:
        body = json.loads(request.body[:MAX_CSP_REPORT_BYTES] or b"{}")
    except ValueError:
        return HttpResponse(status=400)
    # One log line per POST, whatever it holds: the first report, and how many came.
    items = body if isinstance(body, list) else [body]
    reports = []
    for item in items[:MAX_CSP_REPORTS]:
        report = (
            item.get("csp-report") or item.get("body") or item if isinstance(item, dict) else None
        )
        if isinstance(report, dict):
            reports.append(report)
    if reports:
        report = reports[0]
        directive = str(report.get("violated-directive") or report.get("effectiveDirective", ""))[
            :100
        ]
        blocked = _path_only(report.get("blocked-uri") or report.get("blockedURL"))
        csp_logger.warning(
            "CSP violation: %s blocked %s",
            directive,
            blocked,
            extra={
                "violated_directive": directive,
                "blocked_uri": blocked,
                "document_path": _path_only(
                    report.get("document-uri") or report.get("documentURL")
                ),
                "reports": len(reports),
            },
        )
    return HttpResponse(status=204)


def server_error(request, *args, **kwargs):
    """handler500: a 503 when the database is away, else the static 500 page."""
    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError | InterfaceError):
        return service_unavailable(request)
    return HttpResponseServerError(loader.render_to_string("500.html"))


# Caches local to the process are always there; only shared ones are checked.
_LOCAL_CACHE_BACKENDS = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def _database_ready():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        return False


def _cache_ready(alias):
    # A round trip, not a ping: a fail-soft backend answers every call
    # without raising, and only a value that comes back proves the cache.
    cache, key, token = caches[alias], f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, token, timeout=10)
        ready = cache.get(key) == token
        cache.delete(key)
        return ready
    except Exception:  # whatever the backend raises, the answer is "not ready"
        return False


def readyz(request):
    """Readiness: 200 when the database and every shared cache answer, else 503.

    /healthz stays the liveness check (it touches nothing); this one tells a
    load balancer to send no traffic to a process that cannot serve it.
    """
    checks = {"database": _database_ready()}
    for alias, config in settings.CACHES.items():
        if config.get("BACKEND") not in _LOCAL_CACHE_BACKENDS:
            checks[f"cache:{alias}"] = _cache_ready(alias)
    ready = all(checks.values())
    response = JsonResponse(
        {name: "ok" if good else "unavailable" for name, good in checks.items()},
        status=200 if ready else 503,
    )
    response["Cache-Control"] = "no-store"
    return response
