"""The guide's Table 1 entered whole through the services (tests/plans/table1.py), without adding
any member to the council, approved by the council's decision: every item — the title, each row's
number, problem, statistics, provenance, priority, activities, the institutions and actors it
names once and its deadline — is found on the staff page, the public page, the PDF (pdftotext),
the CSV, the JSON, the DOCX and the API; no output names a lead the table does not; the council's
composition and its public page are unchanged. The browser enters one full row through the editor
(tests/e2e/test_table1_flow.py)."""

import io
import json
import shutil
import subprocess
from html import unescape

import pytest
from django.utils import translation

from councils.models import CouncilInstitution, Membership
from plans import exports, services
from plans.models import Actor, PlanVersion
from tests.builders import YEAR, approve_by_decision
from tests.conftest import require
from tests.factories import UserFactory, council
from tests.plans.plan_csv import plan_csv_lines

from . import table1

pytestmark = pytest.mark.django_db


@pytest.fixture
def entered(meeting):
    elbasan = council("elbasan")
    people = {"secretary": UserFactory(), "chair": UserFactory(), "skn": UserFactory()}
    institutions = table1.seat_members(
        elbasan,
        {"secretary": people["secretary"], "chair": people["chair"], "skn_police": people["skn"]},
    )
    seats = CouncilInstitution.objects.filter(council=elbasan).count()
    members = Membership.objects.filter(council=elbasan).count()
    version = services.plan_start(council=elbasan, year=YEAR)
    table1.load(version, institutions)
    version = approve_by_decision(version, chair=people["chair"], meeting=meeting, submitted_by=people["skn"])
    return {"version": version, "people": people, "seats": seats, "members": members, "council": elbasan}


def _flat(text: str) -> str:
    """Without any whitespace: a PDF or a narrow cell breaks lines where it likes."""
    return "".join(text.split())


def _expected() -> list[str]:
    """Every item of the table, as the outputs must show it."""
    items = [table1.TITLE]
    for row in table1.ROWS:
        items += [row["number"], row["title"], *row["activities"], *row["members"], *row["actors"]]
        items += [text for text in (row["statistics"], row["provenance"]) if text]
        items.append(row["deadline"][1])
    return items


def _docx_text(body: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(body))
    cells = [cell.text for table in document.tables for line in table.rows for cell in line.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


def _pdf_text(body: bytes, tmp_path) -> str:
    require(bool(shutil.which("pdftotext")), "pdftotext not found (apt-get install poppler-utils)")
    path = tmp_path / "plan.pdf"
    path.write_bytes(body)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_every_item_of_table_1_is_in_every_output(entered, client, tmp_path):
    version = entered["version"]
    assert version.status == PlanVersion.Status.APPROVED
    base = f"/elbasan/plan/{YEAR}/v1/"
    with translation.override("sq"):
        files = {
            "pdf": _flat(_pdf_text(exports.plan_pdf(version), tmp_path)),
            "csv": exports.plan_csv(version).decode("utf-8-sig"),
            "json": exports.plan_json(version).decode("utf-8"),
            "docx": _docx_text(exports.plan_docx(version)),
        }
    client.cookies["kvsp_language"] = "sq"
    public = client.get(base)
    assert public.status_code == 200
    api = client.get(f"/api/v1/councils/elbasan/plans/{YEAR}/v1/")
    assert api.status_code == 200
    client.force_login(entered["people"]["skn"])
    staff = client.get(f"/app/elbasan/plans/{YEAR}/v1/")
    assert staff.status_code == 200
    pages = {"public page": unescape(public.text), "staff page": unescape(staff.text)}
    api_text = json.dumps(api.json(), ensure_ascii=False)
    for item in _expected():
        for name, text in {**pages, "csv": files["csv"], "docx": files["docx"]}.items():
            assert item in text, (name, item)
        assert _flat(item) in files["pdf"], ("pdf", item)
        as_json = json.dumps(item, ensure_ascii=False)[1:-1]
        assert as_json in files["json"], ("json", item)
        assert as_json in api_text, ("api", item)


def test_the_json_and_the_api_keep_table_1s_shape(entered, client):
    version = entered["version"]
    with translation.override("sq"):
        data = json.loads(exports.plan_json(version))
    api = client.get(f"/api/v1/councils/elbasan/plans/{YEAR}/v1/").json()
    assert data["title"] == api["title"] == table1.TITLE
    assert [p["number"] for p in data["problems"]] == ["1.2", "1.4", "1.5", "1.7"]  # as typed
    assert [p["number"] for p in api["problems"]] == ["1.2", "1.4", "1.5", "1.7"]
    assert sum(len(p["activities"]) for p in data["problems"]) == 14
    for row, problem, api_problem in zip(table1.ROWS, data["problems"], api["problems"], strict=True):
        # The institutions, then the actors, in the order named (as printed): each once.
        names = row["members"] + row["actors"]
        assert problem["institutions"] + problem["actors"] == names
        assert [i["name"] for i in api_problem["institutions"]] + api_problem["actors"] == names
        assert problem["deadline"]["text"] == row["deadline"][1]
        assert problem["statistics"] == row["statistics"] and problem["statistics_source"] == ""
        for activity, api_activity in zip(problem["activities"], api_problem["activities"], strict=True):
            # Inherited from the row, and no lead invented.
            assert activity["lead"] is None and api_activity["lead"] is None
            assert activity["responsible"] == api_activity["responsible"] == names
            assert activity["responsible_inherited"] and api_activity["responsible_inherited"]
            assert activity["deadline"]["inherited"] and api_activity["deadline_inherited"]
            assert activity["deadline"]["kind"] == api_activity["deadline"]["kind"]


def test_no_output_invents_a_lead(entered, tmp_path):
    version = entered["version"]
    with translation.override("en"):
        lines = plan_csv_lines(exports.plan_csv(version))
        docx_text = _docx_text(exports.plan_docx(version))
        pdf_text = _pdf_text(exports.plan_pdf(version), tmp_path)
    assert len(lines) == 14 and {line["lead_institution"] for line in lines} == {""}
    assert "Lead:" not in docx_text and "Lead:" not in pdf_text


def test_the_council_s_composition_is_unchanged(entered, client):
    elbasan = entered["council"]
    assert CouncilInstitution.objects.filter(council=elbasan).count() == entered["seats"] == 3
    assert Membership.objects.filter(council=elbasan).count() == entered["members"]
    assert sorted(Actor.objects.filter(council=elbasan).values_list("name", flat=True)) == sorted(
        table1.ACTORS
    )
    page = client.get("/elbasan/")
    assert page.status_code == 200
    for name in table1.ACTORS:
        assert name not in page.text
    assert table1.MUNICIPALITY in page.text  # the members are there


def test_a_new_version_copies_the_rows_institutions_actors_and_deadlines(entered):
    version = entered["version"]
    draft = services.version_revise(version=version, note="Pas takimit")
    assert draft.title == table1.TITLE
    for old, new in zip(version.problems.all(), draft.problems.all(), strict=True):
        assert new.responsible.names == old.responsible.names  # the same names, in the same order
        assert set(new.institutions.all()) == set(old.institutions.all())
        assert set(new.actors.all()) == set(old.actors.all())
        assert new.own_deadline == old.own_deadline
        for activity in new.activities.all():
            assert activity.responsible.names == old.responsible.names
            assert activity.deadline == old.own_deadline


def test_the_staff_workbook_and_the_comparison_of_a_plan_without_leads(entered, client):
    """Table 1 names no lead: the plan's Excel workbook downloads with an empty lead column and
    every activity with its row's deadline, and comparing a revision shows no "None"."""
    import openpyxl

    from plans.importer.vocabulary import deadline_text

    version = entered["version"]
    draft = services.version_revise(version=version, note="Pas takimit")
    activity = draft.problems.first().activities.first()
    services.activity_update(activity=activity, text=activity.text + " (rishikuar)")
    services.activity_add(problem=activity.problem, text="Veprimtari e re pa drejtues")  # inherits
    client.force_login(entered["people"]["skn"])
    response = client.get(f"/app/elbasan/plans/{YEAR}/v1/plan.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [str(cell) for line in sheet.iter_rows(values_only=True) for cell in line if cell is not None]
    for row in table1.ROWS:
        for text in row["activities"]:
            assert text in cells
    for problem in version.problems.all():
        for activity in problem.activities.all():  # the row's deadline, as the import reads it
            assert activity.deadline_inherited and deadline_text(activity.deadline) in cells
    compare = client.get(f"/app/elbasan/plans/{YEAR}/compare/?a=1&b=2")
    assert compare.status_code == 200
    assert "(rishikuar)" in compare.text and "Veprimtari e re pa drejtues" in compare.text
    assert "None" not in compare.text
