"""Background work of the portal: the e-mail subscriptions' sweep (kvsp/portal/subscriptions.py)."""

from celery import shared_task

from . import subscriptions


@shared_task
def sweep_subscriptions_task() -> int:
    """Write the councils' news for their subscribers to the outbox, once each (a rerun writes
    nothing twice), and delete the subscriptions left unconfirmed."""
    return subscriptions.sweep()
