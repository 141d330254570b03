"""Checking the sheet's lines: ``LineReader`` turns them into problems, activities and indicators
and notes every error against its line and column, in the active language; ``check_against`` adds
the problem numbers the draft the rows would join already has.
"""

from django.utils.translation import gettext as _

from councils.models import Council, Institution

from ..models import PlanVersion
from .cells import NumberError, cell_text, parse_number
from .names import Names
from .rows import ActivityRow, ImportResult, IndicatorRow, ProblemRow, Responsible, RowError
from .vocabulary import (
    COLUMN,
    INDICATOR_KEYS,
    LIMITS,
    PROBLEM_KEYS,
    DeadlineError,
    column_letter,
    fold,
    parse_deadline,
    parse_frequency,
    parse_priority,
)


def _deadline_example() -> str:
    return _(
        "Write, for example, 30.06.2025, 6 mujori i parë, tremujori i dytë, çdo 2 muaj, çdo muaj "
        "or gjatë gjithë vitit."
    )


class LineReader:
    """Turns the sheet's lines into problems, activities and indicators, noting every error."""

    def __init__(self, council: Council, result: ImportResult, columns: dict, labels: dict):
        self.result = result
        self.columns = columns
        self.labels = labels
        self.problems: dict[str, ProblemRow] = {}
        self.current: ProblemRow | None = None
        self.activity: ActivityRow | None = None
        self.names = Names(council)

    def error(self, line: int, key: str, message: str, item=None) -> None:
        index = self.columns.get(key)
        self.result.errors.append(
            RowError(
                line,
                column_letter(index) if index is not None else "",
                self.labels.get(key, COLUMN[key].header),
                message,
            )
        )
        if item is not None:
            item.errors.append(message)

    def text(self, line: int, values: dict, key: str, item=None) -> str:
        text = cell_text(values.get(key))
        limit = LIMITS.get(key)
        if limit and len(text) > limit:
            self.error(
                line,
                key,
                _("Keep this to %(limit)d characters; it has %(count)d.")
                % {"limit": limit, "count": len(text)},
                item,
            )
            text = text[:limit]
        return text

    # -- one line

    def line(self, line: int, values: dict) -> None:
        number = self.text(line, values, "number")
        problem = self.problem(line, number, values)
        if problem is None:
            return
        if problem is not self.current:
            self.current = problem
            self.activity = problem.activities[-1] if problem.activities else None
        has_activity = bool(cell_text(values.get("activity")))
        has_lead = bool(cell_text(values.get("lead")))
        names_more = any(cell_text(values.get(key)) for key in ("partners", "deadline"))
        has_indicator = any(cell_text(values.get(key)) for key in INDICATOR_KEYS)
        # The rule (the template's instructions say it): on a problem's first line, the names
        # responsible and the deadline are the row's, inherited by its activities that give none
        # — unless that line names a lead: then, as on every later line, they are its activity's.
        first = line == problem.line
        if first and not has_lead:
            self.responsible(line, values, problem)
        if has_activity:
            self.activity = self.new_activity(line, values, problem, own=not first or has_lead)
            if has_indicator:
                self.new_indicator(line, values, self.activity)
        elif (names_more or has_lead) and not first:
            self.error(
                line,
                "activity",
                _(
                    "Describe the activity: this line names an institution or a deadline but no "
                    "activity. Who is responsible for the whole problem, and its deadline, go on its "
                    "first line."
                ),
            )
        elif has_lead:
            self.error(
                line,
                "activity",
                _(
                    "Describe the activity: a lead institution is an activity's. To name who is "
                    "responsible for the whole problem, leave Institucioni drejtues empty."
                ),
            )
        elif names_more and not has_indicator:
            pass  # the problem's first line, with the row's names and deadline
        elif has_indicator:
            if self.activity is None:
                self.error(
                    line,
                    "activity",
                    _(
                        "Describe the activity: an indicator on a line of its own belongs to the "
                        "activity above it, and problem %(number)s has none yet."
                    )
                    % {"number": problem.number},
                )
            else:
                self.new_indicator(line, values, self.activity)

    def problem(self, line: int, number: str, values: dict) -> ProblemRow | None:
        title = " ".join(cell_text(values.get("title")).split())
        if not number:
            if self.current is None:
                self.error(line, "number", _("Give the problem's number (Nr.), for example 1.4."))
                return None
            if title and fold(title) != fold(self.current.title):
                self.error(
                    line,
                    "number",
                    _(
                        "Give this problem's number (Nr.). Lines without a number belong to the "
                        "problem above them, %(number)s, which has another name."
                    )
                    % {"number": self.current.number},
                )
                return None
            problem = self.current
        else:
            problem = self.problems.get(number)
            if problem is None:
                problem = ProblemRow(line=line, number=number)
                self.problems[number] = problem
                self.result.problems.append(problem)
        self.merge(line, problem, values)
        return problem

    def merge(self, line: int, problem: ProblemRow, values: dict) -> None:
        """Fill in the problem's fields from this line; a different value for a field already
        given on another line of the same number is an error."""
        for key in PROBLEM_KEYS:
            raw = values.get(key)
            text = self.text(line, values, key)
            if key == "title":
                text = " ".join(text.split())
            if not text:
                continue
            current = problem.priority_raw if key == "priority" else getattr(problem, key)
            if current:
                if fold(current) != fold(text):
                    if key == "title":
                        message = _(
                            "Problem %(number)s is named “%(title)s” on line %(line)d. One number "
                            "stands for one problem: give this one another number or the same name."
                        ) % {"number": problem.number, "title": current, "line": problem.given_on[key]}
                    else:
                        message = _(
                            "Problem %(number)s has a different value here than on line %(line)d. "
                            "Leave it empty on the following lines of the problem."
                        ) % {"number": problem.number, "line": problem.given_on[key]}
                    self.error(line, key, message)
                continue
            problem.given_on[key] = line
            if key == "priority":
                problem.priority_raw = text
                problem.priority = parse_priority(text) or ""
                if not problem.priority:
                    self.error(
                        line,
                        key,
                        _("“%(value)s” is not a priority. Write i lartë, i moderuar or i ulët.")
                        % {"value": cell_text(raw)},
                        problem,
                    )
            else:
                setattr(problem, key, text)

    def finish_problems(self) -> None:
        for problem in self.result.problems:
            if not problem.title:
                self.error(problem.line, "title", _("Name the problem."), problem)
            if not problem.priority_raw:
                self.error(
                    problem.line, "priority", _("Give the priority: i lartë, i moderuar or i ulët."), problem
                )
            for activity in problem.activities:
                if not activity.deadline_raw and not problem.deadline_raw:
                    self.error(
                        activity.line,
                        "deadline",
                        _(
                            "Give the deadline. It goes on this line, or once on the problem's "
                            "first line for all its activities."
                        )
                        + " "
                        + _deadline_example(),
                        activity,
                    )
            # Statistics without a separate source are read as given: Table 1 gives the source
            # inside the text or not at all (the source is optional, as on the form).

    # -- activities and indicators

    def institution(self, line: int, key: str, name: str, item) -> Institution | None:
        institution, message = self.names.institution(name)
        if institution is None:
            self.error(line, key, message, item)
        return institution

    def responsible(self, line: int, values: dict, item: Responsible) -> None:
        """The institutions and actors (column "partners") and the deadline a line gives, for a
        problem's row or an activity."""
        for message in self.names.responsible(cell_text(values.get("partners")), item):
            self.error(line, "partners", message, item)
        raw = values.get("deadline")
        item.deadline_raw = cell_text(raw)
        if not item.deadline_raw:
            return
        try:
            item.deadline = parse_deadline(raw)
        except DeadlineError:
            self.error(line, "deadline", _("Say every how many months (1 to 12)."), item)
            return
        if item.deadline is None:
            self.error(
                line,
                "deadline",
                _("“%(value)s” is not a deadline the import understands.") % {"value": item.deadline_raw}
                + " "
                + _deadline_example(),
                item,
            )

    def new_activity(self, line: int, values: dict, problem: ProblemRow, *, own: bool) -> ActivityRow:
        """The line's activity; ``own``: the names and deadline on the line are its own (else they
        are its row's, read already)."""
        activity = ActivityRow(line=line, text=self.text(line, values, "activity"))
        problem.activities.append(activity)
        activity.lead_text = " ".join(cell_text(values.get("lead")).split())
        if activity.lead_text:  # optional: Table 1 names none
            activity.lead = self.institution(line, "lead", activity.lead_text, activity)
        if not own:
            return activity
        self.responsible(line, values, activity)
        if activity.lead in activity.institutions:
            activity.institutions.remove(activity.lead)
        return activity

    def new_indicator(self, line: int, values: dict, activity: ActivityRow) -> None:
        indicator = IndicatorRow(line=line, name=self.text(line, values, "indicator"))
        activity.indicators.append(indicator)
        if not indicator.name:
            self.error(line, "indicator", _("Name the indicator."), indicator)
        indicator.unit = self.text(line, values, "unit")
        for key in ("baseline", "target"):
            raw = values.get(key)
            try:
                setattr(indicator, key, parse_number(raw))
            except NumberError:
                self.error(
                    line,
                    key,
                    _("“%(value)s” is not a number (or it is too large). Write, for example, 12 or 12,5.")
                    % {"value": cell_text(raw)},
                    indicator,
                )
        frequency = cell_text(values.get("frequency"))
        if frequency:
            indicator.frequency = parse_frequency(frequency) or ""
            if not indicator.frequency:
                self.error(
                    line,
                    "frequency",
                    _(
                        "“%(value)s” is not a frequency. Write mujore, tremujore, gjashtëmujore, "
                        "vjetore or një herë."
                    )
                    % {"value": frequency},
                    indicator,
                )


def check_against(result: ImportResult, version: PlanVersion) -> None:
    taken = set(version.problems.values_list("number", flat=True))
    for problem in result.problems:
        if problem.number in taken:
            message = _(
                "Version %(version)d already has a problem numbered %(number)s. Give this one another "
                "number, or remove that row from the draft first."
            ) % {"version": version.number, "number": problem.number}
            result.errors.append(
                RowError(problem.line, result.letters.get("number", ""), COLUMN["number"].header, message)
            )
            problem.errors.append(message)
    result.errors.sort(key=lambda e: (e.row or 0, e.column))
