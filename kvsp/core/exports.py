"""Helpers for files people open in spreadsheets and word processors."""

import re

# A spreadsheet runs a cell that starts with one of these as a formula (CSV/XLSX injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Control characters XML (and so XLSX, DOCX and ODF) cannot hold; tab and line breaks stay.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


def clean_data(value):
    """``value`` (dicts, lists, strings) with every string freed of control characters."""
    if isinstance(value, str):
        return without_control_characters(value)
    if isinstance(value, dict):
        return {key: clean_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(clean_data(item) for item in value)
    return value


def safe_cell(value) -> str:
    """The value as text, with a leading apostrophe if a spreadsheet would read it as a formula,
    and without the control characters a workbook cannot hold."""
    text = without_control_characters("" if value is None else str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text
