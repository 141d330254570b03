"""Reading plan.csv in tests: its first line names the columns in the active language, for people;
the tests look cells up by the column's code (the key plan.json uses)."""

import csv
import io

from plans import exports


def plan_csv_lines(body: bytes) -> list[dict]:
    """plan.csv's lines as dicts keyed by column code. Call in the language the file was made in:
    a header that is not the column's name in that language fails."""
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    codes = {str(label): code for code, label in exports.CSV_HEADERS.items()}
    header = [codes[name] for name in rows[0]]
    assert header == exports.CSV_COLUMNS
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]
