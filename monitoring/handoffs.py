"""The monthly report's hand-off notices (kvsp/notify): whom the report reaches at each step.

- submitted: the chair, with a link to the approval page (``report_waiting`` in
  monitoring/reminders.py, which the daily sweep also repeats while the report waits);
- returned, with the chair's comments: the SKN and the technical secretary (``report_returned``);
- approved, then published: the SKN and the technical secretary (``report_approved``).

Each is given inside the step's transaction (the e-mail leaves after the commit), in the recipient's
language. The key carries the time of the step, so a report returned twice gives two notices. A
notice that asked for something is withdrawn once it is done: the chair's "waits for your approval"
when the chair approves or returns, the SKN's "returned" when the report is submitted again.
"""

from datetime import datetime

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from councils.models import SKN_ROLES, Council, Role
from councils.selectors import users_with_roles
from kvsp.notify import kinds
from kvsp.notify import services as notify
from kvsp.notify.keys import stamp

from .models import MonthlyReport
from .progress import month_label
from .reminder_kinds import Reminder


class Handoff(models.TextChoices):
    REPORT_RETURNED = "report_returned", gettext_lazy("Monthly report returned by the chair")
    REPORT_APPROVED = "report_approved", gettext_lazy("Monthly report approved or published")


def register() -> None:
    kinds.register(
        *(kinds.Kind(handoff.value, handoff.label, reminder=False, handoff=True) for handoff in Handoff)
    )


def _day(moment: datetime) -> str:
    return date_format(timezone.localtime(moment).date(), "SHORT_DATE_FORMAT")


def _report_url(report: MonthlyReport, council: Council) -> str:
    return reverse("monitoring:report", args=[council.municipality.slug, report.year, report.month])


def _skn_and_secretary(report: MonthlyReport) -> tuple[Council, list]:
    council = Council.objects.select_related("municipality").get(pk=report.council_id)
    return council, users_with_roles(council, Role.SECRETARY, *SKN_ROLES)


def _notify(report: MonthlyReport, kind: str, key: str, render) -> int:
    council, users = _skn_and_secretary(report)
    return notify.notify(
        notify.Pending(user=user, kind=kind, key=f"{kind}:{report.pk}:{key}", render=render(council))
        for user in users
    )


def notify_report_returned(report: MonthlyReport) -> int:
    """The chair returned the report: the SKN and the secretary, with the chair's comments."""
    chair = report.returned_by.full_name if report.returned_by else ""

    def render(council):
        return lambda: {
            "subject": _("The chair returned the monitoring report of %(month)s")
            % {"month": month_label(report.year, report.month)},
            "lines": [
                _("%(name)s returned it with these comments (%(council)s):")
                % {"name": chair or _("The chair"), "council": council},
                report.returned_comment,
                _("Correct the report and submit it again."),
            ],
            "url": _report_url(report, council),
            "action": _("Open the report"),
        }

    return _notify(report, Handoff.REPORT_RETURNED, stamp(report.returned_at), render)


def notify_report_approved(report: MonthlyReport) -> int:
    """The chair approved the report: the SKN and the secretary."""
    chair = report.approved_by.full_name if report.approved_by else ""
    assert report.approved_at is not None

    def render(council):
        return lambda: {
            "subject": _("The monitoring report of %(month)s was approved")
            % {"month": month_label(report.year, report.month)},
            "lines": [
                _("%(name)s approved it on %(date)s (%(council)s). Its PDF is stored and never changes.")
                % {"name": chair or _("The chair"), "date": _day(report.approved_at), "council": council}
            ],
            "url": _report_url(report, council),
            "action": _("Open the report"),
        }

    return _notify(report, Handoff.REPORT_APPROVED, stamp(report.approved_at), render)


def notify_report_published(report: MonthlyReport) -> int:
    """The chair published the approved report: the SKN and the secretary."""

    def render(council):
        return lambda: {
            "subject": _("The monitoring report of %(month)s is published")
            % {"month": month_label(report.year, report.month)},
            "lines": [
                _("Anyone can read it on the council's public page (%(council)s).") % {"council": council}
            ],
            "url": _report_url(report, council),
            "action": _("Open the report"),
        }

    return _notify(report, Handoff.REPORT_APPROVED, f"published:{stamp(report.published_at)}", render)


def withdraw_report_returned(report: MonthlyReport) -> int:
    """The report was submitted again: the "returned" notice is done."""
    return notify.withdraw(f"{Handoff.REPORT_RETURNED}:{report.pk}:")


def withdraw_all(report: MonthlyReport) -> None:
    """Every notice of the report marked done (the demo's past reports, handled long ago)."""
    for kind in (Reminder.REPORT_WAITING, *Handoff):
        notify.withdraw(f"{kind}:{report.pk}:")
