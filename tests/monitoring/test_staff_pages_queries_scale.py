"""The staff pages that grow with a council's history read it in a number of queries that does not:
the monitoring dashboard (the newest year's plan, its latest updates), the council's working page
(its compliance calendar) and the council's compliance record, with one year of records and with
three, for an SKN member, the chair and the national observer. The working page's and the
record's facts are kept in the cache under the public generation: counted uncached and cached, and
a new fact shows at once. Today is 15 July 2026 (conftest.py ``clock``); speed itself is
bench/national.py's, not a test's."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from councils.meetings import services as meeting_services
from kvsp.core import public_cache
from monitoring.models import MonthlyReport, StatusUpdate
from plans import services as plan_services
from tests.factories import UserFactory

from .conftest import TODAY, YEAR, approve, record

TIRANE = ZoneInfo("Europe/Tirane")
DASHBOARD, WORKING, RECORD = "/app/elbasan/monitoring/", "/app/elbasan/", "/app/elbasan/compliance/"


def _held(council, kind: str, day: date):
    meeting = meeting_services.meeting_create(
        council=council,
        kind=kind,
        starts_at=datetime(day.year, day.month, day.day, 10, tzinfo=TIRANE),
        place="Salla",
    )
    return meeting_services.attendance_record(meeting=meeting, entries=[])


def _year_of_records(council, people, meeting, year: int, activities: int) -> None:
    """A year as a council lives it: an approved plan of ``activities`` activities, each updated
    every month up to today, a council meeting every half-year and an SKN meeting every month."""
    version = plan_services.plan_start(council=council, year=year)
    row = plan_services.problem_add(
        version=version, number="1.1", title="Droga pranë shkollave", priority="high"
    )
    for n in range(activities):
        activity = plan_services.activity_add(
            problem=row,
            text=f"Aktiviteti {n + 1}",
            lead=people["police"],
            partners=[people["school"]],
            deadline_kind="all_year",
        )
        plan_services.indicator_add(activity=activity, name=f"Treguesi {n + 1}", frequency="quarterly")
    version = approve(version, people, meeting)
    months = [month for month in range(1, 13) if date(year, month, 10) < TODAY]
    for activity in version.problems.get().activities.all():
        for month in months:
            record(activity, people["skn_police"], "in_progress", 5 * month, date(year, month, 10))
    for month in months:
        if date(year, month, 20) < TODAY:
            _held(council, "skn", date(year, month, 20))
    for month in (3, 9):
        if date(year, month, 5) < TODAY:
            _held(council, "council", date(year, month, 5))


def _principal(people, who: str):
    return UserFactory(is_national_observer=True) if who == "observer" else people[who]


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def _uncached(client, path: str) -> int:
    """The queries of a page whose facts are read from the rows: the public generation moved on
    first, so nothing cached under it is found (the session is already written)."""
    client.get(path)
    public_cache.bump()
    return _count(client, path)


@pytest.mark.parametrize("who", ["skn_police", "chair", "observer"])
def test_the_dashboard_costs_the_same_with_one_year_of_history_or_three(
    client, elbasan, people, meeting, who
):
    _year_of_records(elbasan, people, meeting, YEAR, 2)
    client.force_login(_principal(people, who))
    client.get(DASHBOARD)
    small = _count(client, DASHBOARD)

    for year in (YEAR - 2, YEAR - 1):
        _year_of_records(elbasan, people, meeting, year, 10)
    more = StatusUpdate.objects.count()
    response = client.get(DASHBOARD)
    assert response.context["years"] == [YEAR, YEAR - 1, YEAR - 2]
    assert more > 10 * 12 * 2  # every activity of the older years updated every month
    assert _count(client, DASHBOARD) == small


@pytest.mark.parametrize("who", ["skn_police", "chair", "observer"])
@pytest.mark.parametrize("path", [WORKING, RECORD])
def test_the_working_page_and_the_record_cost_the_same_with_one_year_of_history_or_three(
    client, elbasan, people, meeting, who, path
):
    _year_of_records(elbasan, people, meeting, YEAR, 2)
    client.force_login(_principal(people, who))
    small, small_cached = _uncached(client, path), _count(client, path)

    for year in (YEAR - 2, YEAR - 1):
        _year_of_records(elbasan, people, meeting, year, 10)
    assert _uncached(client, path) == small
    assert _count(client, path) == small_cached
    # The compliance facts come from the cache once read: fewer queries than a render from the rows.
    assert small_cached < small


def test_a_new_fact_shows_at_once_on_the_cached_working_page(client, elbasan, people):
    """The calendar's facts are cached under the public generation, which the meeting's service
    moves on: the SKN meeting of April recorded after a visit shows on the next one."""
    for month in (1, 2, 3, 5, 6):
        _held(elbasan, "skn", date(YEAR, month, 20))
    client.force_login(people["skn_police"])
    before = client.get(WORKING).context["panels"][0]["record"].check("skn_meetings")
    assert before.figures["missed"] == [(YEAR, 4)]
    assert client.get(WORKING).context["panels"][0]["record"].check("skn_meetings").figures["missed"] == [
        (YEAR, 4)
    ]

    _held(elbasan, "skn", date(YEAR, 4, 20))
    after = client.get(WORKING).context["panels"][0]["record"].check("skn_meetings")
    assert after.figures["missed"] == []


def test_the_cached_dashboard_shows_a_new_update_at_once_and_each_reader_their_own_buttons(
    client, elbasan, people, meeting
):
    """The board's part of the page is kept in the cache: an update recorded after a visit shows on
    the next one, and a reader who may update nothing never gets the buttons of one who may."""
    _year_of_records(elbasan, people, meeting, YEAR, 2)
    client.force_login(people["skn_police"])
    first = client.get(DASHBOARD).content.decode()
    assert first.count("#update") == 2
    assert "71%" not in first

    activity = StatusUpdate.objects.order_by("pk").first().activity
    record(activity, people["skn_police"], "in_progress", 71, TODAY)
    assert "71%" in client.get(DASHBOARD).content.decode()

    client.force_login(UserFactory(is_national_observer=True))
    observed = client.get(DASHBOARD).content.decode()
    assert "71%" in observed
    assert "#update" not in observed


def test_the_report_list_shows_a_year_a_page_in_the_same_queries_whatever_the_history(
    client, elbasan, people
):
    """A page of twelve reports, newest first, with links to the older and newer ones; a year of
    reports or three cost the same."""
    listing = "/app/elbasan/monitoring/reports/"
    for month in range(1, 7):
        MonthlyReport.objects.create(council=elbasan, year=YEAR, month=month)
    client.force_login(people["skn_police"])
    client.get(listing)
    small = _count(client, listing)
    assert 'href="?page=2"' not in client.get(listing).content.decode()

    for year in (YEAR - 2, YEAR - 1):
        for month in range(1, 13):
            MonthlyReport.objects.create(council=elbasan, year=year, month=month)
    client.get(listing)  # the top bar's count, computed again after the change
    assert _count(client, listing) == small
    first = client.get(listing)
    assert [(r.year, r.month) for r in first.context["reports"]][:7] == [
        (YEAR, 6),
        (YEAR, 5),
        (YEAR, 4),
        (YEAR, 3),
        (YEAR, 2),
        (YEAR, 1),
        (YEAR - 1, 12),
    ]
    assert len(first.context["reports"]) == 12
    page = first.content.decode()
    assert '<nav aria-label="Faqet">' in page or '<nav aria-label="Pages">' in page
    assert 'href="?page=2"' in page
    last = client.get(listing + "?page=3")
    assert [(r.year, r.month) for r in last.context["reports"]] == [(YEAR - 2, m) for m in (6, 5, 4, 3, 2, 1)]
    assert 'href="?page=2"' in last.content.decode()
    assert _count(client, listing + "?page=3") == small
