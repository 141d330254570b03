"""Reading an uploaded workbook, defensively: the file must be an XLSX (by its content, never its
name) that does not unpack to more than ``MAX_UNPACKED_BYTES``; the plan's sheet is found, its header
row matched to the columns, and at most ``MAX_ROWS`` lines are handed to the ``LineReader``
(``validation``). Formulas are read as their last computed values.
"""

import logging
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from councils.models import Council
from kvsp.core.uploads import OFFICE_TYPES, archive_document_type

from ..models import PlanVersion
from .cells import cell_text
from .rows import ImportResult, RowError
from .validation import LineReader, check_against
from .vocabulary import COLUMN, COLUMNS, REQUIRED, SHEET_PLAN, column_letter, fold, header_key

logger = logging.getLogger(__name__)

XLSX_CONTENT_TYPE = OFFICE_TYPES["xlsx"]
# At most this many non-empty lines are read from the sheet, and the sheet is read no further
# than MAX_LINES (empty lines included): a sheet that goes on for ever is refused, not read whole.
MAX_ROWS = 2000
MAX_LINES = 10_000
# What the archive may unpack to, judged from its directory before anything is unpacked.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 2000
# The header row is looked for among the first lines (a title may stand above it).
HEADER_SEARCH_LINES = 10
MAX_COLUMNS = 60


def _as_file(file):
    if isinstance(file, bytes | bytearray):
        return ContentFile(bytes(file), name="plan.xlsx")
    if not hasattr(file, "size"):
        return File(file)
    return file


def _file_error(result: ImportResult, message: str) -> ImportResult:
    result.errors.append(RowError(None, "", "", message))
    return result


def _not_xlsx() -> str:
    return _(
        "This file is not an Excel workbook (XLSX). Open it in Excel or LibreOffice and save it as "
        "“Excel Workbook (.xlsx)”, or start from the template."
    )


def _check_archive(file) -> str | None:
    """A message if the archive is too large once unpacked; read from its directory only."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            unpacked = sum(entry.file_size for entry in entries)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return _not_xlsx()
    finally:
        file.seek(0)
    if len(entries) > MAX_ENTRIES or unpacked > MAX_UNPACKED_BYTES:
        return _(
            "This workbook unpacks to more than %(limit)s, so it is not read. Keep only the plan in it."
        ) % {"limit": filesizeformat(MAX_UNPACKED_BYTES)}
    return None


def parse(file, council: Council, *, into: PlanVersion | None = None) -> ImportResult:
    """Read a plan workbook. Returns the rows found, each problem with its activities and their
    indicators, and every error: per line and column, or for the whole file. ``into``: the draft
    the rows would join (its problem numbers must not repeat)."""
    result = ImportResult()
    file = _as_file(file)
    if not file.size:
        return _file_error(result, _("The file is empty."))
    limit = settings.DOCUMENT_MAX_BYTES
    if file.size > limit:
        return _file_error(
            result,
            _("The file is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
        )
    try:
        content_type = archive_document_type(file)
    except ValidationError:
        content_type = None
    if content_type != XLSX_CONTENT_TYPE:
        return _file_error(result, _not_xlsx())
    problem = _check_archive(file)
    if problem:
        return _file_error(result, problem)

    from openpyxl import load_workbook

    workbook = None
    try:
        file.seek(0)
        workbook = load_workbook(file, read_only=True, data_only=True)
        sheet = _plan_sheet(workbook)
        if sheet is None:
            return _file_error(result, _not_xlsx())
        _read_sheet(sheet, council, result)
    except Exception:  # a damaged workbook may fail anywhere inside openpyxl
        logger.warning("An uploaded plan workbook could not be read.", exc_info=True)
        return ImportResult(
            errors=[
                RowError(
                    None,
                    "",
                    "",
                    _(
                        "The workbook could not be read; it may be damaged. Open it in Excel or "
                        "LibreOffice, save it again as XLSX and upload it once more."
                    ),
                )
            ]
        )
    finally:
        if workbook is not None:
            workbook.close()
    if into is not None:
        check_against(result, into)
    if not result.problems and not result.errors:
        _file_error(
            result,
            _("The file holds no plan rows. Fill in the sheet “%(sheet)s” below its header row.")
            % {"sheet": SHEET_PLAN},
        )
    return result


def _plan_sheet(workbook):
    sheets = workbook.worksheets
    for sheet in sheets:
        if fold(sheet.title) in ("plani", "plan", "plani i veprimit", "action plan"):
            return sheet
    return sheets[0] if sheets else None


def _find_header(lines) -> tuple[int, dict[str, int], dict[str, str]] | None:
    for number, values in lines:
        columns: dict[str, int] = {}
        labels: dict[str, str] = {}
        for index, value in enumerate(values):
            key = header_key(value)
            if key and key not in columns:
                columns[key] = index
                labels[key] = " ".join(str(value).split())
        if len(columns) >= 3 and {"number", "title", "activity"} & columns.keys():
            return number, columns, labels
        if number >= HEADER_SEARCH_LINES:
            return None
    return None


def _read_sheet(sheet, council: Council, result: ImportResult) -> None:
    # The size a sheet declares may be wrong either way: read to its real end, within MAX_LINES.
    sheet.reset_dimensions()
    lines = enumerate(sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True), start=1)
    header = _find_header(lines)
    if header is None:
        _file_error(
            result,
            _(
                "The header row was not found. The first row of the sheet “%(sheet)s” must hold the "
                "column names of the template: %(names)s."
            )
            % {"sheet": SHEET_PLAN, "names": ", ".join(c.header for c in COLUMNS)},
        )
        return
    _line, columns, labels = header
    missing = [COLUMN[key].header for key in REQUIRED if key not in columns]
    if missing:
        _file_error(
            result,
            _("These columns are missing: %(names)s. Start from the template.")
            % {"names": ", ".join(missing)},
        )
        return
    result.letters = {key: column_letter(index) for key, index in columns.items()}
    reader = LineReader(council, result, columns, labels)
    rows = 0
    for number, values in lines:
        if number > MAX_LINES:
            _file_error(
                result,
                _("The sheet goes on past line %(lines)d. Delete the lines below the plan and upload again.")
                % {"lines": MAX_LINES},
            )
            break
        cells = {key: values[index] if index < len(values) else None for key, index in columns.items()}
        if all(cell_text(value) == "" for value in cells.values()):
            continue
        rows += 1
        if rows > MAX_ROWS:
            _file_error(
                result,
                _("The plan has more than %(count)d lines; the import reads at most %(count)d.")
                % {"count": MAX_ROWS},
            )
            break
        reader.line(number, cells)
    reader.finish_problems()
    result.errors.sort(key=lambda e: (e.row or 0, e.column))
