"""The Redis cache, made optional: a Redis that is gone or too slow is a miss, never an error.

Reads answer as an empty cache would and writes are dropped, so a page that uses the cache is
still served; the first failure is logged at once, then at most one line a minute (with how many
failed since) so a dead Redis does not flood the log, and the return is logged too. Nothing needs
resetting: redis-py connects again on the next command.
"""

from __future__ import annotations

import functools
import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache
from redis import exceptions as redis_errors

logger = logging.getLogger("newsroom.cache")

# Seconds between two log lines about the same outage.
LOG_EVERY = 60.0


class Outage:
    """What one process has seen of Redis being unreachable, for a log that says it once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.failures = 0
        self._logged_at: float | None = None
        self._unlogged = 0

    def failed(self, operation: str, error: Exception) -> None:
        with self._lock:
            self.failures += 1
            now = time.monotonic()
            if self._logged_at is not None and now - self._logged_at < LOG_EVERY:
                self._unlogged += 1
                return
            since, self._unlogged, self._logged_at = self._unlogged, 0, now
        more = f" ({since} more failures since the last report)" if since else ""
        logger.error(
            "Redis unavailable, cache %s answered as a miss: %s: %s%s",
            operation,
            type(error).__name__,
            error,
            more,
        )

    def answered(self) -> None:
        if not self.failures:  # read without the lock: the usual case costs nothing
            return
        with self._lock:
            failures, self.failures = self.failures, 0
            self._logged_at, self._unlogged = None, 0
        if failures:
            logger.warning("Redis answers again, after %d failed cache operations.", failures)


def _or_miss(miss):
    """Wrap a cache operation so that an unreachable Redis answers `miss(*args)` instead."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                result = method(self, *args, **kwargs)
            except (redis_errors.ConnectionError, redis_errors.TimeoutError) as error:
                self.outage.failed(method.__name__, error)
                return miss(*args, **kwargs)
            self.outage.answered()
            return result

        return wrapper

    return decorate


def _default(key, default=None, *args, **kwargs):
    return default


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _no_values(*args, **kwargs):
    return {}


def _every_key(data, *args, **kwargs):
    return list(data)  # set_many() answers the keys it failed to store


def _not_found(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found.")  # as an empty cache answers incr()


# One record per Redis and process: Django gives each thread its own cache object.
_outages: dict[str, Outage] = {}
_outages_lock = threading.Lock()


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, where a Redis that cannot be reached is an empty cache."""

    def __init__(self, server, params):
        super().__init__(server, params)
        with _outages_lock:
            self.outage = _outages.setdefault(",".join(self._servers), Outage())

    get = _or_miss(_default)(RedisCache.get)
    get_many = _or_miss(_no_values)(RedisCache.get_many)
    has_key = _or_miss(_false)(RedisCache.has_key)
    add = _or_miss(_false)(RedisCache.add)
    set = _or_miss(_nothing)(RedisCache.set)
    set_many = _or_miss(_every_key)(RedisCache.set_many)
    touch = _or_miss(_false)(RedisCache.touch)
    delete = _or_miss(_false)(RedisCache.delete)
    delete_many = _or_miss(_nothing)(RedisCache.delete_many)
    incr = _or_miss(_not_found)(RedisCache.incr)
    clear = _or_miss(_false)(RedisCache.clear)
