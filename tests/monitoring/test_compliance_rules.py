"""The pure compliance rules (monitoring/compliance.py): every check of a council's year built from
hand-written facts, with no database. Every expected state and figure is worked out by hand from the
rules' docstrings (and the methodology page): 2026 is the year measured unless a test says otherwise.
"""

from datetime import date
from itertools import count

import pytest
from django.utils import translation

from monitoring.compliance import (
    CELL_LABELS,
    Check,
    Code,
    ConcernFact,
    ConsultationFact,
    CouncilFacts,
    Evidence,
    MeetingFact,
    OverdueFact,
    Record,
    ReportFact,
    State,
    VersionFact,
    calendar_rows,
    check_attendance,
    check_concerns,
    check_consultations,
    check_council_meetings,
    check_overdue,
    check_plan,
    check_reports,
    check_skn_meetings,
    evaluate,
)

Y = 2026
_pks = count(1000)  # never the hand-picked pks (100s, 500s) of some tests


def facts(**kwargs) -> CouncilFacts:
    return CouncilFacts(
        council_id=7,
        slug="elbasan",
        name="Elbasan",
        county="Elbasan",
        county_slug="elbasan",
        status="active",
        **kwargs,
    )


def council(day: date, status: str = "held", pk: int | None = None, public: bool = True) -> MeetingFact:
    return MeetingFact(pk or next(_pks), "council", day, status, public)


def skn(day: date, status: str = "held") -> MeetingFact:
    return MeetingFact(next(_pks), "skn", day, status)


def consultation(day: date, status: str = "held") -> ConsultationFact:
    return ConsultationFact(next(_pks), day, status, public=True)


def measured(**kwargs) -> CouncilFacts:
    """A council keeping its meetings here for years (so periods of 2026 all count)."""
    kwargs.setdefault("first_meeting", date(2020, 1, 10))
    kwargs.setdefault("first_council_meeting", date(2020, 1, 10))
    return facts(**kwargs)


def consulting(days, **kwargs) -> CouncilFacts:
    """A council keeping its consultations here since 2020, with these held consultations."""
    kwargs.setdefault("first_consultation", date(2020, 1, 10))
    return facts(consultations=[consultation(day) for day in days], **kwargs)


def planning(**kwargs) -> CouncilFacts:
    """A council keeping its plans here since 2020."""
    kwargs.setdefault("first_plan_year", 2020)
    kwargs.setdefault("first_council_meeting", date(2020, 1, 10))
    return facts(**kwargs)


def every_month_skn(year: int, skip=()) -> list[MeetingFact]:
    return [skn(date(year, month, 15)) for month in range(1, 13) if month not in skip]


# --- council meetings ---------------------------------------------------------------------------------


def test_council_meeting_on_31_december_counts_for_that_year():
    item = measured(meetings=[council(date(2025, 6, 10)), council(date(2025, 12, 31))])
    check = check_council_meetings(item, 2025, date(2026, 1, 5))
    assert check.state == State.MET
    assert check.figures == {"held": 2, "expected": 2, "missed": []}
    assert [e.day for e in check.evidence] == [date(2025, 6, 10), date(2025, 12, 31)]


def test_council_meeting_on_1_january_counts_for_the_new_year_not_the_old():
    item = measured(meetings=[council(date(2025, 6, 10)), council(date(2026, 1, 1))])
    old = check_council_meetings(item, 2025, date(2026, 1, 5))
    assert old.state == State.NOT_MET
    assert old.figures == {"held": 1, "expected": 2, "missed": [(2025, 2)]}
    assert [e.day for e in old.evidence] == [date(2025, 6, 10)]
    new = check_council_meetings(item, 2026, date(2026, 7, 5))
    assert new.state == State.MET  # H1 of 2026 over, one held in it
    assert new.figures == {"held": 1, "expected": 2, "missed": []}
    assert [e.day for e in new.evidence] == [date(2026, 1, 1)]


@pytest.mark.parametrize("status", ["cancelled", "planned"])
def test_cancelled_or_planned_council_meeting_does_not_count(status):
    item = measured(meetings=[council(date(Y, 3, 10)), council(date(Y, 10, 10), status)])
    check = check_council_meetings(item, Y, date(Y + 1, 1, 5))
    assert check.state == State.NOT_MET
    assert check.figures == {"held": 1, "expected": 2, "missed": [(Y, 2)]}
    assert [e.day for e in check.evidence] == [date(Y, 3, 10)]


def test_only_council_meetings_count_for_the_council_check():
    item = measured(meetings=[skn(date(Y, 3, 10)), skn(date(Y, 10, 10))])
    check = check_council_meetings(item, Y, date(Y + 1, 1, 5))
    assert check.state == State.NOT_MET
    assert check.figures["held"] == 0


def test_two_council_meetings_in_the_second_half_do_not_make_up_for_the_first():
    # In August both meetings are still planned: the first half is over without one.
    august = measured(meetings=[council(date(Y, 9, 15), "planned"), council(date(Y, 11, 20), "planned")])
    during = check_council_meetings(august, Y, date(Y, 8, 20))
    assert during.state == State.NOT_MET
    assert during.figures == {"held": 0, "expected": 2, "missed": [(Y, 1)]}
    # The same meetings held, read at the year's end: two held, but none inside January to June.
    december = measured(meetings=[council(date(Y, 9, 15)), council(date(Y, 11, 20))])
    assert check_council_meetings(december, Y, date(Y, 8, 20)).state == State.NOT_MET  # not held by then
    after = check_council_meetings(december, Y, date(Y + 1, 1, 1))
    assert after.state == State.NOT_MET
    assert after.figures == {"held": 2, "expected": 2, "missed": [(Y, 1)]}


def test_council_meetings_before_any_half_is_over():
    assert check_council_meetings(measured(), Y, date(Y, 3, 1)).state == State.NOT_DUE
    # Both held in the first months: the first half has its meeting, the second cannot have one yet.
    early = measured(meetings=[council(date(Y, 1, 10)), council(date(Y, 2, 10))])
    assert check_council_meetings(early, Y, date(Y, 3, 1)).state == State.NOT_DUE
    # Read at the year's end, the second half had none: the early second meeting does not count for it.
    assert check_council_meetings(early, Y, date(Y + 1, 1, 5)).figures["missed"] == [(Y, 2)]


def test_council_meetings_on_31_december_the_second_half_is_not_over_yet():
    item = measured(meetings=[council(date(Y, 3, 10))])
    assert check_council_meetings(item, Y, date(Y, 12, 31)).state == State.MET  # one required so far
    assert check_council_meetings(item, Y, date(Y + 1, 1, 1)).state == State.NOT_MET


def test_council_meeting_after_as_of_is_not_known():
    item = measured(meetings=[council(date(Y, 3, 10)), council(date(Y, 7, 20))])
    check = check_council_meetings(item, Y, date(Y, 7, 10))
    assert check.figures["held"] == 1
    assert [e.day for e in check.evidence] == [date(Y, 3, 10)]


def test_council_founded_in_the_second_half_is_expected_one_meeting():
    item = facts(founded=date(Y, 8, 1), first_meeting=date(Y, 8, 5), meetings=[council(date(Y, 10, 1))])
    check = check_council_meetings(item, Y, date(Y + 1, 1, 5))
    assert check.state == State.MET
    assert check.figures == {"held": 1, "expected": 1, "missed": []}
    assert check_council_meetings(item, Y, date(Y, 9, 1)).state == State.NOT_DUE


@pytest.mark.parametrize(
    ("founded", "expected"),
    [
        (date(Y, 4, 1), 2),  # 91 of the first half's 181 days
        (date(Y, 4, 2), 1),  # 90 of 181: less than half
        (date(Y, 9, 30), 1),  # 93 of the second half's 184 days
        (date(Y, 11, 1), 0),  # neither half
    ],
)
def test_half_years_count_when_the_council_existed_for_half_of_them(founded, expected):
    item = facts(founded=founded, first_meeting=date(2020, 1, 10))
    check = check_council_meetings(item, Y, date(Y + 1, 1, 5))
    assert check.figures["expected"] == expected
    assert check.state == (State.NOT_MET if expected else State.NOT_DUE)


def test_council_whose_first_meeting_is_next_year_is_not_recorded_this_year():
    item = facts(first_meeting=date(Y + 1, 2, 1), meetings=[council(date(Y + 1, 2, 1))])
    for rule in (check_council_meetings, check_skn_meetings, check_attendance):
        assert rule(item, Y, date(Y + 1, 3, 1)).state == State.NOT_RECORDED
        assert rule(item, Y + 1, date(Y + 1, 3, 1)).state != State.NOT_RECORDED


def test_founding_after_the_year_makes_meetings_not_recorded():
    item = facts(founded=date(Y + 1, 1, 2), first_meeting=date(2020, 1, 10))
    assert check_council_meetings(item, Y, date(Y + 1, 3, 1)).state == State.NOT_RECORDED


# --- SKN meetings ------------------------------------------------------------------------------------


def test_skn_skipping_august_is_not_met():
    item = measured(meetings=every_month_skn(Y, skip=(8,)))
    check = check_skn_meetings(item, Y, date(Y, 9, 20))
    assert check.state == State.NOT_MET
    assert check.figures["missed"] == [(Y, 8)]
    assert check.figures["held"] == 7
    assert check.figures["due"] == 8


def test_skn_every_month_is_met_and_the_current_month_is_never_missed():
    item = measured(meetings=every_month_skn(Y, skip=(8, 9, 10, 11, 12)))
    check = check_skn_meetings(item, Y, date(Y, 8, 20))  # August not over, no meeting yet
    assert check.state == State.MET
    assert check.figures == {"held": 7, "due": 7, "missed": []}
    # On the month's last day it is still not over.
    assert check_skn_meetings(item, Y, date(Y, 8, 31)).figures["due"] == 7
    # The day after, August is over and missed.
    over = check_skn_meetings(item, Y, date(Y, 9, 1))
    assert over.state == State.NOT_MET
    assert over.figures["missed"] == [(Y, 8)]


@pytest.mark.parametrize("status", ["cancelled", "planned"])
def test_skn_cancelled_or_planned_does_not_fill_a_month(status):
    meetings = [*every_month_skn(Y, skip=(8,)), skn(date(Y, 8, 20), status)]
    check = check_skn_meetings(measured(meetings=meetings), Y, date(Y, 9, 20))
    assert check.figures["missed"] == [(Y, 8)]


def test_skn_a_council_meeting_does_not_fill_a_month():
    meetings = [*every_month_skn(Y, skip=(8,)), council(date(Y, 8, 20))]
    check = check_skn_meetings(measured(meetings=meetings), Y, date(Y, 9, 20))
    assert check.state == State.NOT_MET
    assert check.figures["missed"] == [(Y, 8)]


def test_skn_meetings_of_another_year_do_not_count():
    item = measured(meetings=every_month_skn(Y - 1))
    check = check_skn_meetings(item, Y, date(Y, 3, 5))
    assert check.figures["missed"] == [(Y, 1), (Y, 2)]


def test_skn_not_due_in_the_first_month():
    check = check_skn_meetings(measured(), Y, date(Y, 1, 20))
    assert check.state == State.NOT_DUE
    assert check.figures["due"] == 0


@pytest.mark.parametrize(
    ("founded", "first_due"),
    [
        (date(Y, 3, 10), 3),  # 22 of March's 31 days: March counts
        (date(Y, 3, 16), 3),  # 16 of 31
        (date(Y, 3, 17), 4),  # 15 of 31: less than half
        (date(Y, 3, 20), 4),  # March does not count
    ],
)
def test_skn_months_before_the_founding_do_not_count(founded, first_due):
    item = facts(founded=founded, first_meeting=date(2020, 1, 10))
    check = check_skn_meetings(item, Y, date(Y, 6, 5))
    assert check.figures["missed"] == [(Y, month) for month in range(first_due, 6)]
    assert check.state == State.NOT_MET


def test_skn_measured_from_the_first_meeting_without_a_founding_date():
    item = facts(first_meeting=date(Y, 3, 20), meetings=[skn(date(Y, 3, 20)), skn(date(Y, 4, 10))])
    check = check_skn_meetings(item, Y, date(Y, 5, 10))
    assert check.state == State.MET
    assert check.figures == {"held": 1, "due": 1, "missed": []}  # April only


@pytest.mark.parametrize(
    ("founded", "period"),
    [
        (date(Y, 4, 16), "April"),  # 16–30 April: 15 of 30 days, exactly half
        (date(Y, 2, 15), "February"),  # 15–28 February: 14 of 28 days, exactly half
    ],
)
def test_month_counts_when_the_council_existed_for_exactly_half_of_it(founded, period):
    """The module's rule: "A month or half-year counts when the council existed ... for at least
    half of it" — exactly half is at least half."""
    item = facts(founded=founded, first_meeting=date(2020, 1, 10))
    check = check_skn_meetings(item, Y, date(Y, 6, 5))
    assert (Y, founded.month) in check.figures["missed"], period


def test_half_year_counts_when_the_council_existed_for_exactly_half_of_it():
    """1 October to 31 December is 92 of the second half's 184 days: exactly half."""
    item = facts(founded=date(Y, 10, 1), first_meeting=date(2020, 1, 10))
    assert check_council_meetings(item, Y, date(Y + 1, 1, 5)).figures["expected"] == 1


# --- consultations -------------------------------------------------------------------------------------


def test_consultation_seven_months_after_the_last_is_not_met_and_names_the_pair():
    check = check_consultations(consulting([date(Y, 1, 10), date(Y, 8, 10)]), Y, date(Y + 1, 1, 5))
    assert check.state == State.NOT_MET
    assert check.figures["held"] == 2
    assert check.figures["gaps"] == [(date(Y, 1, 10), date(Y, 8, 10))]


def test_consultation_six_months_and_a_week_after_is_not_a_gap():
    check = check_consultations(consulting([date(Y, 1, 10), date(Y, 7, 17)]), Y, date(Y + 1, 1, 5))
    assert check.state == State.MET
    assert check.figures["gaps"] == []


@pytest.mark.parametrize(("after", "gap"), [(date(Y, 7, 24), False), (date(Y, 7, 25), True)])
def test_consultation_gap_limit_is_six_months_and_fourteen_days(after, gap):
    before = date(Y, 1, 10)
    check = check_consultations(consulting([before, after]), Y, date(Y + 1, 1, 5))
    assert check.figures["gaps"] == ([(before, after)] if gap else [])
    assert check.state == (State.NOT_MET if gap else State.MET)


def test_consultation_gap_across_new_year_counts_in_the_later_year():
    days = [date(2025, 5, 10), date(2025, 11, 5), date(2026, 6, 1), date(2026, 10, 1)]
    item = consulting(days)
    earlier = check_consultations(item, 2025, date(2027, 1, 5))
    assert earlier.state == State.MET
    assert earlier.figures["gaps"] == []
    later = check_consultations(item, 2026, date(2027, 1, 5))
    assert later.state == State.NOT_MET
    assert later.figures["gaps"] == [(date(2025, 11, 5), date(2026, 6, 1))]
    assert later.figures["held"] == 2


def test_no_consultation_for_too_long_while_the_year_runs_is_not_met():
    item = consulting([date(Y, 1, 10)])
    within = check_consultations(item, Y, date(Y, 7, 24))
    assert within.state == State.MET  # the first half had its consultation
    assert within.figures["gaps"] == []
    trailing = check_consultations(item, Y, date(Y, 7, 25))
    assert trailing.state == State.NOT_MET
    assert trailing.figures["gaps"] == [(date(Y, 1, 10), None)]


def test_trailing_gap_from_the_year_before():
    item = consulting([date(Y - 1, 6, 1)])
    check = check_consultations(item, Y, date(Y, 2, 1))  # no half of 2026 over yet
    assert check.state == State.NOT_MET
    assert check.figures["gaps"] == [(date(Y - 1, 6, 1), None)]


def test_trailing_gap_is_not_counted_once_the_year_is_over():
    item = consulting([date(Y, 1, 10), date(Y, 3, 10)])
    check = check_consultations(item, Y, date(Y + 1, 2, 1))
    assert check.figures["gaps"] == []
    assert check.state == State.MET


@pytest.mark.parametrize("status", ["cancelled", "announced", "draft"])
def test_only_held_consultations_count(status):
    item = consulting([date(Y, 1, 10)])
    item.consultations.append(consultation(date(Y, 5, 10), status))
    item.consultations.append(consultation(date(Y, 10, 10), status))
    check = check_consultations(item, Y, date(Y + 1, 1, 5))
    assert check.state == State.NOT_MET
    assert check.figures["held"] == 1
    assert [e.day for e in check.evidence] == [date(Y, 1, 10)]


def test_consultations_not_recorded_without_a_first_consultation():
    check = check_consultations(measured(), Y, date(Y + 1, 1, 5))
    assert check.state == State.NOT_RECORDED
    assert check.figures == {}


def test_consultations_not_due_before_a_half_is_over():
    check = check_consultations(consulting([date(Y, 1, 10)]), Y, date(Y, 3, 1))
    assert check.state == State.NOT_DUE
    assert check.figures == {"held": 1, "expected": 2, "gaps": []}


# --- plan ----------------------------------------------------------------------------------------------


def test_plan_approved_at_a_council_meeting_is_met():
    item = planning(versions=[VersionFact(Y, 1, date(Y, 1, 20), meeting_id=5)])
    check = check_plan(item, Y, date(Y, 3, 1))
    assert check.state == State.MET
    assert check.figures == {"due": date(Y, 1, 31), "approved": date(Y, 1, 20), "late": False}
    assert check.evidence == (Evidence("plan", date(Y, 1, 20), year=Y, number=1, public=True),)


def test_plan_approved_after_31_january_is_done_late_not_met():
    item = planning(versions=[VersionFact(Y, 1, date(Y, 2, 1), meeting_id=5)])
    check = check_plan(item, Y, date(Y, 3, 1))
    assert check.state == State.LATE
    assert not check.is_met and check.counts
    assert check.figures["late"] is True
    assert check.figures["approved"] == date(Y, 2, 1)  # the date it happened
    # On 31 January itself it is on time.
    on_the_day = planning(versions=[VersionFact(Y, 1, date(Y, 1, 31), meeting_id=5)])
    assert check_plan(on_the_day, Y, date(Y, 3, 1)).state == State.MET


def test_plan_not_approved_after_31_january_is_not_met():
    check = check_plan(planning(), Y, date(Y, 2, 1))
    assert check.state == State.NOT_MET
    assert check.figures == {"due": date(Y, 1, 31), "approved": None}


@pytest.mark.parametrize("as_of", [date(Y, 1, 15), date(Y, 1, 31)])
def test_plan_not_due_in_january(as_of):
    check = check_plan(planning(), Y, as_of)
    assert check.state == State.NOT_DUE
    assert check.figures["due"] == date(Y, 1, 31)


def test_plan_approved_without_a_meeting_is_not_met():
    item = planning(versions=[VersionFact(Y, 1, date(Y, 1, 20), meeting_id=None)])
    check = check_plan(item, Y, date(Y, 2, 10))
    assert check.state == State.NOT_MET
    assert check.figures["approved"] is None
    assert len(check.evidence) == 1  # the version is shown, but it does not meet the check


def test_plan_first_version_at_a_meeting_gives_the_approval_date():
    versions = [
        VersionFact(Y, 2, date(Y, 4, 1), meeting_id=9),
        VersionFact(Y, 1, date(Y, 1, 20), meeting_id=None),
    ]
    check = check_plan(planning(versions=versions), Y, date(Y, 5, 1))
    assert check.state == State.LATE
    assert check.figures["approved"] == date(Y, 4, 1)
    assert check.figures["late"] is True
    assert [e.number for e in check.evidence] == [1, 2]


def test_plan_version_decided_after_as_of_is_not_known():
    item = planning(versions=[VersionFact(Y, 1, date(Y, 1, 20), meeting_id=5)])
    assert check_plan(item, Y, date(Y, 1, 15)).state == State.NOT_DUE
    late = planning(versions=[VersionFact(Y, 1, date(Y, 2, 20), meeting_id=5)])
    check = check_plan(late, Y, date(Y, 2, 10))
    assert check.state == State.NOT_MET
    assert check.evidence == ()


def test_plan_of_another_year_does_not_count():
    item = planning(versions=[VersionFact(Y - 1, 1, date(Y - 1, 1, 20), meeting_id=5)])
    assert check_plan(item, Y, date(Y, 2, 10)).state == State.NOT_MET


def test_plan_due_90_days_after_a_founding_later_than_1_january():
    item = facts(founded=date(Y, 3, 1), first_council_meeting=date(Y, 3, 20))
    before = check_plan(item, Y, date(Y, 5, 30))
    assert before.figures["due"] == date(Y, 5, 30)
    assert before.state == State.NOT_DUE
    assert check_plan(item, Y, date(Y, 5, 31)).state == State.NOT_MET
    approved = facts(
        founded=date(Y, 3, 1),
        first_council_meeting=date(Y, 3, 20),
        versions=[VersionFact(Y, 1, date(Y, 5, 20), meeting_id=5)],
    )
    check = check_plan(approved, Y, date(Y, 6, 10))
    assert check.state == State.MET
    assert check.figures["late"] is False


def test_plan_due_31_january_for_a_founding_on_1_january_or_before():
    assert check_plan(planning(founded=date(Y, 1, 1)), Y, date(Y, 2, 1)).figures["due"] == date(Y, 1, 31)
    assert check_plan(planning(founded=date(Y - 3, 5, 1)), Y, date(Y, 2, 1)).figures["due"] == date(Y, 1, 31)
    assert check_plan(planning(founded=date(Y, 1, 2)), Y, date(Y, 2, 1)).figures["due"] == date(Y, 4, 2)


def test_plan_in_use_from_the_first_plan_year():
    item = facts(first_plan_year=Y)
    assert check_plan(item, Y - 1, date(Y, 2, 10)).state == State.NOT_RECORDED
    assert check_plan(item, Y, date(Y, 2, 10)).state == State.NOT_MET


def test_plan_in_use_from_the_first_council_meeting():
    item = facts(first_meeting=date(Y - 1, 11, 5), first_council_meeting=date(Y - 1, 11, 5))
    assert check_plan(item, Y - 1, date(Y, 2, 10)).state == State.NOT_RECORDED  # due before it
    assert check_plan(item, Y, date(Y, 2, 10)).state == State.NOT_MET
    january = facts(first_meeting=date(Y, 1, 20), first_council_meeting=date(Y, 1, 20))
    assert check_plan(january, Y, date(Y, 2, 10)).state == State.NOT_MET
    # Only SKN meetings recorded: the plan is not kept here yet.
    only_skn = facts(first_meeting=date(Y - 1, 11, 5))
    assert check_plan(only_skn, Y, date(Y, 2, 10)).state == State.NOT_RECORDED


# --- reports -------------------------------------------------------------------------------------------


def reporting(reports=(), decided=date(Y - 1, 12, 20), **kwargs) -> CouncilFacts:
    """A council whose plan of 2026 was approved on ``decided`` (its first approval here)."""
    kwargs.setdefault("first_approval", decided)
    return facts(versions=[VersionFact(Y, 1, decided, meeting_id=5)], reports=list(reports), **kwargs)


def approved(month: int, on: date, year: int = Y, status: str = "approved") -> ReportFact:
    return ReportFact(year, month, status, on)


@pytest.mark.parametrize(
    ("as_of", "due"),
    [
        (date(Y, 2, 28), 0),  # January's report is due by the end of February
        (date(Y, 3, 1), 1),
        (date(Y, 3, 31), 1),
        (date(Y, 4, 1), 2),
    ],
)
def test_report_due_at_the_end_of_the_following_month(as_of, due):
    check = check_reports(reporting(), Y, as_of)
    assert check.figures["due"] == due
    assert check.figures["missed"] == [(Y, month) for month in range(1, due + 1)]
    assert check.state == (State.NOT_MET if due else State.NOT_DUE)


def test_december_report_is_due_at_the_end_of_january():
    reports = [approved(month, date(Y, month, 28)) for month in range(1, 12)]
    assert check_reports(reporting(reports), Y, date(Y + 1, 1, 31)).state == State.MET
    check = check_reports(reporting(reports), Y, date(Y + 1, 2, 1))
    assert check.state == State.NOT_MET
    assert check.figures == {"approved": 11, "due": 12, "missed": [(Y, 12)], "late": []}


def test_reports_all_approved_is_met():
    reports = [approved(1, date(Y, 2, 10), status="published"), approved(2, date(Y, 3, 5))]
    check = check_reports(reporting(reports), Y, date(Y, 4, 1))
    assert check.state == State.MET
    assert check.figures == {"approved": 2, "due": 2, "missed": [], "late": []}
    assert [(e.month, e.public) for e in check.evidence] == [(1, True), (2, False)]


def test_reports_missing_months_are_listed():
    reports = [approved(1, date(Y, 2, 10)), approved(3, date(Y, 4, 10))]
    check = check_reports(reporting(reports), Y, date(Y, 6, 5))
    assert check.state == State.NOT_MET
    assert check.figures == {"approved": 2, "due": 4, "missed": [(Y, 2), (Y, 4)], "late": []}


@pytest.mark.parametrize("status", ["draft", "submitted", "returned"])
def test_report_not_approved_is_missing(status):
    reports = [ReportFact(Y, 1, status, None)]
    check = check_reports(reporting(reports, first_report=date(Y, 1, 1)), Y, date(Y, 3, 1))
    assert check.figures["missed"] == [(Y, 1)]


def test_report_approved_after_as_of_is_not_known():
    reports = [approved(1, date(Y, 3, 10))]
    check = check_reports(reporting(reports), Y, date(Y, 3, 5))
    assert check.state == State.NOT_MET
    assert check.figures["missed"] == [(Y, 1)]
    assert check.evidence == ()
    # Known on 10 March, but January's report was due by the end of February: done late.
    assert check_reports(reporting(reports), Y, date(Y, 3, 10)).state == State.LATE


def test_reports_not_expected_before_the_plan_was_in_force():
    # Reports kept here since long ago; the plan of 2026 approved on 10 April.
    item = reporting(decided=date(Y, 4, 10), first_report=date(2020, 1, 1), first_approval=date(2020, 1, 20))
    check = check_reports(item, Y, date(Y, 7, 5))
    assert check.figures["missed"] == [(Y, 4), (Y, 5)]  # April (in force from the 10th) and May


def test_reports_plan_decided_after_as_of_expects_nothing():
    item = reporting(decided=date(Y, 4, 10), first_report=date(2020, 1, 1))
    check = check_reports(item, Y, date(Y, 4, 5))
    assert check.state == State.NOT_DUE
    assert check.figures["due"] == 0


def test_reports_measured_from_the_first_approval_here():
    # The first plan approved here on 20 March: March (12 of 31 days) does not count, April does.
    item = reporting(decided=date(Y, 3, 20))
    check = check_reports(item, Y, date(Y, 7, 5))
    assert check.figures["missed"] == [(Y, 4), (Y, 5)]


def test_reports_not_recorded_without_a_report_or_an_approval():
    item = facts(versions=[VersionFact(Y, 1, date(Y, 1, 20), meeting_id=5)])
    assert check_reports(item, Y, date(Y, 7, 5)).state == State.NOT_RECORDED
    later = reporting(decided=date(Y + 1, 1, 20))
    assert check_reports(later, Y, date(Y + 1, 3, 1)).state == State.NOT_RECORDED


def test_reports_of_another_year_do_not_count():
    reports = [approved(1, date(Y - 1, 2, 10), year=Y - 1)]
    check = check_reports(reporting(reports), Y, date(Y, 3, 1))
    assert check.figures["missed"] == [(Y, 1)]


# --- attendance ----------------------------------------------------------------------------------------


POLICE, SCHOOL, HEALTH = 11, 12, 13
NAMES = {POLICE: "Policia", SCHOOL: "Drejtoria Arsimore", HEALTH: "Qendra Shëndetësore"}


def attending(rows: dict[date, dict[int, bool]], **kwargs) -> CouncilFacts:
    meetings = [council(day, pk=100 + i) for i, day in enumerate(rows)]
    attendance = {100 + i: there for i, there in enumerate(rows.values())}
    return measured(meetings=meetings, attendance=attendance, institutions=NAMES, **kwargs)


def test_attendance_below_half_is_not_met_naming_the_institution():
    item = attending(
        {
            date(Y, 2, 1): {POLICE: True, SCHOOL: True},
            date(Y, 5, 1): {POLICE: True, SCHOOL: False},
            date(Y, 9, 1): {POLICE: False, SCHOOL: False},
        }
    )
    check = check_attendance(item, Y, date(Y + 1, 1, 5))
    assert check.state == State.NOT_MET
    assert check.figures == {"institutions": 2, "below": [("Drejtoria Arsimore", 33)]}


def test_attendance_at_half_is_met():
    item = attending({date(Y, 2, 1): {POLICE: True}, date(Y, 9, 1): {POLICE: False}})
    check = check_attendance(item, Y, date(Y + 1, 1, 5))
    assert check.state == State.MET
    assert check.figures == {"institutions": 1, "below": []}


def test_attendance_represented_by_a_deputy_counts():
    # The facts record a deputy as there (True), as the gathering does for "represented".
    item = attending({date(Y, 2, 1): {HEALTH: True}, date(Y, 9, 1): {HEALTH: True}})
    assert check_attendance(item, Y, date(Y + 1, 1, 5)).state == State.MET


def test_attendance_below_lists_lowest_first():
    item = attending(
        {
            date(Y, 2, 1): {POLICE: False, SCHOOL: True, HEALTH: False},
            date(Y, 5, 1): {POLICE: False, SCHOOL: False, HEALTH: True},
            date(Y, 9, 1): {POLICE: False, SCHOOL: False, HEALTH: False},
        }
    )
    check = check_attendance(item, Y, date(Y + 1, 1, 5))
    assert check.figures["below"] == [("Policia", 0), ("Drejtoria Arsimore", 33), ("Qendra Shëndetësore", 33)]


def test_attendance_counts_only_meetings_where_it_was_recorded():
    # The school's attendance recorded at one meeting of the two: 1 of 1.
    item = attending({date(Y, 2, 1): {POLICE: True, SCHOOL: True}, date(Y, 9, 1): {POLICE: True}})
    check = check_attendance(item, Y, date(Y + 1, 1, 5))
    assert check.state == State.MET
    assert check.figures["institutions"] == 2


def test_attendance_ignores_meetings_not_held_of_other_years_or_after_as_of():
    item = attending({date(Y, 2, 1): {POLICE: True}})
    cancelled, last_year, later = (
        council(date(Y, 3, 1), "cancelled"),
        council(date(Y - 1, 3, 1)),
        council(date(Y, 8, 1)),
    )
    item.meetings += [cancelled, last_year, later]
    for meeting in (cancelled, last_year, later):
        item.attendance[meeting.pk] = {POLICE: False}
    check = check_attendance(item, Y, date(Y, 7, 5))
    assert check.state == State.MET
    assert check.figures == {"institutions": 1, "below": []}


def test_attendance_not_due_without_recorded_attendance():
    item = measured(meetings=[council(date(Y, 2, 1))])
    check = check_attendance(item, Y, date(Y + 1, 1, 5))
    assert check.state == State.NOT_DUE
    assert check.figures == {"institutions": 0, "below": []}


def test_attendance_not_recorded_without_meetings():
    assert check_attendance(facts(), Y, date(Y + 1, 1, 5)).state == State.NOT_RECORDED


# --- overdue activities ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "overdue", "share", "state"),
    [
        (4, 1, 25, State.MET),
        (100, 25, 25, State.MET),
        (100, 26, 26, State.NOT_MET),
        (50, 13, 26, State.NOT_MET),
        (4, 2, 50, State.NOT_MET),
        (10, 0, 0, State.MET),
    ],
)
def test_overdue_share(total, overdue, share, state):
    item = planning(overdue={Y: OverdueFact(2, total, overdue)})
    check = check_overdue(item, Y, date(Y, 7, 5))
    assert check.state == state
    assert check.figures == {"total": total, "overdue": overdue, "share": share}
    assert check.evidence == (Evidence("plan", year=Y, number=2, public=True),)


def test_overdue_more_than_a_quarter_is_not_met_even_when_the_share_rounds_to_25():
    """The docstring: "At most a quarter of the plan's activities overdue": 13 of 51 (25.5 %) is
    more than a quarter."""
    item = planning(overdue={Y: OverdueFact(1, 51, 13)})
    assert check_overdue(item, Y, date(Y, 7, 5)).state == State.NOT_MET


def test_overdue_not_due_without_a_standing_or_activities():
    assert check_overdue(planning(), Y, date(Y, 7, 5)).state == State.NOT_DUE
    other_year = planning(overdue={Y - 1: OverdueFact(1, 4, 4)})
    assert check_overdue(other_year, Y, date(Y, 7, 5)).state == State.NOT_DUE
    empty = check_overdue(planning(overdue={Y: OverdueFact(1, 0, 0)}), Y, date(Y, 7, 5))
    assert empty.state == State.NOT_DUE
    assert empty.figures == {"total": 0, "overdue": 0, "share": 0}


def test_overdue_not_recorded_without_a_plan_start():
    item = facts(overdue={Y: OverdueFact(1, 4, 0)})
    assert check_overdue(item, Y, date(Y, 7, 5)).state == State.NOT_RECORDED


# --- concerns ------------------------------------------------------------------------------------------


def concerned(*concerns: ConcernFact) -> CouncilFacts:
    return consulting([], concerns=list(concerns))


def test_concerns_only_those_raised_60_days_ago_count():
    as_of = date(Y, 7, 15)  # 60 days before: 16 May
    item = concerned(
        ConcernFact(date(Y, 5, 16), True),
        ConcernFact(date(Y, 5, 17), False),  # 59 days: not yet due
        ConcernFact(date(Y, 7, 1), False),
    )
    check = check_concerns(item, Y, as_of)
    assert check.state == State.MET
    assert check.figures == {"due": 1, "answered": 1, "share": 100}


@pytest.mark.parametrize(
    ("answered", "unanswered", "share", "state"),
    [(4, 1, 80, State.MET), (8, 2, 80, State.MET), (3, 1, 75, State.NOT_MET), (0, 3, 0, State.NOT_MET)],
)
def test_concerns_share(answered, unanswered, share, state):
    concerns = [ConcernFact(date(Y, 2, 1), True)] * answered + [
        ConcernFact(date(Y, 2, 1), False)
    ] * unanswered
    check = check_concerns(concerned(*concerns), Y, date(Y, 7, 15))
    assert check.state == state
    assert check.figures == {"due": answered + unanswered, "answered": answered, "share": share}


def test_concerns_fewer_than_four_in_five_is_not_met_even_when_the_share_rounds_to_80():
    """The docstring: "Four in five of the year's concerns ... have an outcome": 39 of 49 (79.6 %)
    is fewer than four in five."""
    concerns = [ConcernFact(date(Y, 2, 1), True)] * 39 + [ConcernFact(date(Y, 2, 1), False)] * 10
    assert check_concerns(concerned(*concerns), Y, date(Y, 7, 15)).state == State.NOT_MET


def test_concerns_none_due_is_not_due():
    item = concerned(ConcernFact(date(Y, 7, 1), False), ConcernFact(date(Y - 1, 3, 1), False))
    check = check_concerns(item, Y, date(Y, 7, 15))
    assert check.state == State.NOT_DUE
    assert check.figures == {"due": 0, "answered": 0, "share": 0}


def test_concerns_not_recorded_without_a_consultation():
    item = measured(concerns=[ConcernFact(date(Y, 2, 1), True)])
    assert check_concerns(item, Y, date(Y, 7, 15)).state == State.NOT_RECORDED


# --- the record --------------------------------------------------------------------------------------------


def test_council_with_no_facts_is_not_recorded_throughout():
    record = evaluate(facts(), Y, date(Y, 7, 15))
    assert [c.code for c in record.checks] == list(Code.values)
    assert {c.state for c in record.checks} == {State.NOT_RECORDED}
    assert record.score is None
    assert record.due == 0
    assert all(c.summary == "" for c in record.checks)


def full_year() -> CouncilFacts:
    """A council keeping everything here, with all checks of 2026 met at the year's end."""
    meetings = [
        *every_month_skn(Y),
        council(date(Y, 3, 10), pk=501),
        council(date(Y, 10, 10), pk=502),
    ]
    return facts(
        first_meeting=date(2020, 1, 10),
        first_council_meeting=date(2020, 1, 10),
        first_consultation=date(2020, 2, 1),
        first_plan_year=2020,
        first_report=date(2020, 1, 1),
        first_approval=date(2020, 1, 20),
        meetings=meetings,
        consultations=[consultation(date(Y, 4, 1)), consultation(date(Y, 9, 1))],
        versions=[VersionFact(Y, 1, date(Y - 1, 12, 20), meeting_id=500)],
        reports=[approved(month, date(Y, month, 28)) for month in range(1, 13)],
        attendance={501: {POLICE: True, SCHOOL: True}, 502: {POLICE: True, SCHOOL: False}},
        institutions=NAMES,
        overdue={Y: OverdueFact(1, 8, 1)},
        concerns=[ConcernFact(date(Y, 4, 1), True)],
        comments={Y: "Mbledhja e tetorit u shty."},
    )


def test_evaluate_a_full_year_met_throughout():
    record = evaluate(full_year(), Y, date(Y + 1, 2, 1))
    assert {c.code: c.state for c in record.checks} == dict.fromkeys(Code.values, State.MET)
    assert record.score == 100
    assert (record.met, record.due) == (8, 8)
    assert record.comment == "Mbledhja e tetorit u shty."
    assert record.council_id == 7
    assert record.check(Code.PLAN).figures["approved"] == date(Y - 1, 12, 20)


def test_evaluate_score_counts_only_met_and_not_met():
    item = full_year()
    item.meetings = [m for m in item.meetings if m.pk != 502]  # the second council meeting
    item.overdue = {}  # not yet due
    record = evaluate(item, Y, date(Y + 1, 2, 1))
    assert record.check(Code.COUNCIL_MEETINGS).state == State.NOT_MET
    assert record.check(Code.OVERDUE).state == State.NOT_DUE
    assert (record.met, record.due) == (6, 7)
    assert record.score == 86  # 6 of 7


def test_year_not_begun_is_not_due_throughout():
    record = evaluate(full_year(), Y, date(Y - 1, 12, 31))
    assert {c.state for c in record.checks} == {State.NOT_DUE}
    assert [c.code for c in record.checks] == list(Code.values)
    assert record.score is None
    # Even a council with nothing recorded is "not yet due" rather than "not recorded".
    assert {c.state for c in evaluate(facts(), Y, date(Y - 1, 6, 1)).checks} == {State.NOT_DUE}


def test_summary_of_a_year_not_begun_is_a_sentence():
    """Check.summary is empty only when not recorded; a year not begun has checks without figures."""
    record = evaluate(full_year(), Y, date(Y - 1, 12, 31))
    with translation.override("en"):
        for check in record.checks:
            assert check.summary, check.code


def _check(state: str) -> Check:
    return Check(Code.COUNCIL_MEETINGS, state)


@pytest.mark.parametrize(
    ("states", "score"),
    [
        ([State.MET] * 6 + [State.NOT_MET] * 2, 75),
        ([State.MET, State.MET, State.NOT_MET, State.NOT_DUE, State.NOT_RECORDED], 67),
        ([State.MET, State.NOT_MET, State.NOT_MET], 33),
        ([State.NOT_MET, State.NOT_DUE], 0),
        ([State.MET, State.NOT_DUE, State.NOT_RECORDED], 100),
        ([State.NOT_DUE, State.NOT_RECORDED], None),
        ([], None),
        # Done late is due and not met.
        ([State.MET, State.LATE], 50),
        ([State.LATE, State.NOT_DUE], 0),
        ([State.MET] * 6 + [State.LATE, State.NOT_MET], 75),
    ],
)
def test_record_score(states, score):
    record = Record(1, Y, date(Y, 7, 1), tuple(_check(s) for s in states))
    assert record.score == score
    assert record.met == states.count(State.MET)
    assert record.due == states.count(State.MET) + states.count(State.LATE) + states.count(State.NOT_MET)


def test_check_properties():
    met, not_due = _check(State.MET), _check(State.NOT_DUE)
    assert met.is_met and met.counts
    assert not not_due.is_met and not not_due.counts
    assert _check(State.NOT_MET).counts and not _check(State.NOT_RECORDED).counts
    assert _check(State.LATE).counts and not _check(State.LATE).is_met
    with translation.override("en"):
        assert met.label == "Council meetings"
        assert met.state_label == "met"
        assert _check(State.LATE).state_label == "done late"
        assert not_due.state_label == "not yet due"
    with translation.override("sq"):
        assert met.label != "Council meetings"  # translated


# --- sentences -------------------------------------------------------------------------------------------


def test_every_recorded_check_has_a_summary():
    record = evaluate(full_year(), Y, date(Y + 1, 2, 1))
    with translation.override("en"):
        for check in record.checks:
            assert check.summary.endswith("."), check.code
    partial = evaluate(facts(first_meeting=date(2020, 1, 10)), Y, date(Y, 7, 15))
    with translation.override("en"):
        for check in partial.checks:
            assert bool(check.summary) == (check.state != State.NOT_RECORDED), check.code


def test_summary_of_council_meetings():
    check = check_council_meetings(measured(meetings=[council(date(Y, 3, 1))]), Y, date(Y + 1, 1, 5))
    with translation.override("en"):
        assert check.summary == "1 held of 2 expected. None held in: July to December."


def test_summary_of_skn_meetings_names_the_missed_months():
    check = check_skn_meetings(measured(meetings=every_month_skn(Y, skip=(2, 8))), Y, date(Y, 9, 20))
    with translation.override("en"):
        assert check.summary == "6 of 8 months with a meeting. None in: February, August."
    with translation.override("sq"):
        assert "gusht" in check.summary.lower()
        assert "August" not in check.summary


def test_summary_of_consultations_names_the_gaps():
    pair = check_consultations(consulting([date(Y, 1, 10), date(Y, 8, 10)]), Y, date(Y + 1, 1, 5))
    trailing = check_consultations(consulting([date(Y, 1, 10)]), Y, date(Y, 8, 1))
    with translation.override("en"):
        assert pair.summary == "2 held of 2 expected. 10/01/2026 to 10/08/2026: more than six months apart."
        assert trailing.summary == "1 held of 2 expected. None since 10/01/2026: more than six months."
    with translation.override("sq"):
        assert "10.01.2026" in pair.summary


def test_summary_of_the_plan():
    on_time = check_plan(planning(versions=[VersionFact(Y, 1, date(Y, 1, 20), 5)]), Y, date(Y, 3, 1))
    late = check_plan(planning(versions=[VersionFact(Y, 1, date(Y, 2, 20), 5)]), Y, date(Y, 3, 1))
    missing = check_plan(planning(), Y, date(Y, 3, 1))
    with translation.override("en"):
        assert on_time.summary == "Approved at a council meeting on 20/01/2026."
        assert late.summary == (
            "Approved at a council meeting on 20/02/2026. "
            "It was due by 31/01/2026: done late, which counts as not met."
        )
        assert missing.summary == "Not approved yet; due by 31/01/2026."
    with translation.override("sq"):
        assert "20.01.2026" in on_time.summary


def test_summary_of_reports():
    check = check_reports(reporting([approved(1, date(Y, 2, 10))]), Y, date(Y, 4, 1))
    with translation.override("en"):
        assert check.summary == "1 of 2 monthly reports approved. Missing: February."


def test_summary_of_attendance():
    below = attending(
        {date(Y, 2, 1): {POLICE: True, SCHOOL: False}, date(Y, 5, 1): {POLICE: True, SCHOOL: False}}
    )
    one = attending({date(Y, 2, 1): {POLICE: True}})
    with translation.override("en"):
        assert (
            check_attendance(below, Y, date(Y, 7, 1)).summary
            == "Below half of the meetings: Drejtoria Arsimore (0%)."
        )
        assert (
            check_attendance(
                attending({date(Y, 2, 1): {POLICE: True, SCHOOL: True}}), Y, date(Y, 7, 1)
            ).summary
            == "All 2 member institutions attended at least half of the meetings."
        )
        assert (
            check_attendance(one, Y, date(Y, 7, 1)).summary
            == "The member institution attended at least half of the meetings."
        )
        assert (
            check_attendance(measured(), Y, date(Y, 7, 1)).summary
            == "No council meeting with recorded attendance yet."
        )


def test_summary_of_overdue_and_concerns():
    overdue = check_overdue(planning(overdue={Y: OverdueFact(1, 4, 1)}), Y, date(Y, 7, 1))
    no_plan = check_overdue(planning(), Y, date(Y, 7, 1))
    concerns = [ConcernFact(date(Y, 2, 1), True)] * 4 + [ConcernFact(date(Y, 2, 1), False)]
    answered = check_concerns(concerned(*concerns), Y, date(Y, 7, 1))
    none_due = check_concerns(concerned(), Y, date(Y, 7, 1))
    with translation.override("en"):
        assert overdue.summary == "1 of 4 activities overdue (25%)."
        assert no_plan.summary == "No plan in force with activities."
        assert answered.summary == "4 of 5 concerns have an outcome (80%)."
        assert none_due.summary == "No concern raised 60 days ago or more."


def test_summary_of_a_check_not_recorded_is_empty():
    with translation.override("en"):
        for code in Code.values:
            assert Check(code, State.NOT_RECORDED, {"held": 1, "expected": 2}).summary == ""


# --- calendar ------------------------------------------------------------------------------------------


def calendar_facts() -> CouncilFacts:
    return facts(
        first_meeting=date(Y, 3, 5),
        first_council_meeting=date(Y, 5, 20),
        first_consultation=date(Y, 4, 20),
        first_plan_year=Y,
        first_report=date(Y, 1, 1),
        first_approval=date(Y, 1, 25),
        meetings=[
            skn(date(Y, 2, 10), "cancelled"),
            skn(date(Y, 3, 10)),
            skn(date(Y, 4, 10)),
            skn(date(Y, 6, 10)),
            skn(date(Y, 7, 20), "cancelled"),
            skn(date(Y, 9, 10), "planned"),
            council(date(Y, 5, 20)),
            council(date(Y, 11, 10), "planned"),
        ],
        consultations=[consultation(date(Y, 4, 20)), consultation(date(Y, 10, 1), "announced")],
        versions=[VersionFact(Y, 1, date(Y, 1, 25), meeting_id=5)],
        reports=[
            approved(1, date(Y, 2, 10)),
            ReportFact(Y, 2, "submitted"),
            ReportFact(Y, 3, "draft"),
        ],
    )


def test_calendar_rows_shape():
    rows = calendar_rows(calendar_facts(), Y, date(Y, 7, 15))
    assert [row["code"] for row in rows] == [
        Code.SKN_MEETINGS,
        Code.COUNCIL_MEETINGS,
        Code.CONSULTATIONS,
        Code.PLAN,
        Code.REPORTS,
    ]
    skn_row, council_row, consultation_row, plan_row, report_row = (row["cells"] for row in rows)
    assert len(skn_row) == 12 and {c.span for c in skn_row} == {1}
    assert [c.span for c in council_row] == [6, 6]
    assert [c.span for c in consultation_row] == [6, 6]
    assert [c.span for c in plan_row] == [12]
    assert len(report_row) == 12
    assert all(row["label"] for row in rows)


def test_calendar_skn_row():
    cells = calendar_rows(calendar_facts(), Y, date(Y, 7, 15))[0]["cells"]
    assert [c.state for c in cells] == [
        "none",  # before the first meeting
        "none",  # a cancelled meeting before the first record: not expected
        "done",
        "done",
        "missed",  # May: over, no meeting
        "done",
        "cancelled",  # July: not over, the meeting was cancelled
        "open",
        "scheduled",  # September: planned
        "open",
        "open",
        "open",
    ]
    assert cells[2].days == (date(Y, 3, 10),)
    assert cells[8].days == (date(Y, 9, 10),)
    assert cells[4].label == CELL_LABELS["missed"]


def test_calendar_council_and_consultation_rows():
    rows = calendar_rows(calendar_facts(), Y, date(Y, 7, 15))
    council_row, consultation_row = rows[1]["cells"], rows[2]["cells"]
    assert [c.state for c in council_row] == ["done", "scheduled"]
    assert council_row[0].days == (date(Y, 5, 20),)
    assert [c.state for c in consultation_row] == ["done", "scheduled"]
    assert consultation_row[1].days == (date(Y, 10, 1),)


def test_calendar_past_half_without_a_council_meeting_is_missed():
    item = measured(meetings=[council(date(Y, 9, 1), "cancelled")])
    cells = calendar_rows(item, Y, date(Y + 1, 1, 5))[1]["cells"]
    assert [c.state for c in cells] == ["missed", "missed"]
    assert cells[1].days == (date(Y, 9, 1),)


def test_calendar_plan_and_report_rows():
    rows = calendar_rows(calendar_facts(), Y, date(Y, 7, 15))
    (plan_cell,) = rows[3]["cells"]
    assert plan_cell.state == "approved"
    assert plan_cell.days == (date(Y, 1, 25),)
    with translation.override("en"):
        note = calendar_rows(calendar_facts(), Y, date(Y, 7, 15))[3]["cells"][0].note
    assert note == "31/01/2026"
    # January approved, February waiting, March being written, April and May missing (due by the
    # end of the following month), June on not yet due.
    assert [c.state for c in rows[4]["cells"]] == [
        "approved",
        "waiting",
        "draft",
        "missing",
        "missing",
        *["none"] * 7,
    ]


def test_calendar_plan_missing_or_open():
    assert calendar_rows(planning(), Y, date(Y, 3, 1))[3]["cells"][0].state == "missing"
    assert calendar_rows(planning(), Y, date(Y, 1, 15))[3]["cells"][0].state == "open"


def test_calendar_nothing_recorded_expects_nothing_of_the_past():
    """With nothing recorded the calendar expects meetings from tomorrow on, nothing before."""
    rows = calendar_rows(facts(), Y, date(Y, 7, 15))
    assert [c.state for c in rows[0]["cells"]] == ["none"] * 6 + ["open"] * 6
    assert [c.state for c in rows[1]["cells"]] == ["none", "open"]
    assert [c.state for c in rows[2]["cells"]] == ["none", "open"]
    assert rows[3]["cells"][0].state == "open"
    assert rows[3]["cells"][0].note == ""  # the plan is not recorded here: no due date
    assert {c.state for c in rows[4]["cells"]} == {"none"}
