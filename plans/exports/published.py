"""The published plan as files: PDF, CSV, JSON and DOCX, all made from one table (``plan_table``)
so that the four agree on every row. Text is in the active language (deadlines, priorities,
frequencies); call inside ``translation.override`` for another one.

plan.json keys (format "kvsp.plan/1"; keys are only ever added, never renamed or removed):

- ``format``: "kvsp.plan/1"; ``language``: the language of the text fields ("sq", "en")
- ``council``: ``slug``, ``name``, ``county``
- ``year``, ``version`` (the version number), ``status`` ("approved"), ``address`` (the
  permanent public address of this version), ``approved_at`` (ISO 8601), ``note`` (what changed)
- ``decision``: ``number`` ("3/2026"; for versions approved before decisions were recorded, the
  number typed then), ``date`` (ISO), ``label`` ("Decision no. 3/2026"), ``text`` (the decision as
  recorded in the meeting, or ""), ``meeting`` (``date``, ``kind``, ``title``, ``url``: the
  meeting's public page) or null
- ``problems``: in plan order, each with ``id`` (lineage: the same across versions), ``number``,
  ``title``, ``description``, ``statistics``, ``statistics_source``, ``provenance``, ``priority``
  ("high" | "moderate" | "low"), ``priority_label``, and ``activities``: in order, each with
  ``id`` (lineage), ``number`` ("<problem number>.<n>"), ``text``, ``lead`` (a name, or null:
  the plan names no lead, and none is invented), ``partners`` (names of member institutions),
  ``actors`` (names of other responsible actors), ``responsible`` (every name responsible: the
  activity's own, else its row's), ``responsible_inherited`` (true: the row's), ``deadline``
  (``kind`` "date" | "period" | "recurrence" | "all_year", ``date``, ``period``, ``every_months``,
  ``text``, ``inherited``: its own, else its row's) and ``indicators``: each with ``id`` (lineage),
  ``name``, ``unit``, ``baseline``, ``target`` (numbers or null), ``frequency``,
  ``frequency_label``.
- each problem also has ``institutions`` and ``actors`` (names responsible for the whole row) and
  ``deadline`` (as an activity's, without ``inherited``; null: none for the row)
- ``title``: the plan's title (by default the guide's: "Plani i përbashkët ndërinstitucional për
  parandalimin e krimit në Bashkinë …")
- each problem and each activity also has ``groups`` (the codes of the groups it serves:
  "women_girls", "children", "youth", "elderly", "roma_egyptians", "disabilities", "others"; an
  activity's own only, never its row's) and ``group_labels`` (their names); each indicator
  ``disaggregation`` ("" not split, "sex", "age", "sex_age"), ``disaggregation_label`` and
  ``split_keys`` (the keys its values are given per: "f", "m", "0-14", "f|0-14"…; plans/groups.py);
  ``groups_served``: per group named anywhere, ``code``, ``label``, ``rows`` and ``activities``
  (how many name it)
- each activity also has ``estimated_cost`` (whole lek, or null), ``funding_source``
  ("municipal" | "institution" | "donor" | "other" | ""), ``funding_source_label`` and ``funder``
  (free text: the donor or the institution that pays); ``budget``: the estimated totals
  (``currency`` "ALL", ``estimated_total``, ``activities_with_cost``, ``activities_without_cost``,
  ``by_funding_source`` and ``by_priority``: lists of the code, ``label``, ``estimated`` and
  ``activities``; plans/money.py). Spending is in the monthly reports, not in the plan.
- each problem also has ``unit``: the name of the administrative unit where the problem is, or
  null when it concerns the whole municipality
"""

import csv
import io
import json
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kvsp.core.exports import clean_data, safe_cell
from kvsp.core.links import slot_url
from kvsp.core.pdf import html_to_pdf

from .. import money, selectors
from ..groups import disaggregation_label, group_labels, groups_served, served_line, split_keys
from ..models import PlanVersion
from .csv_columns import csv_header

JSON_FORMAT = "kvsp.plan/1"
PDF_VARIANT = "pdf/ua-1"  # tagged PDF for screen readers (PDF/UA)


def public_path(version: PlanVersion) -> str:
    """The permanent public address of an approved version (DESIGN.md "Public addresses")."""
    return slot_url("public:plan-version", version.plan.council.slug, version.plan.year, version.number)


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    value = Decimal(value).normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def _number_text(value: Decimal | None) -> str:
    number = _number(value)
    return "" if number is None else number_format(number, use_l10n=True)


def indicator_text(indicator: dict) -> str:
    """One indicator in a line: "Sessions held: 0 → 10 sessions (quarterly)"."""
    measure = ""
    if indicator["baseline_text"] or indicator["target_text"]:
        measure = f"{indicator['baseline_text'] or '–'} → {indicator['target_text'] or '–'}"
        if indicator["unit"]:
            measure += f" {indicator['unit']}"
    elif indicator["unit"]:
        measure = indicator["unit"]
    if measure:
        return _("%(name)s: %(measure)s (%(frequency)s)") % {
            "name": indicator["name"],
            "measure": measure,
            "frequency": indicator["frequency_label"],
        }
    return _("%(name)s (%(frequency)s)") % {
        "name": indicator["name"],
        "frequency": indicator["frequency_label"],
    }


def split_indicator_text(indicator: dict) -> str:
    """The indicator's line, and how its values are split: "…(quarterly), by sex"."""
    text = indicator_text(indicator)
    if indicator.get("disaggregation_label"):
        return f"{text}, {indicator['disaggregation_label']}"
    return text


def groups_line(item: dict) -> str:
    """ "Groups served: women and girls, children" ("" for none)."""
    if not item.get("group_labels"):
        return ""
    return _("Groups served: %(groups)s") % {"groups": ", ".join(item["group_labels"])}


def meeting_address(version: PlanVersion) -> str | None:
    """The full public address of the council meeting that approved the version (None: none, or
    a restricted one)."""
    meeting = version.meeting
    if meeting is None or not meeting.is_public:
        return None
    return settings.SITE_URL + slot_url("public:meeting", version.plan.council.slug, meeting.pk)


def decision_label(version: PlanVersion) -> str:
    """ "Decision no. 3/2026, dated 12.03.2026": the decision that approved the version."""
    return _("%(decision)s, dated %(date)s") % {
        "decision": version.decision_label,
        "date": date_format(version.decision_date, "SHORT_DATE_FORMAT") if version.decision_date else "",
    }


def decision_text(version: PlanVersion) -> str:
    """The approval decision in a sentence, as the header of the page and the files give it (the
    number "3/2026" of the recorded decision, or the number typed before decisions were recorded)."""
    values = {
        "number": version.decision_number,
        "date": date_format(version.decision_date, "SHORT_DATE_FORMAT") if version.decision_date else "",
    }
    if version.meeting_id:
        values["meeting"] = date_format(timezone.localtime(version.meeting.starts_at), "SHORT_DATE_FORMAT")
        return (
            _("Approved by decision no. %(number)s of %(date)s, at the council meeting of %(meeting)s.")
            % values
        )
    return _("Approved by decision no. %(number)s of %(date)s.") % values


def plan_title(version: PlanVersion) -> str:
    """The plan's one name: its title, by default the guide's (Table 1)."""
    return version.display_title


def _deadline(deadline) -> dict | None:
    if deadline is None or not deadline.kind:
        return None
    return {
        "kind": deadline.kind,
        "date": deadline.day.isoformat() if deadline.day else None,
        "period": deadline.period or None,
        "every_months": deadline.every_months,
        "text": str(deadline),
    }


def plan_table(version: PlanVersion, rows=None) -> dict:
    """The version as plain data: what every format shows (a ``*_text`` value is its display)."""
    plan = version.plan
    council = plan.council
    problems = []
    for problem in selectors.plan_rows(version) if rows is None else rows:
        activities = []
        for index, activity in enumerate(problem.activities.all(), start=1):
            indicators = []
            for indicator in activity.indicators.all():
                item = {
                    "id": str(indicator.lineage),
                    "name": indicator.name,
                    "unit": indicator.unit,
                    "baseline": _number(indicator.baseline),
                    "target": _number(indicator.target),
                    "baseline_text": _number_text(indicator.baseline),
                    "target_text": _number_text(indicator.target),
                    "frequency": indicator.frequency,
                    "frequency_label": indicator.get_frequency_display(),
                    "disaggregation": indicator.disaggregation,
                    "disaggregation_label": disaggregation_label(indicator.disaggregation),
                    "split_keys": [key for key, _label in split_keys(indicator.disaggregation)],
                }
                item["text"] = split_indicator_text(item)
                indicators.append(item)
            responsible = activity.responsible
            deadline = _deadline(activity.deadline) or {
                "kind": "",
                "date": None,
                "period": None,
                "every_months": None,
                "text": "",
            }
            activities.append(
                {
                    "id": str(activity.lineage),
                    "number": f"{problem.number}.{index}",
                    "text": activity.text,
                    "lead": activity.lead.name if activity.lead else None,
                    "partners": [partner.name for partner in activity.partners.all()],
                    "actors": [actor.name for actor in activity.actors.all()],
                    "responsible": responsible.names,
                    "responsible_inherited": responsible.inherited,
                    "deadline": deadline | {"inherited": activity.deadline_inherited},
                    "groups": list(activity.groups),
                    "group_labels": group_labels(activity.groups),
                    **money.activity_money(activity),
                    "indicators": indicators,
                }
            )
        problems.append(
            {
                "id": str(problem.lineage),
                "number": problem.number,
                "title": problem.title,
                "description": problem.description,
                "statistics": problem.statistics,
                "statistics_source": problem.statistics_source,
                "provenance": problem.provenance,
                "priority": problem.priority,
                "priority_label": problem.get_priority_display(),
                "institutions": [institution.name for institution in problem.institutions.all()],
                "actors": [actor.name for actor in problem.actors.all()],
                "deadline": _deadline(problem.own_deadline),
                "groups": list(problem.groups),
                "group_labels": group_labels(problem.groups),
                "unit": problem.unit.name if problem.unit else None,
                "activities": activities,
            }
        )
    meeting = version.meeting
    table = {
        "format": JSON_FORMAT,
        "language": get_language(),
        "council": {"slug": council.slug, "name": str(council), "county": str(council.municipality.county)},
        "year": plan.year,
        "version": version.number,
        "status": version.status,
        "address": settings.SITE_URL + public_path(version),
        "approved_at": timezone.localtime(version.approved_at).isoformat() if version.approved_at else None,
        "note": version.note,
        "decision": {
            "number": version.decision_number,
            "date": version.decision_date.isoformat() if version.decision_date else None,
            "label": version.decision_label,
            "text": version.decision.text if version.decision_id else "",
            "meeting": {
                "date": timezone.localtime(meeting.starts_at).date().isoformat(),
                "kind": meeting.kind,
                "title": meeting.title,
                "url": meeting_address(version),
            }
            if meeting
            else None,
        },
        "title": plan_title(version),
        "decision_text": decision_text(version),
        "decision_label": decision_label(version),
        "meeting_address": meeting_address(version) or "",
        "problems": problems,
        "budget": money.table_totals({"problems": problems}).as_data(),
        "groups_served": groups_served(problems),
    }
    # A pasted control character would make the DOCX (XML) unwritable, for an approved version
    # for good: every format shows the text without them.
    return clean_data(table)


# Keys of an indicator in ``plan_table`` that are display helpers, not part of the JSON.
_DISPLAY_ONLY = {"baseline_text", "target_text", "text"}
# Keys of an activity that the JSON gives otherwise (its indicators) or not at all (display text).
_ACTIVITY_DISPLAY = {"indicators", "estimated_cost_text"}


def plan_json(version: PlanVersion, table: dict | None = None) -> bytes:
    table = table or plan_table(version)
    display = {"decision_text", "decision_label", "meeting_address", "problems"}
    body = {key: value for key, value in table.items() if key not in display}
    problems = []
    for problem in table["problems"]:
        activities = []
        for activity in problem["activities"]:
            activities.append(
                {
                    **{key: value for key, value in activity.items() if key not in _ACTIVITY_DISPLAY},
                    "indicators": [
                        {k: v for k, v in indicator.items() if k not in _DISPLAY_ONLY}
                        for indicator in activity["indicators"]
                    ],
                }
            )
        problems.append({**problem, "activities": activities})
    body["problems"] = problems
    return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")


def csv_rows(table: dict) -> list[list[str]]:
    """One line per activity, the problem's columns repeated (a problem without activities keeps
    one line). Cells a spreadsheet would run as formulas are neutralised."""
    lines = []
    decision = [table["decision_label"], table["meeting_address"]]
    for problem in table["problems"]:
        head = [
            table["council"]["name"],
            table["year"],
            table["version"],
            problem["id"],
            problem["number"],
            problem["title"],
            problem["description"],
            problem["statistics"],
            problem["statistics_source"],
            problem["provenance"],
            problem["priority_label"],
        ]
        row = [
            table["title"],
            "; ".join(problem["institutions"] + problem["actors"]),
            problem["deadline"]["text"] if problem["deadline"] else "",
        ]
        for activity in problem["activities"] or [None]:
            if activity is None:
                tail, more = [""] * 7, ["", ""]
            else:
                tail = [
                    activity["id"],
                    activity["number"],
                    activity["text"],
                    activity["lead"] or "",
                    "; ".join(activity["partners"]),
                    activity["deadline"]["text"],
                    "\n".join(indicator["text"] for indicator in activity["indicators"]),
                ]
                more = ["; ".join(activity["responsible"]), "; ".join(activity["actors"])]
            groups = [
                "; ".join(problem["group_labels"]),
                "; ".join(activity["group_labels"]) if activity else "",
            ]
            cells = head + tail + decision + row[:1] + more + row[1:] + groups + money.csv_cells(activity)
            cells.append(problem["unit"] or "")
            lines.append([safe_cell(value) for value in cells])
    return lines


def plan_csv(version: PlanVersion, table: dict | None = None) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheets read the Albanian letters right."""
    table = table or plan_table(version)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(name) for name in csv_header()])  # a translation is text like any other
    writer.writerows(csv_rows(table))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def table_groups(table: dict) -> list[dict]:
    """The table as the PDF and the page lay it out: per problem, its lines (one per activity;
    a problem without activities keeps one line), the problem's cells spanning them."""
    groups = []
    for problem in table["problems"]:
        activities = problem["activities"] or [None]
        groups.append(
            {
                "problem": problem,
                "count": len(activities),
                "problem_lines": problem_lines(problem),
                "rows": [
                    {"activity": activity, "responsible": responsible_lines(activity) if activity else []}
                    for activity in activities
                ],
            }
        )
    return groups


def pdf_html(version: PlanVersion, table: dict | None = None) -> str:
    """The HTML the PDF is made from (the benchmark renders it directly with WeasyPrint)."""
    table = table or plan_table(version)
    return render_to_string(
        "plans/plan_pdf.html",
        {
            "version": version,
            "table": table,
            "headers": header_labels(),
            "groups": table_groups(table),
            "money": money.table_totals(table),
        },
    )


def plan_pdf(version: PlanVersion, table: dict | None = None) -> bytes:
    """A4 landscape, with the council, year, version and decision on every page, page "x / y",
    tagged (PDF/UA-1)."""
    return html_to_pdf(pdf_html(version, table), pdf_variant=PDF_VARIANT)


def plan_docx(version: PlanVersion, table: dict | None = None) -> bytes:
    """A Word file with the plan as a table like the guide's Table 1, A4 landscape: one row per
    activity, the problem's cells merged down its activities."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    table = table or plan_table(version)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    document.styles["Normal"].font.size = Pt(9)
    document.core_properties.title = table["title"]
    document.core_properties.language = table["language"]
    document.add_heading(table["title"], level=1)
    document.add_paragraph(_("Version %(number)s") % {"number": table["version"]})
    document.add_paragraph(table["decision_text"])
    if table["meeting_address"]:
        document.add_paragraph(_("The council meeting: %(address)s") % {"address": table["meeting_address"]})
    if table["note"]:
        document.add_paragraph(table["note"])
    if table["groups_served"]:
        document.add_paragraph(served_line(table["groups_served"]))
    headers = header_labels()
    grid = document.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    for cell, label in zip(grid.rows[0].cells, headers, strict=True):
        cell.text = label
        cell.paragraphs[0].runs[0].bold = True
    header_properties = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_properties.append(repeat)
    for problem in table["problems"]:
        first = None
        for activity in problem["activities"] or [None]:
            cells = grid.add_row().cells
            if first is None:
                first = cells
                cells[0].text = problem["number"]
                _problem_cell(cells[1], problem)
                cells[2].text = capfirst(problem["priority_label"])  # as the PDF's and the page's cell
            else:
                for column in range(3):
                    first[column].merge(cells[column])
            if activity is not None:
                _lines(cells[3], activity_lines(activity))
                _lines(cells[4], [indicator["text"] for indicator in activity["indicators"]])
                _lines(cells[5], responsible_lines(activity))
                cells[6].text = deadline_text(activity)
    for line in money.budget_lines(table["budget"]):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def header_labels() -> list[str]:
    """The columns of Table 1, in the page, the PDF and the DOCX."""
    return [
        _("No."),
        _("Identified problem"),
        _("Priority"),
        _("Activity"),
        _("Indicators"),
        _("Responsible institutions"),
        _("Deadline"),
    ]


def responsible_lines(activity: dict) -> list[str]:
    """Who is responsible, as the guide's Table 1 lists them: one name a line (a lead only when the
    plan names one); the row's when the activity names none."""
    names = activity["responsible"]
    if activity["lead"]:
        return [_("Lead: %(name)s") % {"name": activity["lead"]}, *names[1:]]
    return list(names)


def activity_lines(activity: dict) -> list[str]:
    """The activity's cell: its number and text, its cost and funding, then the groups it serves
    (each if any)."""
    lines = [f"{activity['number']} {activity['text']}", *money.activity_lines(activity)]
    return [*lines, groups_line(activity)] if activity["groups"] else lines


def deadline_text(activity: dict) -> str:
    """The deadline as a table cell: "çdo 2 muaj", "gjatë gjithë vitit" (its own, else its row's)."""
    return activity["deadline"]["text"]


def problem_lines(problem: dict) -> list[str]:
    lines = [problem["title"]]
    if problem["description"]:
        lines.append(problem["description"])
    if problem["statistics"]:
        lines.append(
            _("%(statistics)s (source: %(source)s)")
            % {"statistics": problem["statistics"], "source": problem["statistics_source"]}
            if problem["statistics_source"]
            else problem["statistics"]
        )
    if problem["provenance"]:
        lines.append(problem["provenance"])
    if problem["unit"]:
        lines.append(_("Where: %(unit)s") % {"unit": problem["unit"]})
    if groups_line(problem):
        lines.append(groups_line(problem))
    return lines


def _problem_cell(cell, problem: dict) -> None:
    lines = problem_lines(problem)
    cell.text = lines[0]
    cell.paragraphs[0].runs[0].bold = True
    for line in lines[1:]:
        cell.add_paragraph(line)


def _lines(cell, lines: list[str]) -> None:
    cell.text = lines[0] if lines else ""
    for line in lines[1:]:
        cell.add_paragraph(line)
