"""The pure rules of monitoring: when an activity's due dates are missed, the periods an indicator
is measured in, and how a period reads. No database; every expected value is written by hand."""

from datetime import date

import pytest
from django.utils import translation
from django.utils.translation import gettext

from monitoring.progress import Mark, Period, missed_due_dates, month_end, month_label, period_label, periods
from plans.deadlines import Deadline

BY_MAY = Deadline("date", day=date(2026, 5, 31))
H1 = Deadline("period", period="h1")
Q3 = Deadline("period", period="q3")
ALL_YEAR = Deadline("all_year")
EVERY_2 = Deadline("recurrence", every_months=2)  # rounds end 28.02, 30.04, 30.06, 31.08, 31.10, 31.12


def missed(deadline, marks, as_of, year=2026):
    return missed_due_dates(deadline, year, [Mark(day, status) for day, status in marks], as_of)


# --- one-off deadlines -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2026, 1, 10), []),
        (date(2026, 5, 30), []),
        (date(2026, 5, 31), []),  # the due day itself is not past yet
        (date(2026, 6, 1), [date(2026, 5, 31)]),
        (date(2026, 12, 31), [date(2026, 5, 31)]),
        (date(2027, 3, 1), [date(2026, 5, 31)]),  # missed once, never twice
    ],
)
def test_a_date_deadline_is_missed_the_day_after(as_of, expected):
    assert missed(BY_MAY, [], as_of) == expected


def test_progress_short_of_done_does_not_meet_a_date_deadline():
    marks = [(date(2026, 3, 1), "in_progress"), (date(2026, 5, 20), "delayed")]
    assert missed(BY_MAY, marks, date(2026, 6, 1)) == [date(2026, 5, 31)]


@pytest.mark.parametrize("closed", ["done", "cancelled"])
def test_done_or_cancelled_closes_a_one_off_deadline(closed):
    assert missed(BY_MAY, [(date(2026, 5, 31), closed)], date(2026, 6, 1)) == []  # on the due day
    assert (
        missed(BY_MAY, [(date(2026, 5, 1), "in_progress"), (date(2026, 6, 5), closed)], date(2026, 6, 10))
        == []
    )


def test_a_late_closing_is_not_known_before_it_is_dated():
    """An update dated after ``as_of`` is not known yet: on 3 June the activity was still overdue."""
    marks = [(date(2026, 5, 1), "in_progress"), (date(2026, 6, 5), "done")]
    assert missed(BY_MAY, marks, date(2026, 6, 3)) == [date(2026, 5, 31)]
    assert missed(BY_MAY, marks, date(2026, 6, 5)) == []


def test_the_newest_known_update_decides_even_if_given_out_of_order():
    marks = [(date(2026, 6, 5), "done"), (date(2026, 5, 1), "in_progress")]
    assert missed(BY_MAY, marks, date(2026, 6, 10)) == []
    # Reopened after being done: overdue again.
    marks = [(date(2026, 6, 20), "in_progress"), (date(2026, 6, 5), "done")]
    assert missed(BY_MAY, marks, date(2026, 6, 30)) == [date(2026, 5, 31)]


@pytest.mark.parametrize(
    ("deadline", "as_of", "expected"),
    [
        (H1, date(2026, 6, 30), []),
        (H1, date(2026, 7, 1), [date(2026, 6, 30)]),
        (Q3, date(2026, 7, 15), []),
        (Q3, date(2026, 9, 30), []),
        (Q3, date(2026, 10, 1), [date(2026, 9, 30)]),
        (ALL_YEAR, date(2026, 12, 31), []),
        (ALL_YEAR, date(2027, 1, 1), [date(2026, 12, 31)]),
        (Deadline("period", period=""), date(2027, 1, 1), []),  # an incomplete deadline is never due
    ],
)
def test_period_and_all_year_deadlines(deadline, as_of, expected):
    assert missed(deadline, [(date(2026, 2, 1), "in_progress")], as_of) == expected


def test_a_deadline_of_another_year_uses_that_year():
    assert missed(H1, [], date(2027, 7, 1), year=2027) == [date(2027, 6, 30)]
    assert missed(H1, [], date(2027, 7, 1), year=2026) == [date(2026, 6, 30)]


# --- recurrences -------------------------------------------------------------------------------------


def test_a_recurrence_with_no_update_misses_every_passed_round():
    assert missed(EVERY_2, [], date(2026, 2, 28)) == []
    assert missed(EVERY_2, [], date(2026, 3, 1)) == [date(2026, 2, 28)]
    assert missed(EVERY_2, [], date(2026, 7, 15)) == [date(2026, 2, 28), date(2026, 4, 30), date(2026, 6, 30)]
    assert missed(EVERY_2, [], date(2027, 1, 1)) == [
        date(2026, 2, 28),
        date(2026, 4, 30),
        date(2026, 6, 30),
        date(2026, 8, 31),
        date(2026, 10, 31),
        date(2026, 12, 31),
    ]


def test_each_round_needs_an_update_dated_inside_it():
    marks = [(date(2026, 2, 10), "in_progress"), (date(2026, 6, 30), "in_progress")]
    # February's round covered (10.02), April's not (nothing from 01.03 to 30.04), June's covered on
    # its very last day.
    assert missed(EVERY_2, marks, date(2026, 7, 15)) == [date(2026, 4, 30)]
    assert missed(EVERY_2, marks, date(2026, 9, 1)) == [date(2026, 4, 30), date(2026, 8, 31)]
    # An update on 1 March belongs to April's round, not February's.
    assert missed(EVERY_2, [(date(2026, 3, 1), "in_progress")], date(2026, 5, 1)) == [date(2026, 2, 28)]
    # Two updates in one round cover only that round.
    two = [(date(2026, 1, 5), "in_progress"), (date(2026, 2, 28), "delayed")]
    assert missed(EVERY_2, two, date(2026, 5, 1)) == [date(2026, 4, 30)]


def test_a_round_is_judged_on_what_was_known_by_as_of():
    marks = [(date(2026, 2, 10), "in_progress"), (date(2026, 7, 20), "in_progress")]
    assert missed(EVERY_2, marks, date(2026, 7, 15)) == [date(2026, 4, 30), date(2026, 6, 30)]
    closing = [(date(2026, 2, 10), "in_progress"), (date(2026, 8, 1), "done")]
    assert missed(EVERY_2, closing, date(2026, 7, 31)) == [date(2026, 4, 30), date(2026, 6, 30)]
    assert missed(EVERY_2, closing, date(2026, 8, 1)) == []


@pytest.mark.parametrize("closed", ["done", "cancelled"])
def test_a_closed_recurrence_misses_nothing(closed):
    marks = [(date(2026, 1, 10), "in_progress"), (date(2026, 5, 3), closed)]
    assert missed(EVERY_2, marks, date(2026, 12, 1)) == []


def test_a_monthly_recurrence():
    monthly = Deadline("recurrence", every_months=1)
    marks = [(date(2026, 1, 31), "in_progress"), (date(2026, 3, 1), "in_progress")]
    assert missed(monthly, marks, date(2026, 4, 15)) == [date(2026, 2, 28)]


# --- periods -----------------------------------------------------------------------------------------


def test_monthly_periods():
    found = periods("monthly", 2026)
    assert [p.code for p in found] == [f"2026-{m:02d}" for m in range(1, 13)]
    assert [p.end for p in found][:3] == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)]
    assert found[-1].end == date(2026, 12, 31)
    assert periods("monthly", 2028)[1].end == date(2028, 2, 29)
    assert [p.start for p in found][:2] == [date(2026, 1, 1), date(2026, 2, 1)]
    assert found[10].start == date(2026, 11, 1)


def test_quarterly_periods():
    assert periods("quarterly", 2026) == [
        Period("2026-Q1", date(2026, 3, 31)),
        Period("2026-Q2", date(2026, 6, 30)),
        Period("2026-Q3", date(2026, 9, 30)),
        Period("2026-Q4", date(2026, 12, 31)),
    ]
    assert [p.start for p in periods("quarterly", 2026)] == [
        date(2026, 1, 1),
        date(2026, 4, 1),
        date(2026, 7, 1),
        date(2026, 10, 1),
    ]


def test_semiannual_periods():
    assert periods("semiannual", 2026) == [
        Period("2026-H1", date(2026, 6, 30)),
        Period("2026-H2", date(2026, 12, 31)),
    ]
    assert [p.start for p in periods("semiannual", 2026)] == [date(2026, 1, 1), date(2026, 7, 1)]


@pytest.mark.parametrize("frequency", ["annual", "once"])
def test_yearly_and_once_have_one_period(frequency):
    assert periods(frequency, 2026) == [Period("2026", date(2026, 12, 31))]
    assert periods(frequency, 2026)[0].start == date(2026, 1, 1)


def test_month_end():
    assert month_end(2026, 2) == date(2026, 2, 28)
    assert month_end(2028, 2) == date(2028, 2, 29)
    assert month_end(2026, 4) == date(2026, 4, 30)


# --- labels ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "english"),
    [
        ("2026", "2026"),
        ("2026-03", "March 2026"),
        ("2026-12", "December 2026"),
        ("2026-Q1", "quarter 1 of 2026"),
        ("2026-Q3", "quarter 3 of 2026"),
        ("2026-H1", "first half of 2026"),
        ("2026-H2", "second half of 2026"),
    ],
)
def test_period_labels_in_english(code, english):
    with translation.override("en"):
        assert period_label(code) == english
        assert str(Period(code, date(2026, 12, 31))) == english


def test_period_labels_in_albanian():
    with translation.override("sq"):
        assert period_label("2026") == "2026"
        assert period_label("2026-03") == "mars 2026"
        assert period_label("2026-01") == "janar 2026"
        assert month_label(2026, 8) == "gusht 2026"
        # The catalogue's wording (the lead translates it), filled in with the numbers.
        assert period_label("2026-Q3") == gettext("quarter %(n)s of %(year)s") % {"n": "3", "year": "2026"}
        assert period_label("2026-H1") == gettext("first half of %(year)s") % {"year": "2026"}
        assert period_label("2026-H2") == gettext("second half of %(year)s") % {"year": "2026"}


def test_month_label_in_english():
    with translation.override("en"):
        assert month_label(2026, 7) == "July 2026"


def test_rounds_that_ended_while_a_recurrence_was_closed_stay_met_when_it_reopens():
    """Done on 3 March, reopened on 10 September: the rounds ending 30.04, 30.06 and 31.08 passed
    while the activity was done, so none of them was missed; the next ones need their updates again."""
    marks = [
        (date(2026, 2, 1), "in_progress"),
        (date(2026, 3, 3), "done"),
        (date(2026, 9, 10), "in_progress"),
    ]
    assert missed(EVERY_2, marks, date(2026, 9, 15)) == []
    assert missed(EVERY_2, marks, date(2026, 11, 1)) == []  # 10.09 is inside the round ending 31.10
    assert missed(EVERY_2, marks, date(2027, 1, 1)) == [date(2026, 12, 31)]
