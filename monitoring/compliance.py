"""Regulation compliance: each council measured against the model's rhythm (DOMAIN.md "Rhythm").

Pure rules, free of the database: ``evaluate`` takes the facts a council recorded (gathered in a
fixed number of queries by ``compliance_data``), a year and an ``as_of`` date, and answers every
check with met / not met / not yet due / not recorded here, the figures behind it and the evidence.
Nothing is typed in: every answer follows from meetings, consultations, plans and reports.

Fairness, in three rules that the public methodology page explains:

- A council is not failing a part of the model it does not yet keep in KVSP. Each part starts on
  the first fact recorded for it: meetings (council, SKN, attendance) on the first meeting of any
  kind; consultations (and citizens' concerns) on the first consultation; the plan (and its
  activities) on the first plan's year or the first council meeting, since a plan is approved at
  one; monthly reports on the first report or the first plan approved here. Before that start (or
  with no start at all) a check is "not recorded here".
- A council established during the year is measured from its founding decision.
- A month or half-year counts when the council existed (and kept that part here) for at least half
  of it; a period counts once it is over ("not yet due" before).
"""

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# The thresholds of the checks; the methodology page quotes them.
ATTENDANCE_MIN_RATE = 50  # per cent of the year's council meetings, for every member institution
OVERDUE_MAX_SHARE = 25  # per cent of the plan's activities (cancelled ones aside)
CONCERNS_MIN_SHARE = 80  # per cent of the concerns raised 60 days ago or more
CONCERN_ANSWER_DAYS = 60  # the SKN's time to decide what becomes of a concern
CONSULTATION_GAP_MONTHS = 6  # "every 6 months" ...
CONSULTATION_GAP_GRACE_DAYS = 14  # ... give or take two weeks
PLAN_DUE_MONTH_DAY = (1, 31)  # the year's plan is approved by 31 January
PLAN_DUE_AFTER_FOUNDING_DAYS = 90  # ... or within 90 days of a founding later in January or after


class State(models.TextChoices):
    MET = "met", gettext_lazy("met")
    NOT_MET = "not_met", gettext_lazy("not met")
    NOT_DUE = "not_due", gettext_lazy("not yet due")
    NOT_RECORDED = "not_recorded", gettext_lazy("not recorded here")


class Code(models.TextChoices):
    COUNCIL_MEETINGS = "council_meetings", gettext_lazy("Council meetings")
    SKN_MEETINGS = "skn_meetings", gettext_lazy("Monthly SKN meetings")
    CONSULTATIONS = "consultations", gettext_lazy("Open consultations")
    PLAN = "plan", gettext_lazy("Plan approved and published")
    REPORTS = "reports", gettext_lazy("Monthly reports approved")
    ATTENDANCE = "attendance", gettext_lazy("Attendance of member institutions")
    OVERDUE = "overdue", gettext_lazy("Plan activities on time")
    CONCERNS = "concerns", gettext_lazy("Citizens' concerns with an outcome")


# --- the facts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingFact:
    pk: int
    kind: str  # "council" (ordinary or extraordinary) or "skn"
    day: date  # in Europe/Tirane
    status: str  # planned / held / cancelled
    public: bool = False


@dataclass(frozen=True)
class ConsultationFact:
    pk: int
    day: date
    status: str  # draft / announced / held / cancelled
    public: bool = False


@dataclass(frozen=True)
class VersionFact:
    """An approved plan version."""

    year: int
    number: int
    decision_date: date
    meeting_id: int | None
    pk: int | None = None


@dataclass(frozen=True)
class ReportFact:
    year: int
    month: int
    status: str  # draft / submitted / returned / approved / published
    approved_on: date | None = None


@dataclass(frozen=True)
class OverdueFact:
    """The standing of the plan in force at a year's end (or on ``as_of`` during the year)."""

    number: int  # the plan version
    total: int  # activities, cancelled ones aside
    overdue: int


@dataclass(frozen=True)
class ConcernFact:
    day: date  # the consultation's day, or when it was raised online
    answered: bool  # published, and its problem has an outcome other than "pending"


@dataclass
class CouncilFacts:
    """What a council recorded, as plain data (kept in the cache as it is)."""

    council_id: int
    slug: str
    name: str
    county: str
    county_slug: str
    status: str
    founded: date | None = None
    first_meeting: date | None = None
    first_council_meeting: date | None = None
    first_consultation: date | None = None
    first_plan_year: int | None = None
    first_report: date | None = None
    first_approval: date | None = None
    meetings: list[MeetingFact] = field(default_factory=list)
    consultations: list[ConsultationFact] = field(default_factory=list)
    versions: list[VersionFact] = field(default_factory=list)
    reports: list[ReportFact] = field(default_factory=list)
    # held council meeting id -> {institution id: whether it was there (present or represented)},
    # for the institutions whose attendance was recorded.
    attendance: dict[int, dict[int, bool]] = field(default_factory=dict)
    institutions: dict[int, str] = field(default_factory=dict)  # id -> name, of those recorded
    overdue: dict[int, OverdueFact] = field(default_factory=dict)  # by year
    concerns: list[ConcernFact] = field(default_factory=list)
    comments: dict[int, str] = field(default_factory=dict)  # by year: the council's public comment


# --- the answers -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """A recorded fact a check rests on; the views turn it into a link for their audience."""

    kind: str  # meeting / consultation / plan / report
    day: date | None = None
    pk: int | None = None
    public: bool = False
    year: int | None = None
    number: int | None = None  # plan version
    month: int | None = None  # report


@dataclass(frozen=True)
class Check:
    code: str
    state: str
    figures: dict = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()

    @property
    def label(self) -> str:
        return Code(self.code).label

    @property
    def state_label(self) -> str:
        return State(self.state).label

    @property
    def is_met(self) -> bool:
        return self.state == State.MET

    @property
    def counts(self) -> bool:
        """Whether the check is in the score: it was due and recorded here."""
        return self.state in (State.MET, State.NOT_MET)

    @property
    def summary(self) -> str:
        """The figures in a sentence, in the reader's language."""
        if self.state == State.NOT_RECORDED:
            return ""
        if not self.figures:  # a year that has not begun
            return _("Nothing is due yet.")
        return _SUMMARIES[self.code](self.figures)


@dataclass(frozen=True)
class Record:
    council_id: int
    year: int
    as_of: date
    checks: tuple[Check, ...]
    comment: str = ""

    @property
    def met(self) -> int:
        return sum(check.is_met for check in self.checks)

    @property
    def due(self) -> int:
        return sum(check.counts for check in self.checks)

    @property
    def score(self) -> int | None:
        """The share of the checks that were due and recorded here that are met, in per cent."""
        return round(100 * self.met / self.due) if self.due else None

    def check(self, code: str) -> Check:
        return next(check for check in self.checks if check.code == code)


# --- dates -------------------------------------------------------------------------------------------


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def halves(year: int) -> list[tuple[date, date]]:
    return [(date(year, 1, 1), date(year, 6, 30)), (date(year, 7, 1), date(year, 12, 31))]


def months(year: int) -> list[tuple[date, date]]:
    return [(date(year, month, 1), month_end(year, month)) for month in range(1, 13)]


def month_starts(year: int) -> list[date]:
    return [date(year, month, 1) for month in range(1, 13)]


def covered(period: tuple[date, date], since: date) -> bool:
    """A period counts when the council existed, and kept that part here, for at least half of it
    (counted in whole days: 15 of April's 30 are half)."""
    start, end = period
    if since <= start:
        return True
    existed = (end - since).days + 1
    return 2 * existed >= (end - start).days + 1


def is_over(period: tuple[date, date], as_of: date) -> bool:
    return period[1] < as_of


def _since(*starts: date | None, founded: date | None) -> date | None:
    """When a part is measured from: its first recorded fact, or the founding if that is later."""
    known = [start for start in starts if start is not None]
    if not known:
        return None
    first = min(known)
    return max(first, founded) if founded else first


def plan_due(year: int, founded: date | None) -> date:
    due = date(year, *PLAN_DUE_MONTH_DAY)
    if founded is not None and founded.year == year and founded > date(year, 1, 1):
        due = max(due, founded + timedelta(days=PLAN_DUE_AFTER_FOUNDING_DAYS))
    return due


def consultation_gap_limit(after: date) -> date:
    """The last day the next consultation may take place after one on ``after``."""
    return add_months(after, CONSULTATION_GAP_MONTHS) + timedelta(days=CONSULTATION_GAP_GRACE_DAYS)


# --- the checks ------------------------------------------------------------------------------------------


def _held(facts: CouncilFacts, kind: str, year: int, as_of: date) -> list[MeetingFact]:
    return [
        m
        for m in facts.meetings
        if m.kind == kind and m.status == "held" and m.day.year == year and m.day <= as_of
    ]


def _meeting_evidence(meetings: Iterable[MeetingFact]) -> tuple[Evidence, ...]:
    return tuple(Evidence("meeting", m.day, m.pk, m.public) for m in meetings)


def _twice_a_year(code, held: list, since: date | None, year: int, as_of: date, evidence) -> Check:
    """At least one by the end of each half-year that counts: two a year."""
    if since is None or since > date(year, 12, 31):
        return Check(code, State.NOT_RECORDED)
    counted = [half for half in halves(year) if covered(half, since)]
    if not counted:
        return Check(code, State.NOT_DUE, {"held": len(held), "expected": 0}, evidence)
    held = [item for item in held if item.day >= counted[0][0]]  # within the halves that count
    required = sum(is_over(half, as_of) for half in counted)
    figures = {"held": len(held), "expected": len(counted)}
    if required == 0:
        state = State.MET if len(held) >= len(counted) else State.NOT_DUE
    else:
        state = State.MET if len(held) >= required else State.NOT_MET
    return Check(code, state, figures, evidence)


def check_council_meetings(facts: CouncilFacts, year: int, as_of: date) -> Check:
    """At least two council meetings a year (one by the end of June, the second by December);
    a cancelled or merely planned meeting does not count."""
    held = _held(facts, "council", year, as_of)
    since = _since(facts.first_meeting, founded=facts.founded)
    return _twice_a_year(Code.COUNCIL_MEETINGS, held, since, year, as_of, _meeting_evidence(held))


def check_skn_meetings(facts: CouncilFacts, year: int, as_of: date) -> Check:
    """An SKN meeting held in every month that is over."""
    since = _since(facts.first_meeting, founded=facts.founded)
    if since is None or since > date(year, 12, 31):
        return Check(Code.SKN_MEETINGS, State.NOT_RECORDED)
    held = _held(facts, "skn", year, as_of)
    held_months = {m.day.month for m in held}
    due = [start.month for start, end in months(year) if covered((start, end), since) and end < as_of]
    missed = [month for month in due if month not in held_months]
    figures = {"held": len(due) - len(missed), "due": len(due), "missed": [(year, m) for m in missed]}
    evidence = _meeting_evidence(held)
    if not due:
        return Check(Code.SKN_MEETINGS, State.NOT_DUE, figures, evidence)
    return Check(Code.SKN_MEETINGS, State.NOT_MET if missed else State.MET, figures, evidence)


def check_consultations(facts: CouncilFacts, year: int, as_of: date) -> Check:
    """Two open consultations a year, no more than about six months apart: a consultation later
    than six months and two weeks after the one before breaks the rhythm, as does (while the year
    runs) no consultation for longer than that."""
    since = _since(facts.first_consultation, founded=facts.founded)
    held_all = sorted(c.day for c in facts.consultations if c.status == "held" and c.day <= as_of)
    held = [c for c in facts.consultations if c.status == "held" and c.day.year == year and c.day <= as_of]
    evidence = tuple(
        Evidence("consultation", c.day, c.pk, c.public) for c in sorted(held, key=lambda c: c.day)
    )
    result = _twice_a_year(Code.CONSULTATIONS, held, since, year, as_of, evidence)
    if result.state == State.NOT_RECORDED:
        return result
    gaps = [
        (before, after)
        for before, after in pairwise(held_all)
        if after.year == year and after > consultation_gap_limit(before)
    ]
    if as_of <= date(year, 12, 31) and held_all and as_of > consultation_gap_limit(held_all[-1]):
        gaps.append((held_all[-1], None))  # none since, for too long
    figures = {**result.figures, "gaps": gaps}
    state = State.NOT_MET if gaps else result.state
    return Check(Code.CONSULTATIONS, state, figures, result.evidence)


def check_plan(facts: CouncilFacts, year: int, as_of: date) -> Check:
    """The year's plan approved at a council meeting (which publishes it), by 31 January."""
    since = _since(
        date(facts.first_plan_year, 1, 1) if facts.first_plan_year else None,
        facts.first_council_meeting,
        founded=facts.founded,
    )
    due = plan_due(year, facts.founded)
    if since is None or since > due:
        return Check(Code.PLAN, State.NOT_RECORDED)
    approved = sorted(
        (v for v in facts.versions if v.year == year and v.decision_date <= as_of), key=lambda v: v.number
    )
    at_meeting = [v for v in approved if v.meeting_id is not None]
    evidence = tuple(
        Evidence("plan", v.decision_date, year=v.year, number=v.number, public=True) for v in approved
    )
    figures = {"due": due, "approved": at_meeting[0].decision_date if at_meeting else None}
    if at_meeting:
        figures["late"] = at_meeting[0].decision_date > due
        return Check(Code.PLAN, State.MET, figures, evidence)
    if due < as_of or approved:
        return Check(Code.PLAN, State.NOT_MET, figures, evidence)
    return Check(Code.PLAN, State.NOT_DUE, figures, evidence)


def check_reports(facts: CouncilFacts, year: int, as_of: date) -> Check:
    """A monthly report approved by the chair for every month a plan of the year was in force; a
    month's report is due by the end of the following month."""
    since = _since(facts.first_report, facts.first_approval, founded=facts.founded)
    if since is None or since > date(year, 12, 31):
        return Check(Code.REPORTS, State.NOT_RECORDED)
    decisions = [v.decision_date for v in facts.versions if v.year == year and v.decision_date <= as_of]
    approved = {
        r.month: r
        for r in facts.reports
        if r.year == year and r.approved_on is not None and r.approved_on <= as_of
    }
    expected = [
        start.month
        for start, end in months(year)
        if covered((start, end), since)
        and any(decided <= end for decided in decisions)
        and month_end(*divmod_month(year, start.month + 1)) < as_of
    ]
    missed = [month for month in expected if month not in approved]
    evidence = tuple(
        Evidence("report", year=year, month=month, public=approved[month].status == "published")
        for month in sorted(approved)
    )
    figures = {
        "approved": len(expected) - len(missed),
        "due": len(expected),
        "missed": [(year, m) for m in missed],
    }
    if not expected:
        return Check(Code.REPORTS, State.NOT_DUE, figures, evidence)
    return Check(Code.REPORTS, State.NOT_MET if missed else State.MET, figures, evidence)


def divmod_month(year: int, month: int) -> tuple[int, int]:
    """(year, month) of a month number that may run past December."""
    return year + (month - 1) // 12, (month - 1) % 12 + 1


def check_attendance(facts: CouncilFacts, year: int, as_of: date) -> Check:
    """Every member institution at half or more of the year's held council meetings (present or
    represented by a deputy), out of the meetings where its attendance was recorded: the rate the
    meetings page shows (councils.meetings.selectors.attendance_rates)."""
    since = _since(facts.first_meeting, founded=facts.founded)
    if since is None or since > date(year, 12, 31):
        return Check(Code.ATTENDANCE, State.NOT_RECORDED)
    meetings = [m for m in _held(facts, "council", year, as_of) if m.pk in facts.attendance]
    recorded, there = defaultdict(int), defaultdict(int)
    for meeting in meetings:
        for institution, attended in facts.attendance[meeting.pk].items():
            recorded[institution] += 1
            there[institution] += attended
    rates = {institution: round(100 * there[institution] / count) for institution, count in recorded.items()}
    below = sorted(
        (rate, facts.institutions.get(institution, ""))
        for institution, rate in rates.items()
        if rate < ATTENDANCE_MIN_RATE
    )
    figures = {"institutions": len(rates), "below": [(name, rate) for rate, name in below]}
    if not rates:
        return Check(Code.ATTENDANCE, State.NOT_DUE, figures)
    return Check(Code.ATTENDANCE, State.NOT_MET if below else State.MET, figures)


def check_overdue(facts: CouncilFacts, year: int, as_of: date) -> Check:
    """At most a quarter of the plan's activities overdue (monitoring/progress.py), at the year's
    end or, during the year, on ``as_of``."""
    since = _since(
        date(facts.first_plan_year, 1, 1) if facts.first_plan_year else None,
        facts.first_council_meeting,
        founded=facts.founded,
    )
    if since is None or since > date(year, 12, 31):
        return Check(Code.OVERDUE, State.NOT_RECORDED)
    standing = facts.overdue.get(year)
    if standing is None or standing.total == 0:
        return Check(Code.OVERDUE, State.NOT_DUE, {"total": 0, "overdue": 0, "share": 0})
    share = round(100 * standing.overdue / standing.total)
    figures = {"total": standing.total, "overdue": standing.overdue, "share": share}
    evidence = (Evidence("plan", year=year, number=standing.number, public=True),)
    within = 100 * standing.overdue <= OVERDUE_MAX_SHARE * standing.total  # exact, not the rounded share
    state = State.MET if within else State.NOT_MET
    return Check(Code.OVERDUE, state, figures, evidence)


def check_concerns(facts: CouncilFacts, year: int, as_of: date) -> Check:
    """Four in five of the year's concerns raised 60 days ago or more (waiting for moderation or
    published; not those set aside or merged into another) have an outcome decided by the SKN."""
    since = _since(facts.first_consultation, founded=facts.founded)
    if since is None or since > date(year, 12, 31):
        return Check(Code.CONCERNS, State.NOT_RECORDED)
    cutoff = as_of - timedelta(days=CONCERN_ANSWER_DAYS)
    due = [c for c in facts.concerns if c.day.year == year and c.day <= cutoff]
    answered = sum(c.answered for c in due)
    share = round(100 * answered / len(due)) if due else 0
    figures = {"due": len(due), "answered": answered, "share": share}
    if not due:
        return Check(Code.CONCERNS, State.NOT_DUE, figures)
    enough = 100 * answered >= CONCERNS_MIN_SHARE * len(due)  # exact, not the rounded share
    return Check(Code.CONCERNS, State.MET if enough else State.NOT_MET, figures)


CHECKS = (
    check_council_meetings,
    check_skn_meetings,
    check_consultations,
    check_plan,
    check_reports,
    check_attendance,
    check_overdue,
    check_concerns,
)


def evaluate(facts: CouncilFacts, year: int, as_of: date) -> Record:
    """Every check of a council's year, as the facts stood on ``as_of``. A year that has not begun
    is not yet due throughout."""
    if as_of < date(year, 1, 1):
        checks = tuple(Check(code, State.NOT_DUE) for code in Code.values)
    else:
        checks = tuple(check(facts, year, as_of) for check in CHECKS)
    return Record(facts.council_id, year, as_of, checks, facts.comments.get(year, ""))


# --- the yearly calendar -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One expectation of the calendar: what the regulation asks for in a month (or a half-year)
    and where it stands."""

    state: str  # done / scheduled / missed / open / cancelled / none
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
    "waiting": gettext_lazy("waiting for approval"),
    "draft": gettext_lazy("being written"),
    "missing": gettext_lazy("missing"),
}


def _meeting_cell(found: list, period: tuple[date, date], as_of: date, since: date | None) -> Cell:
    days = tuple(sorted(m.day for m in found))
    statuses = {m.status for m in found}
    if "held" in statuses:
        return Cell("done", days=tuple(m.day for m in found if m.status == "held"))
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
    meetings_since = _since(facts.first_meeting, founded=facts.founded) or as_of + timedelta(days=1)
    consultations_since = _since(facts.first_consultation, founded=facts.founded) or meetings_since
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
    plan_cell = Cell(
        "approved" if approved else ("missing" if plan.state == State.NOT_MET else "open"),
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
            report_cells.append(Cell("approved"))
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


# --- sentences ----------------------------------------------------------------------------------------


def _month_list(pairs) -> str:
    return ", ".join(date_format(date(year, month, 1), "F") for year, month in pairs)


def _day(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _twice_summary(figures: dict) -> str:
    if not figures.get("expected"):
        return _("%(held)d held; none expected yet.") % {"held": figures.get("held", 0)}
    return _("%(held)d held of %(expected)d expected.") % {
        "held": figures.get("held", 0),
        "expected": figures.get("expected", 2),
    }


def _consultations_summary(figures: dict) -> str:
    text = _twice_summary(figures)
    for before, after in figures.get("gaps", []):
        if after is None:
            text += " " + _("None since %(date)s: more than six months.") % {"date": _day(before)}
        else:
            text += " " + _("%(before)s to %(after)s: more than six months apart.") % {
                "before": _day(before),
                "after": _day(after),
            }
    return text


def _skn_summary(figures: dict) -> str:
    text = _("%(held)d of %(due)d months with a meeting.") % figures
    if figures.get("missed"):
        text += " " + _("None in: %(months)s.") % {"months": _month_list(figures["missed"])}
    return text


def _plan_summary(figures: dict) -> str:
    if figures.get("approved"):
        text = _("Approved at a council meeting on %(date)s.") % {"date": _day(figures["approved"])}
        if figures.get("late"):
            text += " " + _("Due by %(date)s.") % {"date": _day(figures["due"])}
        return text
    return _("Not approved yet; due by %(date)s.") % {"date": _day(figures["due"])}


def _reports_summary(figures: dict) -> str:
    text = _("%(approved)d of %(due)d monthly reports approved.") % figures
    if figures.get("missed"):
        text += " " + _("Missing: %(months)s.") % {"months": _month_list(figures["missed"])}
    return text


def _attendance_summary(figures: dict) -> str:
    if not figures.get("institutions"):
        return _("No council meeting with recorded attendance yet.")
    if not figures.get("below"):
        return ngettext(
            "The member institution attended at least half of the meetings.",
            "All %(n)d member institutions attended at least half of the meetings.",
            figures["institutions"],
        ) % {"n": figures["institutions"]}
    below = ", ".join(f"{name} ({rate}%)" for name, rate in figures["below"])
    return _("Below half of the meetings: %(institutions)s.") % {"institutions": below}


def _overdue_summary(figures: dict) -> str:
    if not figures.get("total"):
        return _("No plan in force with activities.")
    return _("%(overdue)d of %(total)d activities overdue (%(share)d%%).") % figures


def _concerns_summary(figures: dict) -> str:
    if not figures.get("due"):
        return _("No concern raised 60 days ago or more.")
    return _("%(answered)d of %(due)d concerns have an outcome (%(share)d%%).") % figures


_SUMMARIES = {
    Code.COUNCIL_MEETINGS: _twice_summary,
    Code.SKN_MEETINGS: _skn_summary,
    Code.CONSULTATIONS: _consultations_summary,
    Code.PLAN: _plan_summary,
    Code.REPORTS: _reports_summary,
    Code.ATTENDANCE: _attendance_summary,
    Code.OVERDUE: _overdue_summary,
    Code.CONCERNS: _concerns_summary,
}
