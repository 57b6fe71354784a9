"""Middleware of the hardened request path.

- ``RequestLogMiddleware``: a request id (``X-Request-ID``, a sane incoming
  one honoured) and one structured log line per request: method, path (never
  the query string, whose values may carry personal data; capability tokens
  in the path masked), status and duration.
- ``QueryStringLimitMiddleware``: a 400 page for oversized query strings, so
  no filter, search or export ever sees unbounded input.
- ``RequestBodyLimitMiddleware``: a 413 for a body larger than its view
  accepts, decided on ``Content-Length`` before anything (the CSRF check
  first) reads the body and spools its files to disk.
- ``DatabaseUnavailableMiddleware``: a clean, static 503 page instead of a
  500 while the database is unreachable (restart, failover).
"""

import logging
import re
import time
import uuid

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.urls import Resolver404, resolve
from django.views.defaults import bad_request

from infra.logs import request_id_var

request_logger = logging.getLogger("exchange.request")
logger = logging.getLogger("exchange.errors")

SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,100}$")
UUID_SEGMENT = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE
)
# URL keyword arguments that are keys to something private (a proposer's
# status page, a confirmation or password-reset link).
SECRET_KWARGS = re.compile(r"token|public_id|uidb64|key|signature|secret", re.IGNORECASE)

MAX_QUERY_STRING_BYTES = 2000
MAX_PARAMETER_LENGTH = 500
MAX_PARAMETERS = 60


def loggable_path(request):
    """Return the path with capability tokens masked."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if SECRET_KWARGS.search(name) and str(value):
                path = path.replace(str(value), f"<{name}>")
    return UUID_SEGMENT.sub("<uuid>", path)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.id = incoming if SANE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request.id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.id
            status = response.status_code
            request_logger.log(
                logging.WARNING if status >= 500 else logging.INFO,
                "%s %s %s",
                request.method,
                loggable_path(request),
                status,
                extra={
                    "method": request.method,
                    "path": loggable_path(request),
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    # Names only: values may be search words or e-mail addresses.
                    "query_keys": sorted(request.GET.keys())[:20] if request.GET else None,
                },
            )
            return response
        finally:
            request_id_var.reset(token)


class QueryStringLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if query:
            problem = self.problem(query, request)
            if problem:
                return bad_request(request, SuspiciousOperation(problem))
        return self.get_response(request)

    @staticmethod
    def problem(query, request):
        if len(query.encode("utf-8", "surrogateescape")) > MAX_QUERY_STRING_BYTES:
            return "query string too long"
        parameters = request.GET
        if len(parameters) > MAX_PARAMETERS:
            return "too many query parameters"
        for key, values in parameters.lists():
            if len(key) > MAX_PARAMETER_LENGTH or len(values) > MAX_PARAMETERS:
                return "query parameter too long"
            if any(len(value) > MAX_PARAMETER_LENGTH for value in values):
                return "query parameter value too long"
        return ""


class RequestBodyLimitMiddleware:
    """Refuse a body larger than its view accepts, before anything reads it.

    Every request may send ``settings.MAX_REQUEST_BYTES``. A view that takes
    files says how much it accepts with a ``max_request_bytes()`` class
    method, and may render its own refusal with ``request_too_large(request)``;
    the admin accepts ``settings.ADMIN_MAX_REQUEST_BYTES`` from signed-in
    staff. Bodies without a Content-Length are not read at all (WSGI).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            limit, refuse = self.limit_for(request)
            if length > limit:
                return refuse(request) if refuse else request_too_large(request)
        return self.get_response(request)

    @staticmethod
    def limit_for(request):
        """Return (bytes accepted, the view's own refusal or None) for ``request``."""
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return settings.MAX_REQUEST_BYTES, None
        owner = getattr(match.func, "view_class", match.func)
        declared = getattr(owner, "max_request_bytes", None)
        if declared is not None:
            return declared(), getattr(owner, "request_too_large", None)
        if "admin" in match.app_names and request.session.get(SESSION_KEY):
            return settings.ADMIN_MAX_REQUEST_BYTES, None
        return settings.MAX_REQUEST_BYTES, None


def request_too_large(request):
    return render(request, "413.html", status=413)


def service_unavailable(request=None):
    """The static 503 page: no database, no context processors."""
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = "5"
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            logger.warning(
                "Database unavailable: %s",
                type(exception).__name__,
                extra={"path": loggable_path(request), "error": str(exception)[:300]},
            )
            return service_unavailable(request)
        return None
