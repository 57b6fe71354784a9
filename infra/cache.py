"""A Redis cache that degrades to no cache when Redis is away.

Django's ``RedisCache`` raises on connection errors, which would turn a lost
Redis into errors on every page. Here a failing call logs (once per pause),
answers as a cache miss would, and Redis is left alone for a few seconds
before the next attempt, so pages cost a database query more, not a timeout.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("exchange.cache")

# Seconds to serve without the cache after a failure before trying again.
PAUSE_AFTER_FAILURE = 5.0


def _fail_soft(default):
    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if time.monotonic() < self._paused_until:
                return default(*args, **kwargs) if callable(default) else default
            try:
                return method(self, *args, **kwargs)
            except (RedisError, OSError) as exc:
                self._paused_until = time.monotonic() + PAUSE_AFTER_FAILURE
                logger.warning(
                    "Cache unavailable (%s), serving without it for %.0f s",
                    type(exc).__name__,
                    PAUSE_AFTER_FAILURE,
                )
                return default(*args, **kwargs) if callable(default) else default

        return wrapper

    return decorator


def _get_default(key, default=None, version=None):
    return default


def _missing_key(key, *args, **kwargs):
    # What Django's incr/decr raise for a key that is not cached: callers
    # then fall back to add() or to computing the value.
    raise ValueError(f"Key {key!r} not found (cache unavailable)")


def _no_keys_set(data, *args, **kwargs):
    return list(data)


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._paused_until = 0.0

    get = _fail_soft(_get_default)(RedisCache.get)
    set = _fail_soft(None)(RedisCache.set)
    add = _fail_soft(False)(RedisCache.add)
    touch = _fail_soft(False)(RedisCache.touch)
    delete = _fail_soft(False)(RedisCache.delete)
    has_key = _fail_soft(False)(RedisCache.has_key)
    incr = _fail_soft(_missing_key)(RedisCache.incr)
    get_many = _fail_soft(lambda *args, **kwargs: {})(RedisCache.get_many)
    set_many = _fail_soft(_no_keys_set)(RedisCache.set_many)
    delete_many = _fail_soft(None)(RedisCache.delete_many)
    clear = _fail_soft(None)(RedisCache.clear)
