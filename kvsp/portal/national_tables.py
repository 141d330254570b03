"""The national roll-up laid out for the page, the CSV and the JSON (kvsp/portal/national_views.py):
labels in the reader's language, each number with the address of the councils behind it, the
shares, and each section's bar chart (server-drawn SVG: the table beside it is the accessible
data)."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from consultations.models import ParticipantGroup
from consultations.taxonomy import category_name
from monitoring import rollup
from monitoring.models import ActivityStatus
from plans.tags import FundingSource

# The chart's geometry (SVG user units): labels on the left, bars, the number after each bar.
LABEL_WIDTH = 280
BAR_START = 290
BAR_WIDTH = 260
CHART_WIDTH = 640
BAR_HEIGHT = 20
STEP = 28


def line_label(data: dict, section: str, key: str) -> str:
    if section == "problems":
        if key == rollup.NONE:
            return _("without a category")
        item = next((item for item in data["categories"] if item["code"] == key), None)
        return category_name(item["name_sq"], item["name_en"]) if item else key
    if section == "activities":
        return str(ActivityStatus(key).label)
    if section == "participation":
        return str(ParticipantGroup(key).label)
    if section == "indicators":
        return str(rollup.INDICATOR_LABELS[key])
    if section == "spending":
        return str(FundingSource(key).label) if key in FundingSource.values else _("source not given")
    return _("approved and published")


def filters(data: dict) -> dict:
    """The page's filters as query parameters (the year, and the county when one is chosen)."""
    return {"year": data["year"], **({"county": data["county"]} if data["county"] else {})}


def drill_url(data: dict, section: str, line: str, column: str) -> str:
    query = filters(data) | {"section": section, "key": line, "column": column}
    return f"{reverse('portal:national')}?{urlencode(query)}#drill"


def _share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def section_table(data: dict, code: str) -> dict:
    """One section: its columns, its lines (label, cells with their drill-down address), the total
    line, its share (activities: overdue; indicators: meeting the target) and its chart."""
    section = rollup.SECTIONS[code]
    columns = [column for column, _label in section.columns]
    lines = []
    for key in rollup.line_keys(data, code):
        cells = rollup.line_total(data, code, key)
        lines.append(
            {
                "key": key,
                "label": line_label(data, code, key),
                "cells": [
                    {
                        "column": column,
                        "value": cells.get(column, 0),
                        "url": drill_url(data, code, key, column) if cells.get(column) else "",
                    }
                    for column in columns
                ],
                "chart": cells.get(section.chart, 0),
            }
        )
    totals = rollup.section_total(data, code)
    total = [
        {
            "column": column,
            "value": totals.get(column, 0),
            "url": drill_url(data, code, "*", column) if totals.get(column) else "",
        }
        for column in columns
    ]
    share = None
    if code == "activities":
        share = (_("overdue"), _share(totals.get("overdue", 0), totals.get("activities", 0)))
    elif code == "indicators":
        met = rollup.line_total(data, code, "met").get("indicators", 0)
        with_target = totals.get("indicators", 0) - rollup.line_total(data, code, "no_target").get(
            "indicators", 0
        )
        share = (_("of the indicators with a target meet it"), _share(met, with_target))
    return {
        "code": code,
        "title": str(section.title),
        "line_heading": str(section.line_label),
        "columns": [(column, str(label)) for column, label in section.columns],
        "lines": lines,
        "total": total,
        "empty": not any(cell["value"] for cell in total),
        "share": share,
        "chart": chart(lines, str(section.title)),
        "unavailable": code == "reports" and not data["reports_available"],
    }


def chart(lines: list[dict], title: str) -> dict:
    """Horizontal bars of each line's charted number, scaled to the largest."""
    largest = max((line["chart"] for line in lines), default=0) or 1
    bars = []
    for index, line in enumerate(lines):
        y = 8 + index * STEP
        bars.append(
            {
                "label": line["label"],
                "value": line["chart"],
                "y": y,
                "text_y": y + BAR_HEIGHT - 6,
                "width": round(BAR_WIDTH * line["chart"] / largest, 1),
                "value_x": BAR_START + round(BAR_WIDTH * line["chart"] / largest, 1) + 6,
            }
        )
    return {
        "bars": bars,
        "height": 16 + len(lines) * STEP,
        "width": CHART_WIDTH,
        "label_x": LABEL_WIDTH,
        "bar_x": BAR_START,
        "bar_height": BAR_HEIGHT,
        "desc": "; ".join(f"{bar['label']}: {bar['value']}" for bar in bars),
        "title": title,
    }


def drill_table(data: dict, section: str, line: str, column: str) -> dict | None:
    """The councils behind one number, or None when the address names no number of the page."""
    if section not in rollup.SECTIONS:
        return None
    columns = dict(rollup.SECTIONS[section].columns)
    if column not in columns or (line != "*" and line not in rollup.line_keys(data, section)):
        return None
    return {
        "section": str(rollup.SECTIONS[section].title),
        "line": _("all") if line == "*" else line_label(data, section, line),
        "column": str(columns[column]),
        "councils": rollup.drill(data, section, line, column),
    }


def as_json(data: dict) -> dict:
    """Every section with codes (lines, columns), the totals and, per line, each council's numbers
    by its address (slug)."""
    slugs = {pk: council["slug"] for pk, council in data["councils"].items()}
    sections = {}
    for code, section in rollup.SECTIONS.items():
        if code == "reports" and not data["reports_available"]:
            continue
        columns = [column for column, _label in section.columns]
        table = data["sections"][code]
        sections[code] = {
            "columns": columns,
            "lines": [
                {
                    "key": key,
                    "label": line_label(data, code, key),
                    "totals": {
                        column: rollup.line_total(data, code, key).get(column, 0) for column in columns
                    },
                    "councils": {
                        slugs[pk]: cells for pk, cells in sorted(table.get(key, {}).items()) if pk in slugs
                    },
                }
                for key in rollup.line_keys(data, code)
            ],
            "totals": {column: rollup.section_total(data, code).get(column, 0) for column in columns},
        }
    return {
        "year": data["year"],
        "county": data["county"] or None,
        "as_of": data["as_of"].isoformat(),
        "councils": len(data["councils"]),
        "sections": sections,
    }
