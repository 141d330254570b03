"""Django's Redis cache, which degrades to "no cache" when Redis is down or frozen.

Each call goes through the server's circuit breaker (kvsp/core/breaker.py) and the socket
timeouts of ``OPTIONS`` (short: kvsp/settings/base.py). When Redis fails, or while its breaker is
open:

- reads are misses (``get`` returns the default, ``get_many`` nothing, ``has_key`` False);
- writes and deletions do nothing (the site renders uncached pages, which is always correct);
- ``get_or_set`` returns the computed default without storing it;
- ``add``, ``incr`` and ``decr`` raise ``RedisUnavailable``: their answer means something ("the
  lock is mine", "the 11th submission") that a miss cannot stand for, so the caller decides. The
  project's callers all do: the rate limits fail open (kvsp/core/ratelimit.py), the plan PDF lock
  renders anyway (kvsp/portal/plan_views.py), the public-page generation stops caching
  (kvsp/core/public_cache.py).

Sessions live in the database and django-axes counts failures in the database, so neither
depends on this cache.
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

from .breaker import RedisUnavailable, breaker_for

logger = logging.getLogger(__name__)


def _is_outage(exc: BaseException) -> bool:
    """A dead, refused or silent connection (not a wrong key or a bad value)."""
    import redis

    return isinstance(exc, (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError))


class ResilientRedisCache(RedisCache):
    """RedisCache behind a circuit breaker; a miss instead of an error when Redis is away."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self.breaker = breaker_for(self._servers[0])

    def _call(self, method: str, *args, on_outage, **kwargs):
        """``super().method(...)`` through the breaker; ``on_outage()`` when Redis is away."""
        if not self.breaker.allow():
            return on_outage(RedisUnavailable(self.breaker.name))
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except Exception as exc:
            if not _is_outage(exc):
                self.breaker.success()  # the server answered (with an error of the caller's)
                raise
            self.breaker.failure(exc)
            return on_outage(exc)
        self.breaker.success()
        return result

    @staticmethod
    def _raise(exc):
        if isinstance(exc, RedisUnavailable):
            raise exc
        raise RedisUnavailable(str(exc)) from exc

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version, on_outage=lambda exc: default)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version, on_outage=lambda exc: {})

    def has_key(self, key, version=None):
        return self._call("has_key", key, version, on_outage=lambda exc: False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version, on_outage=lambda exc: None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Nothing was stored: every key "failed", as Django's set_many reports it.
        return self._call("set_many", data, timeout, version, on_outage=lambda exc: list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version, on_outage=lambda exc: False)

    def delete(self, key, version=None):
        return self._call("delete", key, version, on_outage=lambda exc: False)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version, on_outage=lambda exc: None)

    def clear(self):
        return self._call("clear", on_outage=lambda exc: False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version, on_outage=self._raise)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version, on_outage=self._raise)

    def get_or_set(self, key, default, timeout=DEFAULT_TIMEOUT, version=None):
        """As Django's, computing ``default`` once at most: while Redis is away, the computed value
        is returned uncached (Django's would compute it again after add() failed)."""
        missing = object()
        value = self.get(key, missing, version=version)
        if value is not missing:
            return value
        value = default() if callable(default) else default
        try:
            self.add(key, value, timeout=timeout, version=version)
        except RedisUnavailable:
            return value
        return self.get(key, value, version=version)
