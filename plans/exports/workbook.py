"""The plan as an Excel workbook in the import's format (``plans.importer``): the empty template of a
council (the sheet "Plani", its seated institutions, the instructions and an example) and an
approved or draft version, so that a plan exported and imported again is the same.
"""

import io

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from councils.models import Council, Institution
from kvsp.core.exports import safe_cell

from ..importer.reading import MAX_ROWS
from ..importer.vocabulary import (
    COLUMNS,
    FREQUENCY_TEXT,
    PRIORITY_TEXT,
    SHEET_GUIDE,
    SHEET_INSTITUTIONS,
    SHEET_PLAN,
    column_letter,
    deadline_text,
)
from ..models import Activity, Actor, PlanProblem, PlanVersion
from ..ordering import in_named_order, named


def template_workbook(council: Council) -> bytes:
    """The empty template: the sheet "Plani", the council's institutions and the instructions."""
    return _workbook(council, [])


def plan_workbook(version: PlanVersion) -> bytes:
    """The version in the template's format, so a plan exported and imported again is the same."""
    problems = version.problems.prefetch_related(
        Prefetch("institutions", queryset=in_named_order(PlanProblem, "institutions")),
        Prefetch("actors", queryset=in_named_order(PlanProblem, "actors")),
        Prefetch(
            "activities",
            queryset=Activity.objects.select_related("lead").prefetch_related(
                Prefetch("partners", queryset=in_named_order(Activity, "partners")),
                Prefetch("actors", queryset=in_named_order(Activity, "actors")),
                "indicators",
            ),
        ),
    ).order_by("position")
    return _workbook(version.plan.council, list(problems))


def _names(item, institutions: str) -> str:
    """Who a row or an activity names itself, in the order named: institutions, then actors."""
    return "; ".join([i.name for i in named(item, institutions)] + [a.name for a in named(item, "actors")])


def _plan_lines(problems: list[PlanProblem]) -> list[list]:
    """One line per activity (and per further indicator). A problem's first line holds its row's
    institutions, actors and deadline; an activity that names its own lead, institutions, actors or
    deadline goes on a line of its own below it, so its names are its own (the import's rule)."""
    lines = []
    for problem in problems:
        head = [
            problem.number,
            problem.title,
            problem.description,
            problem.statistics,
            problem.statistics_source,
            problem.provenance,
            PRIORITY_TEXT.get(problem.priority, problem.priority),
        ]
        # The following lines of a problem repeat its number and name only.
        follow = [problem.number, problem.title, "", "", "", "", ""]
        row_deadline = problem.own_deadline
        row = ["", "", _names(problem, "institutions"), deadline_text(row_deadline) if row_deadline else ""]
        activities = list(problem.activities.all())
        # The first activity shares the problem's line when it names no one and gives no deadline
        # (it has the row's), or when it names a lead and the row names no one and gives no deadline
        # (a line with a lead is its activity's alone).
        first = activities[0] if activities else None
        shared = first is not None and not _names_own(first)
        alone = first is not None and bool(first.lead_id) and not any(row)
        if not (shared or alone):  # the problem alone on its first line
            lines.append(head + row + [""] * 5)
        for a_index, activity in enumerate(activities):
            indicators = list(activity.indicators.all())
            own = activity.own_deadline
            if a_index == 0 and shared:
                base = [*head, activity.text, *row[1:]]
            else:
                base = [
                    *(head if a_index == 0 else follow),
                    activity.text,
                    activity.lead.name if activity.lead else "",  # Table 1 names no lead
                    _names(activity, "partners"),
                    deadline_text(own) if own else "",
                ]
            if not indicators:
                lines.append(base + [""] * 5)
            for i_index, indicator in enumerate(indicators):
                values = [
                    indicator.name,
                    indicator.unit,
                    indicator.baseline,
                    indicator.target,
                    FREQUENCY_TEXT.get(indicator.frequency, indicator.frequency),
                ]
                lines.append((base if i_index == 0 else follow + [""] * 4) + values)
    return lines


def _names_own(activity: Activity) -> bool:
    """Whether the activity gives its own lead, institutions, actors or deadline."""
    return bool(
        activity.lead_id or named(activity, "partners") or named(activity, "actors") or activity.own_deadline
    )


def _workbook(council: Council, problems: list[PlanProblem]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE7F0")
    wrap = Alignment(wrap_text=True, vertical="top")
    workbook = Workbook()
    workbook.properties.creator = "KVSP"
    workbook.properties.title = f"{SHEET_PLAN} — {council}"

    sheet = workbook.active
    sheet.title = SHEET_PLAN
    sheet.append([column.header for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = fill
        cell.alignment = wrap
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS):
        letter = column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.key in ("number", "deadline"):
            # Typed as text, so 1.10 stays 1.10 and a date stays as written.
            sheet.column_dimensions[letter].number_format = "@"
    numeric = {"baseline", "target"}
    for line in _plan_lines(problems):
        row = []
        for column, value in zip(COLUMNS, line, strict=True):
            if column.key in numeric:
                row.append(value)
            else:
                row.append(safe_cell(value) if value not in (None, "") else None)
        sheet.append(row)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
            if COLUMNS[cell.column - 1].key in ("number", "deadline"):
                cell.number_format = "@"
    last = max(MAX_ROWS, sheet.max_row) + 1
    letters = {column.key: column_letter(i) for i, column in enumerate(COLUMNS)}
    priorities = DataValidation(
        type="list",
        formula1='"{}"'.format(",".join(PRIORITY_TEXT.values())),
        allow_blank=True,
        errorStyle="warning",
    )
    priorities.add(f"{letters['priority']}2:{letters['priority']}{last}")
    frequencies = DataValidation(
        type="list",
        formula1='"{}"'.format(",".join(FREQUENCY_TEXT.values())),
        allow_blank=True,
        errorStyle="warning",
    )
    frequencies.add(f"{letters['frequency']}2:{letters['frequency']}{last}")
    sheet.add_data_validation(priorities)
    sheet.add_data_validation(frequencies)

    seated = list(
        Institution.objects.filter(pk__in=council.seats.active().values("institution_id")).order_by("name")
    )
    institutions = workbook.create_sheet(SHEET_INSTITUTIONS)
    institutions.append(["Institucioni", "Kategoria"])
    for cell in institutions[1]:
        cell.font = bold
        cell.fill = fill
    for institution in seated:
        institutions.append([safe_cell(institution.name), safe_cell(institution.get_category_display())])
    # The council's actors too (below the members, outside the lead's list): names to reuse.
    for actor in Actor.objects.filter(council=council).order_by("name"):
        institutions.append([safe_cell(actor.name), "Aktor (jo anëtar i këshillit)"])
    institutions.freeze_panes = "A2"
    institutions.column_dimensions["A"].width = 60
    institutions.column_dimensions["B"].width = 45
    if seated:
        leads = DataValidation(
            type="list",
            formula1=f"{SHEET_INSTITUTIONS}!$A$2:$A${len(seated) + 1}",
            allow_blank=True,
            errorStyle="warning",
        )
        leads.add(f"{letters['lead']}2:{letters['lead']}{last}")
        sheet.add_data_validation(leads)

    guide = workbook.create_sheet(SHEET_GUIDE)
    guide.column_dimensions["A"].width = 120
    for index, text in enumerate(_instructions(council)):
        guide.append([safe_cell(text)])
        cell = guide.cell(row=index + 1, column=1)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if index == 0:
            cell.font = Font(bold=True, size=13)
    guide.append([])
    guide.append([_("An example (do not copy it into the sheet “%(sheet)s” as is):") % {"sheet": SHEET_PLAN}])
    guide.cell(row=guide.max_row, column=1).font = bold
    example_start = guide.max_row + 1
    guide.append([column.header for column in COLUMNS])
    for cell in guide[example_start]:
        cell.font = bold
    for line in _example_lines():
        guide.append(line)

    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _instructions(council: Council) -> list[str]:
    return [
        _("How to fill in the plan of %(council)s") % {"council": council},
        _(
            "Write the plan in the sheet “%(sheet)s”, one line per activity, as in Table 1 of the guide. "
            "Do not change the column names in the first row."
        )
        % {"sheet": SHEET_PLAN},
        _(
            "Nr.: the problem's number, for example 1.4. The following lines of the same problem repeat "
            "its number; its other columns may stay empty on those lines."
        ),
        _(
            "Problematika e identifikuar, Përshkrimi, Statistikat, Burimi i statistikave, Shënim: the "
            "problem, its description, its statistics and their source, and a note on where it comes "
            "from (for example: updated at the council meeting of 03.02.2022). The source is optional."
        ),
        _("Prioriteti: i lartë, i moderuar or i ulët."),
        _(
            "Institucioni përgjegjës: who is responsible, as in Table 1 of the guide, separated by a "
            "semicolon (;), in the order you want them shown. A name of the sheet “%(sheet)s” that "
            "sits on the council is that member institution; any other name (an NGO, a school, "
            "community representatives, another public institution) is an actor of the council's "
            "list: an actor already there is reused whatever its capitals or accents, a new one is "
            "added when you confirm the import. Actors never become members of the council."
        )
        % {"sheet": SHEET_INSTITUTIONS},
        _(
            "Given once per problem: on a problem's first line, Institucioni përgjegjës and Afati are "
            "the whole problem's, and every activity of the problem that leaves them empty has them. "
            "On a later line of the problem they are that activity's own. Leave them empty on the "
            "later lines to keep the problem's."
        ),
        _(
            "Institucioni drejtues (optional; Table 1 names none): an activity's lead, one of the "
            "institutions that sit on the council. A first line with a lead is its activity's alone: "
            "its Institucioni përgjegjës and Afati are then that activity's, not the problem's. To "
            "give a problem its own line, fill in its number, name and priority and leave Aktiviteti "
            "empty."
        ),
        _(
            "Afati (every activity needs one: its own or its problem's): a date (30.06.2025), "
            "“6 mujori i parë”, “6 mujori i dytë”, “tremujori i parë” to "
            "“tremujori i katërt”, “çdo 2 muaj”, “çdo muaj” or “gjatë gjithë vitit”. English works "
            "too: “first six months”, “third quarter”, “every 2 months”, “all year”."
        ),
        _(
            "Treguesi, Njësia, Vlera bazë, Synimi, Shpeshtësia: the activity's indicator. For another "
            "indicator of the same activity add a line with the problem's number, leave Aktiviteti "
            "empty and fill in only these columns."
        ),
        _(
            "Vlera bazë and Synimi are numbers (12 or 12,5). Shpeshtësia: mujore, tremujore, "
            "gjashtëmujore, vjetore or një herë."
        ),
        _(
            "Formulas are read as their values. At most %(count)d lines are read. Upload the file on "
            "the plan's import page: every line is checked and shown before anything is saved."
        )
        % {"count": MAX_ROWS},
    ]


def _example_lines() -> list[list]:
    """Table 1's shape: the row's responsible and deadline on its first line, an activity that
    inherits them, and one with its own."""
    empty = ["", "", "", "", ""]
    return [
        [
            "1.4",
            "Përdorimi i drogës te të rinjtë",
            "Raste të shtuara pranë shkollave.",
            "12 raste në 2021",
            "Drejtoria Vendore e Policisë",
            "Përditësuar në mbledhjen e KVSP të datës 03.02.2022",
            "i lartë",
            "Orë edukative ligjore në shkolla",
            "",
            "Drejtoria Vendore e Policisë; Bashkia; Drejtoria Arsimore",
            "6 mujori i parë",
            "Orë të zhvilluara",
            "orë",
            0,
            10,
            "tremujore",
        ],
        ["1.4", "Përdorimi i drogës te të rinjtë", *empty, "Takime me prindërit", "", "", "", *empty],
        [
            "1.4",
            "Përdorimi i drogës te të rinjtë",
            "",
            "",
            "",
            "",
            "",
            "Patrullime pranë shkollave",
            "",
            "Drejtoria Vendore e Policisë; Përfaqësues të komunitetit",
            "çdo muaj",
            "Patrullime",
            "patrullime",
            "",
            12,
            "mujore",
        ],
    ]
