"""A circuit breaker per Redis server, shared by the cache and the Celery broker.

A frozen Redis (the process stopped, the machine swapping) accepts connections and then never
answers: every call waits out its whole socket timeout. Without a breaker a page that reads the
cache five times and queues a task waits six timeouts. With one, the first failure opens the
breaker for ``KVSP_REDIS_BREAKER_SECONDS``: meanwhile nothing calls that server (the cache behaves
as a miss, publishing a task fails at once), then a single trial call goes through; if it answers
the breaker closes, else it stays open for another period. So a frozen or stopped Redis costs a
request at most one short timeout, and the whole site one timeout per period.

The cache and the broker usually share one Redis server: they share its breaker too (keyed by
host and port), so a page that notices the outage in the cache does not wait for it again when it
queues a task.
"""

import logging
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)

DEFAULT_OPEN_SECONDS = 5.0


class Breaker:
    """The state of one server: closed (calls go through) or open until a monotonic time."""

    def __init__(self, name: str):
        self.name = name
        self._lock = threading.Lock()
        self._open_until = 0.0  # 0: closed
        self.calls = 0  # calls let through to the server
        self.failures = 0  # of which failed
        self.skipped = 0  # calls refused while open, without touching the server

    @property
    def open_seconds(self) -> float:
        return float(getattr(settings, "KVSP_REDIS_BREAKER_SECONDS", DEFAULT_OPEN_SECONDS))

    @property
    def is_open(self) -> bool:
        return self._open_until > 0

    @property
    def refusing(self) -> bool:
        """Open and within its period: a call now would be skipped."""
        return bool(self._open_until) and time.monotonic() < self._open_until

    def allow(self) -> bool:
        """Whether the next call may go to the server. Once the open period is over, one caller
        gets a trial call (the period starts again meanwhile, so the others keep skipping)."""
        with self._lock:
            now = time.monotonic()
            if self._open_until and now < self._open_until:
                self.skipped += 1
                return False
            if self._open_until:
                self._open_until = now + self.open_seconds
            self.calls += 1
            return True

    def success(self) -> None:
        if self._open_until:
            with self._lock:
                if self._open_until:
                    logger.warning("redis %s answers again: breaker closed", self.name)
                self._open_until = 0.0

    def failure(self, exc: BaseException) -> None:
        with self._lock:
            self.failures += 1
            first = not self._open_until
            self._open_until = time.monotonic() + self.open_seconds
        if first:
            logger.warning(
                "redis %s is not answering (%s): calls skipped for %.0f s",
                self.name,
                exc.__class__.__name__,
                self.open_seconds,
            )

    def expire(self) -> None:
        """End the open period now (tests: the period has passed), keeping the breaker half-open."""
        with self._lock:
            if self._open_until:
                self._open_until = time.monotonic()

    def reset(self) -> None:
        with self._lock:
            self._open_until = 0.0
            self.calls = self.failures = self.skipped = 0


class RedisUnavailable(ConnectionError):
    """The breaker is open: the call was not made. An OSError, like the errors of a dead socket,
    so code that already catches connection errors handles it the same way."""


_breakers: dict[str, Breaker] = {}
_registry_lock = threading.Lock()


def server_name(url: str) -> str:
    """``host:port`` of a redis:// or rediss:// URL (the breaker's key)."""
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{parts.port or 6379}"


def breaker_for(url: str) -> Breaker:
    """The breaker of the server ``url`` points at (one per host and port)."""
    name = server_name(url)
    with _registry_lock:
        if name not in _breakers:
            _breakers[name] = Breaker(name)
        return _breakers[name]


def all_breakers() -> list[Breaker]:
    with _registry_lock:
        return list(_breakers.values())
