"""The published plan's files: PDF, CSV, JSON and DOCX agree on every row; spreadsheet formulas are
neutralised; the PDF is A4 landscape with the plan's header; the PDF is made once per language."""

# ruff: noqa: F811 (the fixtures of tests/fixtures/plan_files.py, imported by name)

import hashlib
import io
import json
import re
import shutil
import subprocess

import pytest
from django.utils import timezone, translation

from plans import exports, services
from plans.models import PlanFile
from plans.tasks import render_plan_files_task
from tests.builders import approve_plan, fill_version, published_plan
from tests.conftest import require
from tests.fixtures.plan_files import people, published  # noqa: F401 (fixtures)
from tests.plans.plan_csv import plan_csv_lines

pytestmark = pytest.mark.django_db


# --- the four formats agree -------------------------------------------------------------------


TITLE = "Joint inter-institutional plan for crime prevention in the Municipality of Elbasan"


def _pdf_text(pdf: bytes, tmp_path) -> str:
    require(bool(shutil.which("pdftotext")), "pdftotext not found (apt-get install poppler-utils)")
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _squash(text: str) -> str:
    """Text without line breaks or repeated spaces: a PDF wraps cells where it likes."""
    return " ".join(text.split())


def _docx_rows(docx: bytes) -> list[list[str]]:
    from docx import Document

    table = Document(io.BytesIO(docx)).tables[0]
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_four_formats_agree_on_every_row(published, tmp_path):
    pdf = exports.plan_pdf(published)
    data = json.loads(exports.plan_json(published))
    lines = plan_csv_lines(exports.plan_csv(published))
    docx = _docx_rows(exports.plan_docx(published))

    expected = [
        (problem, activity)
        for problem in published.problems.order_by("position")
        for activity in problem.activities.order_by("position")
    ]
    assert len(expected) == 6
    assert len(lines) == len(expected) and len(docx) == len(expected) + 1
    json_activities = [(p, a) for p in data["problems"] for a in p["activities"]]
    assert len(json_activities) == len(expected)
    pdf_text = _squash(_pdf_text(pdf, tmp_path))

    for index, (problem, activity) in enumerate(expected):
        indicator = activity.indicators.get()
        deadline = str(activity.deadline)
        # JSON: lineage ids, structured values
        json_problem, json_activity = json_activities[index]
        assert json_problem["id"] == str(problem.lineage) and json_problem["number"] == problem.number
        assert json_problem["title"] == problem.title and json_problem["priority"] == problem.priority
        assert json_activity["id"] == str(activity.lineage) and json_activity["text"] == activity.text
        assert json_activity["lead"] == "Drejtoria Vendore e Policisë Elbasan"
        assert json_activity["deadline"]["text"] == deadline
        assert json_activity["indicators"] == [
            {
                "id": str(indicator.lineage),
                "name": indicator.name,
                "unit": "orë",
                "baseline": 0,
                "target": int(indicator.target),
                "frequency": "quarterly",
                "frequency_label": indicator.get_frequency_display(),
                "disaggregation": "",
                "disaggregation_label": "",
                "split_keys": [],
            }
        ]
        # CSV: the same row, the problem's columns repeated
        line = lines[index]
        assert line["problem_id"] == str(problem.lineage) and line["activity_id"] == str(activity.lineage)
        assert (line["problem_number"], line["problem"], line["activity"]) == (
            problem.number,
            problem.title,
            activity.text,
        )
        assert line["deadline"] == deadline and line["lead_institution"] == json_activity["lead"]
        assert line["partner_institutions"] == "; ".join(json_activity["partners"])
        assert indicator.name in line["indicators"]
        # DOCX: a table like Table 1, one row per activity (problem cells merged down)
        row = docx[index + 1]
        assert row[0] == problem.number and row[1].startswith(problem.title)
        assert row[3] == f"{json_activity['number']} {activity.text}"
        assert indicator.name in row[4] and json_activity["lead"] in row[5] and row[6] == deadline
        # PDF: every row's text
        for text in (problem.title, activity.text, indicator.name, deadline, json_activity["number"]):
            assert _squash(text) in pdf_text, text
    from docx import Document
    from docx.enum.section import WD_ORIENT

    section = Document(io.BytesIO(exports.plan_docx(published))).sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    assert data["council"] == {"slug": "elbasan", "name": "Elbasan", "county": "Elbasan"}
    assert (data["year"], data["version"], data["decision"]["number"]) == (2026, 1, published.decision_number)
    assert data["address"].endswith("/elbasan/plan/2026/v1/")


def test_every_format_names_the_decision_and_links_the_public_meeting(published, tmp_path):
    """Approved by the decision of a held council meeting: "Decision no. 1/2026, dated …" and the
    address of the meeting's public page, in the PDF, the CSV, the JSON and the DOCX."""
    decision = published.decision
    assert published.decision_number == f"{decision.number}/{decision.year}"
    assert published.meeting == decision.meeting
    assert published.decision_date == timezone.localdate(decision.meeting.starts_at)
    with translation.override("en"):
        label = f"Decision no. {decision.number}/{decision.year}, dated {published.decision_date:%d/%m/%Y}"
        data = json.loads(exports.plan_json(published))
        lines = plan_csv_lines(exports.plan_csv(published))
        from docx import Document

        paragraphs = [p.text for p in Document(io.BytesIO(exports.plan_docx(published))).paragraphs]
        pdf_text = _squash(_pdf_text(exports.plan_pdf(published), tmp_path))
    assert data["decision"]["label"] == f"Decision no. {decision.number}/{decision.year}"
    assert data["decision"]["text"] == decision.text
    assert data["decision"]["meeting"]["url"].endswith(f"/elbasan/meetings/{decision.meeting_id}/")
    assert {(line["decision"], line["decision_meeting_url"]) for line in lines} == {
        (label, data["decision"]["meeting"]["url"])
    }
    assert any(f"decision no. {published.decision_number}" in text for text in paragraphs)
    assert any(data["decision"]["meeting"]["url"] in text for text in paragraphs)
    assert f"decision no. {published.decision_number}" in pdf_text
    assert data["decision"]["meeting"]["url"] in pdf_text.replace(" ", "")


def test_spreadsheet_formulas_are_neutralised_in_the_csv(people):
    version = services.plan_start(council=people["council"], year=2026)
    row = services.problem_add(version=version, number="1.1", title='=HYPERLINK("x")', priority="high")
    activity = services.activity_add(
        problem=row, text="+cmd|' /C calc'!A0", lead=people["police"], deadline_kind="all_year"
    )
    services.indicator_add(activity=activity, name="@SUM(1+1)", frequency="annual")
    approve_plan(version, people)
    line = plan_csv_lines(exports.plan_csv(version))[0]
    assert line["problem"] == '\'=HYPERLINK("x")'
    assert line["activity"] == "'+cmd|' /C calc'!A0"
    assert line["indicators"].startswith("@SUM") is False and "@SUM(1+1)" in line["indicators"]
    assert exports.plan_csv(version).startswith("\ufeff".encode())


def test_the_csv_header_is_neutralised_too(people, monkeypatch):
    """The header is a translation: text like any other cell, a formula never runs."""
    from plans.exports import csv_columns

    version = services.plan_start(council=people["council"], year=2026)
    row = services.problem_add(version=version, number="1.1", title="Vjedhjet", priority="high")
    services.activity_add(problem=row, text="Patrullime", lead=people["police"], deadline_kind="all_year")
    approve_plan(version, people)
    monkeypatch.setitem(csv_columns.CSV_HEADERS, "council", "=HYPERLINK(1)")
    header = exports.plan_csv(version).decode("utf-8-sig").splitlines()[0]
    assert header.startswith("'=HYPERLINK(1),")


def test_the_csv_is_for_people_its_columns_and_priorities_named(people):
    """plan.csv names its columns and its values in the reader's language (issue 25); plan.json
    keeps the codes."""
    version = services.plan_start(council=people["council"], year=2026)
    row = services.problem_add(version=version, number="1.1", title="Vjedhjet", priority="high")
    services.activity_add(problem=row, text="Patrullime", lead=people["police"], deadline_kind="all_year")
    approve_plan(version, people)
    with translation.override("en"):
        body = exports.plan_csv(version).decode("utf-8-sig")
        data = json.loads(exports.plan_json(version))
    header, line = body.splitlines()[:2]
    assert header.startswith("Council,Year,Version,Problem identifier,Problem number,Problem,Description,")
    assert header.endswith(",Estimated cost (lek),Funding source,Funder,Administrative unit")
    assert "problem_number" not in header and ",high priority," in line and ",high," not in line
    assert data["problems"][0]["priority"] == "high"


def test_the_pdf_is_a4_landscape_tagged_with_the_header_on_every_page(people, tmp_path):
    version = published_plan(people, problems=12, activities=3)
    with translation.override("en"):
        pdf = exports.plan_pdf(version)
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595.276 pts (A4)" in info
    assert "Tagged:          yes" in info
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 2
    text = _pdf_text(pdf, tmp_path)
    header = f"{TITLE} · 2026 · version 1"
    decision = f"Approved by decision no. {version.decision_number} of {version.decision_date:%d/%m/%Y}"
    per_page = text.split("\f")[:pages]
    for number, page in enumerate(per_page, start=1):
        assert header in _squash(page) and decision in _squash(page), number
        assert re.search(rf"\b{number} ?/ ?{pages}\b", page), number
    meta = subprocess.run(["pdfinfo", "-meta", str(path)], capture_output=True, text=True, check=True).stdout
    assert "pdfuaid:part" in meta  # PDF/UA identification in the XMP metadata


def test_the_pdf_speaks_the_language_it_is_made_in(published, tmp_path):
    with translation.override("en"):
        text = _squash(_pdf_text(exports.plan_pdf(published), tmp_path))
    assert TITLE in text and "in the first six months" in text


# --- the stored PDF -------------------------------------------------------------------------------


def test_the_task_stores_one_pdf_per_language_and_running_it_twice_changes_nothing(published):
    assert render_plan_files_task(published.pk) == 2
    first = {f.language: (f.pk, f.sha256) for f in PlanFile.objects.filter(version=published)}
    assert render_plan_files_task(published.pk) == 0
    again = {f.language: (f.pk, f.sha256) for f in PlanFile.objects.filter(version=published)}
    assert first == again and set(first) == {"sq", "en"}
    for stored in PlanFile.objects.filter(version=published):
        with stored.file.open("rb") as handle:
            body = handle.read()
        assert body.startswith(b"%PDF") and hashlib.sha256(body).hexdigest() == stored.sha256


def test_approval_queues_the_task_once_committed(people, django_capture_on_commit_callbacks):
    version = services.plan_start(council=people["council"], year=2026)
    fill_version(version, people, problems=1, activities=1)
    with django_capture_on_commit_callbacks(execute=True):
        approve_plan(version, people)
    assert sorted(PlanFile.objects.filter(version=version).values_list("language", flat=True)) == ["en", "sq"]


def test_a_draft_gets_no_file(people):
    version = services.plan_start(council=people["council"], year=2026)
    fill_version(version, people, problems=1, activities=1)
    assert render_plan_files_task(version.pk) == 0
    assert not PlanFile.objects.exists()
