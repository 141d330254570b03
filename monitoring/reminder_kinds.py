"""The monitoring app's kinds of reminder and their wording, registered with kvsp/notify from
``MonitoringConfig.ready()`` (kvsp/notify/kinds.py): the preferences page and the council's
reminder settings list them in this order."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kvsp.notify import kinds


class Reminder(models.TextChoices):
    MEETING_SOON = "meeting_soon", _("Meeting in 7 days or tomorrow")
    ACTIVITY_DUE = "activity_due", _("Activity deadline in 14 or 3 days")
    ACTIVITY_OVERDUE = "activity_overdue", _("Overdue activities (weekly)")
    SKN_NOT_SCHEDULED = "skn_not_scheduled", _("SKN meeting not scheduled by the 20th")
    REPORT_DUE = "report_due", _("Monthly report due")
    REPORT_WAITING = "report_waiting", _("Report waiting for the chair's approval")
    CONSULTATION_DUE = "consultation_due", _("Open consultation due")
    COUNCIL_MEETING_DUE = "council_meeting_due", _("Council meeting due")
    PLAN_NOT_APPROVED = "plan_not_approved", _("Plan of the year not approved by 31 January")


def register() -> None:
    kinds.register(*(kinds.Kind(reminder.value, reminder.label) for reminder in Reminder))
