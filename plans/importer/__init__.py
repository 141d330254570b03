"""Plans in from Excel: an uploaded workbook read, checked line by line and written to a draft.

The sheet "Plani" follows the guide's Table 1, one line per activity: the problem's columns are
repeated or left empty on the following lines of the same problem, and a line with no activity but
an indicator adds a further indicator to the activity above it. As in Table 1, who is responsible
("Institucioni përgjegjës": member institutions and other actors) and the deadline are given once,
on a problem's first line, for its activities that give none; on a later line they are that
activity's own, and so is everything on a first line that names a lead (optional). Header labels
are Albanian (the format is a document councils exchange); English headers are read too. The
values a person types — priorities, deadlines, frequencies — are read in Albanian or English, with
or without ë and ç. Every problem found is reported per line and column, in the active language.
Writing goes through ``plans.services`` only, in one transaction: all or nothing.

The package, by responsibility:

- ``vocabulary``: the sheets, the columns and the other names their headers may have, and the words
  people type for priorities, frequencies and deadlines;
- ``cells``: a cell as text, and numbers as people write them;
- ``names``: the lead and the names responsible read as member institutions or actors;
- ``rows``: what a file holds once read (``ImportResult``), and the errors in it;
- ``reading``: the file checked and its sheet read (``parse``), within the limits;
- ``validation``: each line checked and turned into problems, activities and indicators;
- ``writing``: where the rows land (``import_target``) and the ``plan_import`` service.

The workbooks made for download (the empty template, a version as a workbook) are exports:
``plans.exports.workbook``.
"""

from .cells import NumberError, parse_number
from .reading import MAX_ROWS, MAX_UNPACKED_BYTES, XLSX_CONTENT_TYPE, parse
from .rows import ActivityRow, ImportResult, IndicatorRow, ProblemRow, RowError
from .vocabulary import COLUMN, COLUMNS, deadline_text, parse_deadline
from .writing import ImportTarget, import_target, plan_import

__all__ = [
    "COLUMN",
    "COLUMNS",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "XLSX_CONTENT_TYPE",
    "ActivityRow",
    "ImportResult",
    "ImportTarget",
    "IndicatorRow",
    "NumberError",
    "ProblemRow",
    "RowError",
    "deadline_text",
    "import_target",
    "parse",
    "parse_deadline",
    "parse_number",
    "plan_import",
]
