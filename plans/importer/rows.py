"""What a workbook holds once read: each problem with its activities and their indicators, and
every error found, per line and column or for the whole file (``ImportResult``). Between the
preview and the confirmation the checked rows wait in the session as plain JSON (``to_data`` and
``from_data``).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from consultations.models import Intensity
from councils.models import Council, Institution

from .. import services
from ..deadlines import Deadline
from ..models import Indicator


@dataclass
class RowError:
    row: int | None  # the spreadsheet's line number; None for the file as a whole
    column: str  # the column letter, "" if none
    label: str  # the column's header, as in the file
    message: str


@dataclass
class IndicatorRow:
    line: int
    name: str
    unit: str = ""
    baseline: Decimal | None = None
    target: Decimal | None = None
    frequency: str = Indicator.Frequency.QUARTERLY
    errors: list[str] = field(default_factory=list)

    @property
    def frequency_label(self) -> str:
        return Indicator.Frequency(self.frequency).label if self.frequency else ""


@dataclass
class Responsible:
    """Who is responsible and by when, as a line gives it: member institutions, other actors (by
    name: an existing actor of the council whatever the case or accents, else a new one on save),
    each in the order given, and the deadline. A problem's (its row's) or an activity's own."""

    institutions: list[Institution] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    deadline: Deadline | None = None
    deadline_raw: str = ""
    # The actors not yet in the council's list (the preview says they will be added).
    new_actors: list[str] = field(default_factory=list)

    @property
    def deadline_display(self) -> str:
        return str(self.deadline) if self.deadline else self.deadline_raw

    @property
    def names(self) -> list[str]:
        return [i.name for i in self.institutions] + self.actors

    def deadline_fields(self) -> dict:
        deadline = self.deadline
        if deadline is None:
            return {}
        return {
            "deadline_kind": deadline.kind,
            "deadline_date": deadline.day,
            "deadline_period": deadline.period,
            "deadline_every_months": deadline.every_months,
        }


@dataclass
class ActivityRow(Responsible):
    """An activity: its optional lead, and its own institutions, actors and deadline (none given:
    its problem's)."""

    line: int = 0
    text: str = ""
    lead: Institution | None = None
    lead_text: str = ""
    indicators: list[IndicatorRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def partners(self) -> list[Institution]:
        return self.institutions

    @property
    def names_own(self) -> bool:
        return bool(self.lead or self.institutions or self.actors)


@dataclass
class ProblemRow(Responsible):
    """A plan row: its fields, and the institutions, actors and deadline given on its first line
    (inherited by its activities that give none)."""

    line: int = 0
    number: str = ""
    title: str = ""
    description: str = ""
    statistics: str = ""
    statistics_source: str = ""
    provenance: str = ""
    priority: str = ""
    priority_raw: str = ""
    activities: list[ActivityRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # For each problem field: the line that gave its value (to point at conflicts).
    given_on: dict[str, int] = field(default_factory=dict)

    @property
    def priority_label(self) -> str:
        return Intensity(self.priority).label if self.priority else self.priority_raw

    def service_fields(self) -> dict:
        return {
            "number": self.number,
            "title": self.title,
            "description": self.description,
            "statistics": self.statistics,
            "statistics_source": self.statistics_source,
            "provenance": self.provenance,
            "priority": self.priority,
        }


@dataclass
class ImportResult:
    problems: list[ProblemRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # The letter of each column found in the file, by key.
    letters: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.problems)

    @property
    def file_errors(self) -> list[RowError]:
        return [e for e in self.errors if e.row is None]

    @property
    def row_errors(self) -> list[RowError]:
        return [e for e in self.errors if e.row is not None]

    @property
    def activity_count(self) -> int:
        return sum(len(p.activities) for p in self.problems)

    @property
    def indicator_count(self) -> int:
        return sum(len(a.indicators) for p in self.problems for a in p.activities)

    # The checked rows wait in the session between the preview and the confirmation: plain JSON
    # with institution ids, never the file or its path.
    def to_data(self) -> dict:
        return {
            "problems": [
                {
                    **problem.service_fields(),
                    **_responsible_data(problem),
                    "line": problem.line,
                    "activities": [
                        {
                            **_responsible_data(activity),
                            "line": activity.line,
                            "text": activity.text,
                            "lead": activity.lead.pk if activity.lead else None,
                            "indicators": [
                                {
                                    "line": indicator.line,
                                    "name": indicator.name,
                                    "unit": indicator.unit,
                                    "baseline": _decimal_data(indicator.baseline),
                                    "target": _decimal_data(indicator.target),
                                    "frequency": indicator.frequency,
                                }
                                for indicator in activity.indicators
                            ],
                        }
                        for activity in problem.activities
                    ],
                }
                for problem in self.problems
            ]
        }

    @classmethod
    def from_data(cls, data: dict, council: Council) -> "ImportResult":
        """Rows kept by ``to_data``; ValueError if they no longer make sense (an institution is
        gone, or was never one of the council's). The services check everything again when the
        rows are written."""
        try:
            ids = {pk for problem in data["problems"] for pk in problem["institutions"]}
            ids |= {
                pk
                for problem in data["problems"]
                for activity in problem["activities"]
                for pk in (activity["lead"], *activity["institutions"])
                if pk is not None
            }
            institutions = Institution.objects.filter(seats__council=council).in_bulk(ids)
            problems = []
            for problem in data["problems"]:
                row = ProblemRow(
                    line=int(problem["line"]),
                    **{key: str(problem[key]) for key in services.PROBLEM_TEXT_FIELDS},
                    **_responsible_from_data(problem, institutions),
                )
                for activity in problem["activities"]:
                    lead = activity["lead"]
                    row.activities.append(
                        ActivityRow(
                            line=int(activity["line"]),
                            text=str(activity["text"]),
                            lead=institutions[lead] if lead is not None else None,
                            **_responsible_from_data(activity, institutions),
                            indicators=[
                                IndicatorRow(
                                    line=int(indicator["line"]),
                                    name=str(indicator["name"]),
                                    unit=str(indicator["unit"]),
                                    baseline=_decimal_from_data(indicator["baseline"]),
                                    target=_decimal_from_data(indicator["target"]),
                                    frequency=str(indicator["frequency"]),
                                )
                                for indicator in activity["indicators"]
                            ],
                        )
                    )
                problems.append(row)
        except (KeyError, TypeError, ValueError, InvalidOperation) as error:
            raise ValueError("stale import data") from error
        return cls(problems=problems)


def _responsible_data(item: Responsible) -> dict:
    deadline = item.deadline
    return {
        "institutions": [i.pk for i in item.institutions],
        "actors": list(item.actors),
        "deadline": None
        if deadline is None
        else {
            "kind": deadline.kind,
            "day": deadline.day.isoformat() if deadline.day else None,
            "period": deadline.period,
            "every_months": deadline.every_months,
        },
    }


def _responsible_from_data(data: dict, institutions: dict) -> dict:
    deadline = data["deadline"]
    return {
        "institutions": [institutions[pk] for pk in data["institutions"]],
        "actors": [str(name) for name in data["actors"]],
        "deadline": None
        if deadline is None
        else Deadline(
            kind=deadline["kind"],
            day=date.fromisoformat(deadline["day"]) if deadline["day"] else None,
            period=deadline["period"],
            every_months=deadline["every_months"],
        ),
    }


def _decimal_data(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal_from_data(value) -> Decimal | None:
    return None if value is None else Decimal(value)
