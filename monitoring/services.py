"""Writes of monitoring. Each validates, then writes in one transaction.

A status update is recorded against the activity's newest approved row; the form carries the id of
the newest update its author saw, and a save made meanwhile by someone else is refused with a
conflict (nothing lost: the author sees the other update and keeps what they typed). A monthly
report's allowed status changes live in ``STEPS``; approval freezes it (content, PDF, SHA-256).
"""

import hashlib
from datetime import date
from decimal import Decimal
from typing import Any

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
from kvsp.core.uploads import archive_document_type
from plans.groups import clean_breakdown
from plans.models import Activity, Indicator, PlanVersion
from plans.money import format_lek, spent_is_unusual
from plans.services import RowConflict, row_revision

from . import handoffs, report_layout, selectors
from .models import (
    ActivityStatus,
    ComplianceComment,
    IndicatorValue,
    MonthlyReport,
    ReminderSetting,
    ReportSection,
    StatusUpdate,
)
from .progress import month_label, periods, report_approvable_from

Status = MonthlyReport.Status
STEPS: dict[str, set[str]] = {
    Status.DRAFT: {Status.SUBMITTED},
    Status.RETURNED: {Status.SUBMITTED},
    Status.SUBMITTED: {Status.RETURNED, Status.APPROVED},
    Status.APPROVED: {Status.PUBLISHED},
    Status.PUBLISHED: set(),
}
# The language of the stored, signed PDF: the council's official language.
REPORT_LANGUAGE = "sq"


class UpdateConflict(ValidationError):
    """Someone recorded an update of this activity after the form was opened."""

    def __init__(self, newest: StatusUpdate):
        super().__init__(
            _(
                "%(name)s recorded an update of this activity while you were writing yours (%(status)s, "
                "%(progress)s%%). Your update is below, not saved: read theirs, then save again to add "
                "yours after it."
            )
            % {
                "name": newest.author.full_name or _("Someone"),
                "status": newest.get_status_display(),
                "progress": newest.progress,
            }
        )
        self.newest = newest


class ReportLocked(ValidationError):
    """The report is not in a state that allows this."""


# --- status updates ---------------------------------------------------------------------------------


def _current_activity(activity: Activity) -> Activity:
    """The activity row, locked: updates of one activity are recorded one at a time."""
    return (
        Activity.objects.select_for_update(of=("self",))
        .select_related("problem__version__plan__council")
        .get(pk=activity.pk)
    )


@transaction.atomic
@public_cache.invalidates
def update_record(
    *,
    activity: Activity,
    user: User,
    status: str,
    progress: int | None,
    date: date | None,
    note: str = "",
    evidence=None,
    seen: int | None = None,
    confirm: bool = False,
    spent: int | None = None,
    confirm_spent: bool = False,
) -> StatusUpdate:
    """Record where an activity stands. ``seen`` is the id of the newest update the author saw (0
    for none); another one recorded since is a conflict. Status "done" below 100 % needs
    ``confirm``; ``spent`` (lek spent to date, optional) over ten times the activity's estimated
    cost needs ``confirm_spent``, and is never negative."""
    activity = _current_activity(activity)
    version = activity.problem.version
    if version.status != PlanVersion.Status.APPROVED:
        raise ValidationError(_("Only the activities of an approved plan are monitored."))
    newest = (
        StatusUpdate.objects.filter(activity_lineage=activity.lineage)
        .select_related("author")
        .order_by("-id")
        .first()
    )
    # With no update at all there is nothing the author has not seen (a stale or forged ``seen``).
    if seen is not None and newest is not None and newest.pk != seen:
        raise UpdateConflict(newest)
    errors: dict[str, Any] = {}
    today = timezone.localdate()
    if status not in ActivityStatus.values:
        errors["status"] = _("Choose a status.")
    if progress is None:
        errors["progress"] = _("Give the progress, from 0 to 100.")
    elif not 0 <= progress <= 100:
        errors["progress"] = _("Progress is a percentage: from 0 to 100.")
    if date is None:
        errors["date"] = _("Give the date this update is about.")
    elif date > today:
        errors["date"] = _("An update cannot be dated in the future.")
    elif date.year < version.plan.year:
        errors["date"] = _("The plan of %(year)s is monitored from 1 January %(year)s.") % {
            "year": version.plan.year
        }
    if not errors and status == ActivityStatus.NOT_STARTED and progress:
        errors["progress"] = _("An activity not started has 0% progress.")
    if (
        not errors
        and status == ActivityStatus.DONE
        and progress is not None
        and progress < 100
        and not confirm
    ):
        errors["confirm"] = _(
            "You marked the activity done at %(progress)s%%. Tick the confirmation to record it so, "
            "or correct the progress."
        ) % {"progress": progress}
    errors |= _spent_errors(activity, spent, confirm_spent)
    evidence_type = ""
    if evidence:
        try:
            evidence_type = archive_document_type(evidence)
        except ValidationError as error:
            errors["evidence"] = error.messages
    if errors:
        raise ValidationError(errors)
    assert progress is not None and date is not None  # (checked above: for the type checker)
    return StatusUpdate.objects.create(
        council=version.plan.council,
        activity_lineage=activity.lineage,
        activity=activity,
        status=status,
        progress=progress,
        note=without_control_characters(note.strip()),
        date=date,
        spent=spent,
        evidence=evidence or "",
        evidence_type=evidence_type,
        author=user,
    )


def _spent_errors(activity: Activity, spent: int | None, confirm: bool) -> dict:
    """A spent amount is whole lek, 0 or more; over ten times the estimate it is confirmed first."""
    if spent is None:
        return {}
    if not isinstance(spent, int) or spent < 0:
        return {"spent": _("An amount cannot be negative: write 0 or more.")}
    if spent_is_unusual(spent, activity.estimated_cost) and not confirm:
        return {
            "confirm_spent": _(
                "%(spent)s is over ten times the activity's estimated cost (%(cost)s). Tick the "
                "confirmation to record it so, or correct the amount."
            )
            % {"spent": format_lek(spent), "cost": format_lek(activity.estimated_cost)}
        }
    return {}


def newest_update_id(activity: Activity) -> int:
    newest = StatusUpdate.objects.filter(activity_lineage=activity.lineage).order_by("-id").first()
    return newest.pk if newest else 0


@transaction.atomic
@public_cache.invalidates
def value_record(
    *,
    indicator: Indicator,
    user: User,
    period: str,
    value: Decimal | None,
    note: str = "",
    revision: str | None = None,
    breakdown: dict | None = None,
) -> IndicatorValue:
    """Record (or correct) an indicator's value for a period of its plan's year. A correction
    carries the revision of the value it replaces; one saved meanwhile is a conflict. A split
    indicator takes a value per split (``breakdown``, plans/groups.py): ``value`` is their sum,
    computed when None, refused when it differs."""
    # Locked, as the activity for a status update: two first values of one period are recorded one
    # after the other (the second meets the first as a conflict, not as a unique-constraint error).
    indicator = (
        Indicator.objects.select_for_update(of=("self",))
        .select_related("activity__problem__version__plan__council")
        .get(pk=indicator.pk)
    )
    version = indicator.activity.problem.version
    if version.status != PlanVersion.Status.APPROVED:
        raise ValidationError(_("Only the indicators of an approved plan are monitored."))
    errors: dict[str, Any] = {}
    found = {choice.code: choice for choice in periods(indicator.frequency, version.plan.year)}
    chosen = found.get(period)
    if chosen is None:
        errors["period"] = _("Choose one of the periods of the plan's year.")
    elif chosen.start > timezone.localdate():
        errors["period"] = _("This period has not started yet.")
    try:
        parts, value = clean_breakdown(indicator.disaggregation, breakdown, value)
    except ValidationError as error:
        errors |= error.message_dict
        parts = {}
    if value is None and "value" not in errors:
        errors["value"] = _("Give the measured value.")
    if errors:
        raise ValidationError(errors)
    assert chosen is not None and value is not None  # (checked above: for the type checker)
    existing = (
        IndicatorValue.objects.select_for_update()
        .filter(indicator_lineage=indicator.lineage, period=period)
        .first()
    )
    if existing is not None:
        if revision is not None and revision != row_revision(existing):
            raise RowConflict(row_revision(existing))
        existing.value = value
        existing.breakdown = parts
        existing.note = without_control_characters(note.strip())
        existing.indicator = indicator
        existing.author = user
        existing.save()
        return existing
    if revision:  # the form was opened on a value that someone else has since removed
        raise RowConflict("")
    return IndicatorValue.objects.create(
        council=version.plan.council,
        indicator_lineage=indicator.lineage,
        indicator=indicator,
        period=period,
        period_end=chosen.end,
        value=value,
        breakdown=parts,
        note=without_control_characters(note.strip()),
        author=user,
    )


# --- monthly reports ---------------------------------------------------------------------------------


def _locked(report: MonthlyReport) -> MonthlyReport:
    return MonthlyReport.objects.select_for_update().get(pk=report.pk)


def _step(report: MonthlyReport, wanted: str, message: str) -> None:
    if wanted not in STEPS[report.status]:
        raise ReportLocked(message)


@transaction.atomic
@public_cache.invalidates
def report_start(*, council: Council, year: int, month: int) -> MonthlyReport:
    """Open the draft report of a month that has begun (one per council and month)."""
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ValidationError({"month": _("Choose a month.")})
    if date(year, month, 1) > timezone.localdate():
        raise ValidationError({"month": _("The month has not begun yet.")})
    # A monthly report monitors an approved plan: without one there is nothing to report on, and an
    # empty report approved by the chair would look like monitoring that never happened.
    if selectors.plan_in_force(council, year) is None:
        raise ValidationError(
            {
                "month": _(
                    "The council has no approved plan for %(year)s: a monthly report follows the plan "
                    "in force, so approve the plan first."
                )
                % {"year": year}
            }
        )
    # The template in force today is the report's for good: a later version applies to new reports.
    report, created = MonthlyReport.objects.get_or_create(
        council=council, year=year, month=month, defaults={"template": report_layout.in_force(council)}
    )
    if not created:
        raise ValidationError(
            {"month": _("The report of %(month)s already exists.") % {"month": month_label(year, month)}}
        )
    return report


@transaction.atomic
@public_cache.invalidates
def report_update(
    *, report: MonthlyReport, summary: str, difficulties: str, proposals: str, revision: str | None = None
) -> MonthlyReport:
    """Write the narrative of a draft or returned report."""
    report = _locked(report)
    if not report.is_editable:
        raise ReportLocked(_("Only a draft or returned report is edited."))
    if revision and revision != row_revision(report):
        raise RowConflict(row_revision(report))
    report.summary = without_control_characters(summary.strip())
    report.difficulties = without_control_characters(difficulties.strip())
    report.proposals = without_control_characters(proposals.strip())
    report.save()
    return report


@transaction.atomic
@public_cache.invalidates
def report_submit(*, report: MonthlyReport, user: User) -> MonthlyReport:
    report = _locked(report)
    _step(report, Status.SUBMITTED, _("Only a draft or returned report is submitted."))
    wanted = report_layout.narrative_kinds({"template": report_layout.snapshot(report.template)})
    if not report.summary and ReportSection.SUMMARY in wanted:
        raise ValidationError({"summary": _("Write the summary before submitting the report.")})
    report.status = Status.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = user
    report.save()
    # The chair is told at once, in this transaction (the outbox; the e-mail after the commit); the
    # SKN's notice of the last return, if any, is done.
    from .reminders import notify_report_submitted

    handoffs.withdraw_report_returned(report)
    notify_report_submitted(report)
    return report


def _report_handled(report: MonthlyReport) -> None:
    """The chair acted: the "waits for your approval" notice is done."""
    from .reminders import withdraw_report_waiting

    withdraw_report_waiting(report)


@transaction.atomic
@public_cache.invalidates
def report_return(*, report: MonthlyReport, comment: str, user: User | None = None) -> MonthlyReport:
    """The chair sends the report back to the SKN with what needs to change; the SKN and the
    technical secretary are told, with the comments."""
    report = _locked(report)
    _step(report, Status.RETURNED, _("Only a submitted report is returned."))
    if not comment.strip():
        raise ValidationError({"comment": _("Say what needs to change.")})
    report.status = Status.RETURNED
    report.returned_comment = without_control_characters(comment.strip())
    report.returned_at = timezone.now()
    report.returned_by = user
    report.save()
    _report_handled(report)
    handoffs.notify_report_returned(report)
    return report


def report_content(report: MonthlyReport, today: date | None = None) -> dict:
    """The report as the template shows it: frozen content once approved, else the live data, with
    the template version the report was opened on."""
    if report.content is not None:
        return report.content
    content = selectors.report_data(report.council, report.year, report.month, today)
    content["template"] = report_layout.snapshot(report.template)
    content["narrative"] = {
        "summary": report.summary,
        "difficulties": report.difficulties,
        "proposals": report.proposals,
    }
    return content


def render_report_pdf(report: MonthlyReport, content: dict) -> bytes:
    with translation.override(REPORT_LANGUAGE):
        return render_pdf(
            "monitoring/report_pdf.html",
            {
                "report": report,
                "council": report.council,
                "content": content,
                "sections": selectors.report_sections(content),
                "month_name": month_label(report.year, report.month),
            },
        )


@transaction.atomic
@public_cache.invalidates
def report_approve(*, report: MonthlyReport, user: User, signed_scan=None) -> MonthlyReport:
    """The chair approves: the content is frozen as it stands now, its PDF rendered and stored with
    its SHA-256. Nothing a later update does reaches it."""
    report = _locked(report)
    _step(report, Status.APPROVED, _("Only a submitted report is approved."))
    approvable = report_approvable_from(report.year, report.month)
    if timezone.localdate() < approvable:
        raise ValidationError(
            _("The report of %(month)s is approved once the month is over: from %(date)s.")
            % {
                "month": month_label(report.year, report.month),
                "date": date_format(approvable, "SHORT_DATE_FORMAT"),
            }
        )
    report.approved_at = timezone.now()
    report.approved_by = user
    content = report_content(report)
    content["approved_at"] = report.approved_at.isoformat()
    content["approved_by"] = user.full_name
    pdf = render_report_pdf(report, content)
    report.content = content
    report.status = Status.APPROVED
    if content.get("plan"):
        report.plan_version_id = content["plan"]["id"]
    report.sha256 = hashlib.sha256(pdf).hexdigest()
    report.pdf.save(
        f"raport-{report.council.slug}-{report.year}-{report.month:02d}.pdf", ContentFile(pdf), save=False
    )
    if signed_scan:
        report.signed_scan = signed_scan
    report.save()
    _report_handled(report)
    handoffs.notify_report_approved(report)
    return report


@transaction.atomic
@public_cache.invalidates
def report_publish(*, report: MonthlyReport) -> MonthlyReport:
    """The chair makes an approved report public at /<municipality>/reports/."""
    report = _locked(report)
    _step(report, Status.PUBLISHED, _("Only an approved report is published."))
    report.status = Status.PUBLISHED
    report.published_at = timezone.now()
    report.save(update_fields=["status", "published_at", "updated_at"])
    handoffs.notify_report_published(report)
    return report


@transaction.atomic
@public_cache.invalidates
def report_attach_scan(*, report: MonthlyReport, signed_scan) -> MonthlyReport:
    """Add the signed and stamped paper copy to an approved report that has none yet."""
    report = _locked(report)
    if not report.is_frozen:
        raise ReportLocked(_("The signed copy is attached to an approved report."))
    if report.signed_scan:
        raise ReportLocked(_("This report already has its signed copy."))
    report.signed_scan = signed_scan
    report.save(update_fields=["signed_scan", "updated_at"])
    return report


@transaction.atomic
@public_cache.invalidates
def compliance_comment_save(
    *,
    council: Council,
    year: int,
    text: str,
    user: User,
    revision: str | None = None,
    as_of: date | None = None,
) -> ComplianceComment | None:
    """Write (or, with an empty text, take down) the council's public comment on its compliance
    record for ``year``: a year that has begun. ``revision`` is what the form saw ("" for no
    comment yet): another save since then is a conflict, and the text typed comes back."""
    as_of = as_of or timezone.localdate()
    if not 2000 <= year <= as_of.year:
        raise ValidationError({"text": _("A comment is written for a year that has begun.")})
    text = without_control_characters(text.strip())
    if len(text) > ComplianceComment.MAX_LENGTH:
        raise ValidationError(
            {"text": _("Keep the comment to %(n)d characters.") % {"n": ComplianceComment.MAX_LENGTH}}
        )
    current = ComplianceComment.objects.select_for_update().filter(council=council, year=year).first()
    if current is not None and revision is not None and revision != row_revision(current):
        raise RowConflict(row_revision(current))
    if not text:
        if current is not None:
            current.delete()
        return None
    if current is None:
        return ComplianceComment.objects.create(council=council, year=year, text=text, author=user)
    current.text, current.author = text, user
    current.save(update_fields=["text", "author", "updated_at"])
    return current


@transaction.atomic
@public_cache.invalidates
def reminder_settings_save(*, council: Council, enabled: dict[str, bool]) -> None:
    """Switch each kind of reminder on or off for the council."""
    for kind, on in enabled.items():
        ReminderSetting.objects.update_or_create(council=council, kind=kind, defaults={"enabled": on})
