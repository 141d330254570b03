"""The answers: each check's state (met, done late, not met, not yet due, not recorded here) with the figures
and the evidence behind it (``Check``), a council's year of them (``Record``), and the figures in a
sentence in the reader's language (``Check.summary``).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext


class State(models.TextChoices):
    MET = "met", gettext_lazy("met")
    # Done, but after its deadline: shown apart, and in the score it counts as not met.
    LATE = "late", gettext_lazy("done late")
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
        """Whether the check is in the score: it was due and recorded here. Done late counts, as
        not met."""
        return self.state in (State.MET, State.LATE, State.NOT_MET)

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
        """The share of the checks that were due and recorded here that are met, in per cent (done
        late is not met)."""
        return round(100 * self.met / self.due) if self.due else None

    def check(self, code: str) -> Check:
        return next(check for check in self.checks if check.code == code)


# --- sentences ----------------------------------------------------------------------------------------


def _month_list(pairs) -> str:
    return ", ".join(date_format(date(year, month, 1), "F") for year, month in pairs)


def _day(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _half_label(half: int) -> str:
    return _("January to June") if half == 1 else _("July to December")


def _twice_summary(figures: dict) -> str:
    if not figures.get("expected"):
        return _("%(held)d held; none expected yet.") % {"held": figures.get("held", 0)}
    text = _("%(held)d held of %(expected)d expected.") % {
        "held": figures.get("held", 0),
        "expected": figures.get("expected", 2),
    }
    if figures.get("missed"):
        halves = ", ".join(_half_label(half) for _year, half in figures["missed"])
        text += " " + _("None held in: %(halves)s.") % {"halves": halves}
    return text


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
            text += " " + _("It was due by %(date)s: done late, which counts as not met.") % {
                "date": _day(figures["due"])
            }
        return text
    return _("Not approved yet; due by %(date)s.") % {"date": _day(figures["due"])}


def _reports_summary(figures: dict) -> str:
    text = _("%(approved)d of %(due)d monthly reports approved.") % figures
    if figures.get("missed"):
        text += " " + _("Missing: %(months)s.") % {"months": _month_list(figures["missed"])}
    if figures.get("late"):
        late = ", ".join(
            _("%(month)s on %(date)s") % {"month": _month_list([(year, month)]), "date": _day(day)}
            for year, month, day in figures["late"]
        )
        text += " " + _("Done late, after the end of the following month: %(months)s.") % {"months": late}
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
