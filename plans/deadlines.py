"""Deadlines as the plans write them — a date, a period ("first 6 months", a quarter), a recurrence
("every 2 months") or "all year" — kept as data and read out in natural Albanian or English."""

import calendar
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

KINDS = ("date", "period", "recurrence", "all_year")

# Months each period covers.
PERIOD_MONTHS = {"h1": (1, 6), "h2": (7, 12), "q1": (1, 3), "q2": (4, 6), "q3": (7, 9), "q4": (10, 12)}


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Deadline:
    kind: str
    day: date | None = None
    period: str = ""
    every_months: int | None = None

    def __str__(self) -> str:
        if self.kind == "date" and self.day:
            return _("by %(date)s") % {"date": date_format(self.day, "SHORT_DATE_FORMAT")}
        if self.kind == "period":
            return {
                "h1": _("in the first six months"),
                "h2": _("in the second six months"),
                "q1": _("in the first quarter"),
                "q2": _("in the second quarter"),
                "q3": _("in the third quarter"),
                "q4": _("in the fourth quarter"),
            }.get(self.period, "")
        if self.kind == "recurrence" and self.every_months:
            if self.every_months == 1:
                return _("every month")
            return ngettext("every %(n)d month", "every %(n)d months", self.every_months) % {
                "n": self.every_months
            }
        if self.kind == "all_year":
            return _("all year")
        return ""

    def due_dates(self, year: int) -> list[date]:
        """The days by which the activity (or each round of a recurring one) should be done in
        ``year``: what the overdue rules of monitoring check."""
        if self.kind == "date" and self.day:
            return [self.day]
        if self.kind == "period" and self.period in PERIOD_MONTHS:
            return [_month_end(year, PERIOD_MONTHS[self.period][1])]
        if self.kind == "recurrence" and self.every_months:
            return [_month_end(year, month) for month in range(self.every_months, 13, self.every_months)]
        if self.kind == "all_year":
            return [date(year, 12, 31)]
        return []


def clean_deadline(fields: dict, *, required: bool) -> tuple[dict, dict]:
    """The deadline fields of a row or an activity checked: (the values to store, the errors by
    field). Without a kind: no deadline, which is an error only when ``required``."""
    kind = fields.get("deadline_kind") or ""
    clean = {
        "deadline_kind": kind,
        "deadline_date": None,
        "deadline_period": "",
        "deadline_every_months": None,
    }
    errors = {}
    if kind == "date":
        if not fields.get("deadline_date"):
            errors["deadline_date"] = _("Give the date.")
        clean["deadline_date"] = fields.get("deadline_date")
    elif kind == "period":
        if fields.get("deadline_period") not in PERIOD_MONTHS:
            errors["deadline_period"] = _("Choose the period.")
        clean["deadline_period"] = fields.get("deadline_period") or ""
    elif kind == "recurrence":
        every = fields.get("deadline_every_months")
        if not every or not 1 <= every <= 12:
            errors["deadline_every_months"] = _("Say every how many months (1 to 12).")
        clean["deadline_every_months"] = every
    elif kind == "" and required:
        errors["deadline_kind"] = _("Give the deadline here or on the problem's row.")
    elif kind not in KINDS and kind != "":
        errors["deadline_kind"] = _("Choose the kind of deadline.")
    return clean, errors
