"""The evidence of a compliance check as links, for the public or for the council's staff: the
public gets what is public (council meetings not restricted, the published plan, published reports,
announced consultations) and nothing of the rest — not even the dates of SKN meetings, which are
not public (DESIGN.md "Visibility"); the check's state and figures say enough. Staff get links to
the working pages."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .compliance import Check, Evidence
from .progress import month_label


def _label(item: Evidence) -> str:
    if item.kind == "plan":
        return _("Plan %(year)d, version %(number)d") % {"year": item.year, "number": item.number}
    if item.kind == "report":
        return month_label(item.year, item.month)
    return date_format(item.day, "SHORT_DATE_FORMAT")


def _public_url(slug: str, item: Evidence) -> str | None:
    if not item.public:
        return None
    if item.kind == "meeting":
        return reverse("portal:meeting", args=[slug, item.pk])
    if item.kind == "consultation":
        return reverse("portal:consultation", args=[slug, item.pk])
    if item.kind == "plan":
        return reverse("portal:plan-version", args=[slug, item.year, item.number])
    if item.kind == "report":
        return reverse("portal:report", args=[slug, item.year, item.month])
    return None


def _staff_url(slug: str, item: Evidence) -> str | None:
    if item.kind == "meeting":
        return reverse("meetings:meeting-detail", args=[slug, item.pk])
    if item.kind == "consultation":
        return reverse("consultations:detail", args=[slug, item.pk])
    if item.kind == "plan":
        return reverse("plans:version", args=[slug, item.year, item.number])
    if item.kind == "report":
        return reverse("monitoring:report", args=[slug, item.year, item.month])
    return None


def evidence_links(check: Check, slug: str, *, staff: bool) -> list[dict]:
    if staff:
        return [{"label": _label(item), "url": _staff_url(slug, item)} for item in check.evidence]
    return [{"label": _label(item), "url": _public_url(slug, item)} for item in check.evidence if item.public]


def record_rows(record, slug: str, *, staff: bool) -> list[dict]:
    """Each check of a record with its evidence as links."""
    return [{"check": check, "links": evidence_links(check, slug, staff=staff)} for check in record.checks]
