""" "Waiting for you": what waits for a person's step, across all their councils, at the top of
/app/ and as a count in the top bar.

Computed from the state of the records, never from stored flags: minutes in status "submitted"
wait for whoever may approve them, a returned report for its editors, and so on. Each app that
owns such a state registers a *source* from its ``AppConfig.ready()`` (councils never imports
them, so data flows one way, as for councils/panels.py)::

    register_waiting_source(fn)   # fn(user, roles, now) -> Iterable[Waiting]

``roles`` is ``councils.predicates.council_roles(user)``: {council id: the roles held there today},
every council of the user. A source reads all those councils together (``council_id__in``, the
council and its municipality joined), so the number of queries of the list does not grow with the
number of councils or of items; tests/councils/test_waiting_list.py asserts it. A source lists
only what the user may do: its conditions are the app's rules.

The count in the top bar, and the list on /app/, are cached per person and day under the public
cache's generation (kvsp/core/public_cache.py), which every writing service moves on: a step done
anywhere renews them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone, translation

from kvsp.core import public_cache

from .models import Council
from .predicates import council_roles

# How long a cached count may be kept at most (the safety net for a write that moved nothing on).
COUNT_TIMEOUT = 15 * 60


@dataclass(frozen=True)
class Waiting:
    """One thing that waits for the person: in which council, of which kind (a short code), what
    (a translated sentence), where it is handled, and since when it waits. ``due`` is when
    something ahead happens (a meeting), shown as "in 3 days"."""

    council: Council
    kind: str
    text: str
    url: str
    since: datetime | date
    due: datetime | None = None

    @property
    def since_at(self) -> datetime:
        """``since`` as an aware moment (a day starts at midnight in Tirana), for sorting and for
        "waiting for 3 days"."""
        if isinstance(self.since, datetime):
            return self.since if timezone.is_aware(self.since) else timezone.make_aware(self.since)
        return timezone.make_aware(datetime.combine(self.since, time.min))

    @property
    def is_new(self) -> bool:
        """Waiting for less than a minute: "just now" rather than "waiting for 0 minutes"."""
        return timezone.now() - self.since_at < timedelta(minutes=1)


Source = Callable[..., Iterable[Waiting]]
_SOURCES: list[Source] = []


def register_waiting_source(source: Source) -> None:
    """Register ``source(user, roles, now)`` (from an app's ``ready()``); twice changes nothing."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def waiting_for(user, now: datetime | None = None) -> list[Waiting]:
    """Everything that waits for ``user`` today, oldest first."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    roles = council_roles(user)
    if not roles:
        return []
    now = now or timezone.now()
    found = [item for source in _SOURCES for item in source(user, roles, now)]
    return sorted(found, key=lambda item: (item.since_at, str(item.council), item.kind, item.url))


def by_council(items: list[Waiting]) -> list[tuple[Council, list[Waiting]]]:
    """The items grouped by council, the council with the oldest item first (each group oldest
    first, as ``items`` come)."""
    groups: dict[int, tuple[Council, list[Waiting]]] = {}
    for item in items:
        groups.setdefault(item.council.pk, (item.council, []))[1].append(item)
    return list(groups.values())


def _count_key(user) -> str | None:
    return public_cache.key("waiting", user.pk, timezone.localdate().isoformat())


def waiting_list(user) -> list[Waiting]:
    """``waiting_for(user)`` for the /app/ page, cached like the count: per person, day and
    language (the items' sentences are translated) under the public generation, which every
    writing service moves on, so a step done anywhere shows at the next visit; at most
    ``COUNT_TIMEOUT`` otherwise (a meeting that began meanwhile waits for its attendance from then)."""
    key = public_cache.key(
        "waiting-list", user.pk, timezone.localdate().isoformat(), translation.get_language()
    )
    items = public_cache.get(key)
    if items is None:
        items = waiting_for(user)
        public_cache.put(key, items, COUNT_TIMEOUT)
    return items


def remember_count(user, count: int) -> None:
    """Keep the count just computed (by the /app/ page, which lists the items anyway)."""
    public_cache.put(_count_key(user), count, COUNT_TIMEOUT)


def waiting_count(user) -> int:
    """How many things wait for ``user``: cached per person and day under the public generation."""
    key = _count_key(user)
    count = public_cache.get(key)
    if count is None:
        count = len(waiting_for(user))
        public_cache.put(key, count, COUNT_TIMEOUT)
    return count
