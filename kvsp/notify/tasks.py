"""Delivery tasks: drain the outbox (after each commit that writes to it, and every minute from
the beat, so nothing waits for long when the broker was down), and send the daily digests. Both
are idempotent: the sent-log claims each message before it is sent.

Every task has Celery's soft and hard time limits (CELERY_TASK_SOFT_TIME_LIMIT and
CELERY_TASK_TIME_LIMIT); a drain stops taking messages early enough that the one it sends, each of
its SMTP operations bounded by EMAIL_TIMEOUT, ends before the soft limit."""

from datetime import date

from celery import shared_task
from django.conf import settings

from . import services


def drain_budget() -> float | None:
    """Seconds a drain may take new messages: the soft limit, less one message's worst case."""
    soft = getattr(settings, "CELERY_TASK_SOFT_TIME_LIMIT", None)
    if not soft:
        return None
    return max(soft - services.SEND_OPERATIONS * (settings.EMAIL_TIMEOUT or 0), 1.0)


@shared_task(
    acks_late=True, autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, max_retries=8
)
def deliver_outbox_task() -> int:
    return services.deliver_pending(budget=drain_budget())


@shared_task(
    acks_late=True, autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, max_retries=8
)
def deliver_digests_task(as_of: str | None = None) -> int:
    return services.deliver_digests(as_of=date.fromisoformat(as_of) if as_of else None)
