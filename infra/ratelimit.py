"""Rate limits: counters nobody else can evict, and limits that fail closed.

Every limit of the portal counts here (proposal form, API throttle, and any
other per-address budget): ``hit(scope, ident, rate)`` counts one request
and returns the seconds to wait, 0 when it may go ahead.

- The counters live in the cache alias ``ratelimit`` (``settings.CACHES``):
  Redis when ``REDIS_URL`` (or ``RATELIMIT_REDIS_URL``) is set, else a
  local-memory cache of their own. Never the default cache: pages stored
  there would push the counters out and reset every limit.
- That store is not fail-soft. When it cannot be reached, ``hit`` raises
  ``LimitUnavailable`` and the caller refuses the request (503): a limit
  that lets everything through while its store is away is no limit.
- A window starts with the first request of an address and lasts the rate's
  period (a fixed window); addresses are kept only as keyed hashes.
"""

import hashlib
import hmac
import logging
import math
import re
import time

from django.conf import settings
from django.core.cache import caches
from redis.exceptions import RedisError

logger = logging.getLogger("exchange.ratelimit")

CACHE_ALIAS = "ratelimit"
# What a cache backend raises when its server is away.
STORE_ERRORS = (RedisError, OSError)

_UNITS = {
    "s": 1,
    "second": 1,
    "m": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
}
# "<count>/<period>"; a bare count is per hour, as PROPOSAL_RATE_LIMIT always read it.
_RATE = re.compile(r"^\s*(\d+)\s*(?:/\s*(\d*)\s*([a-z]+?)s?)?\s*$")


class LimitUnavailable(Exception):
    """The counters' store cannot be reached: refuse, do not let the request through."""


def parse_rate(rate):
    """Return ``(count, seconds)`` of "5/h", "5/2h", "120/minute", "20/day".

    An empty rate means no limit: ``(None, None)``.
    """
    if not rate:
        return None, None
    match = _RATE.match(str(rate).lower())
    unit = (match.group(3) or "h") if match else None
    if unit not in _UNITS:
        raise ValueError(f"A rate looks like '5/h' or '120/minute', not {rate!r}")
    multiplier = int(match.group(2)) if match.group(2) else 1
    return int(match.group(1)), _UNITS[unit] * multiplier


def client_ip(request):
    """Return the visitor's address, trusting X-Forwarded-For only as far as configured.

    ``settings.TRUSTED_PROXY_COUNT`` proxies each appended one address; what
    a client wrote into the header itself lies further left and is ignored.
    """
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _key(scope, ident):
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{scope}:{ident}".encode(), hashlib.sha256
    ).hexdigest()
    return f"rl:{scope}:{digest[:40]}"


def _open_window(store, key, now, period):
    """Start the window of ``key`` with this request; return its count."""
    if not store.add(key, 1, timeout=period):
        try:  # another request started it meanwhile
            return store.incr(key)
        except ValueError:  # and it ended already
            store.set(key, 1, timeout=period)
    store.set(f"{key}:reset", now + period, timeout=period)
    return 1


def hit(scope, ident, rate):
    """Count one request of ``ident`` in ``scope``; return the seconds to wait, 0 if allowed.

    Every call counts, refused ones too. Raises ``LimitUnavailable`` when
    the store cannot be reached.
    """
    limit, period = parse_rate(rate)
    if limit is None:
        return 0
    store = caches[CACHE_ALIAS]
    key = _key(scope, ident)
    now = time.time()
    try:
        # Counted first: most requests fall in an open window, which is then
        # one round trip to Redis (an atomic script), not two.
        try:
            count = store.incr(key)
        except ValueError:  # no open window: this request starts one
            count = _open_window(store, key, now, period)
        if count <= limit:
            return 0
        reset_at = store.get(f"{key}:reset") or now + period
    except STORE_ERRORS as error:
        logger.warning(
            "Rate-limit store unavailable (%s): refusing %s", type(error).__name__, scope
        )
        raise LimitUnavailable(scope) from error
    return max(1, math.ceil(reset_at - now))
