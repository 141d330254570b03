"""The national roll-up (issue 24, item 3): three councils' data built by hand and every figure of
every section checked against what was computed by hand; only published data counts; the year and
county filters; the drill-down; the CSV and the JSON; a fixed number of queries on small and large
data."""

import csv
import io
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.utils import timezone, translation

from consultations.models import Consultation, Participation, ProblemCategory
from councils.models import Institution
from councils.services import seat_add
from monitoring import rollup
from monitoring.models import IndicatorValue, StatusUpdate
from plans import services
from tests.builders import approve_plan
from tests.factories import UserFactory, council

pytestmark = pytest.mark.django_db

YEAR = 2025
AS_OF = date(2026, 3, 1)
TIRANE = ZoneInfo("Europe/Tirane")


def _people(the_council) -> dict:
    people = {"council": the_council, "chair": UserFactory(), "secretary": UserFactory()}
    for key, name, category in [("municipality", "Bashkia", "a"), ("police", "Policia", "c")]:
        people[key] = Institution.objects.create(name=f"{name} {the_council}", category=category)
        seat_add(council=the_council, institution=people[key])
    return people


def _category(code: str) -> ProblemCategory:
    return ProblemCategory.objects.get(code=code)


def _row(version, number, category, priority):
    """A row whose activities are the council's municipality's (seated by ``_people``)."""
    seated = Institution.objects.filter(name=f"Bashkia {version.plan.council}")
    return services.problem_add(
        version=version,
        number=number,
        title=f"Problemi {number}",
        priority=priority,
        category=_category(category) if category else None,
        institutions=list(seated),
    )


def _activity(row, text, *, cost=None, source="", due=None):
    # Without a due date: "all year", due on 31.12, which has not passed by the year's last day.
    deadline = {"deadline_kind": "date", "deadline_date": due} if due else {"deadline_kind": "all_year"}
    return services.activity_add(
        problem=row, text=text, estimated_cost=cost, funding_source=source, **deadline
    )


def _update(activity, day, status, author, spent=None):
    StatusUpdate.objects.create(
        council=activity.problem.version.plan.council,
        activity_lineage=activity.lineage,
        activity=activity,
        status=status,
        progress=100 if status == "done" else 50,
        date=day,
        spent=spent,
        author=author,
    )


def _value(indicator, period, period_end, value, author):
    IndicatorValue.objects.create(
        council=indicator.activity.problem.version.plan.council,
        indicator_lineage=indicator.lineage,
        indicator=indicator,
        period=period,
        period_end=period_end,
        value=value,
        author=author,
    )


def _consultation(the_council, day, status, participation):
    consultation = Consultation.objects.create(
        council=the_council,
        starts_at=datetime(day.year, day.month, day.day, 17, 0, tzinfo=TIRANE),
        place="Salla",
        status=status,
    )
    for group, (women, men, unspecified) in participation.items():
        Participation.objects.create(
            consultation=consultation, group=group, women=women, men=men, unspecified=unspecified
        )


def _annual(the_council, year, status):
    model = apps.get_model("monitoring", "AnnualReport")
    approved = status == "approved"
    model.objects.create(
        council=the_council,
        year=year,
        status=status,
        content={} if approved else None,
        sha256="a" * 64 if approved else "",
        approved_at=timezone.now() if approved else None,
    )


@pytest.fixture
def three():
    """Elbasan and Belsh (Elbasan county) with approved plans of 2025, Tiranë with a draft only;
    consultations held and not, of 2025 and 2024; annual reports approved and not."""
    author = UserFactory()
    elbasan, belsh, tirane = council("elbasan"), council("belsh"), council("tirane")

    people = _people(elbasan)
    version = services.plan_start(council=elbasan, year=YEAR)
    a = _row(version, "1.1", "domestic_violence", "high")
    a1 = _activity(a, "A1", cost=100000, source="municipal", due=date(2025, 6, 30))
    a1i = services.indicator_add(activity=a1, name="Raste", baseline=50, target=30, frequency="quarterly")
    a2 = _activity(a, "A2", due=date(2025, 3, 31))
    b = _row(version, "1.2", "road_safety", "moderate")
    b1 = _activity(b, "B1", cost=50000, source="donor")
    b1i = services.indicator_add(activity=b1, name="Kontrolle", target=10, frequency="quarterly")
    approve_plan(version, people)
    _update(a1, date(2025, 5, 10), "in_progress", author, spent=40000)
    _update(a1, date(2025, 7, 15), "done", author, spent=90000)
    _update(b1, date(2025, 2, 1), "in_progress", author, spent=10000)
    _update(b1, date(2026, 1, 10), "done", author, spent=45000)  # after the year's end: not counted
    _value(a1i, "2025-Q2", date(2025, 6, 30), 25, author)
    _value(b1i, "2025-Q1", date(2025, 3, 31), 4, author)
    del a2

    people = _people(belsh)
    version = services.plan_start(council=belsh, year=YEAR)
    c = _row(version, "1.1", "domestic_violence", "moderate")
    c1 = _activity(c, "C1", cost=20000, source="municipal", due=date(2025, 9, 30))
    services.indicator_add(activity=c1, name="Seanca", target=5, frequency="quarterly")
    d = _row(version, "1.2", None, "low")
    d1 = _activity(d, "D1")
    services.indicator_add(activity=d1, name="Takime", frequency="quarterly")
    approve_plan(version, people)
    _update(c1, date(2025, 8, 1), "delayed", author)

    version = services.plan_start(council=tirane, year=YEAR)  # a draft: not public, not counted
    _activity(_row(version, "1.1", "road_safety", "high"), "T1", cost=999, source="donor")

    _consultation(elbasan, date(2025, 4, 3), "held", {"youth": (5, 4, 1), "businesses": (1, 2, 0)})
    _consultation(elbasan, date(2024, 10, 3), "held", {"other_citizens": (10, 0, 0)})  # 2024
    _consultation(tirane, date(2025, 5, 6), "held", {"youth": (3, 2, 0)})
    _consultation(tirane, date(2025, 11, 6), "draft", {"media": (7, 7, 7)})  # not held
    _annual(elbasan, YEAR, "approved")
    _annual(belsh, YEAR, "draft")
    _annual(tirane, 2024, "approved")
    return elbasan, belsh, tirane


def _lines(data, section) -> dict:
    return {
        key: rollup.line_total(data, section, key)
        for key in rollup.line_keys(data, section)
        if rollup.line_total(data, section, key)
    }


def test_every_figure_of_every_section_as_computed_by_hand(three):
    data = rollup.figures(YEAR, "", AS_OF)
    assert _lines(data, "problems") == {
        "domestic_violence": {"high": 1, "moderate": 1, "total": 2},
        "road_safety": {"moderate": 1, "total": 1},
        "none": {"low": 1, "total": 1},
    }
    assert rollup.section_total(data, "problems") == {"high": 1, "moderate": 2, "low": 1, "total": 4}
    # A1 done on 15.7 (its due date 30.6 passed, but it is closed); A2 never started and due
    # 31.3: overdue; B1 in progress at the year's end (done only in 2026); C1 delayed past 30.9:
    # overdue; D1 never started, with no deadline.
    assert _lines(data, "activities") == {
        "not_started": {"activities": 2, "overdue": 1},
        "in_progress": {"activities": 1},
        "done": {"activities": 1},
        "delayed": {"activities": 1, "overdue": 1},
    }
    assert rollup.section_total(data, "activities") == {"activities": 5, "overdue": 2}
    assert _lines(data, "participation") == {
        "businesses": {"women": 1, "men": 2, "unspecified": 0, "total": 3},
        "youth": {"women": 8, "men": 6, "unspecified": 1, "total": 15},
    }
    # 25 cases against a target of 30 below the baseline of 50: met; 4 checks of 10: not met;
    # C1's has no value yet, D1's no target.
    assert _lines(data, "indicators") == {
        "met": {"indicators": 1},
        "not_met": {"indicators": 1},
        "no_value": {"indicators": 1},
        "no_target": {"indicators": 1},
    }
    # Municipal: A1 100 000 (spent 90 000) and C1 20 000 (nothing spent); donor: B1 50 000
    # (spent 10 000 by the year's end). A2 and D1 have no cost and nothing spent.
    assert _lines(data, "spending") == {
        "municipal": {"estimated": 120000, "spent": 90000, "activities": 2},
        "donor": {"estimated": 50000, "spent": 10000, "activities": 1},
    }
    assert _lines(data, "reports") == {"published": {"reports": 1}}
    assert data["reports_available"] is True


def test_the_county_and_the_year_filter(three):
    data = rollup.figures(YEAR, "elbasan", AS_OF)
    assert {c["county_slug"] for c in data["councils"].values()} == {"elbasan"}
    assert {"elbasan", "belsh"} <= {c["slug"] for c in data["councils"].values()}
    assert "tirane" not in {c["slug"] for c in data["councils"].values()}
    assert _lines(data, "participation") == {
        "businesses": {"women": 1, "men": 2, "unspecified": 0, "total": 3},
        "youth": {"women": 5, "men": 4, "unspecified": 1, "total": 10},
    }
    assert rollup.section_total(data, "problems")["total"] == 4
    every = rollup.figures(rollup.ALL_YEARS, "", AS_OF)
    assert rollup.section_total(every, "participation")["total"] == 28  # 18 of 2025, 10 of 2024
    assert rollup.section_total(every, "reports") == {"reports": 2}  # Tiranë's 2024 as well
    empty = rollup.figures(2019, "", AS_OF)
    assert all(not table for table in empty["sections"].values())


def test_the_drill_down_names_the_councils_behind_a_number(three):
    data = rollup.figures(YEAR, "", AS_OF)
    behind = rollup.drill(data, "problems", "domestic_violence", "total")
    assert [(c["slug"], c["value"]) for c in behind] == [("belsh", 1), ("elbasan", 1)]
    overdue = rollup.drill(data, "activities", "*", "overdue")
    assert [(c["slug"], c["value"]) for c in overdue] == [("belsh", 1), ("elbasan", 1)]
    spent = rollup.drill(data, "spending", "municipal", "estimated")
    assert [(c["slug"], c["value"]) for c in spent] == [("elbasan", 100000), ("belsh", 20000)]
    assert rollup.drill(data, "participation", "youth", "total")[0]["slug"] == "elbasan"


def test_a_merged_category_counts_under_the_one_it_was_merged_into(three):
    from consultations.taxonomy import category_merge

    kept = category_merge(source=_category("road_safety"), target=_category("public_order"))
    assert kept == 1  # Elbasan's approved row keeps it
    data = rollup.figures(YEAR, "", AS_OF)
    assert rollup.line_total(data, "problems", "public_order") == {"moderate": 1, "total": 1}
    assert "road_safety" not in rollup.line_keys(data, "problems")


def test_the_page_the_drill_down_the_csv_and_the_json(client, three):
    client.cookies["kvsp_language"] = "en"
    page = client.get("/national/", {"year": YEAR})
    assert page.status_code == 200
    text = page.content.decode()
    assert 'role="img"' in text and '<title id="chart-problems-title">' in text
    assert "Domestic violence" in text
    drill = client.get(
        "/national/", {"year": YEAR, "section": "problems", "key": "domestic_violence", "column": "total"}
    )
    body = drill.content.decode()
    assert "The councils behind the number" in body
    assert "/belsh/" in body and "/elbasan/" in body and '/tirane/"' not in body
    wrong = client.get("/national/", {"year": YEAR, "section": "problems", "key": "nothing", "column": "x"})
    assert wrong.status_code == 200 and "names no number" in wrong.content.decode()
    assert client.get("/national/", {"year": 1990}).status_code == 200  # falls back to this year
    response = client.get("/national/spending.csv", {"year": YEAR})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    spending = rollup.SECTIONS["spending"]
    with translation.override("en"):  # the headers follow the page's language, as plan.csv's
        assert rows[0] == [str(spending.line_label), *(str(label) for _code, label in spending.columns)]
    del client.cookies["kvsp_language"]  # Albanian by default
    albanian = client.get("/national/spending.csv", {"year": YEAR}).content.decode("utf-8-sig")
    with translation.override("sq"):
        assert next(csv.reader(io.StringIO(albanian))) == [
            str(spending.line_label),
            *(str(label) for _code, label in spending.columns),
        ]
    client.cookies["kvsp_language"] = "en"
    assert rows[1][1:] == ["120000", "90000", "2"] and rows[-1][1:] == ["170000", "100000", "3"]
    assert client.get("/national/nothing.csv").status_code == 404
    payload = json.loads(client.get("/national/national.json", {"year": YEAR}).content)
    problems = payload["sections"]["problems"]
    line = next(line for line in problems["lines"] if line["key"] == "domestic_violence")
    assert line["councils"] == {"elbasan": {"high": 1, "total": 1}, "belsh": {"moderate": 1, "total": 1}}
    assert payload["sections"]["activities"]["totals"] == {"activities": 5, "overdue": 2}


def test_an_unknown_county_or_a_wrong_drill_down_adds_no_cache_entry(client, three, monkeypatch):
    from kvsp.core import public_cache

    written = []
    real_put = public_cache.put
    monkeypatch.setattr(public_cache, "put", lambda key, *args: written.append(key) or real_put(key, *args))
    for county in ("nowhere-1", "nowhere-2"):
        assert client.get("/national/", {"year": YEAR, "county": county}).status_code == 200
    for key in ("nothing-1", "nothing-2"):
        page = client.get("/national/", {"year": YEAR, "section": "problems", "key": key, "column": "x"})
        assert page.status_code == 200
    assert all(written)  # the cache answers in the tests
    figures = [key for key in written if "national-rollup" in key]
    pages = [key for key in written if "national-page" in key]
    # One roll-up (every county) and two pages: the plain one and the one naming no number.
    assert len(figures) == 1 and len(pages) == 2, written


# --- a fixed number of queries -----------------------------------------------------------------


def _build(councils: list, rows: int, activities: int, author) -> None:
    for slug in councils:
        the_council = council(slug)
        people = _people(the_council)
        version = services.plan_start(council=the_council, year=YEAR)
        for r in range(rows):
            row = _row(version, f"1.{r + 1}", ("domestic_violence", "road_safety", None)[r % 3], "high")
            for a in range(activities):
                activity = _activity(
                    row, f"A{a}", cost=1000 * (a + 1), source="municipal", due=date(2025, 6, 30)
                )
                indicator = services.indicator_add(
                    activity=activity, name="N", target=5, frequency="quarterly"
                )
                _update(activity, date(2025, 4, 1), "in_progress", author, spent=500)
                _update(activity, date(2025, 8, 1), "done", author, spent=900)
                _value(indicator, "2025-Q2", date(2025, 6, 30), 6, author)
        approve_plan(version, people)
        _consultation(the_council, date(2025, 4, 3), "held", {"youth": (1, 1, 0), "media": (2, 0, 0)})
        _annual(the_council, YEAR, "approved")


QUERIES = 12  # councils, counties, categories, versions, rows, activities, updates, indicators,
# values, participation, annual reports, and the public cache's generation (none: locmem)


def _count(django_assert_num_queries) -> None:
    from django.core.cache import cache

    cache.clear()
    with django_assert_num_queries(QUERIES - 1):
        rollup.figures(YEAR, "", AS_OF)


def test_a_fixed_number_of_queries_on_small_data(django_assert_num_queries):
    _build(["elbasan"], rows=1, activities=1, author=UserFactory())
    _count(django_assert_num_queries)


def test_a_fixed_number_of_queries_on_large_data(django_assert_num_queries):
    _build(
        ["elbasan", "belsh", "librazhd", "tirane", "durres", "shkoder"],
        rows=4,
        activities=3,
        author=UserFactory(),
    )
    _count(django_assert_num_queries)
    data = rollup.figures(YEAR, "", AS_OF)
    assert rollup.section_total(data, "activities") == {"activities": 72}
    assert rollup.section_total(data, "reports") == {"reports": 6}


def test_the_page_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    _build(["elbasan", "belsh"], rows=2, activities=2, author=UserFactory())
    client.cookies["kvsp_language"] = "en"
    with django_assert_max_num_queries(QUERIES + 2):
        assert client.get("/national/", {"year": YEAR}).status_code == 200


def test_the_version_counted_is_the_one_in_force_by_the_years_end(three):
    from councils.meetings import services as meeting_services
    from plans.models import PlanVersion
    from tests.builders import approve_by_decision

    elbasan, year = three[0], YEAR - 1
    people = {"council": elbasan, "chair": UserFactory(), "secretary": UserFactory()}
    first = services.plan_start(council=elbasan, year=year)
    _activity(_row(first, "1.1", "road_safety", "high"), "E1")
    in_time = meeting_services.meeting_create(
        council=elbasan, kind="council", starts_at=datetime(year, 3, 1, 10, tzinfo=TIRANE), place="Salla"
    )
    approve_by_decision(first, chair=people["chair"], meeting=in_time, submitted_by=people["secretary"])
    second = services.version_revise(version=PlanVersion.objects.get(pk=first.pk))
    _activity(_row(second, "1.2", "public_order", "low"), "E2")
    approve_plan(second, people)  # decided yesterday: after the year's end
    assert PlanVersion.objects.get(pk=second.pk).decision_date > date(year, 12, 31)
    data = rollup.figures(year, "", AS_OF)
    # The annual report of that year reads the first version (in force on 31.12): so does the roll-up.
    assert rollup.line_total(data, "problems", "public_order") == {}
    assert rollup.line_total(data, "problems", "road_safety") == {"high": 1, "total": 1}


def test_an_indicator_value_counts_by_its_period_and_the_last_recorded_wins(three):
    from plans.models import Indicator

    indicator = Indicator.objects.get(name="Raste")  # baseline 50, target 30; 25 at 30.6: met
    author = UserFactory()
    _value(indicator, "2025-12", date(2025, 12, 31), 40, author)  # not met
    _value(indicator, "2025-Q4", date(2025, 12, 31), 28, author)  # the same end, recorded later: met
    # A value of the next year's first quarter, recorded (backdated) within 2025: not the year's.
    _value(indicator, "2026-Q1", date(2026, 3, 31), 45, author)
    IndicatorValue.objects.filter(period="2026-Q1").update(created_at=datetime(2025, 12, 1, tzinfo=TIRANE))
    data = rollup.figures(YEAR, "", date(2026, 6, 1))
    assert rollup.line_total(data, "indicators", "met") == {"indicators": 1}
    assert rollup.line_total(data, "indicators", "not_met") == {"indicators": 1}  # Kontrolle


def test_a_consultation_marked_held_but_not_yet_started_is_not_counted(three):
    starts = timezone.now() + timedelta(hours=2)
    elbasan = three[0]
    consultation = Consultation.objects.create(
        council=elbasan, starts_at=starts, place="Salla", status="held"
    )
    Participation.objects.create(consultation=consultation, group="media", women=3, men=3, unspecified=0)
    data = rollup.figures(starts.year, "", timezone.localdate())
    assert rollup.line_total(data, "participation", "media") == {}


def test_a_total_sums_only_the_lines_shown():
    data = {"sections": {"participation": {"gone": {1: {"total": 5}}, "youth": {1: {"total": 2}}}}}
    assert "gone" not in rollup.line_keys(data, "participation")
    assert rollup.section_total(data, "participation") == {"total": 2}
    assert rollup.drill({**data, "councils": {1: {"name": "A"}}}, "participation", "*", "total") == [
        {"name": "A", "value": 2}
    ]
