"""Monitoring's reads: the board (each activity's standing on a day), what the dashboards count,
the monthly report's data and sections, a consultation's "what we did" (row_progress), and the
board's fixed number of queries. The data are ``monitored`` (conftest.py); every expected number
is worked out by hand from its docstring."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from monitoring import selectors, services
from monitoring.models import MonthlyReport, ReportSection
from plans import services as plan_services
from plans.models import Activity, PlanVersion
from tests.builders import approve_by_decision
from tests.factories import council

from .conftest import TODAY, approve, record

ZERO = {"not_started": 0, "in_progress": 0, "done": 0, "delayed": 0, "cancelled": 0}


def standings(board) -> dict:
    return {
        activity.text: (
            activity.standing.status,
            activity.standing.progress,
            activity.standing.updated_on,
            activity.standing.update_count,
            activity.standing.missed,
        )
        for activity in board.activities
    }


def counts(group: dict) -> dict:
    return {str(status): n for status, n in group["counts"]}


# --- the board ---------------------------------------------------------------------------------------


def test_the_board_on_today(monitored):
    board = selectors.board(monitored.version, TODAY)
    assert board.as_of == TODAY and board.version == monitored.version
    assert [p.number for p in board.problems] == ["1.1", "1.2", "1.3"]
    assert standings(board) == {
        "Patrullime pranë shkollave": ("in_progress", 60, date(2026, 5, 10), 2, [date(2026, 5, 31)]),
        "Orë edukative në shkolla": ("done", 100, date(2026, 6, 25), 1, []),
        "Fushatë ndërgjegjësimi": ("in_progress", 30, date(2026, 7, 10), 1, []),
        "Takime me prindërit": ("delayed", 10, date(2026, 6, 5), 2, [date(2026, 4, 30)]),
        "Kontrolle të shpejtësisë": ("not_started", 0, None, 0, []),
        "Sinjalistikë pranë spitalit": ("cancelled", 0, date(2026, 7, 1), 1, []),
    }
    assert [a.text for a in board.overdue] == ["Patrullime pranë shkollave", "Takime me prindërit"]
    first = board.activities[0]
    assert first.standing.is_overdue and first.standing.note == ""
    assert str(first.standing.status_label) == str(selectors.Status.IN_PROGRESS.label)


def test_the_board_is_the_latest_standing_as_of_its_day(monitored):
    board = selectors.board(monitored.version, date(2026, 5, 31))
    assert standings(board) == {
        "Patrullime pranë shkollave": ("in_progress", 60, date(2026, 5, 10), 2, []),  # due today: not late
        "Orë edukative në shkolla": ("not_started", 0, None, 0, []),
        "Fushatë ndërgjegjësimi": ("not_started", 0, None, 0, []),
        "Takime me prindërit": ("in_progress", 10, date(2026, 2, 15), 1, [date(2026, 4, 30)]),
        "Kontrolle të shpejtësisë": ("not_started", 0, None, 0, []),
        "Sinjalistikë pranë spitalit": ("not_started", 0, None, 0, []),
    }
    early = standings(selectors.board(monitored.version, date(2026, 3, 1)))
    assert early["Patrullime pranë shkollave"] == ("in_progress", 20, date(2026, 3, 1), 1, [])
    assert early["Takime me prindërit"] == ("in_progress", 10, date(2026, 2, 15), 1, [])


def test_indicator_values_on_the_board(monitored):
    board = selectors.board(monitored.version, TODAY)
    indicators = {i.name: i for a in board.activities for i in a.indicators.all()}
    patrols = indicators["Patrullime"]
    assert [(v.period, v.value) for v in patrols.measured] == [
        ("2026-Q1", Decimal("3")),
        ("2026-Q2", Decimal("5")),
    ]
    assert patrols.latest.period == "2026-Q2"
    assert indicators["Orë të zhvilluara"].latest.value == Decimal("4.50")
    assert indicators["Familje të informuara"].latest.period == "2026-H1"
    assert indicators["Takime"].measured == [] and indicators["Takime"].latest is None
    # A value counts from the end of its period.
    board = selectors.board(monitored.version, date(2026, 6, 29))
    patrols = next(i for a in board.activities for i in a.indicators.all() if i.name == "Patrullime")
    assert [v.period for v in patrols.measured] == ["2026-Q1"]


# --- dashboards --------------------------------------------------------------------------------------


def test_totals(monitored):
    totals = selectors.board(monitored.version, TODAY).totals()
    assert totals["key"] is None and totals["total"] == 6
    assert counts(totals) == {"not_started": 1, "in_progress": 2, "done": 1, "delayed": 1, "cancelled": 1}
    assert totals["overdue"] == 2
    assert totals["progress"] == 33  # (60 + 100 + 30 + 10 + 0 + 0) / 6 = 33.3
    assert [str(status) for status, _n in totals["counts"]] == list(ZERO)


def test_by_priority(monitored):
    groups = selectors.board(monitored.version, TODAY).by_priority()
    assert [g["key"] for g in groups] == ["high", "moderate", "low"]
    high, moderate, low = groups
    assert (high["total"], high["overdue"], high["progress"]) == (2, 1, 80)
    assert counts(high) == {**ZERO, "in_progress": 1, "done": 1}
    assert (moderate["total"], moderate["overdue"], moderate["progress"]) == (2, 1, 20)
    assert counts(moderate) == {**ZERO, "in_progress": 1, "delayed": 1}
    assert (low["total"], low["overdue"], low["progress"]) == (2, 0, 0)
    assert counts(low) == {**ZERO, "not_started": 1, "cancelled": 1}


def test_by_institution(monitored, people):
    groups = selectors.board(monitored.version, TODAY).by_institution()
    assert [(g["key"], g["total"], g["overdue"], g["progress"]) for g in groups] == [
        (people["municipality"], 1, 0, 30),
        (people["school"], 1, 0, 100),
        (people["police"], 2, 2, 35),
        (people["prosecution"], 1, 0, 0),
        (people["health"], 1, 0, 0),
    ]
    assert counts(groups[2]) == {**ZERO, "in_progress": 1, "delayed": 1}


def test_an_empty_group_has_no_progress(monitored):
    assert selectors._group("x", [])["progress"] == 0


def test_recent_updates(monitored, elbasan):
    recent = selectors.recent_updates(elbasan, limit=3)
    # Newest recorded first (all recorded on the same day: by id).
    assert [(u.activity.text, u.date) for u in recent] == [
        ("Fushatë ndërgjegjësimi", date(2026, 7, 10)),
        ("Sinjalistikë pranë spitalit", date(2026, 7, 1)),
        ("Orë edukative në shkolla", date(2026, 6, 25)),
    ]
    assert selectors.recent_updates(council("belsh")) == []


# --- the plan in force -------------------------------------------------------------------------------


def test_plan_in_force_and_monitored_years(monitored, elbasan, people, meeting):
    assert selectors.plan_in_force(elbasan, 2026) == monitored.version
    assert selectors.plan_in_force(elbasan, 2026, TODAY) == monitored.version
    # Decided at the council meeting of 14.07 (the day before TODAY): in force from that day.
    assert selectors.plan_in_force(elbasan, 2026, date(2026, 7, 14)) == monitored.version
    assert selectors.plan_in_force(elbasan, 2026, date(2026, 7, 13)) is None
    assert selectors.plan_in_force(elbasan, 2025) is None
    revision = plan_services.version_revise(version=monitored.version)
    assert selectors.plan_in_force(elbasan, 2026) == monitored.version  # a draft is not in force
    approve(revision, people, meeting)
    assert selectors.plan_in_force(elbasan, 2026) == PlanVersion.objects.get(pk=revision.pk)
    assert selectors.monitored_years(elbasan) == [2026]
    assert selectors.monitored_years(council("belsh")) == []


# --- the monthly report's data ------------------------------------------------------------------------


def sections_by_text(content: dict) -> dict:
    sections = selectors.report_sections(content)
    return {
        key: [a["text"] for a in sections[key]]
        for key in ("done", "in_progress", "delayed", "overdue", "not_updated")
    } | {"total": sections["total"], "done_total": sections["done_total"]}


def test_report_data_of_june(monitored, elbasan, people):
    content = selectors.report_data(elbasan, 2026, 6)
    assert (content["year"], content["month"], content["as_of"]) == (2026, 6, "2026-06-30")
    # No version was in force on 30 June (approved 15 July): the approved one is used.
    assert content["plan"] == {"id": monitored.version.pk, "year": 2026, "number": 1}
    rows = {a["text"]: a for a in content["activities"]}
    assert rows["Patrullime pranë shkollave"] == {
        "lineage": str(monitored.activities["date"].lineage),
        "problem": "1.1",
        "number": f"1.1.{monitored.activities['date'].position}",
        "problem_title": "Droga pranë shkollave",
        "priority": "high",
        "text": "Patrullime pranë shkollave",
        "lead": "Drejtoria Vendore e Policisë Elbasan",
        "status": "in_progress",
        "progress": 60,
        "updated_on": "2026-05-10",
        "note": "",
        "updated_this_month": False,
        "missed": ["2026-05-31"],
    }
    assert [
        (a["text"], a["status"], a["updated_this_month"], a["missed"]) for a in content["activities"]
    ] == [
        ("Patrullime pranë shkollave", "in_progress", False, ["2026-05-31"]),
        ("Orë edukative në shkolla", "done", True, []),
        ("Fushatë ndërgjegjësimi", "not_started", False, []),
        ("Takime me prindërit", "delayed", True, ["2026-04-30"]),
        ("Kontrolle të shpejtësisë", "not_started", False, []),
        ("Sinjalistikë pranë spitalit", "not_started", False, []),
    ]
    assert content["indicators"] == [
        {
            "problem": "1.1",
            "number": f"1.1.{monitored.activities['date'].position}",
            "activity": "Patrullime pranë shkollave",
            "name": "Patrullime",
            "unit": "patrullime",
            "baseline": "4",
            "target": "12",
            "period": "2026-Q2",
            "value": "5",
            "split": "",
            "breakdown": {},
            "note": "",
        },
        {
            "problem": "1.1",
            "number": f"1.1.{monitored.activities['h1'].position}",
            "activity": "Orë edukative në shkolla",
            "name": "Orë të zhvilluara",
            "unit": "orë",
            "baseline": "",
            "target": "10",
            "period": "2026-06",
            "value": "4.50",
            "split": "",
            "breakdown": {},
            "note": "",
        },
        {
            "problem": "1.2",
            "number": f"1.2.{monitored.activities['q3'].position}",
            "activity": "Fushatë ndërgjegjësimi",
            "name": "Familje të informuara",
            "unit": "familje",
            "baseline": "0",
            "target": "500",
            "period": "2026-H1",
            "value": "120",
            "split": "",
            "breakdown": {},
            "note": "",
        },
    ]
    assert sections_by_text(content) == {
        "done": ["Orë edukative në shkolla"],
        "in_progress": ["Patrullime pranë shkollave"],
        "delayed": ["Takime me prindërit"],
        "overdue": ["Patrullime pranë shkollave", "Takime me prindërit"],
        "not_updated": [
            "Patrullime pranë shkollave",
            "Fushatë ndërgjegjësimi",
            "Kontrolle të shpejtësisë",
            "Sinjalistikë pranë spitalit",
        ],
        "total": 6,
        "done_total": 1,
    }


def test_report_data_of_the_current_month_stops_at_today(monitored, elbasan):
    content = selectors.report_data(elbasan, 2026, 7)
    assert content["as_of"] == "2026-07-15"
    assert content["indicators"] == []
    assert sections_by_text(content) == {
        "done": [],  # done in June, not this month
        "in_progress": ["Patrullime pranë shkollave", "Fushatë ndërgjegjësimi"],
        "delayed": ["Takime me prindërit"],
        "overdue": ["Patrullime pranë shkollave", "Takime me prindërit"],
        "not_updated": ["Patrullime pranë shkollave", "Takime me prindërit", "Kontrolle të shpejtësisë"],
        "total": 6,
        "done_total": 1,
    }
    # With an explicit "today", the month is read as of that day: the update of 10 July is not known
    # yet, neither in the standing nor as "updated this month" (it used to count for the latter).
    early = selectors.report_data(elbasan, 2026, 7, today=date(2026, 7, 5))
    assert early["as_of"] == "2026-07-05"
    assert [(a["text"], a["status"], a["updated_this_month"]) for a in early["activities"]][2:4] == [
        ("Fushatë ndërgjegjësimi", "not_started", False),
        ("Takime me prindërit", "delayed", False),
    ]
    assert sections_by_text(early)["not_updated"] == [
        "Patrullime pranë shkollave",
        "Fushatë ndërgjegjësimi",
        "Takime me prindërit",
        "Kontrolle të shpejtësisë",
    ]


def test_report_data_without_a_plan(elbasan):
    assert selectors.report_data(elbasan, 2026, 6) == {
        "year": 2026,
        "month": 6,
        "as_of": "2026-06-30",
        "plan": None,
        "activities": [],
        "indicators": [],
    }
    sections = selectors.report_sections({})
    # Without a template of its own, a report is laid out on the standard one, every section in it
    # but spending: content without it (no plan, or frozen before spending was reported) shows none.
    standard = [kind for kind in ReportSection.values if kind != ReportSection.SPENDING]
    assert [section["kind"] for section in sections.pop("layout")] == standard
    assert sections == {
        "spending": None,
        "done": [],
        "in_progress": [],
        "delayed": [],
        "overdue": [],
        "not_updated": [],
        "indicators": [],
        "total": 0,
        "done_total": 0,
    }


def test_reports_list_drafts_only_for_staff(monitored, elbasan, people):
    june = services.report_start(council=elbasan, year=2026, month=6)
    may = services.report_start(council=elbasan, year=2026, month=5)
    services.report_update(report=may, summary="Maj", difficulties="", proposals="")
    services.report_submit(report=may, user=people["skn_police"])
    services.report_approve(report=may, user=people["chair"])
    assert selectors.reports(elbasan, drafts=True) == [june, MonthlyReport.objects.get(pk=may.pk)]
    assert selectors.reports(elbasan, drafts=False) == [MonthlyReport.objects.get(pk=may.pk)]


# --- row_progress ------------------------------------------------------------------------------------


def test_row_progress(monitored):
    rows = list(monitored.version.problems.order_by("position"))
    found = selectors.row_progress(rows, TODAY)
    assert set(found) == {row.pk for row in rows}
    first, second, third = (found[row.pk] for row in rows)
    assert (first["total"], first["overdue"], first["progress"]) == (2, 1, 80)
    assert counts(first) == {**ZERO, "in_progress": 1, "done": 1}
    assert (second["total"], second["overdue"], second["progress"]) == (2, 1, 20)
    assert (third["total"], third["overdue"], third["progress"]) == (2, 0, 0)
    assert counts(third) == {**ZERO, "not_started": 1, "cancelled": 1}
    early = selectors.row_progress(rows[:1], date(2026, 3, 31))
    assert (early[rows[0].pk]["progress"], early[rows[0].pk]["overdue"]) == (10, 0)  # (20 + 0) / 2
    assert selectors.row_progress([]) == {}


# --- a fixed number of queries -----------------------------------------------------------------------


def _small_and_large_plans(people, meeting, elbasan):
    """Two approved plans of Elbasan: 2025 with 2 activities, 2024 with 15 (five problems of three
    activities, each with a partner, an indicator, two updates and a value)."""
    versions = {}
    for year, problems, per_problem in ((2025, 1, 2), (2024, 5, 3)):
        version = plan_services.plan_start(council=elbasan, year=year)
        for p in range(1, problems + 1):
            problem = plan_services.problem_add(
                version=version, number=f"1.{p}", title=f"Problemi {p}", priority="high"
            )
            for a in range(per_problem):
                activity = plan_services.activity_add(
                    problem=problem,
                    text=f"Veprimtaria {p}.{a}",
                    lead=people["police"] if a % 2 else people["school"],
                    partners=[people["municipality"]],
                    deadline_kind="recurrence",
                    deadline_every_months=3,
                )
                plan_services.indicator_add(
                    activity=activity, name=f"Treguesi {p}.{a}", frequency="quarterly"
                )
        versions[year] = approve(version, people, meeting)
    for version in versions.values():
        year = version.plan.year
        for activity in Activity.objects.filter(problem__version=version):
            record(activity, people["skn_police"], "in_progress", 10, date(year, 3, 1))
            record(activity, people["skn_police"], "delayed", 20, date(year, 5, 1))
            for indicator in activity.indicators.all():
                services.value_record(
                    indicator=indicator, user=people["skn_police"], period=f"{year}-Q1", value=1
                )
    return versions[2025], versions[2024]


def test_the_board_takes_the_same_number_of_queries_for_2_and_15_activities(people, meeting, elbasan):
    small, large = _small_and_large_plans(people, meeting, elbasan)
    used = []
    for version in (small, large):
        version = PlanVersion.objects.get(pk=version.pk)  # nothing cached
        with CaptureQueriesContext(connection) as queries:
            board = selectors.board(version, TODAY)
            board.totals(), board.by_priority(), board.by_institution()
            [a.standing.missed for a in board.activities]
            [i.latest for a in board.activities for i in a.indicators.all()]
            [(a.lead.name, list(a.partners.all())) for a in board.activities]
        used.append(len(queries))
    assert len(board.activities) == 15
    assert {a.standing.update_count for a in board.activities} == {2}
    assert used[0] == used[1], used
    # the plan, seven for the rows (problems, their institutions and actors, activities with their
    # lead, partners, actors and indicators), one for the updates, one for the values
    assert used[1] <= 10


def test_report_data_and_row_progress_take_the_same_number_of_queries(people, meeting, elbasan):
    small, large = _small_and_large_plans(people, meeting, elbasan)
    used = []
    for version in (small, large):
        with CaptureQueriesContext(connection) as queries:
            selectors.report_data(elbasan, version.plan.year, 5)
        with CaptureQueriesContext(connection) as row_queries:
            selectors.row_progress(list(version.problems.all()), TODAY)
        used.append((len(queries), len(row_queries)))
    assert used[0] == used[1], used


def test_the_plan_in_force_counts_from_the_council_decision_not_from_its_recording(elbasan, people, meeting):
    """A plan entered from paper is recorded (approved_at: now) after the council decided it (the
    day of the meeting, yesterday); it is in force from the decision's date."""
    version = plan_services.plan_start(council=elbasan, year=TODAY.year)
    row = plan_services.problem_add(version=version, number="1.1", title="Droga", priority="high")
    plan_services.activity_add(
        problem=row, text="Orë edukative", lead=people["police"], deadline_kind="all_year"
    )
    yesterday = timezone.localdate(meeting.starts_at)
    version = approve_by_decision(
        version, chair=people["chair"], meeting=meeting, submitted_by=people["skn_police"]
    )
    assert yesterday < timezone.localdate(version.approved_at)
    assert selectors.plan_in_force(elbasan, TODAY.year, yesterday) == version
    assert selectors.plan_in_force(elbasan, TODAY.year, yesterday - timedelta(days=1)) is None
    assert selectors.plan_in_force(elbasan, TODAY.year + 1) is None
