"""Filters for monitoring's plain-data content (a frozen report stores codes and ISO dates, so that
it reads in the language of whoever opens it)."""

from datetime import date

from django import template
from django.utils.formats import date_format

from consultations.models import Intensity

from ..models import ActivityStatus
from ..progress import period_label

register = template.Library()


@register.filter
def isodate(value: str) -> str:
    """An ISO date ("2026-03-31") in the active language's short format; "" for anything else."""
    try:
        return date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
    except (TypeError, ValueError):
        return ""


@register.filter
def status_label(code: str) -> str:
    return ActivityStatus(code).label if code in ActivityStatus.values else code


@register.filter
def priority_label(code: str) -> str:
    return Intensity(code).label if code in Intensity.values else code


@register.filter
def period_name(code: str) -> str:
    return period_label(code) if code else ""
