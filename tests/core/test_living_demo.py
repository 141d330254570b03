"""load_demo's living year (monitoring/demo_living.py): the current year's cycle around the day the
demo is loaded, consistent with the rules whatever that day is."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from consultations.models import Consultation
from councils.meetings.models import Meeting
from councils.waiting import waiting_for
from kvsp.core.models import User
from monitoring.compliance_data import national_records
from monitoring.models import IndicatorValue, MonthlyReport, StatusUpdate
from plans.models import Plan, PlanVersion
from tests.core.test_load_demo import _row_counts

TIRANE = ZoneInfo("Europe/Tirane")


def _nothing_held_ahead() -> None:
    """Facts before approvals: nothing held, measured or reported is dated after today."""
    now, today = timezone.now(), timezone.localdate()
    assert not Meeting.objects.filter(status=Meeting.Status.HELD, starts_at__gt=now).exists()
    assert not Consultation.objects.filter(status=Consultation.Status.HELD, starts_at__gt=now).exists()
    assert not StatusUpdate.objects.filter(date__gt=today).exists()
    assert not IndicatorValue.objects.filter(created_at__gt=now).exists()
    assert not MonthlyReport.objects.filter(year__gt=today.year).exists()
    assert not MonthlyReport.objects.filter(year=today.year, month__gte=today.month).exists()
    for version in PlanVersion.objects.filter(status=PlanVersion.Status.APPROVED):
        assert version.meeting.status == Meeting.Status.HELD and version.meeting.starts_at <= now
        assert version.decision.meeting == version.meeting and version.decision_date <= today


def _records(year: int) -> dict:
    councils, records, _first = national_records(year)
    return {c.slug: records[c.council_id][year] for c in councils}


def _elbasan_plan(year: int) -> PlanVersion:
    plan = Plan.objects.get(council__municipality__slug="elbasan", year=year)
    return plan.versions.get(status=PlanVersion.Status.APPROVED)


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 4, 3, 11, 0, tzinfo=TIRANE), tick=True)
def test_a_fresh_demo_shows_elbasan_scoring_this_year_and_last_months_report_waiting(client):
    # A fixed day after Belsh's late plan: early in January nothing of Belsh's is due, so no score.
    call_command("load_demo", verbosity=0)
    today = timezone.localdate()
    _nothing_held_ahead()
    client.cookies["kvsp_language"] = "en"
    page = client.get("/").content.decode()
    item = re.search(r'<li[^>]*>\s*<a href="/elbasan/">Elbasan</a>(.*?)</li>', page, re.S)
    assert item, "Elbasan is listed on the home page"
    score = re.search(r"score (\d+)%", item.group(1))
    assert score and int(score.group(1)) > 0
    records = _records(today.year)
    assert records["elbasan"].score == int(score.group(1))
    # One council that works, one that struggles.
    assert records["belsh"].score is not None and records["belsh"].score < records["elbasan"].score
    # The plan of the year, approved in January (or December before it) at a held council meeting.
    version = _elbasan_plan(today.year)
    assert version.decision_date <= date(today.year, 1, 31)
    assert records["elbasan"].check("plan").state == "met"
    # Belsh's late plan: its technical secretary submits it and writes the meeting's minutes, its
    # SKN agrees the agenda, its chair approves the minutes and the plan.
    belsh = Plan.objects.get(council__municipality__slug="belsh", year=today.year).versions.get()
    secretary = User.objects.get(email="sekretari@belsh.kvsp.demo")
    belsh_chair = User.objects.get(email="kryetari@belsh.kvsp.demo")
    assert (belsh.submitted_by, belsh.approved_by) == (secretary, belsh_chair)
    assert (belsh.meeting.minutes.author, belsh.meeting.minutes.approved_by) == (secretary, belsh_chair)
    assert belsh.meeting.agenda_agreed_by.email == "skn.prokuroria@elbasan.kvsp.demo"
    elbasan_minutes = version.meeting.minutes
    assert elbasan_minutes.author.email == "sekretari@elbasan.kvsp.demo"
    assert elbasan_minutes.approved_by.email == "kryetari@elbasan.kvsp.demo"
    # The monthly reports up to last month: published, the last one waiting for the chair.
    reports = MonthlyReport.objects.filter(council__municipality__slug="elbasan", year=today.year)
    *done, waiting = reports.order_by("month")
    assert [r.month for r in [*done, waiting]] == list(range(1, today.month))
    assert all(r.status == MonthlyReport.Status.PUBLISHED for r in done)
    assert waiting.status == MonthlyReport.Status.SUBMITTED
    chair = User.objects.get(email="kryetari@elbasan.kvsp.demo")
    urls = [item.url for item in waiting_for(chair) if item.kind == "report_to_approve"]
    assert urls == [f"/app/elbasan/monitoring/reports/{today.year}/{waiting.month}/approve/"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "today",
    [datetime(2026, 1, 10, 11, 0, tzinfo=TIRANE), datetime(2026, 4, 3, 11, 0, tzinfo=TIRANE)],
    ids=["january", "april"],
)
def test_the_living_year_is_consistent_on_any_day_and_loads_once(today):
    with time_machine.travel(today, tick=True):
        call_command("load_demo", verbosity=0)
        if today.month > 1:  # the waiting report and the months' updates, loaded again: nothing new
            first = _row_counts()
            call_command("load_demo", verbosity=0)
            assert _row_counts() == first
        _nothing_held_ahead()
        records = _records(today.year)
        version = _elbasan_plan(today.year)
        reports = MonthlyReport.objects.filter(council__municipality__slug="elbasan", year=today.year)
        skn = Meeting.objects.filter(
            council__municipality__slug="elbasan", kind=Meeting.Kind.SKN, starts_at__year=today.year
        )
        if today.month == 1:
            # Loaded before 22 January: the plan was approved in December, ahead of its year.
            assert version.decision_date == date(today.year - 1, 12, 18)
            assert not reports.exists() and not skn.exists()
            # Belsh's plan is not approved yet, and not yet due.
            assert not Plan.objects.filter(council__municipality__slug="belsh", year=today.year).exists()
            assert records["belsh"].check("plan").state == "not_due"
        else:
            assert version.decision_date == date(today.year, 1, 22)
            assert list(reports.order_by("month").values_list("month", "status")) == [
                (1, "published"),
                (2, "published"),
                (3, "submitted"),
            ]
            assert sorted(skn.values_list("starts_at__month", flat=True)) == [1, 2, 3]
            assert records["elbasan"].check("skn_meetings").state == "met"
            assert records["belsh"].check("plan").state == "late"
        assert records["elbasan"].check("plan").state == "met"
        assert records["elbasan"].score and records["elbasan"].score > 0
