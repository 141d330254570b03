"""The year as the regulation expects it, month by month (council meetings and consultations by
half-year), for the council's working page: each expectation a ``Cell`` with where it stands.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .checks import check_plan, check_reports, report_due
from .facts import CouncilFacts
from .periods import covered, halves, is_over, measured_from, months
from .records import Code, State


@dataclass(frozen=True)
class Cell:
    """One expectation of the calendar: what the regulation asks for in a month (or a half-year)
    and where it stands."""

    # done / scheduled / missed / open / cancelled / none; approved / late / waiting / draft / missing
    state: str
    span: int = 1
    days: tuple[date, ...] = ()
    note: str = ""

    @property
    def label(self) -> str:
        return CELL_LABELS[self.state]


CELL_LABELS = {
    "done": gettext_lazy("held"),
    "scheduled": gettext_lazy("scheduled"),
    "missed": gettext_lazy("not held"),
    "open": gettext_lazy("not scheduled"),
    "cancelled": gettext_lazy("cancelled"),
    "none": gettext_lazy("not expected"),
    "approved": gettext_lazy("approved"),
    "late": gettext_lazy("done late"),
    "waiting": gettext_lazy("waiting for approval"),
    "draft": gettext_lazy("being written"),
    "missing": gettext_lazy("missing"),
}


def _meeting_cell(found: list, period: tuple[date, date], as_of: date, since: date | None) -> Cell:
    days = tuple(sorted(m.day for m in found))
    held = tuple(m.day for m in found if m.status == "held" and m.day <= as_of)
    # Never held ahead of its day: a "held" one still to come reads as scheduled.
    statuses = {"planned" if m.status == "held" and m.day > as_of else m.status for m in found}
    if held:
        return Cell("done", days=held)
    if "planned" in statuses or "announced" in statuses or "draft" in statuses:
        return Cell("scheduled", days=days)
    if since is None or not covered(period, since):
        return Cell("none")
    if "cancelled" in statuses and not is_over(period, as_of):
        return Cell("cancelled", days=days)
    return Cell("missed" if is_over(period, as_of) else "open", days=days)


def calendar_rows(facts: CouncilFacts, year: int, as_of: date) -> list[dict]:
    """The year as the regulation expects it, month by month (councils and consultations by
    half-year): for the council's working page."""
    meetings_since = measured_from(facts.first_meeting, founded=facts.founded) or as_of + timedelta(days=1)
    consultations_since = measured_from(facts.first_consultation, founded=facts.founded) or meetings_since
    skn = [
        _meeting_cell(
            [m for m in facts.meetings if m.kind == "skn" and start <= m.day <= end],
            (start, end),
            as_of,
            meetings_since,
        )
        for start, end in months(year)
    ]
    council = [
        _span(
            _meeting_cell(
                [m for m in facts.meetings if m.kind == "council" and s <= m.day <= e],
                (s, e),
                as_of,
                meetings_since,
            )
        )
        for s, e in halves(year)
    ]
    consultations = [
        _span(
            _meeting_cell(
                [c for c in facts.consultations if s <= c.day <= e and c.status != "cancelled"]
                or [c for c in facts.consultations if s <= c.day <= e],
                (s, e),
                as_of,
                consultations_since,
            )
        )
        for s, e in halves(year)
    ]
    plan = check_plan(facts, year, as_of)
    approved = plan.figures.get("approved")
    if approved:
        plan_state = "late" if plan.state == State.LATE else "approved"
    else:
        plan_state = "missing" if plan.state == State.NOT_MET else "open"
    plan_cell = Cell(
        plan_state,
        span=12,
        days=(approved,) if approved else (),
        note=date_format(plan.figures["due"], "SHORT_DATE_FORMAT") if plan.figures.get("due") else "",
    )
    reports = {r.month: r for r in facts.reports if r.year == year}
    report_check = check_reports(facts, year, as_of)
    missed_reports = {month for _year, month in report_check.figures.get("missed", [])}
    report_cells = []
    for month in range(1, 13):
        report = reports.get(month)
        if report is not None and report.status in ("approved", "published"):
            on = report.approved_on
            late = on is not None and on > report_due(year, month)
            report_cells.append(Cell("late" if late else "approved", days=(on,) if late else ()))
        elif report is not None and report.status == "submitted":
            report_cells.append(Cell("waiting"))
        elif report is not None:
            report_cells.append(Cell("draft"))
        elif month in missed_reports:
            report_cells.append(Cell("missing"))
        else:
            report_cells.append(Cell("none"))
    return [
        {"code": Code.SKN_MEETINGS, "label": _("SKN meeting"), "cells": skn},
        {"code": Code.COUNCIL_MEETINGS, "label": _("Council meeting"), "cells": council},
        {"code": Code.CONSULTATIONS, "label": _("Open consultation"), "cells": consultations},
        {"code": Code.PLAN, "label": _("The year's plan"), "cells": [plan_cell]},
        {"code": Code.REPORTS, "label": _("Monthly report"), "cells": report_cells},
    ]


def _span(cell: Cell) -> Cell:
    return Cell(cell.state, 6, cell.days, cell.note)
