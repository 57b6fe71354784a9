"""Caching of the portal: one module, one key scheme, one invalidation rule.

Whole-response cache for public pages seen by anonymous visitors.

A page is stored under its scheme, host, path, the query parameters its
view reads (``page_query_params``, in the view's order), its language and
a *generation* number. Saving or deleting a row of public content (and
changing a many-to-many link of it) bumps the generation, so every stored
page is stale at once and the next visitor sees the change. Public content
is every model of the exchange, practices and events apps but history
records and those marked ``public_content = False``: a visitor's proposal
changes no public page until it is accepted as a practice. The
pages also expire after ``settings.PAGE_CACHE_SECONDS`` (changes made
without model signals, e.g. ``QuerySet.update()`` or raw SQL, show after at
most that); 0 turns the cache off, which the benchmark does to measure what
a page costs to build.

Never cached: anything but GET/HEAD, signed-in users, visitors with a
session or pending messages (their page may show a message), responses that
set a cookie, used the CSRF token, added a message, are not 200 or stream.
"""

import hashlib
import time

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, QueryDict
from django.utils.translation import get_language
from simple_history.models import HistoricalChanges

GENERATION_KEY = "pagecache:generation"
INVALIDATING_APPS = frozenset({"exchange", "practices", "events"})
# Response headers a view sets that the stored copy must keep (middleware
# adds the others on every response, cached or not).
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "Link")


# Pages this process served lately, by key. A key names its generation, so
# a copy here is never stale; it saves fetching ~100 kB from the shared cache.
LOCAL_PAGES = 64
_local_pages = {}


def _remember(key, stored):
    _local_pages[key] = (time.monotonic() + settings.PAGE_CACHE_SECONDS, stored)
    while len(_local_pages) > LOCAL_PAGES:
        try:
            del _local_pages[next(iter(_local_pages))]
        except (KeyError, StopIteration, RuntimeError):
            break


def generation():
    """Return the current cache generation (a fresh one if the cache lost it)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        # A nanosecond clock never meets an earlier generation (which grew
        # by one per edit since it started).
        cache.add(GENERATION_KEY, time.time_ns(), None)
        value = cache.get(GENERATION_KEY)
    return value


def bump_generation(**kwargs):
    """Make every stored page stale (a signal receiver)."""
    try:
        cache.incr(GENERATION_KEY)
    except Exception:  # missing key or unreachable cache: start a new generation
        cache.set(GENERATION_KEY, time.time_ns(), None)


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


def _invalidate(sender, **kwargs):
    public = _public_models.get(sender)
    if public is None:
        public = _public_models[sender] = is_public_content(sender)
    if public:
        bump_generation()


_public_models = {}


def connect_receivers():
    """Bump the generation on edits (called once, from ``InfraConfig.ready()``)."""
    post_save.connect(_invalidate, dispatch_uid="caching-save")
    post_delete.connect(_invalidate, dispatch_uid="caching-delete")
    m2m_changed.connect(_invalidate, dispatch_uid="caching-m2m")


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


def response_may_be_stored(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_USED") or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    storage = getattr(request, "_messages", None)
    return not (storage is not None and len(storage))


def page_key(request, gen):
    # Scheme and host: canonical links, JSON-LD and exports carry absolute URLs.
    parts = (request.scheme, request.get_host(), request.get_full_path())
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"pagecache:v2:{gen}:{get_language()}:{digest}"


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


class PublicPageCacheMixin:
    """Serve a class-based view's page from the cache for anonymous visitors."""

    # The query parameters the view reads; every other one is dropped.
    page_query_params = ()

    def dispatch(self, request, *args, **kwargs):
        narrow_query(request, self.page_query_params)
        if not request_may_use_cache(request):
            return super().dispatch(request, *args, **kwargs)
        key = page_key(request, generation())
        expires, stored = _local_pages.get(key, (0, None))
        if expires < time.monotonic():
            stored = cache.get(key)
            if stored is not None:
                _remember(key, stored)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            return response
        response = super().dispatch(request, *args, **kwargs)
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        if response_may_be_stored(request, response):
            headers = [(n, response[n]) for n in KEPT_HEADERS if response.has_header(n)]
            stored = (response.content, headers)
            cache.set(key, stored, settings.PAGE_CACHE_SECONDS)
            _remember(key, stored)
        return response
