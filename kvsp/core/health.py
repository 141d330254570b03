"""The probes behind /healthz/: each part's state and how long it took, within one second.

The database is probed in the request's own thread (its connection belongs to it); the cache
(with the worker's heartbeat, which lives in the cache) and the broker in two threads, waited for
at most ``BUDGET_SECONDS``: a frozen Redis shows as "timeout" instead of holding the answer. Each
Redis probe goes through the server's circuit breaker, so while it is open it answers at once.
"""

import hmac
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as wait_for_futures

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .breaker import breaker_for
from .tasks import HEARTBEAT_CACHE_KEY

BUDGET_SECONDS = 0.8
_executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="healthz")


def _timed(probe) -> dict:
    started = time.monotonic()
    try:
        result = probe()
    except Exception as exc:  # the point of a health check is to report any failure
        result = {"state": f"error: {exc.__class__.__name__}"}
    result["ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"state": "ok"}


def _cache_and_worker() -> dict:
    """The cache's round trip, then the worker's heartbeat the cache holds."""
    breaker = getattr(cache, "breaker", None)
    if breaker is not None and breaker.refusing:
        return {"state": "error: unavailable (breaker open)", "worker": {"state": "unknown"}}
    cache.set("kvsp:healthz", "ok", 10)
    if cache.get("kvsp:healthz") != "ok":
        return {"state": "error: read back failed", "worker": {"state": "unknown"}}
    seen = cache.get(HEARTBEAT_CACHE_KEY)
    if not seen:
        worker = {"state": "unknown", "last_seen": None}
    else:
        when = parse_datetime(seen)
        fresh = when is not None and timezone.now() - when <= settings.WORKER_HEARTBEAT_MAX_AGE
        worker = {"state": "ok" if fresh else "stale", "last_seen": seen}
    return {"state": "ok", "worker": worker}


def _broker() -> dict:
    from kvsp.celery import app

    url = str(app.conf.broker_url or "")
    breaker = breaker_for(url) if url.startswith(("redis://", "rediss://")) else None
    if breaker is not None and not breaker.allow():
        return {"state": "error: unavailable (breaker open)"}
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=0, timeout=BUDGET_SECONDS)
    except Exception as exc:
        if breaker is not None:
            breaker.failure(exc)
        raise
    if breaker is not None:
        breaker.success()
    return {"state": "ok"}


def report() -> tuple[bool, dict]:
    """(healthy, detail): healthy while the database answers; the detail names every part."""
    cache_future = _executor.submit(_timed, _cache_and_worker)
    broker_future = _executor.submit(_timed, _broker)
    database = _timed(_database)
    remaining = max(0.05, BUDGET_SECONDS - database["ms"] / 1000)
    wait_for_futures([cache_future, broker_future], timeout=remaining)
    timeout = {"state": "error: timeout", "ms": None}
    cache_part = cache_future.result() if cache_future.done() else dict(timeout)
    worker = cache_part.pop("worker", {"state": "unknown", "last_seen": None})
    detail = {
        "time": timezone.now().isoformat(),
        "database": database,
        "cache": cache_part,
        "broker": broker_future.result() if broker_future.done() else dict(timeout),
        "worker": worker,
    }
    return database["state"] == "ok", detail


def may_see_detail(request) -> bool:
    """Staff, or a caller with ``Authorization: Bearer <KVSP_HEALTH_TOKEN>`` (when one is set).

    The token is checked first: a monitor needs no session, and with the database down reading
    the user would fail."""
    token = getattr(settings, "KVSP_HEALTH_TOKEN", "")
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header[len("Bearer ") :].encode(), token.encode())
    try:
        return bool(request.user.is_staff)
    except Exception:  # the database is down: no one is staff for now
        return False
