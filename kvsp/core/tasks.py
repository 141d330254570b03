"""Background tasks of the core: the worker's heartbeat that /healthz/ reports."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_CACHE_KEY = "kvsp:worker-heartbeat"


@shared_task
def record_heartbeat_task() -> str:
    """Store the time a worker last ran a task; /healthz/ reads it. Running it twice is harmless."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_CACHE_KEY, now, timeout=None)
    return now
