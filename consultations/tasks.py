"""Background work of consultations: the retention sweep for citizens' personal data."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def purge_expired_personal_data_task(as_of: str | None = None) -> int:
    """Delete contacts and original wording past the retention period (Law 124/2024). Running it
    twice deletes nothing more; ``as_of`` (ISO date) lets a test or an operator choose the day."""
    day = date.fromisoformat(as_of) if as_of else timezone.localdate()
    return services.purge_expired(as_of=day)
