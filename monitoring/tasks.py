"""Scheduled tasks of monitoring: the daily reminder sweep (monitoring/reminders.py). Idempotent:
the notification keys make a second run on the same day give nothing twice."""

from datetime import date

from celery import shared_task

from . import reminders


@shared_task(
    acks_late=True, autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, max_retries=5
)
def send_reminders_task(as_of: str | None = None) -> int:
    return reminders.send(date.fromisoformat(as_of) if as_of else None)
