"""Regulation compliance: each council measured against the model's rhythm (DOMAIN.md "Rhythm").

Pure rules, free of the database: ``evaluate`` takes the facts a council recorded (gathered in a
fixed number of queries by ``compliance_data``), a year and an ``as_of`` date, and answers every
check with met / done late / not met / not yet due / not recorded here, the figures behind it and
the evidence. Nothing is typed in: every answer follows from meetings, consultations, plans and
reports.

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

And only what happened on time is met: a check reads the facts dated inside its period and on or
before ``as_of`` (never a meeting marked held before its start); a plan or report approved after its
deadline is "done late", which the score counts as not met.

The package, by responsibility: ``facts`` (what a council recorded, as plain data), ``records``
(the answers, and their sentences), ``periods`` (months, half-years, and from when a part counts),
``checks`` (the rules and their thresholds; ``evaluate``) and ``year_calendar`` (the year month by
month, for the working page). Every name is importable from ``monitoring.compliance`` itself.
"""

from .checks import (
    ATTENDANCE_MIN_RATE,
    CHECKS,
    CONCERN_ANSWER_DAYS,
    CONCERNS_MIN_SHARE,
    CONSULTATION_GAP_GRACE_DAYS,
    CONSULTATION_GAP_MONTHS,
    OVERDUE_MAX_SHARE,
    PLAN_DUE_AFTER_FOUNDING_DAYS,
    PLAN_DUE_MONTH_DAY,
    check_attendance,
    check_concerns,
    check_consultations,
    check_council_meetings,
    check_overdue,
    check_plan,
    check_reports,
    check_skn_meetings,
    consultation_gap_limit,
    evaluate,
    plan_due,
    report_due,
)
from .facts import (
    ConcernFact,
    ConsultationFact,
    CouncilFacts,
    MeetingFact,
    OverdueFact,
    ReportFact,
    VersionFact,
)
from .periods import (
    add_months,
    covered,
    divmod_month,
    halves,
    is_over,
    measured_from,
    month_end,
    month_starts,
    months,
)
from .records import Check, Code, Evidence, Record, State
from .year_calendar import CELL_LABELS, Cell, calendar_rows

__all__ = [
    "ATTENDANCE_MIN_RATE",
    "CELL_LABELS",
    "CHECKS",
    "CONCERNS_MIN_SHARE",
    "CONCERN_ANSWER_DAYS",
    "CONSULTATION_GAP_GRACE_DAYS",
    "CONSULTATION_GAP_MONTHS",
    "OVERDUE_MAX_SHARE",
    "PLAN_DUE_AFTER_FOUNDING_DAYS",
    "PLAN_DUE_MONTH_DAY",
    "Cell",
    "Check",
    "Code",
    "ConcernFact",
    "ConsultationFact",
    "CouncilFacts",
    "Evidence",
    "MeetingFact",
    "OverdueFact",
    "Record",
    "ReportFact",
    "State",
    "VersionFact",
    "add_months",
    "calendar_rows",
    "check_attendance",
    "check_concerns",
    "check_consultations",
    "check_council_meetings",
    "check_overdue",
    "check_plan",
    "check_reports",
    "check_skn_meetings",
    "consultation_gap_limit",
    "covered",
    "divmod_month",
    "evaluate",
    "halves",
    "is_over",
    "measured_from",
    "month_end",
    "month_starts",
    "months",
    "plan_due",
    "report_due",
]
