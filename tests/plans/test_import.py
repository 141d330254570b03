"""The plan in and out of Excel: a version exported to XLSX and imported again is the same plan;
every kind of bad line is reported by line and column; files that are not XLSX (whatever their name)
and oversized or endless ones are refused without being read whole; the pages preview before they
write, write all rows or none, and refuse those who may not import."""

import io
import re
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from councils import services as council_services
from councils.meetings import services as meeting_services
from councils.models import Institution, Role
from plans import approval, exports, importer, services
from plans.deadlines import Deadline
from plans.importer import reading
from plans.models import Plan, PlanProblem, PlanVersion
from tests.builders import approve_by_decision
from tests.factories import UserFactory, council, give_role

from . import table1

pytestmark = pytest.mark.django_db

HEADERS = [column.header for column in importer.COLUMNS]
KEYS = [column.key for column in importer.COLUMNS]
LETTER = {key: chr(ord("A") + index) for index, key in enumerate(KEYS)}


@pytest.fixture
def elbasan(db):
    return council("elbasan")


def _people(elbasan) -> dict:
    """Elbasan's triangle and an education office on the council, with the people who act."""
    municipality = Institution.objects.create(name="Bashkia Elbasan", category="a")
    police = Institution.objects.create(name="Drejtoria Vendore e Policisë Elbasan", category="c")
    prosecution = Institution.objects.create(name="Prokuroria e Rrethit Gjyqësor Elbasan", category="d")
    education = Institution.objects.create(name="Zyra Vendore Arsimore Elbasan", category="f")
    found = {
        "secretary": UserFactory(full_name="Dorina Cela"),
        "skn": UserFactory(full_name="Arben Hoxha"),
        "chair": UserFactory(full_name="Gazmend Oketa"),
        "member": UserFactory(full_name="Ilir Basha"),
        "observer": UserFactory(full_name="Vëzhguesi Kombëtar", is_national_observer=True),
    }
    give_role(elbasan, Role.SECRETARY, user=found["secretary"], institution=municipality)
    give_role(elbasan, Role.SKN_POLICE, user=found["skn"], institution=police)
    give_role(elbasan, Role.CHAIR, user=found["chair"], institution=municipality)
    give_role(elbasan, Role.MEMBER, user=found["member"], institution=prosecution)
    council_services.seat_add(
        council=elbasan, institution=education, start_date=timezone.localdate() - timedelta(days=30)
    )
    return found | {
        "municipality": municipality,
        "police": police,
        "prosecution": prosecution,
        "education": education,
    }


@pytest.fixture
def people(elbasan):
    return _people(elbasan)


def _build_plan(elbasan, people, year=2025) -> PlanVersion:
    """A draft with every kind of deadline, partners, several indicators per activity, a problem
    without activities, a number a spreadsheet would turn into 1.1 and text that looks like a formula."""
    version = services.plan_start(council=elbasan, year=year)
    police, municipality = people["police"], people["municipality"]
    education, prosecution = people["education"], people["prosecution"]
    violence = services.problem_add(
        version=version,
        number="1.2",
        title="Dhuna në familje",
        description="=SUM(A1:A3) nuk është formulë.\nRreshti i dytë i përshkrimit.",
        statistics="-5% krahasuar me 2021",
        statistics_source="Drejtoria Vendore e Policisë",
        provenance="Përditësuar në mbledhjen e KVSP të datës 03.02.2022",
        priority="high",
    )
    first = services.activity_add(
        problem=violence,
        text="Fushatë ndërgjegjësimi në lagje",
        lead=police,
        partners=[municipality, education],
        deadline_kind="date",
        deadline_date=date(2025, 6, 30),
    )
    services.indicator_add(
        activity=first,
        name="Raste të trajtuara",
        unit="raste",
        baseline=12,
        target="20.5",
        frequency="monthly",
    )
    services.indicator_add(
        activity=first, name="+ Seanca informuese", unit="seanca", target=4, frequency="once"
    )
    services.activity_add(
        problem=violence,
        text="Takime me shkollat",
        lead=municipality,
        deadline_kind="period",
        deadline_period="h1",
    )
    services.activity_add(
        problem=violence,
        text="@ Raport për këshillin",
        lead=prosecution,
        partners=[police],
        deadline_kind="period",
        deadline_period="h2",
    )
    drugs = services.problem_add(
        version=version, number="1.4", title="Droga te të rinjtë", priority="moderate"
    )
    for quarter in ("q1", "q2", "q3", "q4"):
        activity = services.activity_add(
            problem=drugs,
            text=f"Orë edukative ({quarter})",
            lead=education,
            deadline_kind="period",
            deadline_period=quarter,
        )
        services.indicator_add(
            activity=activity,
            name="Orë",
            unit="orë",
            baseline=None,
            target=Decimal("1250.75"),
            frequency="quarterly",
        )
    roads = services.problem_add(version=version, number="1.10", title="Siguria rrugore", priority="low")
    for every in (1, 2, 12):
        activity = services.activity_add(
            problem=roads,
            text=f"Patrullime çdo {every} muaj",
            lead=police,
            deadline_kind="recurrence",
            deadline_every_months=every,
        )
        services.indicator_add(
            activity=activity, name="Patrullime", unit="", baseline=0, target=-3, frequency="semiannual"
        )
    year_round = services.activity_add(
        problem=roads, text="Sinjalistikë pranë shkollave", lead=municipality, deadline_kind="all_year"
    )
    services.indicator_add(activity=year_round, name="Tabela", unit="copë", target=30, frequency="annual")
    services.problem_add(version=version, number="2.1", title="Vjedhjet në banesa", priority="low")
    return version


def _submit(version: PlanVersion, people) -> None:
    """Send the plan to the chair (every problem needs an activity for that)."""
    services.activity_add(
        problem=version.problems.get(number="2.1"),
        text="Kontrolle në lagje",
        lead=people["police"],
        deadline_kind="all_year",
    )
    approval.version_submit(version=version, user=people["skn"])


def _approve(version: PlanVersion, people, elbasan) -> None:
    meeting = meeting_services.meeting_create(
        council=elbasan, kind="council", starts_at=timezone.now() - timedelta(days=1), place="Salla"
    )
    _submit(version, people)
    approve_by_decision(version, chair=people["chair"], meeting=meeting)


def _snapshot(version: PlanVersion) -> list:
    """Everything a version holds, field by field, in order (lineage ids aside)."""
    rows = []
    for problem in version.problems.order_by("position"):
        activities = []
        for activity in problem.activities.order_by("position"):
            indicators = [
                (i.name, i.unit, i.baseline, i.target, i.frequency)
                for i in activity.indicators.order_by("position")
            ]
            activities.append(
                (
                    activity.text,
                    activity.lead_id,
                    sorted(p.pk for p in activity.partners.all()),
                    activity.deadline_kind,
                    activity.deadline_date,
                    activity.deadline_period,
                    activity.deadline_every_months,
                    indicators,
                )
            )
        rows.append(
            (
                problem.number,
                problem.title,
                problem.description,
                problem.statistics,
                problem.statistics_source,
                problem.provenance,
                problem.priority,
                activities,
            )
        )
    return rows


def _workbook(*lines, headers=HEADERS, title="Plani", above=()) -> bytes:
    """An XLSX whose sheet holds ``headers`` and then ``lines`` (dicts by column key)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for line in above:
        sheet.append(line)
    sheet.append(headers)
    for line in lines:
        sheet.append([line.get(key) for key in KEYS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _line(**values) -> dict:
    return {
        "number": "1.4",
        "title": "Droga te të rinjtë",
        "priority": "i lartë",
        "activity": "Orë edukative ligjore",
        "lead": "Drejtoria Vendore e Policisë Elbasan",
        "deadline": "6 mujori i parë",
        **values,
    }


def _parse(content, elbasan, **kwargs):
    with translation.override("en"):
        return importer.parse(content, elbasan, **kwargs)


# --- round trip -----------------------------------------------------------------------------------


def test_a_plan_exported_and_imported_again_is_the_same_plan(elbasan, people):
    original = _build_plan(elbasan, people)
    content = exports.plan_workbook(original)
    result = _parse(content, elbasan)
    assert result.errors == []
    assert (len(result.problems), result.activity_count, result.indicator_count) == (4, 11, 10)
    copy = importer.plan_import(council=elbasan, year=2026, result=result)
    assert copy.plan.year == 2026 and copy.status == PlanVersion.Status.DRAFT and copy.number == 1
    assert _snapshot(copy) == _snapshot(original)
    assert _snapshot(copy)[0][2].startswith("=SUM(A1:A3)")  # the apostrophe of the export is gone
    assert not set(copy.problems.values_list("lineage", flat=True)) & set(
        original.problems.values_list("lineage", flat=True)
    )


def test_the_round_trip_holds_whatever_the_interface_language(elbasan, people):
    original = _build_plan(elbasan, people)
    with translation.override("en"):
        content = exports.plan_workbook(original)
    with translation.override("sq"):
        result = importer.parse(content, elbasan)
    assert result.errors == []
    assert _snapshot(importer.plan_import(council=elbasan, year=2027, result=result)) == _snapshot(original)


def test_the_export_neutralises_formulas_and_keeps_numbers_as_text(elbasan, people):
    content = exports.plan_workbook(_build_plan(elbasan, people))
    sheet = load_workbook(io.BytesIO(content))["Plani"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert values[0][2].startswith("'=SUM") and values[0][3] == "'-5% krahasuar me 2021"
    assert values[1][11] == "'+ Seanca informuese" and values[3][7] == "'@ Raport për këshillin"
    assert "1.10" in [row[0] for row in values]
    assert values[0][10] == "30.06.2025" and values[0][8] == "Drejtoria Vendore e Policisë Elbasan"
    assert values[0][9] == "Bashkia Elbasan; Zyra Vendore Arsimore Elbasan"


# --- the template ---------------------------------------------------------------------------------


def test_the_template_opens_and_its_headers_are_read(elbasan, people):
    content = exports.template_workbook(elbasan)
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Plani", "Institucionet", "Udhëzime"]
    sheet = workbook["Plani"]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["H"].width > sheet.column_dimensions["A"].width
    lists = {dv.formula1: str(dv.sqref) for dv in sheet.data_validations.dataValidation}
    assert lists['"i lartë,i moderuar,i ulët"'].startswith("G2:")
    assert lists['"mujore,tremujore,gjashtëmujore,vjetore,një herë"'].startswith("P2:")
    names = [row[0] for row in workbook["Institucionet"].iter_rows(min_row=2, values_only=True)]
    assert names == sorted(i.name for i in Institution.objects.filter(seats__council=elbasan))
    assert workbook["Udhëzime"].max_row > 10
    # Its headers are understood: the only complaint is that the plan is still empty.
    result = _parse(content, elbasan)
    assert [e.message for e in result.errors] == [
        "The file holds no plan rows. Fill in the sheet “Plani” below its header row."
    ]
    # Filled in below the header, it is read.
    workbook["Plani"].append([_line().get(key) for key in KEYS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert _parse(buffer.getvalue(), elbasan).ok


def test_english_headers_a_title_above_them_and_a_sheet_of_another_name_are_read(elbasan, people):
    english = [
        "No.",
        "Identified problem",
        "Description",
        "Statistics",
        "Source of the statistics",
        "Provenance note",
        "Priority",
        "Activity",
        "Lead institution",
        "Partners",
        "Deadline",
        "Indicator",
        "Unit",
        "Baseline",
        "Target",
        "Frequency",
    ]
    content = _workbook(
        _line(
            priority="high", deadline="every 2 months", frequency="monthly", indicator="Orë", target="12,5"
        ),
        headers=english,
        title="Sheet1",
        above=[["Plani i KVSP Elbasan 2025"], []],
    )
    result = _parse(content, elbasan)
    assert result.errors == []
    activity = result.problems[0].activities[0]
    assert activity.deadline == Deadline(kind="recurrence", every_months=2)
    assert activity.indicators[0].target == Decimal("12.50") and activity.indicators[0].frequency == "monthly"


def test_missing_columns_are_named(elbasan, people):
    headers = [h for h in HEADERS if h not in ("Afati", "Institucioni drejtues")]
    result = _parse(_workbook(headers=headers), elbasan)
    assert [e.message for e in result.errors] == [
        # The lead is optional (Table 1 names none): its column may be missing.
        "These columns are missing: Afati. Start from the template."
    ]


def test_a_sheet_without_the_header_row_is_refused(elbasan, people):
    result = _parse(_workbook(headers=["a", "b"]), elbasan)
    assert len(result.errors) == 1 and result.errors[0].message.startswith("The header row was not found.")


# --- what people type -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30.06.2025", Deadline(kind="date", day=date(2025, 6, 30))),
        ("deri më 1.7.2025", Deadline(kind="date", day=date(2025, 7, 1))),
        ("30/06/2025", Deadline(kind="date", day=date(2025, 6, 30))),
        ("2025-06-30", Deadline(kind="date", day=date(2025, 6, 30))),
        ("30 qershor 2025", Deadline(kind="date", day=date(2025, 6, 30))),
        ("by 30.06.2025", Deadline(kind="date", day=date(2025, 6, 30))),
        ("6 mujori i parë", Deadline(kind="period", period="h1")),
        ("6-mujori i pare", Deadline(kind="period", period="h1")),
        ("Gjashtëmujori i dytë", Deadline(kind="period", period="h2")),
        ("in the first six months", Deadline(kind="period", period="h1")),
        ("second half", Deadline(kind="period", period="h2")),
        ("tremujori i parë", Deadline(kind="period", period="q1")),
        ("Tremujori i dytë", Deadline(kind="period", period="q2")),
        ("tremujori i tretë", Deadline(kind="period", period="q3")),
        ("tremujori i katërt", Deadline(kind="period", period="q4")),
        ("third quarter", Deadline(kind="period", period="q3")),
        ("Q4", Deadline(kind="period", period="q4")),
        ("çdo muaj", Deadline(kind="recurrence", every_months=1)),
        ("cdo 2 muaj", Deadline(kind="recurrence", every_months=2)),
        ("Çdo dy muaj", Deadline(kind="recurrence", every_months=2)),
        ("every 3 months", Deadline(kind="recurrence", every_months=3)),
        ("every month", Deadline(kind="recurrence", every_months=1)),
        ("gjatë gjithë vitit", Deadline(kind="all_year")),
        ("Gjate gjithe vitit", Deadline(kind="all_year")),
        ("në vazhdimësi", Deadline(kind="all_year")),
        ("all year", Deadline(kind="all_year")),
        (datetime(2025, 3, 4), Deadline(kind="date", day=date(2025, 3, 4))),
        (date(2025, 3, 4), Deadline(kind="date", day=date(2025, 3, 4))),
        ("pas 3 javësh", None),
        ("31.02.2025", None),
        ("", None),
        ("vitin tjetër", None),
    ],
)
def test_deadlines_are_read_in_albanian_and_english(text, expected):
    assert importer.parse_deadline(text) == expected


def test_every_deadline_is_written_as_text_that_reads_back():
    deadlines = [Deadline(kind="date", day=date(2025, 12, 31)), Deadline(kind="all_year")]
    deadlines += [Deadline(kind="period", period=p) for p in ("h1", "h2", "q1", "q2", "q3", "q4")]
    deadlines += [Deadline(kind="recurrence", every_months=n) for n in range(1, 13)]
    for deadline in deadlines:
        assert importer.parse_deadline(importer.deadline_text(deadline)) == deadline
        for language in ("sq", "en"):  # the way the plan's pages write it reads back too
            with translation.override(language):
                if deadline.kind != "date":
                    assert importer.parse_deadline(str(deadline)) == deadline, str(deadline)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12, Decimal("12.00")),
        (12.5, Decimal("12.50")),
        ("12,5", Decimal("12.50")),
        ("1 250,75", Decimal("1250.75")),
        ("1.250,75", Decimal("1250.75")),
        ("1,250.75", Decimal("1250.75")),
        ("45%", Decimal("45.00")),
        ("-3", Decimal("-3.00")),
        (0.1 + 0.2, Decimal("0.30")),
        (None, None),
        ("", None),
    ],
)
def test_numbers_are_read_with_a_comma_or_a_point(value, expected):
    assert importer.parse_number(value) == expected


@pytest.mark.parametrize("value", ["dhjetë", "1e5", "NaN", "12,5,3", "Infinity", 10**12, True, "#DIV/0!"])
def test_what_is_not_a_number_is_refused(value):
    with pytest.raises(importer.NumberError):
        importer.parse_number(value)


# --- errors, line by line -------------------------------------------------------------------------

POLICE = "Drejtoria Vendore e Policisë Elbasan"


@pytest.mark.parametrize(
    ("bad", "column", "message"),
    [
        (
            _line(lead="Policia e Elbasanit"),
            "lead",
            "“Policia e Elbasanit” is not an institution that sits on this council. "
            f"Did you mean: {POLICE}? The sheet “Institucionet” of the template lists the names to use.",
        ),
        # A name that is not a member is an actor (tests/plans/test_import_rows.py); too long, refused.
        (_line(partners="Bashkia Elbasan; " + "x" * 201), "partners", "“xxxx"),
        (_line(lead="", deadline=""), "deadline", "Give the deadline."),  # the lead is optional
        (
            _line(number="1.5", title="Tjetër", priority="shumë i lartë"),
            "priority",
            "“shumë i lartë” is not a priority.",
        ),
        (
            _line(number="1.5", title="Tjetër", priority=""),
            "priority",
            "Give the priority: i lartë, i moderuar or i ulët.",
        ),
        (
            _line(deadline="pas 3 javësh"),
            "deadline",
            "“pas 3 javësh” is not a deadline the import understands.",
        ),
        (_line(deadline="31.02.2025"), "deadline", "“31.02.2025” is not a deadline the import understands."),
        (_line(deadline="çdo 13 muaj"), "deadline", "Say every how many months (1 to 12)."),
        (_line(deadline=""), "deadline", "Give the deadline."),
        (
            _line(activity=""),
            "activity",
            "Describe the activity: this line names an institution or a deadline",
        ),
        (_line(title="Dhuna në familje"), "title", "Problem 1.4 is named “Droga te të rinjtë” on line 2."),
        (
            _line(priority="i ulët", activity="Tjetër"),
            "priority",
            "Problem 1.4 has a different value here than on line 2.",
        ),
        (_line(indicator="Orë", baseline="dhjetë"), "baseline", "“dhjetë” is not a number"),
        (
            _line(indicator="Orë", target=10**12),
            "target",
            "“1000000000000” is not a number (or it is too large).",
        ),
        (_line(indicator="", unit="orë", target=4), "indicator", "Name the indicator."),
        (_line(indicator="Orë", frequency="ndonjëherë"), "frequency", "“ndonjëherë” is not a frequency."),
        (_line(number="", title="Problem tjetër"), "number", "Give this problem's number (Nr.)."),
        (_line(number="1.5", title="", activity="X"), "title", "Name the problem."),
        (_line(number="1.5", title="x" * 301), "title", "Keep this to 300 characters; it has 301."),
        (_line(number="1.23456789012"), "number", "Keep this to 10 characters; it has 13."),
        (_line(activity="", lead="", deadline="", indicator="Orë"), None, None),  # a further indicator: fine
    ],
)
def test_each_bad_line_is_reported_by_line_and_column(elbasan, people, bad, column, message):
    result = _parse(_workbook(_line(), bad), elbasan)
    if column is None:
        assert result.ok
        return
    assert [(e.row, e.column, e.label) for e in result.errors] == [
        (3, LETTER[column], importer.COLUMN[column].header)
    ]
    assert result.errors[0].message.startswith(message), result.errors[0].message
    assert not result.ok


def test_statistics_without_a_source_are_read_as_table_1_gives_them(elbasan, people):
    """Row 1.4 of the guide's Table 1: statistics with their source inside the text, no column of
    their own (the source is optional, as on the form)."""
    statistics = table1.ROWS[1]["statistics"]
    result = _parse(_workbook(_line(statistics=statistics)), elbasan)
    assert result.ok, [error.message for error in result.errors]
    (problem,) = result.problems
    assert problem.statistics == statistics and problem.statistics_source == ""


def test_an_indicator_before_any_activity_and_a_first_line_without_a_number(elbasan, people):
    result = _parse(
        _workbook(
            _line(number="", title=""),
            _line(activity="", lead="", deadline="", indicator="Orë"),
        ),
        elbasan,
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "A"), (3, "H")]
    assert result.errors[0].message == "Give the problem's number (Nr.), for example 1.4."
    assert "problem 1.4 has none yet" in result.errors[1].message


def test_lines_of_a_problem_may_leave_its_columns_empty_and_indicators_follow_their_activity(elbasan, people):
    result = _parse(
        _workbook(
            _line(description="Raste pranë shkollave", indicator="Orë", target=10),
            {
                "activity": "Patrullime",
                "lead": POLICE.upper(),
                "deadline": "çdo muaj",
                "partners": "bashkia elbasan",
            },
            {"number": "1.4", "indicator": "Patrullime të kryera", "target": 12, "frequency": "mujore"},
            _line(number="1.5", title="Vjedhjet", priority="i ulët", deadline="Tremujori i tretë"),
        ),
        elbasan,
    )
    assert result.errors == []
    first, second = result.problems
    assert first.description == "Raste pranë shkollave" and len(first.activities) == 2
    assert first.activities[1].lead == people["police"] and first.activities[1].partners == [
        people["municipality"]
    ]
    assert [i.name for i in first.activities[1].indicators] == ["Patrullime të kryera"]
    assert second.activities[0].deadline == Deadline(kind="period", period="q3")


def test_a_number_the_draft_already_has_is_an_error(elbasan, people):
    draft = services.plan_start(council=elbasan, year=2025)
    services.problem_add(version=draft, number="1.4", title="Ekziston", priority="low")
    result = _parse(_workbook(_line()), elbasan, into=draft)
    assert [(e.row, e.label) for e in result.errors] == [(2, "Nr.")]
    assert result.errors[0].message.startswith("Version 1 already has a problem numbered 1.4.")


def test_formulas_are_read_as_their_values(elbasan, people):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append([_line().get(key) for key in KEYS])
    sheet["B2"] = '="Droga" & " te të rinjtë"'
    sheet["L2"] = "Orë"
    sheet["O2"] = "=5*2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    # openpyxl writes no computed values; put in what a spreadsheet would have stored.
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = re.sub(
                    r'<c r="B2"><f>(.*?)</f><v></v></c>',
                    r'<c r="B2" t="str"><f>\1</f><v>Droga te të rinjtë</v></c>',
                    data.decode(),
                )
                text = text.replace('<c r="O2"><f>5*2</f><v></v></c>', '<c r="O2"><f>5*2</f><v>10</v></c>')
                assert "<v>10</v>" in text and "<v>Droga te të rinjtë</v>" in text
                data = text.encode()
            target.writestr(item, data)
    result = _parse(patched.getvalue(), elbasan)
    assert result.errors == []
    assert result.problems[0].title == "Droga te të rinjtë"
    assert result.problems[0].activities[0].indicators[0].target == Decimal("10.00")


def test_a_sheet_that_declares_a_wrong_size_is_read_to_its_end(elbasan, people):
    content = _workbook(_line(), _line(activity="B"), _line(activity="C"))
    source = zipfile.ZipFile(io.BytesIO(content))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:P2"/>', data)
                assert b'<dimension ref="A1:P2"/>' in data
            target.writestr(item, data)
    result = _parse(patched.getvalue(), elbasan)
    assert result.ok and result.activity_count == 3


# --- files that are not a plan workbook -----------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


NOT_XLSX = "This file is not an Excel workbook (XLSX)."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"%PDF-1.4 a plan", NOT_XLSX),
        (b"Nr.;Problematika\n1.4;Droga", NOT_XLSX),
        (b"<html><body>plan</body></html>", NOT_XLSX),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, NOT_XLSX),  # an old .xls
        (_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}), NOT_XLSX),  # a DOCX
        (_zip({"a.txt": b"x"}), NOT_XLSX),
        (
            _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"not xml"}),
            "The workbook could not be read; it may be damaged.",
        ),
    ],
)
def test_files_that_are_not_xlsx_are_refused_by_their_content(elbasan, content, message):
    result = _parse(content, elbasan)
    assert len(result.errors) == 1 and result.errors[0].row is None
    assert result.errors[0].message.startswith(message)
    assert result.problems == []


def test_a_zip_bomb_is_refused_before_it_is_unpacked(elbasan, monkeypatch):
    bomb = _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/sharedStrings.xml": b" " * (importer.MAX_UNPACKED_BYTES + 1),
        }
    )
    assert len(bomb) < 200_000

    def never(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    result = _parse(bomb, elbasan)
    assert len(result.errors) == 1
    assert result.errors[0].message.startswith("This workbook unpacks to more than 50.0")
    assert result.errors[0].message.endswith("MB, so it is not read. Keep only the plan in it.")


def test_a_file_over_the_size_limit_is_refused(elbasan, people, settings):
    content = _workbook(_line())
    settings.DOCUMENT_MAX_BYTES = len(content) - 1
    result = _parse(content, elbasan)
    assert len(result.errors) == 1 and result.errors[0].message.startswith("The file is too large")


def test_at_most_max_rows_lines_are_read(elbasan, people, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    result = _parse(_workbook(*[_line(activity=f"A{n}") for n in range(5)]), elbasan)
    assert [e.message for e in result.file_errors] == [
        "The plan has more than 3 lines; the import reads at most 3."
    ]
    assert result.activity_count == 3 and not result.ok


def test_an_endless_sheet_is_not_read_to_its_end(elbasan, people, monkeypatch):
    monkeypatch.setattr(reading, "MAX_LINES", 50)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append([_line().get(key) for key in KEYS])
    sheet["A100000"] = "1.9"
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = _parse(buffer.getvalue(), elbasan)
    assert [e.message for e in result.file_errors] == [
        "The sheet goes on past line 50. Delete the lines below the plan and upload again."
    ]


# --- writing ----------------------------------------------------------------------------------------


def test_an_import_writes_every_row_or_none(elbasan, people):
    result = _parse(
        _workbook(_line(), _line(number="1.5", title="Vjedhjet", lead="Zyra Vendore Arsimore Elbasan")),
        elbasan,
    )
    assert result.ok
    seat = elbasan.seats.get(institution=people["education"])
    council_services.seat_end(seat=seat, end_date=timezone.localdate())  # left between preview and confirm
    with pytest.raises(ValidationError) as error, translation.override("en"):
        importer.plan_import(council=elbasan, year=2025, result=result)
    assert "Line 3: Choose institutions that sit on this council." in error.value.messages
    assert not Plan.objects.exists() and not PlanProblem.objects.exists()


def test_an_approved_plan_is_revised_before_an_import(elbasan, people):
    version = _build_plan(elbasan, people)
    _approve(version, people, elbasan)
    with translation.override("en"):
        target = importer.import_target(elbasan, 2025)
        assert target.blocked.startswith("The 2025 plan is approved and has no draft. Revise")
        result = importer.parse(_workbook(_line(number="9.1")), elbasan)
        with pytest.raises(ValidationError):
            importer.plan_import(council=elbasan, year=2025, result=result)
    assert version.problems.count() == 4 and PlanVersion.objects.count() == 1


# --- the pages --------------------------------------------------------------------------------------

IMPORT = "/app/elbasan/plans/2025/import/"


def _upload(client, content, name="plani.xlsx", url=IMPORT):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def test_upload_preview_and_confirm(client, elbasan, people):
    client.force_login(people["secretary"])
    page = client.get(IMPORT)
    assert page.status_code == 200 and "/app/elbasan/plans/template.xlsx" in page.text
    content = _workbook(
        _line(indicator="Orë të zhvilluara", baseline=0, target=10, frequency="tremujore"),
        _line(activity="Patrullime", lead="Bashkia Elbasan", deadline="çdo 2 muaj", partners=POLICE),
    )
    preview = _upload(client, content)
    assert preview.status_code == 200
    text = preview.text
    for shown in ("Droga te të rinjtë", "Orë edukative ligjore", "Patrullime", "Orë të zhvilluara"):
        assert shown in text
    assert 'name="token"' in text
    assert not Plan.objects.exists()  # a preview writes nothing
    token = text.split('name="token" value="')[1].split('"')[0]
    done = client.post(IMPORT, {"token": token})
    version = PlanVersion.objects.get(plan__council=elbasan, plan__year=2025)
    assert done.status_code == 302 and done["Location"] == "/app/elbasan/plans/2025/v1/"
    problem = version.problems.get()
    assert [a.text for a in problem.activities.order_by("position")] == [
        "Orë edukative ligjore",
        "Patrullime",
    ]
    second = problem.activities.get(text="Patrullime")
    assert second.deadline_every_months == 2 and list(second.partners.all()) == [people["police"]]
    assert problem.activities.get(text="Orë edukative ligjore").indicators.get().target == Decimal("10.00")
    # The same confirmation again writes nothing more.
    again = client.post(IMPORT, {"token": token})
    assert again.status_code == 302 and again["Location"] == IMPORT
    assert PlanProblem.objects.count() == 1


def test_a_file_with_errors_shows_them_and_offers_no_confirmation(client, elbasan, people):
    client.force_login(people["skn"])
    response = _upload(client, _workbook(_line(lead="Policia"), _line(deadline="së shpejti")))
    assert response.status_code == 200
    assert 'name="token"' not in response.text
    assert response.text.count('class="table-danger"') == 2
    assert "Policia" in response.text and "së shpejti" in response.text
    assert not Plan.objects.exists() and not any(
        k.startswith("plans-import") for k in client.session._session
    )


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4 x", "plani.xlsx", NOT_XLSX),
        (b"", "plani.xlsx", "The submitted file is empty."),
        (b"<html></html>", "plan.xlsx", NOT_XLSX),
        (b"PK\x03\x04xx", "p.xlsx", NOT_XLSX),
    ],
)
def test_a_wrong_file_gets_a_clear_message_not_a_500(client, elbasan, people, content, name, message):
    client.force_login(people["secretary"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = _upload(client, content, name)
    assert response.status_code == 200
    assert "is-invalid" in response.text and 'name="token"' not in response.text
    assert message in response.text
    assert not Plan.objects.exists()


def test_no_file_at_all_is_a_form_error(client, elbasan, people):
    client.force_login(people["secretary"])
    response = client.post(IMPORT, {})
    assert response.status_code == 200 and "is-invalid" in response.text


def test_rows_too_large_for_the_session_are_refused_with_a_message(client, elbasan, people, monkeypatch):
    monkeypatch.setattr("plans.import_views.MAX_SESSION_CHARS", 100)
    client.force_login(people["secretary"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = _upload(client, _workbook(_line()))
    assert response.status_code == 200 and 'name="token"' not in response.text
    assert "The plan is too large to import at once. Split it into two files." in response.text
    assert not any(k.startswith("plans-import") for k in client.session._session)


def test_a_forged_or_stale_token_writes_nothing(client, elbasan, people):
    client.force_login(people["secretary"])
    _upload(client, _workbook(_line()))
    response = client.post(IMPORT, {"token": "forged"})
    assert response.status_code == 302 and response["Location"] == IMPORT
    assert not Plan.objects.exists()


def test_a_failing_confirmation_keeps_nothing_and_says_why(client, elbasan, people):
    client.force_login(people["secretary"])
    preview = _upload(
        client, _workbook(_line(), _line(number="1.5", title="V", lead="Zyra Vendore Arsimore Elbasan"))
    )
    token = preview.text.split('name="token" value="')[1].split('"')[0]
    seat = elbasan.seats.get(institution=people["education"])
    council_services.seat_end(seat=seat, end_date=timezone.localdate())
    response = client.post(IMPORT, {"token": token})
    assert response.status_code == 200 and 'role="alert"' in response.text
    assert not Plan.objects.exists() and not PlanVersion.objects.exists()


def test_a_submitted_version_blocks_the_import(client, elbasan, people):
    version = _build_plan(elbasan, people)
    _submit(version, people)
    client.force_login(people["secretary"])
    page = client.get(IMPORT)
    assert page.status_code == 200 and 'type="file"' not in page.text
    before = PlanProblem.objects.count()
    assert _upload(client, _workbook(_line(number="9.9"))).status_code == 200
    assert PlanProblem.objects.count() == before


def test_who_may_import_and_download(client, elbasan, people):
    version = _build_plan(elbasan, people)
    client.force_login(people["member"])
    assert client.get(IMPORT).status_code == 403
    assert _upload(client, _workbook(_line(number="9.9"))).status_code == 403
    assert client.get("/app/elbasan/plans/template.xlsx").status_code == 403
    draft = client.get("/app/elbasan/plans/2025/v1/plan.xlsx")  # a member reads drafts
    assert draft.status_code == 200 and draft["Content-Type"] == importer.XLSX_CONTENT_TYPE
    assert 'filename="plani-elbasan-2025-v1.xlsx"' in draft["Content-Disposition"]
    client.force_login(people["observer"])
    assert client.get("/app/elbasan/plans/2025/v1/plan.xlsx").status_code == 403
    _approve(version, people, elbasan)
    approved = client.get("/app/elbasan/plans/2025/v1/plan.xlsx")
    assert (
        approved.status_code == 200
        and load_workbook(io.BytesIO(approved.content))["Plani"]["A2"].value == "1.2"
    )
    assert client.get("/app/elbasan/plans/2025/v9/plan.xlsx").status_code == 404
    assert client.get("/app/elbasan/plans/99999999999999999999/v1/plan.xlsx").status_code == 404
    client.force_login(people["skn"])
    template = client.get("/app/elbasan/plans/template.xlsx")
    assert template.status_code == 200 and "no-store" in template["Cache-Control"]
    assert client.get("/app/elbasan/plans/1999/import/").status_code == 404
    assert PlanProblem.objects.count() == 4


def test_the_workbook_takes_a_fixed_number_of_queries(client, elbasan, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    version = services.plan_start(council=elbasan, year=2025)

    def grow(count):
        start = version.problems.count()
        for n in range(start, start + count):
            problem = services.problem_add(version=version, number=f"3.{n}", title=f"P{n}", priority="low")
            activity = services.activity_add(
                problem=problem,
                text="A",
                lead=people["police"],
                partners=[people["municipality"]],
                deadline_kind="all_year",
            )
            services.indicator_add(activity=activity, name="I", frequency="annual")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/app/elbasan/plans/2025/v1/plan.xlsx").status_code == 200
        return len(captured)

    client.force_login(people["secretary"])
    grow(2)
    client.get("/app/elbasan/plans/2025/v1/plan.xlsx")  # the first request of a session stamps it
    few = queries()
    grow(10)
    assert queries() == few


def test_kept_rows_name_only_the_councils_institutions(elbasan, people):
    result = _parse(_workbook(_line()), elbasan)
    data = result.to_data()
    assert importer.ImportResult.from_data(data, elbasan).problems[0].activities[0].lead == people["police"]
    stranger = Institution.objects.create(name="Bashkia Tiranë", category="a")
    data["problems"][0]["activities"][0]["lead"] = stranger.pk
    with pytest.raises(ValueError):
        importer.ImportResult.from_data(data, elbasan)
    with pytest.raises(ValueError):
        importer.ImportResult.from_data({"problems": [{"line": "x"}]}, elbasan)


# --- in a browser ---------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_import_pages_pass_axe_and_the_html_checker(
    page, live_server, audit, html_checker, reference_data, tmp_path
):
    """The page, a preview full of errors and a clean preview: axe-core in Chromium (as the person
    sees them), the Nu HTML Checker on the HTML the server sent."""
    from django.test import Client

    from tests.fixtures.browser import validate_html

    elbasan = council("elbasan")
    people = _people(elbasan)
    client = Client()
    client.force_login(people["secretary"])
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(live_server.url + IMPORT)
    audit(page)
    files = {
        "errors": _workbook(
            _line(lead="Policia", indicator="Orë", target="shumë"), _line(deadline="së shpejti")
        ),
        "clean": _workbook(
            _line(description="Raste", statistics="12", statistics_source="Policia", indicator="Orë")
        ),
    }
    for name, content in files.items():
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(content)
        page.goto(live_server.url + IMPORT)
        page.locator('input[type="file"]').set_input_files(path)
        page.locator('form[enctype="multipart/form-data"] button[type="submit"]').click()
        page.wait_for_load_state("load")
        assert page.locator("#preview-heading").is_visible()
        assert not audit.serious_violations(page), name
        sent = _upload(client, content).text
        assert validate_html(html_checker, sent) == [], name
    assert page.locator('input[name="token"]').count() == 1
    assert not audit.csp_violations


def test_a_huge_number_in_the_import_is_a_row_error_not_a_damaged_file(elbasan, people):
    content = _workbook(_line(baseline="1" + "0" * 30, indicator="Orë"))
    result = _parse(content, elbasan)
    messages = " ".join(str(error) for error in result.errors)
    assert "damaged" not in messages
    assert result.errors and any("1000000000" in str(error) for error in result.errors)
