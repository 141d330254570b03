"""The Excel import in Table 1's shape (issue 22, items 1-2): who is responsible and the deadline
given once on a problem's first line are the row's and its activities inherit them; names on a
later line are that activity's own; the lead is optional; a name that is not one of the council's
member institutions is an actor of the council's list (reused whatever its case, else added on
save, never a member); names keep the order given; the workbook export round-trips such a plan."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from councils.models import Institution, Role
from plans import exports, importer, services
from plans.deadlines import Deadline
from plans.importer.rows import ImportResult
from plans.models import Actor, PlanVersion
from plans.ordering import named
from tests.factories import UserFactory, council

from . import table1

pytestmark = pytest.mark.django_db

KEYS = [column.key for column in importer.COLUMNS]
HEADERS = [column.header for column in importer.COLUMNS]
LETTER = {key: chr(ord("A") + index) for index, key in enumerate(KEYS)}
IMPORT = "/app/elbasan/plans/2026/import/"


@pytest.fixture
def elbasan(db):
    return council("elbasan")


@pytest.fixture
def secretary(elbasan):
    user = UserFactory(full_name="Dorina Cela")
    table1.seat_members(elbasan, {Role.SECRETARY: user})
    return user


def _workbook(*lines, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Plani"
    sheet.append(headers)
    keys = [importer.COLUMN[key].key for key in KEYS if importer.COLUMN[key].header in headers]
    for line in lines:
        sheet.append([line.get(key) for key in keys])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _parse(content, elbasan):
    with translation.override("en"):
        return importer.parse(content, elbasan)


def _rows(version: PlanVersion) -> list:
    """What a version holds of Table 1's shape, in order: each row with its names and deadline and
    each activity with its own (empty: inherited)."""
    rows = []
    for problem in version.problems.order_by("position"):
        activities = [
            (
                activity.text,
                activity.lead.name if activity.lead else "",
                [p.name for p in named(activity, "partners")],
                [a.name for a in named(activity, "actors")],
                activity.own_deadline,
                activity.deadline,
            )
            for activity in problem.activities.order_by("position")
        ]
        rows.append(
            (
                problem.number,
                problem.title,
                problem.statistics,
                problem.provenance,
                problem.priority,
                [i.name for i in named(problem, "institutions")],
                [a.name for a in named(problem, "actors")],
                problem.own_deadline,
                activities,
            )
        )
    return rows


# --- Table 1 as printed ---------------------------------------------------------------------------


def test_table_1_as_printed_is_read_with_each_rows_names_and_deadline_given_once(elbasan, secretary):
    result = _parse(table1.workbook_as_printed(), elbasan)
    assert result.errors == [], [(e.row, e.column, e.message) for e in result.errors]
    assert [p.number for p in result.problems] == ["1.2", "1.4", "1.5", "1.7"]
    assert result.activity_count == 14
    last = result.problems[3]
    assert [i.name for i in last.institutions] == table1.ROWS[3]["members"]
    assert last.actors == [table1.COMMUNITY, table1.NGO]  # in the order typed, not by name
    assert last.new_actors == [table1.COMMUNITY, table1.NGO]
    assert last.deadline == Deadline(kind="period", period="h1")
    assert result.problems[0].deadline == Deadline(kind="recurrence", every_months=2)
    assert result.problems[2].deadline == Deadline(kind="all_year")
    for problem in result.problems:
        for activity in problem.activities:  # the activities inherit: nothing of their own
            assert (activity.lead, activity.names, activity.deadline) == (None, [], None)


def test_table_1_as_printed_is_saved_without_adding_any_member(elbasan, secretary):
    seats = elbasan.seats.count()
    Actor.objects.create(council=elbasan, name="OJF", key="ojf")  # already in the list
    result = _parse(table1.workbook_as_printed(), elbasan)
    assert result.problems[2].actors == ["OJF"] and result.problems[2].new_actors == []
    version = importer.plan_import(council=elbasan, year=2026, result=result)
    assert elbasan.seats.count() == seats  # actors never become members
    assert sorted(Actor.objects.filter(council=elbasan).values_list("name", flat=True)) == sorted(
        table1.ACTORS
    )
    rows = _rows(version)
    assert [row[0] for row in rows] == ["1.2", "1.4", "1.5", "1.7"]
    for row, printed in zip(rows, table1.ROWS, strict=True):
        assert row[5] == printed["members"] and row[6] == list(printed["actors"])
        assert row[7] == Deadline(**_deadline(printed["deadline"][0]))
        assert [a[0] for a in row[8]] == printed["activities"]
        for activity in row[8]:
            assert activity[1:5] == ("", [], [], None)  # nothing of its own: the row's
            assert activity[5] == row[7]
    problem = version.problems.get(number="1.7")
    activity = problem.activities.first()
    assert activity.responsible.others == table1.ROWS[3]["members"] + [table1.COMMUNITY, table1.NGO]
    assert activity.responsible.lead == "" and activity.responsible.inherited


def _deadline(fields: dict) -> dict:
    return {
        "kind": fields["deadline_kind"],
        "period": fields.get("deadline_period", ""),
        "every_months": fields.get("deadline_every_months"),
    }


# --- the rule, line by line -----------------------------------------------------------------------


def _first(**values) -> dict:
    return {
        "number": "1.4",
        "title": "Droga te të rinjtë",
        "priority": "i lartë",
        "activity": "Orë edukative ligjore",
        "partners": f"{table1.POLICE}; {table1.EDUCATION}",
        "deadline": "6 mujori i parë",
        **values,
    }


def test_names_on_a_later_line_are_that_activitys_own_and_the_lead_is_optional(elbasan, secretary):
    result = _parse(
        _workbook(
            _first(),
            {"number": "1.4", "activity": "Takime me prindërit"},
            {
                "number": "1.4",
                "activity": "Patrullime",
                "partners": f"shkolla 'Naim Frashëri'; {table1.MUNICIPALITY.upper()}",
                "deadline": "çdo muaj",
            },
            {"number": "1.4", "activity": "Raport", "lead": table1.PROSECUTION},
        ),
        elbasan,
    )
    assert result.errors == []
    (problem,) = result.problems
    assert problem.names == [table1.POLICE, table1.EDUCATION]
    first, inherits, own, led = problem.activities
    assert (first.names, first.deadline, inherits.names, inherits.deadline) == ([], None, [], None)
    assert own.names == [table1.MUNICIPALITY, "shkolla 'Naim Frashëri'"]  # institutions, then actors
    assert own.actors == ["shkolla 'Naim Frashëri'"] and own.deadline == Deadline(
        kind="recurrence", every_months=1
    )
    assert led.lead.name == table1.PROSECUTION and led.names == [] and led.deadline is None
    version = importer.plan_import(
        council=elbasan, year=2026, result=ImportResult.from_data(result.to_data(), elbasan)
    )
    saved = {a.text: a for a in version.problems.get().activities.all()}
    assert saved["Takime me prindërit"].responsible.others == [table1.POLICE, table1.EDUCATION]
    assert saved["Patrullime"].responsible.others == [table1.MUNICIPALITY, "shkolla 'Naim Frashëri'"]
    assert saved["Patrullime"].deadline == Deadline(kind="recurrence", every_months=1)
    assert saved["Raport"].responsible.lead == table1.PROSECUTION
    assert saved["Raport"].deadline == Deadline(kind="period", period="h1")  # the row's


def test_a_first_line_with_a_lead_is_its_activitys_alone(elbasan, secretary):
    result = _parse(
        _workbook(
            _first(lead=table1.POLICE),
            {"number": "1.4", "activity": "Takime me prindërit"},
        ),
        elbasan,
    )
    (problem,) = result.problems
    assert problem.names == [] and problem.deadline is None
    first = problem.activities[0]
    assert first.lead.name == table1.POLICE and first.names == [table1.EDUCATION]  # the lead not twice
    # The second activity has no deadline, nor has its row.
    assert [(e.row, e.column) for e in result.errors] == [(3, LETTER["deadline"])]
    assert result.errors[0].message.startswith("Give the deadline.")


def test_a_problem_may_have_a_line_of_its_own(elbasan, secretary):
    result = _parse(
        _workbook(
            _first(activity=""),
            {"number": "1.4", "activity": "Patrullime", "lead": table1.POLICE, "deadline": "çdo muaj"},
            {"number": "1.4", "activity": "Takime"},
        ),
        elbasan,
    )
    assert result.errors == []
    (problem,) = result.problems
    assert problem.names == [table1.POLICE, table1.EDUCATION] and len(problem.activities) == 2
    assert problem.activities[0].lead.name == table1.POLICE and problem.activities[1].names == []


@pytest.mark.parametrize(
    ("lines", "errors"),
    [
        # A lead with no activity on a problem's first line.
        ((_first(activity="", lead=table1.POLICE),), [(2, "activity", "Describe the activity: a lead")]),
        # An indicator with no activity on a problem's line.
        ((_first(activity="", indicator="Orë"),), [(2, "activity", "Describe the activity: an indicator")]),
        # Names on a later line without an activity.
        (
            (_first(), {"number": "1.4", "partners": "OJF"}),
            [(3, "activity", "Describe the activity: this line names")],
        ),
        # A lead that is not a member: the lead is always a member institution.
        ((_first(lead="OJF"),), [(2, "lead", "“OJF” is not an institution that sits on this council.")]),
        # A name too long for the actors' list.
        ((_first(partners="x" * 201),), [(2, "partners", "“xxxx")]),
        # No deadline anywhere: each activity that has none is shown.
        (
            (_first(deadline=""), {"number": "1.4", "activity": "Takime"}),
            [(2, "deadline", "Give the deadline."), (3, "deadline", "Give the deadline.")],
        ),
        ((_first(deadline="pas 3 javësh"),), [(2, "deadline", "“pas 3 javësh” is not a deadline")]),
    ],
)
def test_bad_lines_are_reported_by_line_and_column(elbasan, secretary, lines, errors):
    result = _parse(_workbook(*lines), elbasan)
    assert [(e.row, e.column) for e in result.errors] == [(row, LETTER[key]) for row, key, _m in errors]
    for error, (_row, _key, message) in zip(result.errors, errors, strict=True):
        assert error.message.startswith(message), error.message
    assert not result.ok


# --- export and import again ----------------------------------------------------------------------


def test_table_1_exported_and_imported_again_is_the_same(elbasan, secretary):
    institutions = {name: Institution.objects.get(name=name) for name in table1.MEMBERS}
    original = services.plan_start(council=elbasan, year=2025)
    table1.load(original, institutions)
    # An activity with its own names and deadline, and one with a lead, beside the inherited ones.
    row = original.problems.get(number="1.5")
    services.activity_add(
        problem=row,
        text="Takime me shkollat",
        partners=[institutions[table1.MUNICIPALITY]],
        new_actors=["Shkolla 9-vjeçare “Naim Frashëri”", "ojf"],
        deadline_kind="recurrence",
        deadline_every_months=3,
    )
    services.activity_add(problem=row, text="Raport", lead=institutions[table1.POLICE])
    actors = Actor.objects.count()
    content = exports.plan_workbook(original)

    result = _parse(content, elbasan)
    assert result.errors == [], [(e.row, e.column, e.message) for e in result.errors]
    assert result.activity_count == 16
    copy = importer.plan_import(council=elbasan, year=2026, result=result)
    assert _rows(copy) == _rows(original)
    assert Actor.objects.count() == actors  # every actor reused, none duplicated
    assert [a.name for a in named(copy.problems.get(number="1.7"), "actors")] == [
        table1.COMMUNITY,
        table1.NGO,
    ]

    sheet = load_workbook(io.BytesIO(content))["Plani"]
    lines = [[cell.value for cell in line] for line in sheet.iter_rows(min_row=2)]
    first = lines[0]
    assert first[0] == "1.2" and first[KEYS.index("activity")] == table1.ROWS[0]["activities"][0]
    assert first[KEYS.index("lead")] is None
    assert first[KEYS.index("partners")] == "; ".join(table1.ROWS[0]["members"])
    assert first[KEYS.index("deadline")] == "çdo 2 muaj"
    assert all(line[KEYS.index("partners")] is None for line in lines[1:3])  # inherited: empty


# --- the pages ------------------------------------------------------------------------------------


def test_upload_preview_marks_new_actors_and_confirm_saves_them(client, elbasan, secretary):
    seats = elbasan.seats.count()
    client.force_login(secretary)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    preview = client.post(IMPORT, {"file": SimpleUploadedFile("plani.xlsx", table1.workbook_as_printed())})
    assert preview.status_code == 200
    assert "new actor" in preview.text and table1.COMMUNITY in preview.text
    assert not Actor.objects.exists()  # a preview writes nothing
    token = preview.text.split('name="token" value="')[1].split('"')[0]
    done = client.post(IMPORT, {"token": token})
    assert done.status_code == 302
    assert set(Actor.objects.values_list("name", flat=True)) == set(table1.ACTORS)
    assert elbasan.seats.count() == seats


def test_a_bad_line_saves_nothing_and_shows_where(client, elbasan, secretary):
    client.force_login(secretary)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = _workbook(_first(deadline=""), {"number": "1.4", "activity": "Takime", "partners": "OJF"})
    page = client.post(IMPORT, {"file": SimpleUploadedFile("plani.xlsx", content)})
    assert page.status_code == 200
    assert "Give the deadline." in page.text and 'name="token"' not in page.text
    assert not Actor.objects.exists() and not PlanVersion.objects.exists()


def test_the_template_explains_the_rule(elbasan, secretary):
    """The instructions sheet says the rule (in the active language; sq from the catalogue)."""
    with translation.override("en"):
        content = exports.template_workbook(elbasan)
    workbook = load_workbook(io.BytesIO(content))
    text = "\n".join(
        str(cell.value) for row in workbook["Udhëzime"].iter_rows() for cell in row if cell.value
    )
    assert "Given once per problem: on a problem's first line, Institucioni përgjegjës and Afati" in text
    assert "Institucioni drejtues (optional; Table 1 names none)" in text
    assert "Institucioni përgjegjës" in [cell.value for cell in workbook["Plani"][1]]
    # The example parses, as the rule says.
    example = [[cell.value for cell in row] for row in workbook["Udhëzime"].iter_rows()]
    start = next(i for i, row in enumerate(example) if row[0] == "Nr.")
    lines = [dict(zip(KEYS, row, strict=False)) for row in example[start + 1 :]]
    result = _parse(_workbook(*lines), elbasan)
    (problem,) = result.problems
    assert result.errors == [] and len(problem.activities) == 3
    assert problem.names == ["Drejtoria Vendore e Policisë", "Bashkia", "Drejtoria Arsimore"]
    assert problem.activities[1].names == []
    assert problem.activities[2].names == ["Drejtoria Vendore e Policisë", "Përfaqësues të komunitetit"]
