"""Delivery tasks: drain the outbox (after each commit that writes to it, and every minute from
the beat, so nothing waits for long when the broker was down), and send the daily digests. Both
are idempotent: the sent-log claims each message before it is sent."""

from datetime import date

from celery import shared_task

from . import services


@shared_task(
    acks_late=True, autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, max_retries=8
)
def deliver_outbox_task() -> int:
    return services.deliver_pending()


@shared_task(
    acks_late=True, autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, max_retries=8
)
def deliver_digests_task(as_of: str | None = None) -> int:
    return services.deliver_digests(as_of=date.fromisoformat(as_of) if as_of else None)
