"""Writes of the annual report. Each validates, then writes in one transaction, and moves the public
generation on (kvsp/core/public_cache.py): an approval publishes the report.

``STEPS`` holds the allowed status changes. A draft may be opened for a year that has not ended (its
tables are then read as of today); it is submitted, and approved, once the year is over. Approval
freezes it: the content as it stands, its PDF rendered in the council's language and stored with its
SHA-256; nothing later changes it (and migration 0011's trigger refuses it at the database).
"""

import hashlib
import json
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from councils.models import Council
from kvsp.core import public_cache
from kvsp.core.exports import without_control_characters
from kvsp.core.models import User
from kvsp.core.pdf import render_pdf
from plans.services import RowConflict, row_revision

from . import display, handoffs
from .data import annual_data
from .models import AnnualReport

Status = AnnualReport.Status
STEPS: dict[str, set[str]] = {
    Status.DRAFT: {Status.SUBMITTED},
    Status.RETURNED: {Status.SUBMITTED},
    Status.SUBMITTED: {Status.RETURNED, Status.APPROVED},
    Status.APPROVED: set(),
}
# The language of the stored PDF: the council's official language.
REPORT_LANGUAGE = "sq"
FIRST_YEAR = 2000


class AnnualLocked(ValidationError):
    """The report is not in a state that allows this."""


def year_over(year: int, today: date | None = None) -> bool:
    return (today or timezone.localdate()) > date(year, 12, 31)


def _year_not_over(year: int) -> ValidationError:
    return ValidationError(
        _(
            "The year %(year)s has not ended: the annual report can be drafted now, but it is submitted "
            "and approved from %(date)s."
        )
        % {"year": year, "date": date_format(date(year + 1, 1, 1), "SHORT_DATE_FORMAT")}
    )


def _locked(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update().select_related("council__municipality").get(pk=report.pk)


def _step(report: AnnualReport, wanted: str, message: str) -> None:
    if wanted not in STEPS[report.status]:
        raise AnnualLocked(message)


@transaction.atomic
@public_cache.invalidates
def annual_start(*, council: Council, year: int, user: User | None = None) -> AnnualReport:
    """Open the draft annual report of a year that has begun (one per council and year)."""
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise ValidationError({"year": _("Choose a year that has begun.")})
    report, created = AnnualReport.objects.get_or_create(
        council=council, year=year, defaults={"drafted_by": user}
    )
    if not created:
        raise ValidationError({"year": _("The annual report of %(year)s already exists.") % {"year": year}})
    return report


@transaction.atomic
@public_cache.invalidates
def annual_update(
    *, report: AnnualReport, texts: dict[str, str], revision: str | None = None
) -> AnnualReport:
    """Write the narrative of a draft or returned report: ``texts`` maps the narrative sections
    (``AnnualReport.NARRATIVE``) to the SKN's words; a section left out keeps what it holds."""
    report = _locked(report)
    if not report.is_editable:
        raise AnnualLocked(
            _("The report is with the chair: it can be edited again if the chair returns it.")
            if report.status == Status.SUBMITTED
            else _("An approved report never changes.")
        )
    if revision and revision != row_revision(report):
        raise RowConflict(row_revision(report))
    for name in AnnualReport.NARRATIVE:
        if name in texts:
            setattr(report, name, without_control_characters(texts[name].strip())[: AnnualReport.TEXT_LENGTH])
    report.save()
    return report


@transaction.atomic
@public_cache.invalidates
def annual_submit(*, report: AnnualReport, user: User) -> AnnualReport:
    """The SKN sends the report to the chair, once the year is over; the chair is told."""
    report = _locked(report)
    _step(report, Status.SUBMITTED, _("Only a draft or returned report is submitted."))
    if not year_over(report.year):
        raise _year_not_over(report.year)
    if not report.summary:
        raise ValidationError({"summary": _("Write the summary before submitting the report.")})
    report.status = Status.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = user
    report.save()
    handoffs.withdraw_returned(report)
    handoffs.notify_submitted(report)
    return report


@transaction.atomic
@public_cache.invalidates
def annual_return(*, report: AnnualReport, comment: str, user: User) -> AnnualReport:
    """The chair sends the report back to the SKN with what needs to change."""
    report = _locked(report)
    _step(report, Status.RETURNED, _("Only a submitted report is returned."))
    if not comment.strip():
        raise ValidationError({"comment": _("Say what needs to change.")})
    report.status = Status.RETURNED
    report.returned_comment = without_control_characters(comment.strip())[:2000]
    report.returned_at = timezone.now()
    report.returned_by = user
    report.save()
    handoffs.withdraw_submitted(report)
    handoffs.notify_returned(report)
    return report


def annual_content(report: AnnualReport, today: date | None = None) -> dict:
    """The report as the pages show it: its frozen content once approved, else the year's live data
    with the narrative as written so far."""
    if report.content is not None:
        return report.content
    content = annual_data(report.council, report.year, today)
    content["narrative"] = {name: getattr(report, name) for name in AnnualReport.NARRATIVE}
    return content


def content_stamp(content: dict) -> str:
    """A fingerprint of what a page showed: the approval refuses content that changed since."""
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


class ContentChanged(ValidationError):
    """The content changed since the approval page was read: the chair reads it again (``current``
    is the fingerprint of the content as it stands now)."""

    def __init__(self, current: str):
        super().__init__(
            _("The report changed while you were reading it: read it again below, then approve it.")
        )
        self.current = current


def render_annual_pdf(report: AnnualReport, content: dict) -> bytes:
    with translation.override(REPORT_LANGUAGE):
        return render_pdf(
            "monitoring/annual_pdf.html",
            {"report": report, "council": report.council, "content": content, "view": display.view(content)},
        )


@transaction.atomic
@public_cache.invalidates
def annual_approve(*, report: AnnualReport, user: User, seen: str) -> AnnualReport:
    """The chair approves, once the year is over: the content is frozen as it stands now, its PDF
    rendered and stored with its SHA-256, and the report is public. ``seen`` is the
    ``content_stamp`` of what the approval page showed: content that changed since is refused (the
    chair reads it again), so what is approved is exactly what was read."""
    report = _locked(report)
    _step(report, Status.APPROVED, _("Only a submitted report is approved."))
    if not year_over(report.year):
        raise _year_not_over(report.year)
    report.approved_at = timezone.now()
    report.approved_by = user
    content = annual_content(report)
    current = content_stamp(content)
    if seen != current:
        raise ContentChanged(current)
    content["approved_at"] = report.approved_at.isoformat()
    content["approved_by"] = user.full_name
    pdf = render_annual_pdf(report, content)
    report.content = content
    report.status = Status.APPROVED
    report.sha256 = hashlib.sha256(pdf).hexdigest()
    report.pdf.save(f"raporti-vjetor-{report.council.slug}-{report.year}.pdf", ContentFile(pdf), save=False)
    report.save()
    handoffs.withdraw_submitted(report)
    handoffs.notify_approved(report)
    return report
