"""Middleware of the hardened request path.

- ``RequestLogMiddleware``: a request id (``X-Request-ID``, a sane incoming
  one honoured) and one structured log line per request: method, path (never
  the query string, whose values may carry personal data; capability tokens
  in the path masked), status and duration.
- ``QueryStringLimitMiddleware``: a 400 page for oversized query strings, so
  no filter, search or export ever sees unbounded input.
- ``DatabaseUnavailableMiddleware``: a clean, static 503 page instead of a
  500 while the database is unreachable (restart, failover).
"""

import logging
import re
import time
import uuid

from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
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
