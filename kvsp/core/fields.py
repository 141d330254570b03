"""Field and constraint factories for declarations several apps repeat: a link to the user who did
something, and the checks every dated or cancellable record carries."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


def user_link(verbose_name=None, *, optional: bool = True) -> models.ForeignKey:
    """A link to the staff user who wrote, entered, approved... a record: protected (a user with
    records is deactivated, never deleted) and without a reverse accessor. ``optional`` for a step
    that has not happened yet (approved by, moderated by)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=optional,
        blank=optional,
        related_name="+",
        verbose_name=verbose_name,
    )


def year_in_range(name: str) -> models.CheckConstraint:
    """``year`` is a plausible calendar year."""
    return models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name=name)


def cancel_needs_reason(name: str) -> models.CheckConstraint:
    """A ``cancelled`` record says why (``cancel_reason``)."""
    return models.CheckConstraint(condition=~Q(status="cancelled") | ~Q(cancel_reason=""), name=name)


def ends_after_start(name: str) -> models.CheckConstraint:
    """An open period (no ``end_date``) or one that ends after its ``start_date``."""
    return models.CheckConstraint(
        condition=Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")), name=name
    )
