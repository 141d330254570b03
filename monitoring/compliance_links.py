"""The evidence of a compliance check as links. Staff get links to the working pages; the links
to the public pages are built by the portal (kvsp/portal/compliance_links.py), which passes its
own ``url`` here: monitoring knows no address of a layer above it."""

from collections.abc import Callable

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .compliance import Evidence
from .progress import month_label


def evidence_label(item: Evidence) -> str:
    if item.kind == "plan":
        return _("Plan %(year)d, version %(number)d") % {"year": item.year, "number": item.number}
    if item.kind == "report":
        return month_label(item.year, item.month)
    return date_format(item.day, "SHORT_DATE_FORMAT")


def staff_url(slug: str, item: Evidence) -> str | None:
    if item.kind == "meeting":
        return reverse("meetings:meeting-detail", args=[slug, item.pk])
    if item.kind == "consultation":
        return reverse("consultations:detail", args=[slug, item.pk])
    if item.kind == "plan":
        return reverse("plans:version", args=[slug, item.year, item.number])
    if item.kind == "report":
        return reverse("monitoring:report", args=[slug, item.year, item.month])
    return None


def record_rows(
    record,
    slug: str,
    *,
    url: Callable[[str, Evidence], str | None] = staff_url,
    public_only: bool = False,
) -> list[dict]:
    """Each check of a record with its evidence as links: ``url(slug, item)`` gives an address (the
    staff pages by default); with ``public_only`` the evidence that is not public is left out."""
    return [
        {
            "check": check,
            "links": [
                {"label": evidence_label(item), "url": url(slug, item)}
                for item in check.evidence
                if item.public or not public_only
            ],
        }
        for check in record.checks
    ]
