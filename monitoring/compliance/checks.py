"""The rules, free of the database: each check takes a council's facts, a year and an ``as_of``
date and answers met / done late / not met / not yet due / not recorded here (``evaluate``: all of
them). The thresholds are here; the methodology page quotes them.

Only what happened on time is met. A check reads only the facts dated inside its period and on or
before ``as_of``: a meeting or consultation held (its status says so and its day has come; the
facts never hold a future one as held, see compliance_data), a plan or a report approved. A plan or
a report approved after its deadline is "done late", which the score counts as not met; a half-year
without its own council meeting is not made up by one held later.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from itertools import pairwise

from .facts import CouncilFacts, MeetingFact
from .periods import add_months, covered, divmod_month, halves, is_over, measured_from, month_end, months
from .records import Check, Code, Evidence, Record, State

# The thresholds of the checks; the methodology page quotes them.
ATTENDANCE_MIN_RATE = 50  # per cent of the year's council meetings, for every member institution
OVERDUE_MAX_SHARE = 25  # per cent of the plan's activities (cancelled ones aside)
CONCERNS_MIN_SHARE = 80  # per cent of the concerns raised 60 days ago or more
CONCERN_ANSWER_DAYS = 60  # the SKN's time to decide what becomes of a concern
CONSULTATION_GAP_MONTHS = 6  # "every 6 months" ...
CONSULTATION_GAP_GRACE_DAYS = 14  # ... give or take two weeks
PLAN_DUE_MONTH_DAY = (1, 31)  # the year's plan is approved by 31 January
PLAN_DUE_AFTER_FOUNDING_DAYS = 90  # ... or within 90 days of a founding later in January or after


def plan_due(year: int, founded: date | None) -> date:
    due = date(year, *PLAN_DUE_MONTH_DAY)
    if founded is not None and founded.year == year and founded > date(year, 1, 1):
        due = max(due, founded + timedelta(days=PLAN_DUE_AFTER_FOUNDING_DAYS))
    return due


def consultation_gap_limit(after: date) -> date:
    """The last day the next consultation may take place after one on ``after``."""
    return add_months(after, CONSULTATION_GAP_MONTHS) + timedelta(days=CONSULTATION_GAP_GRACE_DAYS)


def _held(facts: CouncilFacts, kind: str, year: int, as_of: date) -> list[MeetingFact]:
    """The meetings of a kind held in ``year``, on or before ``as_of``."""
    return [
        m
        for m in facts.meetings
        if m.kind == kind and m.status == "held" and m.day.year == year and m.day <= as_of
    ]


def _meeting_evidence(meetings: Iterable[MeetingFact]) -> tuple[Evidence, ...]:
    return tuple(Evidence("meeting", m.day, m.pk, m.public) for m in meetings)


def _in_each_half(code, held: list, since: date | None, year: int, as_of: date, evidence) -> Check:
    """One held inside each half-year that counts (January to June, July to December): two a year.
    A half-year that is over without its own is not met, whatever is held after it."""
    if since is None or since > date(year, 12, 31):
        return Check(code, State.NOT_RECORDED)
    counted = [half for half in halves(year) if covered(half, since)]
    if not counted:
        return Check(code, State.NOT_DUE, {"held": len(held), "expected": 0, "missed": []}, evidence)
    held = [item for item in held if item.day >= counted[0][0]]  # within the halves that count
    kept = [any(start <= item.day <= end for item in held) for start, end in counted]
    over = [is_over(half, as_of) for half in counted]
    missed = [
        (year, 1 if half[0].month == 1 else 2)
        for half, has, done in zip(counted, kept, over, strict=True)
        if done and not has
    ]
    figures = {"held": len(held), "expected": len(counted), "missed": missed}
    if missed:
        state = State.NOT_MET
    elif any(over) or all(kept):
        state = State.MET
    else:
        state = State.NOT_DUE
    return Check(code, state, figures, evidence)


def _two_a_year(code, held: list, since: date | None, year: int, as_of: date, evidence) -> Check:
    """Two held in the year, at least one by the end of each half-year that counts (how far apart
    is the gap rule's, in check_consultations)."""
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
    """At least two council meetings a year, one held in each half-year (January to June, July to
    December); a cancelled or merely planned meeting does not count."""
    held = _held(facts, "council", year, as_of)
    since = measured_from(facts.first_meeting, founded=facts.founded)
    return _in_each_half(Code.COUNCIL_MEETINGS, held, since, year, as_of, _meeting_evidence(held))


def check_skn_meetings(facts: CouncilFacts, year: int, as_of: date) -> Check:
    """An SKN meeting held in every month that is over."""
    since = measured_from(facts.first_meeting, founded=facts.founded)
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
    """Two open consultations held in the year (one by the end of June), no more than about six
    months apart: a consultation later than six months and two weeks after the one before breaks
    the rhythm, as does (while the year runs) no consultation for longer than that."""
    since = measured_from(facts.first_consultation, founded=facts.founded)
    held_all = sorted(c.day for c in facts.consultations if c.status == "held" and c.day <= as_of)
    held = [c for c in facts.consultations if c.status == "held" and c.day.year == year and c.day <= as_of]
    evidence = tuple(
        Evidence("consultation", c.day, c.pk, c.public) for c in sorted(held, key=lambda c: c.day)
    )
    result = _two_a_year(Code.CONSULTATIONS, held, since, year, as_of, evidence)
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
    """The year's plan approved at a held council meeting (which publishes it), by 31 January: the
    decision's date counts, when it is on or before ``as_of``. Approved later is done late (with the
    date it happened), which counts as not met."""
    since = measured_from(
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
    at_meeting = [v for v in approved if v.meeting_id is not None and v.meeting_held]
    evidence = tuple(
        Evidence("plan", v.decision_date, year=v.year, number=v.number, public=True) for v in approved
    )
    figures = {"due": due, "approved": at_meeting[0].decision_date if at_meeting else None}
    if at_meeting:
        late = at_meeting[0].decision_date > due
        figures["late"] = late
        return Check(Code.PLAN, State.LATE if late else State.MET, figures, evidence)
    if due < as_of or approved:
        return Check(Code.PLAN, State.NOT_MET, figures, evidence)
    return Check(Code.PLAN, State.NOT_DUE, figures, evidence)


def report_due(year: int, month: int) -> date:
    """A month's report is due by the end of the following month."""
    return month_end(*divmod_month(year, month + 1))


def check_reports(facts: CouncilFacts, year: int, as_of: date) -> Check:
    """A monthly report approved by the chair for every month a plan of the year was in force; a
    month's report is due by the end of the following month. An approval counts from the month's
    first day to ``as_of``; one after the due date is done late (not met in the score)."""
    since = measured_from(facts.first_report, facts.first_approval, founded=facts.founded)
    if since is None or since > date(year, 12, 31):
        return Check(Code.REPORTS, State.NOT_RECORDED)
    decisions = [v.decision_date for v in facts.versions if v.year == year and v.decision_date <= as_of]
    approved = {
        r.month: r
        for r in facts.reports
        if r.year == year and r.approved_on is not None and date(year, r.month, 1) <= r.approved_on <= as_of
    }
    expected = [
        start.month
        for start, end in months(year)
        if covered((start, end), since)
        and any(decided <= end for decided in decisions)
        and report_due(year, start.month) < as_of
    ]
    missed = [month for month in expected if month not in approved]
    late = [
        (year, month, approved[month].approved_on)
        for month in expected
        if month in approved and approved[month].approved_on > report_due(year, month)
    ]
    evidence = tuple(
        Evidence("report", year=year, month=month, public=approved[month].status == "published")
        for month in sorted(approved)
    )
    figures = {
        "approved": len(expected) - len(missed),
        "due": len(expected),
        "missed": [(year, m) for m in missed],
        "late": late,
    }
    if not expected:
        return Check(Code.REPORTS, State.NOT_DUE, figures, evidence)
    state = State.NOT_MET if missed else State.LATE if late else State.MET
    return Check(Code.REPORTS, state, figures, evidence)


def check_attendance(facts: CouncilFacts, year: int, as_of: date) -> Check:
    """Every member institution at half or more of the year's held council meetings (present or
    represented by a deputy), out of the meetings where its attendance was recorded: the rate the
    meetings page shows (councils.meetings.selectors.attendance_rates)."""
    since = measured_from(facts.first_meeting, founded=facts.founded)
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
    since = measured_from(
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
    since = measured_from(facts.first_consultation, founded=facts.founded)
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
