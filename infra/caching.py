"""Caching of the portal: one module, one key scheme, one invalidation rule.

What is cached, where, and why
------------------------------
Everything lives in the default cache (local memory, or Redis when
``REDIS_URL`` is set: shared by the processes, and a lost Redis costs speed,
not errors). Rate-limit counters are not cached data: they live in their own
store (``infra.ratelimit``). Each layer below is kept because the benchmark
is measurably slower without it (``bench/README.md``, "Caching layers").

- **Whole pages** (``PublicPageCacheMixin``): the anonymous GET pages of
  every listing (practices, events, projects, organisations, regions,
  documents), of the practice, event, region, project, organisation and
  policy-instrument pages, the home and accessibility pages, for
  ``settings.PAGE_CACHE_SECONDS``. A popular page then costs a cache read,
  not a build. Each process also keeps its last ``RECENT_PAGES`` pages
  (``recent_page``), so that a hit reads only the generation from Redis.
  The listings' CSV/JSON/XLSX downloads are stored the same way once sent,
  when at most ``STREAMED_BYTES``.
- **The proposal form** (``csrf_token_page``): the same page for every
  visitor but its CSRF token, so it is stored cut at the token
  (``token_pieces``) and each hit is joined with the visitor's own token
  (``get_token``, which sets their cookie as a build would).
- **Machine-facing responses**: anonymous API list and detail answers
  (``portal.api.views.ReadOnlyViewSet.cached``, after DRF's throttle has
  counted the request), the Atom and iCalendar feeds and the sitemap index
  (``cache_anonymous_get``), for ``PAGE_CACHE_SECONDS``. They read any
  query parameter, so the parameters are sorted (``sort_query``) rather
  than narrowed, and the key is ``response_key``'s.
- **Facet counts** of the practice listing (``single_flight``): the counts of
  every filter menu and the map per filter state, for ``DATA_CACHE_SECONDS``.
  A new state costs one to three seconds of SQL for a broad search at
  100,000 practices, so one request computes them while the others wait
  briefly or serve the last counts of the same state.
- **Listing fragments**: the rendered filter panel (some 400 menu options)
  and map of the practice listing, ``{% cache %}`` blocks of
  ``practices/practice_list.html`` keyed by ``key("practice-fragments",
  ...)`` (the filter state, the search as typed, the sort) and the language.
  Paging or sorting a list renders them once; the facet counts are computed
  only when a fragment has to be rendered. Likewise the filter panel of the
  event, project and organisation listings (``includes/_filter_panel.html``,
  50–120 options at 100,000 practices), keyed by ``key("listing-panel",
  ...)`` (the path and the filter parameters as given:
  ``ListingView.panel_fragment``) and the language.
- **List counts** (``cached``): the number of rows of a listing's filter
  state (all its pages share it; ``ListingView.count_kind``), the API's
  list counts, and what a practice search finds of a filter state (whether
  its words match, its count up to the broad-search limit:
  ``practices.filters.PracticeFilter.search``).
- **Related practices** (``cached_many``): where the practice page finds
  them, each topic's newest links and each region's newest practices with
  what ranks them, and their cards (``practices.selectors.related_sources``,
  ``related_cards``). A page reads them in one cache read, the missing ones
  in one query; the raw SQL they replace cost a query on every page.
- **Site-wide figures** (``cached``, no parts): what every visitor of a page
  kind sees the same until an edit and costs a read of a whole table: the
  home page's counts, practices per region (``/regions/``) and per project
  (``/projects/``), the events' years and participating countries, the
  documents' years, the countries of the organisation filter, the sitemap
  index's counts and dates, and the primary key each sitemap page starts at.
- **The region tree, in each process** (``kept``): every region's row and
  the covers links (``portal.selectors.region_tree``), some 1,900 rows that
  every region page and country's region list reads whole. Kept in the
  process's memory per generation, like ``recent_page``: even a Redis read
  would unpickle the whole tree for the few rows a page names.
- **Builds without the cache** are bounded per address (``charge_build``):
  an anonymous visitor may make the portal build only so many listing pages
  and exports a minute (``LISTING_BUILD_RATE``, ``EXPORT_RATE``, counted by
  ``infra.ratelimit``); the others are answered with the 429 page.

Key scheme
----------
``<kind>:v2:<generation>:<sha256 of the parts>`` (``key()``). The parts are
everything that changes the value, normalised so that equal values share one
key:

- a page: scheme, host (absolute URLs in canonical links, JSON-LD and
  exports), language, path and the query parameters its view reads
  (``page_query_params``), in the view's order; any other parameter is
  dropped before the view runs (``narrow_query``), so ``?utm=...`` makes no
  new page and the same filters in another order make the same page;
- an API answer, feed or calendar: scheme, host, language (the feed's
  ``?lang=``; the API's is always the default), path, every query
  parameter in name order, and for the API the negotiated media type;
- facet and list counts: the filter values that change the result (cleaned,
  objects by primary key, the search as its parsed words), sorted by name,
  never the sort order or the page. They hold no translated text: the
  language is not part of their key. ``single_flight`` adds two keys per
  value, ``<kind>:v2:last:<digest>`` (the last value, any generation) and
  ``<kind>:v2:lock:<generation>:<digest>``.

Invalidation rule
-----------------
One data generation, a number in the cache, is part of every key. Saving or
deleting a row of *public content*, or changing one of its many-to-many
links, bumps it (``connect_receivers``, from ``InfraConfig.ready()``), so
every page and count is stale at once and the next visitor sees the change.
Public content is every model of the exchange, practices and events apps
but history records and models marked ``public_content = False`` (visitors'
proposals and their files): a proposal changes no public page until it is
accepted as a practice; sessions, login records and users are in other apps.
The bump happens at once and again when the edit's transaction commits: a
page another process built in between read the rows from before the commit
under the new generation. A generation the cache cannot give (Redis did not
answer in time) is unknown: nothing is read from or stored in the cache
under it, and a bump Redis did not answer is tried again
(docs/deployment.md, "An edit on one node, seen at once on every other").
Entries also expire (``PAGE_CACHE_SECONDS``, ``DATA_CACHE_SECONDS``), which
bounds how long a change made without model signals (``QuerySet.update()``,
raw SQL) stays unseen. ``PAGE_CACHE_SECONDS = 0`` turns the page cache off
(the benchmark measures built pages that way).

Never stored: anything but GET/HEAD, signed-in users, visitors with a
session or pending messages (their page may show a message), responses that
set a cookie, used the CSRF token (but the proposal form's, cut out), added a
message, are not 200, or stream more than ``STREAMED_BYTES``.
"""

import contextlib
import contextvars
import functools
import hashlib
import logging
import os
import re
import time
import uuid

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils.translation import get_language
from simple_history.models import HistoricalChanges

from infra import ratelimit

logger = logging.getLogger("exchange.cache")

KEY_VERSION = "v2"
GENERATION_KEY = "caching:generation"
# When public content last changed (wall clock, any node): a replica may
# not have replayed it yet (infra.replica).
EDITED_AT_KEY = "caching:edited-at"
INVALIDATING_APPS = frozenset({"exchange", "practices", "events"})
# How long computed data (facet and list counts) is kept; an edit makes it
# stale at once through the generation.
DATA_CACHE_SECONDS = 300
# The last value of a state, served while another request computes the
# current one.
STALE_SECONDS = 3600
# How long a computation may hold its lock, and how long another request
# waits for it before computing the value itself.
LOCK_SECONDS = 30
FLIGHT_WAIT_SECONDS = 5.0
FLIGHT_POLL_SECONDS = 0.05
# Response headers a view sets that the stored copy must keep (middleware
# adds the others on every response, cached or not).
KEPT_HEADERS = (
    *("Content-Type", "Content-Disposition", "Content-Language", "Link", "Last-Modified"),
    *("X-Robots-Tag", "Access-Control-Allow-Origin"),
)


# Generation and invalidation ----------------------------------------------


# What the default cache answers for a key it does not hold; django-redis
# answers None, whatever the default, when Redis did not answer in time
# (IGNORE_EXCEPTIONS): an unknown generation, not a new one.
_MISSING = object()
# A request's generation, read once (``pinned_generation``).
_UNPINNED = object()
_pinned = contextvars.ContextVar("caching_generation", default=_UNPINNED)
# Tries of a bump before it is given up (each costs a Redis timeout at most).
BUMP_ATTEMPTS = 3


def generation():
    """Return the current data generation, or None when the cache cannot say.

    None (Redis did not answer) means nothing may be read from or stored in
    the cache under a generation: a page stored under a guessed one would
    outlive the next edit.
    """
    pinned = _pinned.get()
    if pinned is not _UNPINNED:
        return pinned
    value = cache.get(GENERATION_KEY, _MISSING)
    if value is _MISSING:
        # A nanosecond clock never meets an earlier generation (which grew
        # by one per edit since it started).
        cache.add(GENERATION_KEY, time.time_ns(), None)
        value = cache.get(GENERATION_KEY)
    return value


@contextlib.contextmanager
def pinned_generation():
    """Read the generation once; every key made inside uses that one (``infra.replica``).

    A value stored under it was then built after the generation was read,
    so after anything the edit that made this generation did first (its
    commit, its edit time).
    """
    token = _pinned.set(generation())
    try:
        yield
    finally:
        _pinned.reset(token)


def mark_edited():
    cache.set(EDITED_AT_KEY, time.time(), None)


def bump_generation(**kwargs):
    """Make every stored page and count stale; return whether the cache took it.

    Tried again when Redis does not answer in time: a lost bump would leave
    every node serving pages from before the edit.
    """
    for _attempt in range(BUMP_ATTEMPTS):
        # First: a node that reads the new generation then sees the edit's
        # time, and reads from the primary (infra.replica).
        mark_edited()
        try:
            if cache.incr(GENERATION_KEY) is not None:
                return True
        except ValueError:  # no generation (the cache lost it): start a new one
            cache.set(GENERATION_KEY, time.time_ns(), None)
            if cache.get(GENERATION_KEY) is not None:
                return True
        except Exception:  # a cache backend that raises when unreachable
            logger.warning("Cache generation not bumped, trying again", exc_info=True)
    logger.error("Cache generation not bumped: pages may be stale for PAGE_CACHE_SECONDS")
    return False


def edited_within(seconds):
    """Whether public content changed in the last ``seconds`` (on any node sharing the cache).

    True when the cache cannot say: the replica may not have the edit.
    """
    edited_at = cache.get(EDITED_AT_KEY, _MISSING)
    if edited_at is _MISSING:
        return False
    return edited_at is None or time.time() - edited_at < seconds


def is_public_content(model):
    """Whether saving, deleting or relinking a row of ``model`` may change a public page.

    Every model of the content apps is, but history records and models that
    say ``public_content = False`` (visitors' proposals and their files);
    an automatic many-to-many link table is public when its model is.
    """
    meta = model._meta
    if meta.app_label not in INVALIDATING_APPS or issubclass(model, HistoricalChanges):
        return False
    owner = meta.auto_created or meta.concrete_model
    return getattr(owner, "public_content", True)


_public_models = {}


def _invalidate(sender, using=None, **kwargs):
    public = _public_models.get(sender)
    if public is None:
        public = _public_models[sender] = is_public_content(sender)
    if not public:
        return
    # At once, and again once the transaction commits: a page built between
    # the two read the rows from before the commit, under the new generation.
    bump_generation()
    if transaction.get_connection(using or DEFAULT_DB_ALIAS).in_atomic_block:
        transaction.on_commit(bump_generation, using=using)


def connect_receivers():
    """Bump the generation on edits (called once, from ``InfraConfig.ready()``)."""
    post_save.connect(_invalidate, dispatch_uid="caching-save")
    post_delete.connect(_invalidate, dispatch_uid="caching-delete")
    m2m_changed.connect(_invalidate, dispatch_uid="caching-m2m")


# Keys and computed data -----------------------------------------------------


def digest(parts):
    return hashlib.sha256("\n".join(str(part) for part in parts).encode()).hexdigest()


def key(kind, parts, gen=None):
    """Return the key of ``kind`` for ``parts`` at the current (or given) generation.

    When the generation is unknown the key is one of a kind, which no other
    request reads: what is stored under it (a ``{% cache %}`` fragment) is
    never served.
    """
    gen = generation() if gen is None else gen
    if gen is None:
        gen = f"unknown-{uuid.uuid4().hex}"
    return f"{kind}:{KEY_VERSION}:{gen}:{digest(parts)}"


def layer_on(layer):
    """Whether a cache layer is in use: ``CACHE_LAYERS_OFF`` turns layers off to measure them.

    Layers: ``fragments`` (the listing's rendered filter panel and map),
    ``facets``, ``counts``, ``recent-pages`` (each process's copies of the
    pages it served last), ``kept`` (each process's values per generation).
    The page cache has its own switch, ``PAGE_CACHE_SECONDS = 0``.
    """
    return layer not in settings.CACHE_LAYERS_OFF


def cached(kind, parts, compute, seconds=None):
    """Return the value of ``compute()`` for ``parts``, computed once per generation."""
    gen = generation()
    if not layer_on("counts") or gen is None:
        return compute()
    name = key(kind, parts, gen)
    value = cache.get(name)
    if value is None:
        value = compute()
        cache.set(name, value, DATA_CACHE_SECONDS if seconds is None else seconds)
    return value


# Values kept in this process (``kept``): kind -> (generation, expiry, value).
_kept = {}


def kept(kind, compute, seconds=None):
    """Return ``compute()``, computed once per generation in this process and kept in memory.

    For a value every page of a kind reads whole and that changes only with
    the data (the region tree): no cache read, no unpickling. It is never
    changed by its readers. It expires like ``cached`` values; when the
    generation is unknown it is computed every time.
    """
    gen = generation()
    if not layer_on("kept") or gen is None:
        return compute()
    now = time.monotonic()
    held = _kept.get(kind)
    if held is not None and held[0] == gen and held[1] > now:
        return held[2]
    value = compute()
    _kept[kind] = (gen, now + (DATA_CACHE_SECONDS if seconds is None else seconds), value)
    return value


def cached_many(kind, parts_list, compute, seconds=None):
    """Like ``cached``, for several values at once: ``{parts: value}`` for each of ``parts_list``.

    One cache read for all of them; the missing ones are computed together,
    ``compute(missing parts) -> {parts: value}`` (one query for them all).
    """
    gen = generation()
    if not layer_on("counts") or gen is None:
        return compute(list(parts_list))
    names = {parts: key(kind, parts, gen) for parts in parts_list}
    found = cache.get_many(names.values())
    values = {parts: found[name] for parts, name in names.items() if name in found}
    missing = [parts for parts in names if parts not in values]
    if missing:
        computed = compute(missing)
        cache.set_many(
            {names[parts]: computed[parts] for parts in missing},
            DATA_CACHE_SECONDS if seconds is None else seconds,
        )
        values.update(computed)
    return values


def flight_keys(kind, parts, gen):
    """Return the keys of a single-flight value: current, last computed, lock."""
    state = digest(parts)
    return (
        f"{kind}:{KEY_VERSION}:{gen}:{state}",
        f"{kind}:{KEY_VERSION}:last:{state}",
        f"{kind}:{KEY_VERSION}:lock:{gen}:{state}",
    )


def single_flight(kind, parts, compute, seconds=None):
    """Like ``cached``, for costly values: one request computes, the others do not.

    While a request computes the value of ``parts`` (holding a lock taken
    with ``cache.add``), another one serves the last value computed for the
    same parts in an earlier generation if there is one, else waits for the
    result while the lock is held, up to ``FLIGHT_WAIT_SECONDS``. A lock
    whose holder died expires after ``LOCK_SECONDS``. A request that waited
    in vain, or finds no lock held (a lost cache), computes the value itself.
    """
    gen = generation()
    if not layer_on("facets") or gen is None:
        return compute()
    seconds = DATA_CACHE_SECONDS if seconds is None else seconds
    name, last, lock = flight_keys(kind, parts, gen)
    value = cache.get(name)
    if value is not None:
        return value
    if cache.add(lock, 1, LOCK_SECONDS):
        try:
            value = compute()
            cache.set(name, value, seconds)
            cache.set(last, value, STALE_SECONDS)
        finally:
            cache.delete(lock)
        return value
    value = cache.get(last)
    if value is not None:
        return value
    deadline = time.monotonic() + FLIGHT_WAIT_SECONDS
    while cache.get(lock) is not None and time.monotonic() < deadline:
        time.sleep(FLIGHT_POLL_SECONDS)
        value = cache.get(name)
        if value is not None:
            return value
    value = compute()
    cache.set(name, value, seconds)
    return value


# Budget of builds -----------------------------------------------------------


def charge_build(request, scope="listing-build"):
    """Count a build without the cache for an anonymous visitor; return a 429 when over.

    Listing pages built afresh (``scope="listing-build"``,
    ``LISTING_BUILD_RATE``) and exports (``scope="export"``, ``EXPORT_RATE``)
    are counted per client address, each scope once a request; signed-in
    users are not counted. When the counters' store cannot be reached the
    build goes ahead: the budget protects the database's time, and refusing
    every listing while Redis is away would turn a lost cache into an outage.
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None
    charged = request.__dict__.setdefault("_builds_charged", set())
    if scope in charged:
        return None
    charged.add(scope)
    rate = settings.EXPORT_RATE if scope == "export" else settings.LISTING_BUILD_RATE
    try:
        wait = ratelimit.hit(scope, ratelimit.client_ip(request), rate)
    except ratelimit.LimitUnavailable:
        return None
    if not wait:
        return None
    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(wait)
    return response


# Whole pages ------------------------------------------------------------------


def request_may_use_cache(request):
    if settings.PAGE_CACHE_SECONDS <= 0:
        return False
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if CookieStorage.cookie_name in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def response_may_be_stored(request, response, *, with_token=False):
    """Whether every anonymous visitor may get ``response`` (``with_token``: but its token)."""
    if response.status_code != 200 or response.cookies:
        return False
    # A page that used the CSRF token is stored only when the view says so
    # (``csrf_token_page``), with the token cut out (``token_pieces``).
    token_used = request.META.get("CSRF_COOKIE_USED") or request.META.get(
        "CSRF_COOKIE_NEEDS_UPDATE"
    )
    if token_used and not with_token:
        return False
    storage = getattr(request, "_messages", None)
    return not (storage is not None and len(storage))


def page_key(request, gen=None):
    parts = (request.scheme, request.get_host(), get_language(), request.get_full_path())
    return key("page", parts, gen)


# The pages this process served last, by key: a hit then reads only the
# generation from the shared cache, not the page (some 100 kB) as well. A key
# names its generation, so a copy is never stale; it expires with the page.
RECENT_PAGES = 64
_recent_pages = {}


def recent_page(name):
    """Return this process's copy of the page stored under ``name``, or None."""
    if not layer_on("recent-pages"):
        return None
    expires, stored = _recent_pages.get(name, (0, None))
    return stored if expires > time.time() else None


def remember_page(name, stored):
    content = stored[0]
    size = sum(map(len, content)) if isinstance(content, tuple) else len(content)
    if not layer_on("recent-pages") or size > RECENT_PAGE_BYTES:
        return
    _recent_pages[name] = (time.time() + settings.PAGE_CACHE_SECONDS, stored)
    while len(_recent_pages) > RECENT_PAGES:
        try:  # the oldest first; another thread may have removed it
            del _recent_pages[next(iter(_recent_pages))]
        except (KeyError, StopIteration, RuntimeError):
            break


def narrow_query(request, names):
    """Keep only the query parameters ``names`` of ``request``, in that order.

    The view, its templates and the page key then see the same normalised
    query: a parameter the view does not read (``?utm=...``) neither makes
    a page of its own nor shows up in the page's links, and the same
    filters in another order make the same page.
    """
    kept = QueryDict(mutable=True)
    for name in names:
        if name in request.GET:
            kept.setlist(name, request.GET.getlist(name))
    kept._mutable = False
    request.GET = kept
    request.META["QUERY_STRING"] = kept.urlencode()


def built_by(request):
    """Who built a stored page, from what and when (``DIAGNOSTIC_HEADERS``)."""
    from infra import replica  # it imports this module

    route = replica.current_route()
    return f"{replica.route_name(route)} pid {os.getpid()} at {time.time():.3f}"


def sort_query(request):
    """Put the query parameters of ``request`` in name order, keeping every value.

    For responses whose view reads any parameter (the API, feeds): the same
    parameters in another order then make the same key, and the view, which
    sees the sorted query, writes the same links.
    """
    query = request.GET.copy()
    kept = QueryDict(mutable=True)
    for name in sorted(query):
        kept.setlist(name, query.getlist(name))
    kept._mutable = False
    request.GET = kept
    request.META["QUERY_STRING"] = kept.urlencode()


def response_key(kind, request, *parts):
    """Return the key of a response of ``kind`` (scheme, host, language, path, query, ``parts``).

    None when the cache cannot say its generation: nothing is then read or stored.
    """
    gen = generation()
    if gen is None:
        return None
    return key(
        kind,
        (
            request.scheme,
            request.get_host(),
            get_language(),
            request.path,
            request.META.get("QUERY_STRING", ""),
            *parts,
        ),
        gen,
    )


# The one thing in a stored form page that differs per visitor.
CSRF_INPUT_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


def token_pieces(content):
    """Return ``content`` cut at its CSRF token, or None if it holds no single token."""
    tokens = set(CSRF_INPUT_RE.findall(content))
    if len(tokens) != 1:
        return None
    return tuple(content.split(tokens.pop()))


def cached_response(request, name):
    """Return the response stored under ``name`` as a new response, or None.

    A form page is stored in pieces around its CSRF token: this visitor's
    own token (``get_token``, which also sets their cookie) joins them.
    """
    stored, source = recent_page(name), "process"
    if stored is None:
        stored, source = cache.get(name), "shared"
        if stored is None:
            return None
        remember_page(name, stored)
    content, headers = stored
    if isinstance(content, tuple):
        content = get_token(request).encode().join(content)
    response = HttpResponse(content)
    for header, value in headers:
        response[header] = value
    # What the load test counts its page-cache hits by (bench/loadtest.py).
    response["X-Page-Cache"] = "hit"
    if settings.DIAGNOSTIC_HEADERS:
        response["X-Page-Key"] = f"{name[:40]} {source}"
    return response


def store_response(request, name, response, *, with_token=False):
    """Store ``response`` under ``name`` if every anonymous visitor may be given it.

    A download (a streamed response) is stored once sent, if it was at most
    ``STREAMED_BYTES``; a bigger one is only sent.
    """
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    if response_may_be_stored(request, response, with_token=with_token):
        headers = [(n, response[n]) for n in KEPT_HEADERS if response.has_header(n)]
        if settings.DIAGNOSTIC_HEADERS:
            headers.append(("X-Page-Built", built_by(request)))
        if response.streaming:
            if not with_token:
                response.streaming_content = _stored_once_sent(
                    name, response.streaming_content, headers
                )
        else:
            content = response.content
            if with_token:
                content = token_pieces(content)
            if content is not None:
                stored = (content, headers)
                cache.set(name, stored, settings.PAGE_CACHE_SECONDS)
                remember_page(name, stored)
    if settings.DIAGNOSTIC_HEADERS:
        response["X-Page-Cache"] = "miss"
        response["X-Page-Key"] = name[:40]


# The largest download kept whole; the per-process copies hold only pages
# up to RECENT_PAGE_BYTES.
STREAMED_BYTES = 1_000_000
RECENT_PAGE_BYTES = 256_000


def _stored_once_sent(name, chunks, headers):
    kept, size = [], 0
    for chunk in chunks:
        if kept is not None:
            size += len(chunk)
            if size <= STREAMED_BYTES:
                kept.append(chunk)
            else:
                kept = None
        yield chunk
    if kept is not None:
        cache.set(name, (b"".join(kept), headers), settings.PAGE_CACHE_SECONDS)


def cache_anonymous_get(kind):
    """Serve a function view's response from the cache for anonymous GETs.

    For machine-facing responses that read any query parameter (feeds,
    calendars, the sitemap index): the parameters are sorted
    (``sort_query``) and the key is ``response_key``'s.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request_may_use_cache(request):
                return view(request, *args, **kwargs)
            sort_query(request)
            name = response_key(kind, request)
            if name is None:
                return view(request, *args, **kwargs)
            response = cached_response(request, name)
            if response is None:
                response = view(request, *args, **kwargs)
                store_response(request, name, response)
            return response

        return wrapper

    return decorator


class PublicPageCacheMixin:
    """Serve a class-based view's page from the cache for anonymous visitors."""

    # The query parameters the view reads; every other one is dropped.
    page_query_params = ()
    # Whether a build counts toward the visitor's LISTING_BUILD_RATE.
    charge_builds = False
    # Whether the page holds a form: stored without its CSRF token, which
    # each visitor gets their own of (``cached_response``).
    csrf_token_page = False

    def dispatch(self, request, *args, **kwargs):
        narrow_query(request, self.page_query_params)
        if request.method not in ("GET", "HEAD"):
            return self.cached_dispatch(request, *args, **kwargs)
        # A page's counts, facets and fragments are keyed by one generation,
        # read once: not one Redis round trip a key (three on a listing).
        with pinned_generation():
            return self.cached_dispatch(request, *args, **kwargs)

    def cached_dispatch(self, request, *args, **kwargs):
        gen = generation() if request_may_use_cache(request) else None
        if gen is None:  # not cacheable, or the cache cannot say its generation
            return self.build(request, *args, **kwargs)
        name = page_key(request, gen)
        response = cached_response(request, name)
        if response is not None:
            return response
        response = self.build(request, *args, **kwargs)
        store_response(request, name, response, with_token=self.csrf_token_page)
        return response

    def build(self, request, *args, **kwargs):
        if self.charge_builds:
            refused = charge_build(request)
            if refused is not None:
                return refused
        return super().dispatch(request, *args, **kwargs)
