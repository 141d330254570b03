"""A generation counter in the shared cache: cached things carry the generation in their keys, and
moving it on makes all of them stale at once (nothing has to be found and deleted).

Used by the national compliance overview (monitoring/compliance_data.py) and the public pages'
response cache (kvsp/portal/page_cache.py). Signal receivers move it on once the change commits, so
a rolled-back change invalidates nothing and a reader never caches a page under the new generation
before the change is visible.

The cache fails open: when it does not answer, ``value()`` is 0, which callers read as "do not
cache", and ``bump()`` only logs.
"""

import logging

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


class Generation:
    def __init__(self, key: str):
        self.key = key

    @staticmethod
    def _fresh() -> int:
        """A fresh generation: after an eviction it never meets entries cached under an old one."""
        return int(timezone.now().timestamp() * 1000)

    def value(self) -> int:
        """The current generation; 0 when the cache does not answer (then nothing is cached)."""
        try:
            return cache.get_or_set(self.key, self._fresh, timeout=None) or 1
        except Exception:
            logger.warning("%s: the cache is not answering", self.key)
            return 0

    def bump(self) -> None:
        """Something changed: entries cached under the current generation are stale from now on."""
        try:
            cache.incr(self.key)
        except ValueError:  # not there yet (or evicted): the next read starts a new one
            try:
                cache.set(self.key, self._fresh(), timeout=None)
            except Exception:
                logger.warning("%s: the cache is not answering", self.key)
        except Exception:
            logger.warning("%s: the cache is not answering", self.key)

    def changed(self, **kwargs) -> None:
        """Signal receiver: move the generation on once the change commits."""
        transaction.on_commit(self.bump)
