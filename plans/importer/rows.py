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
class ActivityRow:
    line: int
    text: str
    lead: Institution | None = None
    partners: list[Institution] = field(default_factory=list)
    deadline: Deadline | None = None
    lead_text: str = ""
    partners_text: str = ""
    deadline_raw: str = ""
    indicators: list[IndicatorRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def deadline_display(self) -> str:
        return str(self.deadline) if self.deadline else self.deadline_raw


@dataclass
class ProblemRow:
    line: int
    number: str
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
                    "line": problem.line,
                    "activities": [
                        {
                            "line": activity.line,
                            "text": activity.text,
                            "lead": activity.lead.pk,
                            "partners": [p.pk for p in activity.partners],
                            "deadline": {
                                "kind": activity.deadline.kind,
                                "day": activity.deadline.day.isoformat() if activity.deadline.day else None,
                                "period": activity.deadline.period,
                                "every_months": activity.deadline.every_months,
                            },
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
            ids = {
                pk
                for problem in data["problems"]
                for activity in problem["activities"]
                for pk in (activity["lead"], *activity["partners"])
            }
            institutions = Institution.objects.filter(seats__council=council).in_bulk(ids)
            problems = []
            for problem in data["problems"]:
                row = ProblemRow(
                    line=int(problem["line"]),
                    **{key: str(problem[key]) for key in services.PROBLEM_TEXT_FIELDS},
                )
                for activity in problem["activities"]:
                    deadline = activity["deadline"]
                    row.activities.append(
                        ActivityRow(
                            line=int(activity["line"]),
                            text=str(activity["text"]),
                            lead=institutions[activity["lead"]],
                            partners=[institutions[pk] for pk in activity["partners"]],
                            deadline=Deadline(
                                kind=deadline["kind"],
                                day=date.fromisoformat(deadline["day"]) if deadline["day"] else None,
                                period=deadline["period"],
                                every_months=deadline["every_months"],
                            ),
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


def _decimal_data(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal_from_data(value) -> Decimal | None:
    return None if value is None else Decimal(value)
