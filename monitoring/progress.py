"""Pure rules of monitoring, free of the database: when an activity is overdue, and the periods an
indicator is measured in. Every rule takes an ``as_of`` date (DESIGN.md "Time")."""

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from plans.deadlines import Deadline

from .models import ActivityStatus

CLOSED = (ActivityStatus.DONE, ActivityStatus.CANCELLED)


@dataclass(frozen=True)
class Mark:
    """What the overdue rule needs of a status update."""

    date: date
    status: str


def missed_due_dates(deadline: Deadline, year: int, marks: Sequence[Mark], as_of: date) -> list[date]:
    """The due dates of an activity that passed (before ``as_of``) without what they asked for.

    A one-off deadline (a date, a period, "all year") is missed once its day has passed and the
    activity is neither done nor cancelled. A recurrence ("every 2 months") asks for an update in
    each round: a round whose last day passed with no update dated inside it is missed, however the
    activity stands otherwise — unless it was closed (done or cancelled) by then. ``marks`` are the
    activity's updates, in any order; those dated after ``as_of`` are not known yet.
    """
    known = sorted((mark for mark in marks if mark.date <= as_of), key=lambda mark: mark.date)
    if known and known[-1].status in CLOSED:
        return []
    passed = [due for due in deadline.due_dates(year) if due < as_of]
    if deadline.kind != "recurrence":
        return passed[-1:]
    missed = []
    start = date(year, 1, 1)
    for due in passed:
        standing = [mark.status for mark in known if mark.date <= due]
        closed_then = bool(standing) and standing[-1] in CLOSED  # reopened later: this round was met
        if not closed_then and not any(start <= mark.date <= due for mark in known):
            missed.append(due)
        start = due + timedelta(days=1)
    return missed


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Period:
    code: str
    end: date

    @property
    def start(self) -> date:
        year = int(self.code[:4])
        if len(self.code) == 4:
            return date(year, 1, 1)
        if self.code[5] == "Q":
            return date(year, (int(self.code[6]) - 1) * 3 + 1, 1)
        if self.code[5] == "H":
            return date(year, 1 if self.code[6] == "1" else 7, 1)
        return date(year, int(self.code[5:7]), 1)

    def __str__(self) -> str:
        return period_label(self.code)


def periods(frequency: str, year: int) -> list[Period]:
    """The periods of ``year`` an indicator measured at ``frequency`` has a value for."""
    if frequency == "monthly":
        return [Period(f"{year}-{month:02d}", month_end(year, month)) for month in range(1, 13)]
    if frequency == "quarterly":
        return [Period(f"{year}-Q{quarter}", month_end(year, quarter * 3)) for quarter in range(1, 5)]
    if frequency == "semiannual":
        return [Period(f"{year}-H1", date(year, 6, 30)), Period(f"{year}-H2", date(year, 12, 31))]
    return [Period(str(year), date(year, 12, 31))]


def period_label(code: str) -> str:
    """A period code read out: "2026-03" → "March 2026", "2026-Q1" → "1st quarter 2026"."""
    year = code[:4]
    if len(code) == 4:
        return year
    if code[5] == "Q":
        return _("quarter %(n)s of %(year)s") % {"n": code[6], "year": year}
    if code[5] == "H":
        if code[6] == "1":
            return _("first half of %(year)s") % {"year": year}
        return _("second half of %(year)s") % {"year": year}
    return date_format(date(int(year), int(code[5:7]), 1), "F Y")


def month_label(year: int, month: int) -> str:
    return date_format(date(year, month, 1), "F Y")


def report_approvable_from(year: int, month: int) -> date:
    """The first day a month's report can be approved: the first of its month. (Waiting for the
    month's end was tried and set aside: councils report a month from its own last SKN meeting,
    which is often before the month ends; the report's content is frozen at its approval.)"""
    return date(year, month, 1)
