"""Reads from a streaming replica, when ``DATABASE_REPLICA_URL`` names one.

Only what cannot go wrong there goes to the replica: the reads of an
anonymous visitor's GET or HEAD request (no session cookie) who wrote
nothing in the last ``REPLICA_STICKY_SECONDS`` (a cookie set by any request
that wrote, or was not a GET, keeps that visitor on the primary for that
long: they read their own writes). Writes, staff and every request outside
``ReplicaRoutingMiddleware`` (commands, tests) use the primary.

The replica is skipped, and the primary serves the read:

- while it lags more than ``REPLICA_MAX_LAG_SECONDS``, is not streaming
  from the primary, or cannot be reached (checked at most every
  ``REPLICA_CHECK_SECONDS`` per process; a failure skips it for
  ``REPLICA_RETRY_SECONDS``);
- for ``REPLICA_STICKY_SECONDS`` after any public edit on any node (the time
  of the edit is kept beside the cache generation), so that no page built
  from a replica that has not replayed the edit yet is served or cached.
  The request reads the generation first and keeps it for all its keys
  (``caching.pinned_generation``), then the edit time: a page stored under
  an edit's generation was built by a request that saw the edit's time;
- for the rest of a request whose replica connection failed mid-way: the
  request is run again on the primary (it is a read-only GET).
"""

import contextlib
import contextvars
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections

from infra import caching

logger = logging.getLogger("exchange.replica")

REPLICA = "replica"
STICKY_COOKIE = "primary"
SAFE_METHODS = ("GET", "HEAD")

# How far behind the primary the replica is, in seconds: 0 when it has
# replayed all it received; None when it receives nothing (the primary is
# away or replication broke), as its lag cannot be known then.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN NOT EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN NULL
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
END
"""


@dataclass
class Route:
    """The current request's choice, and what it did."""

    replica: bool = False
    wrote: bool = False
    replica_failed: bool = False


_route = contextvars.ContextVar("db_route", default=None)


def current_route():
    return _route.get()


def replica_configured():
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Read from the replica only when the current request chose it; write to the primary."""

    def db_for_read(self, model, **hints):
        route = _route.get()
        if route is not None and route.replica:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        route = _route.get()
        if route is not None:
            # Anything written (a session, a proposal) keeps the visitor on
            # the primary for a while: the replica may not have it yet.
            route.wrote = True
            route.replica = False
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same database.
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == DEFAULT_DB_ALIAS


# Health -----------------------------------------------------------------------


class Health:
    """Whether this process may read from the replica now (checked at most every few seconds)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.usable = False
        self.next_check = 0.0

    def reset(self):
        with self.lock:
            self.usable = False
            self.next_check = 0.0

    def mark_down(self, reason):
        with self.lock:
            self.usable = False
            self.next_check = time.monotonic() + settings.REPLICA_RETRY_SECONDS
        logger.warning("Replica skipped: %s", reason)

    def is_usable(self):
        now = time.monotonic()
        if now < self.next_check:
            return self.usable
        with self.lock:
            if now < self.next_check:
                return self.usable
            usable, reason = probe()
            was = self.usable
            self.usable = usable
            self.next_check = now + (
                settings.REPLICA_CHECK_SECONDS if usable else settings.REPLICA_RETRY_SECONDS
            )
        if was and not usable:
            logger.warning("Replica skipped: %s", reason)
        elif usable and not was:
            logger.info("Replica in use")
        return usable


health = Health()


def replica_lag():
    """Return the replica's lag in seconds (None: unknown); raise DatabaseError if unreachable."""
    connection = connections[REPLICA]
    if connection.vendor != "postgresql":
        # Another engine (the test settings) has no replication to measure.
        connection.ensure_connection()
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute(LAG_SQL)
        lag = cursor.fetchone()[0]
    return None if lag is None else float(lag)


def close_replica():
    if REPLICA in settings.DATABASES:
        try:
            connections[REPLICA].close()
        except DatabaseError:  # closing a connection whose server is gone
            pass


def probe():
    """Return ``(usable, reason)`` for the replica, measured now."""
    try:
        lag = replica_lag()
    except DatabaseError as error:
        close_replica()
        return False, f"unreachable ({type(error).__name__})"
    if lag is None:
        return False, "not streaming from the primary"
    if lag > settings.REPLICA_MAX_LAG_SECONDS:
        return False, f"lagging {lag:.1f} s"
    return True, ""


# Requests ---------------------------------------------------------------------


def anonymous(request):
    """A GET or HEAD of a visitor with no session who wrote nothing lately."""
    if request.method not in SAFE_METHODS:
        return False
    cookies = request.COOKIES
    return not (settings.SESSION_COOKIE_NAME in cookies or STICKY_COOKIE in cookies)


def may_read_replica(request):
    """Whether this request's reads may go to the replica, before asking its health."""
    if not anonymous(request):
        return False
    return not caching.edited_within(settings.REPLICA_STICKY_SECONDS)


def route_name(route, chose_replica=None):
    """Where a request read from, for the diagnostic headers."""
    if route is None:
        return "primary (no route)"
    if route.replica:
        return "replica"
    if chose_replica:
        return "primary (after the replica)"
    return "primary"


class ReplicaRoutingMiddleware:
    """Choose the database of each request's reads (see the module docstring).

    Placed after the session, authentication and database-unavailable
    middleware, so that a replica failing in the view is seen here first.
    """

    def __init__(self, get_response):
        if not replica_configured():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        # The generation first, the edit time after: a page this request
        # stores under a generation is then built from the primary if that
        # generation's edit is recent (its time was set before the bump),
        # never from a replica that may not have replayed it yet.
        with caching.pinned_generation() if anonymous(request) else contextlib.nullcontext():
            route = Route(replica=may_read_replica(request) and health.is_usable())
            chose_replica = route.replica
            token = _route.set(route)
            try:
                response = self.get_response(request)
                if route.replica_failed:
                    # The replica went away under this read-only request: run
                    # it again on the primary rather than answer an error.
                    route.replica = False
                    route.replica_failed = False
                    response = self.get_response(request)
            finally:
                _route.reset(token)
        if route.wrote or request.method not in SAFE_METHODS:
            response.set_cookie(
                STICKY_COOKIE,
                "1",
                max_age=settings.REPLICA_STICKY_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        if settings.DIAGNOSTIC_HEADERS:
            response["X-Read-From"] = route_name(route, chose_replica)
            response["X-Process"] = f"{socket.gethostname()}:{os.getpid()}"
        return response

    def process_exception(self, request, exception):
        route = _route.get()
        if (
            route is not None
            and route.replica
            and isinstance(exception, OperationalError | InterfaceError)
        ):
            route.replica_failed = True
            health.mark_down(f"failed during a request ({type(exception).__name__})")
            close_replica()
        return None


# Checks -----------------------------------------------------------------------

_LOCAL_CACHES = ("django.core.cache.backends.locmem.LocMemCache",)


def shared_state_check(app_configs=None, **kwargs):
    """Warn when a several-node setup keeps state in each process (no Redis)."""
    from django.core.checks import Warning

    if not (replica_configured() or getattr(settings, "STORAGE_URL", "")):
        return []
    local = [
        alias
        for alias in ("default", "ratelimit")
        if settings.CACHES.get(alias, {}).get("BACKEND") in _LOCAL_CACHES
    ]
    if not local:
        return []
    return [
        Warning(
            "DATABASE_REPLICA_URL or STORAGE_URL is set for several nodes, but the caches "
            f"{', '.join(local)} are local to each process: the page-cache generation, edit "
            "times and rate limits are not shared.",
            hint="Set REDIS_URL (docs/deployment.md).",
            id="infra.W001",
        )
    ]
