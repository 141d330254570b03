"""The public cache: what anonymous visitors are shown, kept in the shared cache under one
*public generation*. Every cached thing carries the generation in its key, so moving it on makes
all of them stale at once (nothing has to be found and deleted).

Used by the public pages' response cache (kvsp/portal/page_cache.py), the national compliance
overview's records (monitoring/compliance_data.py) and its page (kvsp/portal/compliance_views.py).

**Services move the generation on.** A service that writes a row the public may see is decorated
with ``@public_cache.invalidates`` (or calls ``changed()`` itself), bulk writes included
(``update()``, ``bulk_create``, ``bulk_update``, a queryset's ``delete()``): the service that does
them moves the generation on. tests/core/test_public_cache_services.py fails when a service writes
to a domain table without it. Saves and deletes made outside the services (the platform admin, the
demo data, a restore) are caught by the portal's signal receivers (kvsp/portal/apps.py), a safety
net, not the rule.

The cache fails open: when it does not answer, ``generation()`` is 0 and ``key()`` None, which
callers read as "do not cache". A ``bump()`` the cache did not take (Redis away, or this process's
circuit breaker still open while Redis answers the others) is not forgotten: the process moves the
generation on at its next read that the cache answers, so nothing cached before the change
outlives it by more than the breaker's few seconds.
"""

import functools
import logging
import threading

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

GENERATION_KEY = "kvsp:public:generation"
_missed = threading.Event()  # a bump the cache did not take: done at the next read it answers


def _fresh() -> int:
    """A fresh generation: after an eviction it never meets entries cached under an old one."""
    return int(timezone.now().timestamp() * 1000)


def generation() -> int:
    """The current generation; 0 when the cache does not answer (then nothing is cached)."""
    if _missed.is_set():
        _missed.clear()
        bump()  # sets it again if the cache still does not take it
    try:
        return cache.get_or_set(GENERATION_KEY, _fresh, timeout=None) or 1
    except Exception:
        logger.warning("public cache: the cache is not answering")
        return 0


def bump() -> None:
    """Something public changed: entries cached under the current generation are stale from now on."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there yet (or evicted): the next read starts a new one
        try:
            cache.set(GENERATION_KEY, _fresh(), timeout=None)
        except Exception:
            _missed.set()
            logger.warning("public cache: the cache is not answering")
    except Exception:
        _missed.set()
        logger.warning("public cache: the cache is not answering")


def changed(**kwargs) -> None:
    """A row the public sees has changed: move the generation on now, and again once the change
    commits. The first keeps a reader inside the same transaction (a test, a management command)
    from its own stale page; the second is the one that counts for everyone else, since a page
    rendered between the two, from the rows as they were before the commit, is cached under the
    generation in between, never read again. A rolled-back change moves it on only once, which is
    harmless. Takes ``**kwargs`` so that it can be a signal receiver too."""
    bump()
    if not _bump_pending():
        transaction.on_commit(bump)


def _bump_pending() -> bool:
    """Whether the open transaction already moves the generation on at its commit: a service
    that saves a thousand rows (a plan import, the demo) moves it on once after the commit, not a
    thousand times. A savepoint rolled back takes its callback with it, so a later change in the
    same transaction registers again."""
    connection = transaction.get_connection()
    return connection.in_atomic_block and any(entry[1] is bump for entry in connection.run_on_commit)


def invalidates(service):
    """Decorate a service that writes public rows: once it returns, the generation moves on (in
    the service's transaction when it runs in one, and again after the commit). A service that
    raises moves nothing: its transaction is rolled back."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        result = service(*args, **kwargs)
        changed()
        return result

    wrapper.invalidates_public_cache = True
    return wrapper


def key(namespace: str, *parts) -> str | None:
    """The cache key of one entry under the current generation, or None when the cache does not
    answer (then nothing is cached). Read it once, before computing what is kept: a change made
    while it is computed moves the generation past the key, and the entry is never read."""
    current = generation()
    if not current:
        return None
    return ":".join(["kvsp:public", namespace, str(current), *(str(part) for part in parts)])


def get(entry_key: str | None):
    """The entry kept under ``entry_key``, or None (not kept, no key, or the cache not answering)."""
    if entry_key is None:
        return None
    try:
        return cache.get(entry_key)
    except Exception:  # a cache outage: compute it, never a 500
        logger.warning("public cache: the cache is not answering")
        return None


def put(entry_key: str | None, value, timeout: int) -> None:
    """Keep ``value`` under ``entry_key`` for at most ``timeout`` seconds (the safety net for a
    write that moved nothing on: a raw query, a restore)."""
    if entry_key is None:
        return
    try:
        cache.set(entry_key, value, timeout=timeout)
    except Exception:
        logger.warning("public cache: not kept, the cache is not answering")
