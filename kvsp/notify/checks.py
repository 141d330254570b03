"""The time limits that keep a claim from being taken over while its send is alive.

A claim (kvsp/notify/models.py) is taken just before its message is sent, and the send runs in a
task that Celery kills at CELERY_TASK_TIME_LIMIT: if that limit is shorter than CLAIM_TIMEOUT, a
claim old enough to be taken over belongs to a dead send. The soft limit comes first, and one
message's SMTP operations, each bounded by EMAIL_TIMEOUT, fit inside it.
"""

from django.conf import settings
from django.core import checks

from .models import CLAIM_TIMEOUT
from .services import SEND_OPERATIONS


@checks.register(checks.Tags.compatibility)
def delivery_limits_check(app_configs=None, **kwargs) -> list:
    errors = []
    hard = getattr(settings, "CELERY_TASK_TIME_LIMIT", None)
    soft = getattr(settings, "CELERY_TASK_SOFT_TIME_LIMIT", None)
    timeout = getattr(settings, "EMAIL_TIMEOUT", None)
    if not hard or hard >= CLAIM_TIMEOUT.total_seconds():
        errors.append(
            checks.Error(
                f"CELERY_TASK_TIME_LIMIT ({hard}) must be set and shorter than the outbox's claim "
                f"timeout ({CLAIM_TIMEOUT.total_seconds():.0f} s): a claim could be taken over from "
                "a send still alive, and the message sent twice.",
                id="notify.E001",
            )
        )
    if not soft or (hard and soft >= hard):
        errors.append(
            checks.Error(
                f"CELERY_TASK_SOFT_TIME_LIMIT ({soft}) must be set and shorter than "
                f"CELERY_TASK_TIME_LIMIT ({hard}).",
                id="notify.E002",
            )
        )
    if not timeout or (soft and SEND_OPERATIONS * timeout >= soft):
        errors.append(
            checks.Error(
                f"EMAIL_TIMEOUT ({timeout}) must be set, and {SEND_OPERATIONS} SMTP operations of "
                f"that length must fit in CELERY_TASK_SOFT_TIME_LIMIT ({soft}).",
                id="notify.E003",
            )
        )
    return errors
