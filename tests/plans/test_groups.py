"""Groups made visible (issue 22 item 8): the groups a plan row and an activity serve and how an
indicator's values are split, through the editor's forms and the services, and in every output
of the plan (staff page, public page, PDF, CSV, JSON, DOCX, API), with the line of who the plan
serves."""

# ruff: noqa: F811 (the fixtures of tests/fixtures/plan_files.py, imported by name)

import io
import json
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from consultations.models import ProblemCategory
from plans import exports, services
from plans.forms import ActivityForm, IndicatorForm, RowForm
from plans.groups import (
    breakdown_text,
    clean_breakdown,
    clean_groups,
    field_name,
    groups_served,
    served_line,
    split_keys,
    split_label,
)
from plans.models import Activity, Indicator, PlanProblem
from tests.builders import approve_plan, fill_version
from tests.conftest import require
from tests.fixtures.plan_files import people  # noqa: F401 (fixture)
from tests.plans.plan_csv import plan_csv_lines

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


# --- the lists ------------------------------------------------------------------------------------


def test_groups_are_stored_once_each_sorted_and_an_unknown_code_is_refused():
    assert clean_groups(["youth", "children", "youth"]) == ["children", "youth"]
    assert clean_groups(None) == []
    with pytest.raises(ValidationError) as refused:
        clean_groups(["children", "aliens"])
    assert "groups" in refused.value.message_dict


def test_the_split_keys_and_their_labels():
    assert [key for key, _label in split_keys("sex")] == ["f", "m"]
    assert [key for key, _label in split_keys("age")] == ["0-14", "15-17", "18-29", "30-64", "65+"]
    both = [key for key, _label in split_keys("sex_age")]
    assert len(both) == 10 and both[0] == "f|0-14" and both[-1] == "m|65+"
    assert split_keys("") == []
    with translation.override("en"):
        assert split_label("f|0-14") == "women and girls, 0–14 years"
        assert split_label("65+") == "65 years and over"
        assert split_label("x") == "x"  # a key of no list is shown as it is
    assert field_name("f|65+") == "split_f_65plus"


def test_values_per_split_add_up_to_the_total():
    parts, total = clean_breakdown("sex", {"f": Decimal("12"), "m": Decimal("9.5")}, None)
    assert parts == {"f": "12", "m": "9.5"} and total == Decimal("21.5")
    # A typed total equal to the sum is kept.
    assert clean_breakdown("sex", {"f": 1, "m": 2}, Decimal("3"))[1] == Decimal("3")
    # A typed total that differs is an error on the total.
    with pytest.raises(ValidationError) as refused:
        clean_breakdown("sex", {"f": 1, "m": 2}, Decimal("4"))
    assert "value" in refused.value.message_dict
    # Every split needs its value (0 if none), never negative.
    with pytest.raises(ValidationError) as refused:
        clean_breakdown("sex", {"f": 1}, None)
    assert list(refused.value.message_dict) == ["split_m"]
    with pytest.raises(ValidationError) as refused:
        clean_breakdown("age", dict.fromkeys(["0-14", "15-17", "18-29", "30-64"], 1) | {"65+": -1}, None)
    assert list(refused.value.message_dict) == ["split_65plus"]
    # An indicator that is not split takes no values per split.
    assert clean_breakdown("", {}, Decimal("5")) == ({}, Decimal("5"))
    with pytest.raises(ValidationError):
        clean_breakdown("", {"f": 1}, Decimal("1"))
    with translation.override("en"):
        assert breakdown_text({"m": "9", "f": "12.50"}, "sex") == "women and girls: 12.5; men and boys: 9"


# --- the editor's forms -----------------------------------------------------------------------------


def test_the_row_and_activity_forms_take_groups_and_refuse_unknown_ones(people):
    council = people["council"]
    row = {"number": "1.1", "title": "Dhuna në familje", "priority": "high"}
    row["category"] = ProblemCategory.objects.get(code="domestic_violence").pk  # required in the form
    form = RowForm({**row, "groups": ["youth", "children"]}, council=council)
    assert form.is_valid(), form.errors
    assert form.service_data()["groups"] == ["children", "youth"]
    bad = RowForm({**row, "groups": ["children", "aliens"]}, council=council)
    assert not bad.is_valid() and "groups" in bad.errors
    activity = ActivityForm({"text": "Fushatë", "groups": ["women_girls"]}, council=council)
    assert activity.is_valid(), activity.errors
    assert activity.service_data()["groups"] == ["women_girls"]
    assert not ActivityForm({"text": "Fushatë", "groups": ["x"]}, council=council).is_valid()
    assert "groups" in RowForm(council=council).fields and "groups" in ActivityForm(council=council).fields


def test_the_indicator_form_offers_the_splits_and_refuses_another():
    base = {"name": "Nxënës të trajnuar", "frequency": "quarterly"}
    assert IndicatorForm({**base, "disaggregation": "sex"}).is_valid()
    assert IndicatorForm({**base, "disaggregation": ""}).is_valid()
    bad = IndicatorForm({**base, "disaggregation": "colour"})
    assert not bad.is_valid() and "disaggregation" in bad.errors


# --- the services --------------------------------------------------------------------------------


@pytest.fixture
def version(people):
    return services.plan_start(council=people["council"], year=2026)


def test_services_store_groups_and_splits_and_refuse_bad_ones(version, people):
    row = services.problem_add(
        version=version,
        number="1.5",
        title="Dhuna në familje",
        priority="high",
        groups=["children", "women_girls"],
    )
    assert PlanProblem.objects.get(pk=row.pk).groups == ["children", "women_girls"]
    with pytest.raises(ValidationError) as refused:
        services.problem_add(version=version, number="1.6", title="T", priority="low", groups=["nobody"])
    assert "groups" in refused.value.message_dict
    assert not PlanProblem.objects.filter(number="1.6").exists()

    activity = services.activity_add(
        problem=row, text="Numra kontakti", deadline_kind="all_year", groups=["women_girls", "children"]
    )
    assert Activity.objects.get(pk=activity.pk).groups == ["children", "women_girls"]
    # An edit that does not give the groups keeps them; one that gives them replaces them.
    services.activity_update(activity=activity, text="Numra kontakti për viktimat", deadline_kind="all_year")
    assert Activity.objects.get(pk=activity.pk).groups == ["children", "women_girls"]
    services.activity_update(activity=activity, text="Numra kontakti", deadline_kind="all_year", groups=[])
    assert Activity.objects.get(pk=activity.pk).groups == []
    with pytest.raises(ValidationError):
        services.activity_update(activity=activity, text="X", deadline_kind="all_year", groups=["x"])
    services.problem_update(problem=row, title="Dhuna në familje", groups=["elderly"])
    assert PlanProblem.objects.get(pk=row.pk).groups == ["elderly"]

    indicator = services.indicator_add(
        activity=activity, name="Telefonata", frequency="monthly", disaggregation="sex_age"
    )
    assert Indicator.objects.get(pk=indicator.pk).disaggregation == "sex_age"
    with pytest.raises(ValidationError) as refused:
        services.indicator_update(indicator=indicator, disaggregation="colour")
    assert "disaggregation" in refused.value.message_dict
    services.indicator_update(indicator=indicator, name="Telefonata të marra")  # the split kept
    assert Indicator.objects.get(pk=indicator.pk).disaggregation == "sex_age"


def test_a_revision_keeps_the_groups_and_the_splits(version, people):
    row = services.problem_add(
        version=version, number="1.4", title="Droga", priority="high", groups=["youth"]
    )
    activity = services.activity_add(problem=row, text="Orë", deadline_kind="all_year", groups=["children"])
    activity.partners.set([people["police"]])
    services.indicator_add(activity=activity, name="Nxënës", frequency="quarterly", disaggregation="sex")
    approved = approve_plan(version, people)
    draft = services.version_revise(version=approved)
    copy = draft.problems.get()
    assert copy.groups == ["youth"]
    assert copy.activities.get().groups == ["children"]
    assert copy.activities.get().indicators.get().disaggregation == "sex"


def test_who_the_plan_serves_is_counted_from_the_rows_and_the_activities_own_groups(version, people):
    rows = fill_version(version, people, problems=3, activities=2)
    services.problem_update(problem=rows[0], groups=["women_girls", "children"])
    services.problem_update(problem=rows[1], groups=["children"])
    first, second = rows[0].activities.order_by("position")
    services.activity_update(
        activity=first, text=first.text, groups=["women_girls"], deadline_kind="all_year"
    )
    services.activity_update(
        activity=second, text=second.text, groups=["children", "youth"], deadline_kind="all_year"
    )
    problems = list(version.problems.prefetch_related("activities"))
    with translation.override("en"):
        served = groups_served(problems)
        assert [(s["code"], s["rows"], s["activities"]) for s in served] == [
            ("women_girls", 1, 1),
            ("children", 2, 1),
            ("youth", 0, 1),
        ]
        assert served_line(served) == (
            "Groups served: women and girls (1 row, 1 activity) · children (2 rows, 1 activity) · "
            "youth (1 activity)"
        )


# --- every output -----------------------------------------------------------------------------------


@pytest.fixture
def tagged(people):
    """An approved plan of 2026: row 1.5 (women and girls, children) with an activity for women
    and girls and an indicator split by sex, its second activity with no groups of its own; row
    1.4 (children, youth)."""
    version = services.plan_start(council=people["council"], year=2026)
    violence = services.problem_add(
        version=version,
        number="1.5",
        title="Dhuna në familje",
        priority="high",
        groups=["women_girls", "children"],
        institutions=[people["police"]],
        deadline_kind="all_year",
    )
    hotline = services.activity_add(problem=violence, text="Numrat e kontaktit", groups=["women_girls"])
    services.indicator_add(
        activity=hotline,
        name="Nxënës të trajnuar",
        unit="nxënës",
        frequency="quarterly",
        disaggregation="sex",
    )
    services.activity_add(problem=violence, text="Takime me OJF-të")
    schools = services.problem_add(
        version=version,
        number="1.4",
        title="Droga te të rinjtë",
        priority="moderate",
        groups=["youth", "children"],
        institutions=[people["police"]],
        deadline_kind="all_year",
    )
    services.activity_add(problem=schools, text="Orë edukative", groups=["children", "youth"])
    return approve_plan(version, people)


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_the_staff_and_public_pages_show_the_groups_and_the_split(client, tagged, people):
    client.force_login(people["secretary"])
    staff = client.get("/app/elbasan/plans/2026/v1/", **EN).text
    public = client.get("/elbasan/plan/2026/", **EN).text
    for text in (staff, public):
        assert "Groups served:" in text
        assert "women and girls (1 row, 1 activity)" in text
        assert "children (2 rows, 1 activity)" in text
        assert "youth (1 row, 1 activity)" in text
        assert "women and girls, children" in text  # row 1.5's groups
        assert "by sex" in text  # the indicator's split
    assert "Roma and Egyptians" not in public  # no row or activity names them


def test_the_files_carry_the_groups_and_the_split(tagged, tmp_path):
    with translation.override("en"):
        data = json.loads(exports.plan_json(tagged))
        lines = plan_csv_lines(exports.plan_csv(tagged))
        pdf = exports.plan_pdf(tagged)
        docx = exports.plan_docx(tagged)
    violence = data["problems"][0]
    assert violence["groups"] == ["children", "women_girls"]
    assert violence["group_labels"] == ["women and girls", "children"]
    hotline, meetings = violence["activities"]
    assert hotline["groups"] == ["women_girls"] and hotline["group_labels"] == ["women and girls"]
    assert meetings["groups"] == [] and meetings["group_labels"] == []  # none of its own: none invented
    indicator = hotline["indicators"][0]
    assert (indicator["disaggregation"], indicator["disaggregation_label"], indicator["split_keys"]) == (
        "sex",
        "by sex",
        ["f", "m"],
    )
    assert [(g["code"], g["rows"], g["activities"]) for g in data["groups_served"]] == [
        ("women_girls", 1, 1),
        ("children", 2, 1),
        ("youth", 1, 1),
    ]

    assert [(line["activity"], line["row_groups"], line["activity_groups"]) for line in lines] == [
        ("Numrat e kontaktit", "women and girls; children", "women and girls"),
        ("Takime me OJF-të", "women and girls; children", ""),
        ("Orë edukative", "children; youth", "children; youth"),
    ]
    assert "by sex" in lines[0]["indicators"]

    require(bool(shutil.which("pdftotext")), "pdftotext not found (apt-get install poppler-utils)")
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    text = _squash(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    )
    assert "Groups served: women and girls (1 row, 1 activity)" in text
    assert "Groups served: women and girls, children" in text
    assert "by sex" in text

    from docx import Document

    document = Document(io.BytesIO(docx))
    paragraphs = " ".join(paragraph.text for paragraph in document.paragraphs)
    assert "Groups served: women and girls (1 row, 1 activity)" in paragraphs
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert "Groups served: women and girls, children" in rows[1][1]
    assert rows[1][3].endswith("Groups served: women and girls")
    assert "Groups served" not in rows[2][3]
    assert "by sex" in rows[1][4]


def test_the_api_gives_the_groups_and_the_split(client, tagged):
    body = client.get("/api/v1/councils/elbasan/plans/2026/v1/").json()
    violence = body["problems"][0]
    assert violence["groups"] == ["children", "women_girls"]
    hotline, meetings = violence["activities"]
    assert hotline["groups"] == ["women_girls"] and meetings["groups"] == []
    assert hotline["indicators"][0]["disaggregation"] == "sex"
    assert body["problems"][1]["activities"][0]["indicators"] == []


def test_groups_add_no_query_to_the_public_page(client, people):
    """The groups are JSON lists on the rows: the page of a plan tagged everywhere reads in the
    same number of queries as one tagged nowhere."""

    def count(year: int, groups: list[str]) -> int:
        version = services.plan_start(council=people["council"], year=year)
        fill_version(version, people, problems=2, activities=2)
        version.problems.update(groups=groups)
        Activity.objects.filter(problem__version=version).update(groups=groups)
        approve_plan(version, people)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/elbasan/plan/{year}/").status_code == 200
        return len(captured)

    assert count(2026, []) == count(2027, ["women_girls", "children", "roma_egyptians"])


def test_comparing_versions_shows_a_change_of_groups_or_split(version, people):
    from plans.compare import compare

    row = services.problem_add(
        version=version, number="1.4", title="Droga", priority="high", groups=["youth"]
    )
    activity = services.activity_add(problem=row, text="Orë", deadline_kind="all_year")
    activity.partners.set([people["police"]])
    services.indicator_add(activity=activity, name="Nxënës", frequency="quarterly")
    approved = approve_plan(version, people)
    draft = services.version_revise(version=approved)
    copy = draft.problems.get()
    services.problem_update(problem=copy, groups=["children", "youth"])
    new_activity = copy.activities.get()
    services.activity_update(
        activity=new_activity,
        text="Orë",
        deadline_kind="all_year",
        groups=["children"],
        partners=[people["police"]],
    )
    services.indicator_update(indicator=new_activity.indicators.get(), disaggregation="sex")
    with translation.override("en"):
        (diff,) = compare(approved, draft)
        changes = {(str(c.label), c.before, c.after) for c in diff.changes}
        assert ("groups served", "youth", "children, youth") in changes
        (activity_diff,) = diff.activities
        activity_changes = {str(c.label): (c.before, c.after) for c in activity_diff.changes}
        assert activity_changes["groups served"] == ("", "children")
        assert activity_changes["indicators"][1].endswith(", by sex")
