"""Plans as files to download.

- ``published``: the published plan as PDF, CSV, JSON and DOCX, all made from one table so that the
  four agree on every row (the plan.json format is described there);
- ``workbook``: the plan as an Excel workbook in the import's format: a council's empty template,
  and a version.
"""

from .csv_columns import CSV_COLUMNS, CSV_HEADERS, csv_header
from .published import (
    JSON_FORMAT,
    PDF_VARIANT,
    csv_rows,
    decision_text,
    header_labels,
    indicator_text,
    pdf_html,
    plan_csv,
    plan_docx,
    plan_json,
    plan_pdf,
    plan_table,
    plan_title,
    problem_lines,
    public_path,
    responsible_lines,
    table_groups,
)
from .workbook import plan_workbook, template_workbook

__all__ = [
    "CSV_COLUMNS",
    "CSV_HEADERS",
    "JSON_FORMAT",
    "PDF_VARIANT",
    "csv_header",
    "csv_rows",
    "decision_text",
    "header_labels",
    "indicator_text",
    "pdf_html",
    "plan_csv",
    "plan_docx",
    "plan_json",
    "plan_pdf",
    "plan_table",
    "plan_title",
    "plan_workbook",
    "problem_lines",
    "public_path",
    "responsible_lines",
    "table_groups",
    "template_workbook",
]
