"""Compliance rewards only what happened on time (issue 20, item 6): a plan or a monthly report
approved after its deadline is "done late" — a state of its own, with the date it happened — and
counts as not met in the score; a check counts only the facts dated inside its period and on or
before ``as_of``; a meeting or consultation marked held before its start never counts as held.

The pure rules first (hand-written facts, every expectation worked out by hand from the deadlines:
the plan by 31 January, a month's report by the end of the following month, a council meeting and
a consultation in each half-year, an SKN meeting every month), then the same through the database
and the pages. Today is 15 July 2026 (tests/monitoring/conftest.py ``clock``)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from consultations.models import Consultation
from councils.meetings import services as meeting_services
from councils.meetings.models import Meeting
from monitoring import compliance_data, services
from monitoring.compliance import (
    Code,
    ConsultationFact,
    CouncilFacts,
    MeetingFact,
    ReportFact,
    State,
    VersionFact,
    calendar_rows,
    check_consultations,
    check_council_meetings,
    check_plan,
    check_reports,
    check_skn_meetings,
    evaluate,
)
from monitoring.models import MonthlyReport

Y = 2026
TIRANE = ZoneInfo("Europe/Tirane")


def facts(**kwargs) -> CouncilFacts:
    """A council keeping every part of the model here since 2020."""
    for key in ("first_meeting", "first_council_meeting", "first_consultation"):
        kwargs.setdefault(key, date(2020, 1, 10))
    kwargs.setdefault("first_plan_year", 2020)
    kwargs.setdefault("first_report", date(2020, 1, 1))
    kwargs.setdefault("first_approval", date(2020, 1, 20))
    return CouncilFacts(
        council_id=7,
        slug="elbasan",
        name="Elbasan",
        county="Elbasan",
        county_slug="elbasan",
        status="active",
        **kwargs,
    )


def council(day: date, status: str = "held", pk: int = 0) -> MeetingFact:
    return MeetingFact(pk or day.toordinal(), "council", day, status, True)


def skn(day: date, status: str = "held") -> MeetingFact:
    return MeetingFact(day.toordinal() + 10**6, "skn", day, status)


def plan(decided: date, *, held: bool = True) -> VersionFact:
    return VersionFact(Y, 1, decided, meeting_id=5, meeting_held=held)


def report(month: int, on: date) -> ReportFact:
    return ReportFact(Y, month, "approved", on)


def whole_year(**kwargs) -> CouncilFacts:
    """Every check of 2026 met on time, read at 1 February 2027 (overdue and concerns not due)."""
    kwargs.setdefault("versions", [plan(date(Y, 1, 20))])
    kwargs.setdefault("reports", [report(month, date(Y, month, 28)) for month in range(1, 13)])
    return facts(
        meetings=[
            *(skn(date(Y, month, 15)) for month in range(1, 13)),
            council(date(Y, 3, 10)),
            council(date(Y, 10, 10)),
        ],
        consultations=[
            ConsultationFact(1, date(Y, 4, 1), "held"),
            ConsultationFact(2, date(Y, 9, 1), "held"),
        ],
        **kwargs,
    )


AT_YEAR_END = date(Y + 1, 2, 1)


# --- the plan ----------------------------------------------------------------------------------------


def test_a_late_plan_does_not_raise_the_score():
    on_time = evaluate(whole_year(), Y, AT_YEAR_END)
    late = evaluate(whole_year(versions=[plan(date(Y, 3, 5))]), Y, AT_YEAR_END)
    never = evaluate(whole_year(versions=[]), Y, AT_YEAR_END)
    assert on_time.check(Code.PLAN).state == State.MET
    assert late.check(Code.PLAN).state == State.LATE
    assert never.check(Code.PLAN).state == State.NOT_MET
    # Done late is due and not met, as a plan never approved is: below the plan on time (council and
    # SKN meetings, consultations, the plan and the reports are due).
    assert (on_time.met, on_time.due, on_time.score) == (5, 5, 100)
    assert (late.met, late.due, late.score) == (4, 5, 80)
    assert not late.check(Code.PLAN).is_met and not never.check(Code.PLAN).is_met
    # With the date it happened.
    assert late.check(Code.PLAN).figures == {"due": date(Y, 1, 31), "approved": date(Y, 3, 5), "late": True}


@pytest.mark.parametrize(
    ("decided", "state"),
    [(date(Y, 1, 30), State.MET), (date(Y, 1, 31), State.MET), (date(Y, 2, 1), State.LATE)],
)
def test_the_plans_deadline_is_31_january_inclusive(decided, state):
    assert check_plan(facts(versions=[plan(decided)]), Y, date(Y, 6, 1)).state == state


def test_a_plan_decided_after_as_of_is_not_known_yet():
    item = facts(versions=[plan(date(Y, 1, 20))])
    assert check_plan(item, Y, date(Y, 1, 19)).state == State.NOT_DUE  # the day before the decision
    assert check_plan(item, Y, date(Y, 1, 20)).state == State.MET  # the day of it
    late = facts(versions=[plan(date(Y, 3, 5))])
    assert check_plan(late, Y, date(Y, 3, 4)).state == State.NOT_MET  # due, and nothing yet
    assert check_plan(late, Y, date(Y, 3, 5)).state == State.LATE


def test_a_plan_cited_to_a_meeting_not_held_is_not_approved_at_a_meeting():
    check = check_plan(facts(versions=[plan(date(Y, 1, 20), held=False)]), Y, date(Y, 3, 1))
    assert check.state == State.NOT_MET
    assert check.figures["approved"] is None


def test_the_plans_summary_says_it_was_done_late_and_counts_as_not_met():
    check = check_plan(facts(versions=[plan(date(Y, 3, 5))]), Y, date(Y, 6, 1))
    with translation.override("en"):
        assert check.state_label == "done late"
        assert check.summary == (
            "Approved at a council meeting on 05/03/2026. "
            "It was due by 31/01/2026: done late, which counts as not met."
        )


# --- the monthly reports ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("approved_on", "state"),
    [
        (date(Y, 1, 31), State.MET),  # the month's last day
        (date(Y, 2, 28), State.MET),  # the last day of the following month
        (date(Y, 3, 1), State.LATE),  # the day after
    ],
)
def test_januarys_report_is_due_by_the_end_of_february(approved_on, state):
    item = facts(versions=[plan(date(Y - 1, 12, 20))], reports=[report(1, approved_on)])
    check = check_reports(item, Y, date(Y, 3, 10))  # only January is due
    assert check.figures["due"] == 1
    assert check.state == state
    assert check.figures["late"] == ([(Y, 1, approved_on)] if state == State.LATE else [])


def test_a_late_report_is_done_late_and_a_missing_one_is_still_not_met():
    reports = [report(1, date(Y, 2, 10)), report(2, date(Y, 4, 2))]
    late = check_reports(facts(versions=[plan(date(Y - 1, 12, 20))], reports=reports), Y, date(Y, 4, 5))
    assert late.state == State.LATE
    assert late.figures == {"approved": 2, "due": 2, "missed": [], "late": [(Y, 2, date(Y, 4, 2))]}
    with translation.override("en"):
        assert late.summary == (
            "2 of 2 monthly reports approved. "
            "Done late, after the end of the following month: February on 02/04/2026."
        )
    # March's report is due by the end of April: on 1 May it is missing, and that is not met.
    missing = check_reports(facts(versions=[plan(date(Y - 1, 12, 20))], reports=reports), Y, date(Y, 5, 1))
    assert missing.state == State.NOT_MET
    assert missing.figures["missed"] == [(Y, 3)]


def test_a_report_approved_before_its_month_began_does_not_count():
    item = facts(versions=[plan(date(Y - 1, 12, 20))], reports=[report(1, date(Y - 1, 12, 31))])
    check = check_reports(item, Y, date(Y, 3, 10))
    assert check.state == State.NOT_MET
    assert check.figures["missed"] == [(Y, 1)]


def test_a_report_approved_after_as_of_is_not_known_yet():
    item = facts(versions=[plan(date(Y - 1, 12, 20))], reports=[report(1, date(Y, 2, 20))])
    assert check_reports(item, Y, date(Y, 3, 1)).state == State.MET
    item = facts(versions=[plan(date(Y - 1, 12, 20))], reports=[report(1, date(Y, 3, 20))])
    assert check_reports(item, Y, date(Y, 3, 19)).figures["missed"] == [(Y, 1)]  # the day before
    assert check_reports(item, Y, date(Y, 3, 20)).state == State.LATE  # the day of it


def test_a_late_report_and_a_late_plan_in_the_score():
    reports = [report(month, date(Y, month, 28)) for month in range(1, 13)]
    reports[5] = report(6, date(Y, 8, 3))  # June's, due by 31 July
    record = evaluate(whole_year(reports=reports, versions=[plan(date(Y, 2, 2))]), Y, AT_YEAR_END)
    assert record.check(Code.REPORTS).state == State.LATE
    assert record.check(Code.PLAN).state == State.LATE
    assert (record.met, record.due, record.score) == (3, 5, 60)


# --- inside the period, up to as_of ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "first_half", "second_half"),
    [
        (date(Y, 1, 1), True, False),  # the first day of the period
        (date(Y, 6, 30), True, False),  # its last day
        (date(Y, 7, 1), False, True),  # the day after: the second half
        (date(Y, 12, 31), False, True),
        (date(Y - 1, 12, 31), False, False),  # the day before the year: another year's
        (date(Y + 1, 1, 1), False, False),  # the day after the year
    ],
)
def test_a_council_meeting_counts_only_inside_its_half_year(day, first_half, second_half):
    item = facts(meetings=[council(day)])
    check = check_council_meetings(item, Y, date(Y + 1, 2, 1))
    missed = [half for half, kept in ((1, first_half), (2, second_half)) if not kept]
    assert check.figures["missed"] == [(Y, half) for half in missed]
    assert check.figures["held"] == int(first_half or second_half)


def test_a_meeting_after_the_half_year_does_not_make_up_for_it():
    # None from January to June, two from July: the first half-year stays not met.
    item = facts(meetings=[council(date(Y, 7, 1)), council(date(Y, 11, 10))])
    check = check_council_meetings(item, Y, date(Y + 1, 1, 5))
    assert check.state == State.NOT_MET
    assert check.figures == {"held": 2, "expected": 2, "missed": [(Y, 1)]}
    with translation.override("en"):
        assert check.summary == "2 held of 2 expected. None held in: January to June."


@pytest.mark.parametrize(
    ("day", "held"),
    [
        (date(Y - 1, 12, 31), 0),  # the day before the year
        (date(Y, 1, 1), 1),
        (date(Y, 6, 30), 1),  # the last day of the first half-year
        (date(Y, 7, 2), 0),  # the day after the assessment: not known yet
    ],
)
def test_a_consultation_counts_inside_the_year_up_to_as_of(day, held):
    item = facts(consultations=[ConsultationFact(1, day, "held")])
    check = check_consultations(item, Y, date(Y, 7, 1))  # the first half-year just over
    assert check.figures["held"] == held
    assert check.state == (State.MET if held else State.NOT_MET)


@pytest.mark.parametrize(
    ("as_of", "held"),
    [(date(Y, 3, 9), 0), (date(Y, 3, 10), 1), (date(Y, 3, 11), 1)],
)
def test_a_meeting_counts_from_its_day_on_not_before(as_of, held):
    item = facts(meetings=[council(date(Y, 3, 10)), skn(date(Y, 3, 10))])
    assert check_council_meetings(item, Y, as_of).figures["held"] == held
    assert len(check_skn_meetings(item, Y, as_of).evidence) == held


@pytest.mark.parametrize(("day", "month"), [(date(Y, 4, 30), 4), (date(Y, 5, 1), 5)])
def test_an_skn_meeting_fills_only_its_own_month(day, month):
    meetings = [skn(date(Y, m, 15)) for m in range(1, 7) if m not in (4, 5)] + [skn(day)]
    check = check_skn_meetings(facts(meetings=meetings), Y, date(Y, 6, 5))
    assert check.figures["missed"] == [(Y, 9 - month)]  # the other of April and May


def test_a_held_meeting_in_the_future_of_as_of_never_counts_nor_shows_as_held():
    # Its record says held, but its day is after the assessment.
    item = facts(meetings=[council(date(Y, 3, 10)), council(date(Y, 9, 10))])
    assert check_council_meetings(item, Y, date(Y, 7, 15)).figures["held"] == 1
    cells = calendar_rows(item, Y, date(Y, 7, 15))[1]["cells"]
    assert [cell.state for cell in cells] == ["done", "scheduled"]
    assert cells[1].days == (date(Y, 9, 10),)


def test_the_calendar_shows_a_late_plan_and_a_late_report():
    item = facts(
        versions=[plan(date(Y, 3, 5))],
        reports=[report(3, date(Y, 4, 30)), report(4, date(Y, 6, 2))],
    )
    rows = calendar_rows(item, Y, date(Y, 7, 15))
    (plan_cell,) = rows[3]["cells"]
    assert (plan_cell.state, plan_cell.days) == ("late", (date(Y, 3, 5),))
    report_cells = rows[4]["cells"]
    assert report_cells[2].state == "approved"
    assert (report_cells[3].state, report_cells[3].days) == ("late", (date(Y, 6, 2),))
    with translation.override("en"):
        assert plan_cell.label == "done late"


# --- through the database and the pages -----------------------------------------------------------------


def _at(month, day, hour=10, year=Y):
    return datetime(year, month, day, hour, 0, tzinfo=TIRANE)


def _marked_held(meeting) -> None:
    """Held in the record (a raw write, as an import or an old row might have it)."""
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)


def test_a_future_meeting_marked_held_counts_nowhere(elbasan):
    past = meeting_services.meeting_create(
        council=elbasan, kind="council", starts_at=_at(3, 5), place="Salla"
    )
    _marked_held(past)
    ahead = meeting_services.meeting_create(
        council=elbasan, kind="council", starts_at=timezone.now() + timedelta(hours=2), place="Salla"
    )
    _marked_held(ahead)
    year_end = date(Y, 12, 31)  # an assessment dated after it: still not a fact
    (record, *_older) = compliance_data.council_records(elbasan, Y, as_of=year_end)
    check = record.check(Code.COUNCIL_MEETINGS)
    assert check.figures["held"] == 1
    assert [e.pk for e in check.evidence] == [past.pk]
    cells = compliance_data.council_calendar(elbasan, Y, as_of=year_end)[1]["cells"]
    assert [cell.state for cell in cells] == ["done", "scheduled"]


def test_a_future_consultation_marked_held_counts_nowhere(elbasan):
    # Rows as an import might leave them: one held in March, one "held" three days ahead.
    for starts_at in (_at(3, 12), timezone.now() + timedelta(days=3)):
        Consultation.objects.create(
            council=elbasan, starts_at=starts_at, place="Salla", status=Consultation.Status.HELD
        )
    (record, *_older) = compliance_data.council_records(elbasan, Y, as_of=date(Y, 12, 31))
    assert record.check(Code.CONSULTATIONS).figures["held"] == 1
    cells = compliance_data.council_calendar(elbasan, Y, as_of=date(Y, 12, 31))[2]["cells"]
    assert [cell.state for cell in cells] == ["done", "scheduled"]


def test_a_plan_cited_to_a_meeting_no_longer_held_is_not_approved_at_a_meeting(plan, meeting, elbasan):
    (record, *_older) = compliance_data.council_records(elbasan, Y)
    assert record.check(Code.PLAN).state == State.LATE  # approved on 14 July, due by 31 January
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED, cancel_reason="Gabim.")
    (record, *_older) = compliance_data.council_records(elbasan, Y)
    assert record.check(Code.PLAN).state == State.NOT_MET


def test_a_late_plan_and_a_late_report_through_the_database(plan, meeting, people, elbasan, monkeypatch):
    (record, *_older) = compliance_data.council_records(elbasan, Y)
    plan_check = record.check(Code.PLAN)
    assert plan_check.state == State.LATE
    assert plan_check.figures["approved"] == timezone.localtime(meeting.starts_at).date()
    assert not plan_check.is_met and plan_check.counts
    # July's report, approved on 10 September (due by 31 August): done late.
    july = services.report_start(council=elbasan, year=Y, month=7)
    services.report_update(report=july, summary="Përmbledhja.", difficulties="", proposals="")
    services.report_submit(report=july, user=people["skn_police"])
    september = _at(9, 10) - timezone.now()
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + september)
    services.report_approve(report=MonthlyReport.objects.get(pk=july.pk), user=people["chair"])
    assert timezone.localtime(MonthlyReport.objects.get(pk=july.pk).approved_at).date() == date(Y, 9, 10)
    (record, *_older) = compliance_data.council_records(elbasan, Y, as_of=date(Y, 9, 15))
    reports = record.check(Code.REPORTS)
    assert reports.state == State.LATE
    assert reports.figures["late"] == [(Y, 7, date(Y, 9, 10))]
    # Read on 9 September, before its approval: missing.
    (before, *_older) = compliance_data.council_records(elbasan, Y, as_of=date(Y, 9, 9))
    assert before.check(Code.REPORTS).state == State.NOT_MET


def test_the_pages_show_done_late(client, plan, people, elbasan):
    cache.clear()
    client.force_login(people["member"])
    working = client.get("/app/elbasan/compliance/", HTTP_ACCEPT_LANGUAGE="en")
    text = working.content.decode()
    assert 'kvsp-state-late">done late</span>' in text
    assert "It was due by" in text and "done late, which counts as not met" in text
    assert "kvsp-cell-late" in text  # the calendar's plan cell
    client.logout()
    public = client.get("/elbasan/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'kvsp-state-late">done late</span>' in public
    overview = client.get("/compliance/", {"check": "plan", "state": "late"}, HTTP_ACCEPT_LANGUAGE="en")
    assert [line.council.slug for line in overview.context["lines"]] == ["elbasan"]
    assert ("late", "done late") in [(value, str(label)) for value, label in overview.context["states"]]
    client.cookies["kvsp_language"] = "en"
    lines = client.get("/compliance/compliance.csv").content.decode("utf-8-sig").splitlines()
    elbasan_2026 = next(line for line in lines if line.startswith("Elbasan,Elbasan,") and ",2026," in line)
    states = elbasan_2026.split(",")[4 : 4 + len(Code.values)]
    assert states[list(Code.values).index(Code.PLAN)] == "done late"


def test_the_overview_still_reads_twelve_queries(plan, elbasan):
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        compliance_data.national_records(Y)
    assert len(captured.captured_queries) == 12  # BENCHMARKS.md: 12, whatever the data


def test_the_methodology_says_only_what_happened_on_time_counts(client, db):
    text = " ".join(
        client.get("/compliance/methodology/", HTTP_ACCEPT_LANGUAGE="en").content.decode().split()
    )
    assert "Five answers" in text
    assert 'kvsp-state-late">done late</span>' in text
    assert "Done late counts as not met in the score." in text
    assert (
        "inside its period (the month, the half-year, the year) and up to the date of the assessment" in text
    )
    assert "counts as held only once its start has passed" in text
    assert "A meeting held in July does not make up for a first half-year without one." in text
    assert "A plan approved later is done late, with the date of its approval, and counts as not met." in text
