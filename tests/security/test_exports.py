"""Export injection (SECURITY.md row 9, ASVS 1.2.10): a spreadsheet never runs a cell of ours as a
formula. Every text field of the project's models (the XSS corpus's registry walk) is made to start
with = + - @ TAB or CR, and every CSV and XLSX the matrix's addresses serve is read back: each cell
that starts so is a number, or carries the leading apostrophe (kvsp/core/exports.py safe_cell)."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import load_workbook

from kvsp.core.exports import FORMULA_STARTS, safe_cell
from tests.security.pages import VIEWERS, client_for, covered_fields, get_rows, row_path, write_corpus

# The module shares the matrix's objects (ctx): it runs among the database tests, before
# the transactional ones flush the reference data.
pytestmark = pytest.mark.django_db

DANGEROUS = ["=", "+", "-", "@", "\t", "\r"]
NUMBER = re.compile(r"[+-]?\d+([.,]\d+)?%?")


@pytest.mark.parametrize("start", DANGEROUS)
def test_safe_cell_neutralises_every_formula_start(start):
    assert safe_cell(f"{start}HYPERLINK(1)") == f"'{start}HYPERLINK(1)"


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("Tekst", "Tekst"),
        ("", ""),
        (None, ""),
        (12, "12"),
        (3.5, "3.5"),
        ("1.10", "1.10"),
        ("a=b", "a=b"),
        ("'=already", "'=already"),
        ("-5% krahasuar me 2021", "'-5% krahasuar me 2021"),  # text that starts so is quoted too
        ("=1\x00+2", "'=1+2"),  # control characters a workbook cannot hold go
        ("\x07=1", "'=1"),  # ... and what they hid is judged as what remains
        ("rresht\ni dyte\tme tab", "rresht\ni dyte\tme tab"),
    ],
)
def test_safe_cell_leaves_the_rest_alone(value, cell):
    assert safe_cell(value) == cell


def test_numbers_stay_numbers_where_the_exports_write_them_raw():
    # safe_cell is for text; the exports write numbers (a score, a target) as numbers, never
    # through it, so a negative number is never a string there (plans/importer.py numeric).
    assert FORMULA_STARTS == ("=", "+", "-", "@", "\t", "\r")


EXPORTS = {
    "consultations:concern-export",  # the moderators' CSV, with the original wording
    "plans:import-template",
    "plans:version-xlsx",
    "portal:compliance-csv",
    "portal:consultation-csv",
    "portal:national-csv",
    "portal:plan-version-csv",
    "portal:plan-year-csv",
}
# The national roll-up's CSV holds figures and the national categories' names only: it may carry no
# text typed for the matrix's council.
FIGURES_ONLY = {"portal:national-csv"}
SPREADSHEET = ("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml")
CANDIDATES = ("csv", "xlsx", "export", "template", "workbook", "download", "docx", "json")


def _cells(response) -> list[tuple[str, object, str]]:
    """(sheet, value, data type) of every cell of a CSV or XLSX response."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("text/csv"):
        text = body.decode("utf-8-sig")
        return [("csv", cell, "s") for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    workbook = load_workbook(io.BytesIO(body))
    return [
        (sheet.title, cell.value, cell.data_type)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
    ]


def _dangerous(value, data_type) -> bool:
    if data_type == "f":
        return True
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return False
    return not NUMBER.fullmatch(value.strip())


@pytest.mark.parametrize("start", DANGEROUS)
def test_every_csv_and_xlsx_export_neutralises_formulas(start, db, ctx):
    from consultations import services as consultations
    from consultations.models import Concern
    from kvsp.core.models import User

    concern = Concern.objects.get(code=ctx["own"].concern)  # published, so it is in the open data
    consultations.concern_publish(concern=concern, public_text="Tekst", user=User.objects.first())
    write_corpus(f'{start}HYPERLINK("https://evil.example","x")', covered_fields())
    served, problems, carried = set(), [], set()
    for viewer in VIEWERS:
        client = client_for(viewer, Client())
        for key, row in get_rows().items():
            if row.get[viewer] != 200 or not any(word in key for word in CANDIDATES):
                continue
            response = client.get(row_path(row, ctx))
            if response.status_code != 200 or not response["Content-Type"].startswith(SPREADSHEET):
                continue
            served.add(key)
            for sheet, value, data_type in _cells(response):
                if _dangerous(value, data_type):
                    problems.append(f"{viewer} {key} {sheet}: {value!r}")
                if isinstance(value, str) and "HYPERLINK" in value:
                    carried.add(key)
    assert problems == []
    assert served == EXPORTS, "a new spreadsheet export: add it to EXPORTS (it is checked above)"
    # Each export really carried the dangerous text (the template has only the council's names).
    assert carried - FIGURES_ONLY == EXPORTS - FIGURES_ONLY


ROOT = Path(__file__).resolve().parents[2]
PROJECT_CODE = ("kvsp", "councils", "consultations", "plans", "monitoring")
WRITERS = re.compile(r"csv\.writer\(|csv\.DictWriter\(|\bWorkbook\(|xlsxwriter")


def test_every_module_that_writes_a_spreadsheet_uses_safe_cell():
    writers = {}
    for top in PROJECT_CODE:
        for path in sorted((ROOT / top).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            if "migrations" not in path.parts and WRITERS.search(text):
                writers[str(path.relative_to(ROOT))] = "safe_cell(" in text
    assert writers, "no spreadsheet writer found: the pattern is wrong"
    assert [module for module, uses in writers.items() if not uses] == []
