"""Monitoring's sections of the SKN's summary after each of its meetings
(councils/meetings/skn_summary.py, registered from MonitoringConfig.ready): the activities whose
status changed since the previous SKN meeting, and the monthly reports that wait for someone."""

from datetime import datetime

from django.utils.translation import gettext as _

from councils.meetings.skn_summary import SummarySection
from councils.models import Council

from .models import MonthlyReport, StatusUpdate
from .progress import month_label


def status_changes(council: Council, since: datetime | None, until: datetime) -> list[SummarySection]:
    """Each activity whose status was updated since ``since`` (the previous SKN meeting; None: ever)
    up to ``until``: where it stands now, by its latest update in that time."""
    updates = StatusUpdate.objects.filter(council=council, created_at__lte=until)
    if since is not None:
        updates = updates.filter(created_at__gt=since)
    latest: dict = {}
    for update in updates.select_related("activity").order_by("created_at", "id"):
        latest[update.activity_lineage] = update
    section = SummarySection(
        _("Activities whose status changed since the previous SKN meeting"),
        empty=_("No activity's status changed since the previous SKN meeting."),
    )
    for update in sorted(latest.values(), key=lambda u: u.activity.text):
        section.lines.append(
            _("%(activity)s: %(status)s, %(progress)s%% done")
            % {
                "activity": update.activity,
                "status": update.get_status_display(),
                "progress": update.progress,
            }
        )
    return [section]


def reports_waiting(council: Council, since: datetime | None, until: datetime) -> list[SummarySection]:
    """The monthly reports that wait for the chair's approval or for the SKN's corrections."""
    lines = []
    for report in MonthlyReport.objects.filter(
        council=council, status__in=(MonthlyReport.Status.SUBMITTED, MonthlyReport.Status.RETURNED)
    ).order_by("year", "month"):
        month = month_label(report.year, report.month)
        if report.status == MonthlyReport.Status.SUBMITTED:
            lines.append(_("The chair: to approve the monitoring report of %(month)s.") % {"month": month})
        else:
            lines.append(_("The SKN: to correct the monitoring report of %(month)s.") % {"month": month})
    if not lines:
        return []
    return [SummarySection(_("Monitoring reports waiting"), lines)]
