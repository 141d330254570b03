"""The national overview of compliance as tables: one line per council (its record for a year, the
trend, the change since the year before), filtered and sorted as the overview's query asks, and the
sums per county and per check; the portal's summary of it for the home page. Pure: from the
records that monitoring.compliance_data.national_records reads."""

from dataclasses import dataclass

from councils.completeness import Completeness
from councils.models import Council
from monitoring import compliance, compliance_data

SORTS = ("name", "county", "score", "trend")


@dataclass
class Line:
    council: compliance.CouncilFacts
    record: compliance.Record
    trend: list  # Records, oldest first
    change: int | None  # score points since the year before
    # What the council lacks under art. 4 (councils/completeness.py); None when not read.
    completeness: Completeness | None = None

    @property
    def status_label(self) -> str:
        return Council.Status(self.council.status).label

    @property
    def established(self) -> bool:
        return self.council.status != Council.Status.NOT_ESTABLISHED

    @property
    def foldable(self) -> bool:
        """Not yet established and nothing measured this year: one of the councils the overview
        folds into one line. One not established that recorded something stays in sight."""
        return not self.established and self.record.due == 0

    def _in(self, state: str) -> list[compliance.Check]:
        return [check for check in self.record.checks if check.state == state]

    @property
    def not_met(self) -> list[compliance.Check]:
        """The checks the council fails this year, by name on its line."""
        return self._in(compliance.State.NOT_MET)

    @property
    def late(self) -> list[compliance.Check]:
        return self._in(compliance.State.LATE)

    @property
    def incomplete(self) -> bool:
        """An established council whose composition lacks something (a council not yet
        established lacks everything: not a warning)."""
        return self.established and self.completeness is not None and not self.completeness.complete


def council_lines(councils, records, year: int, completeness: dict | None = None) -> list[Line]:
    """One line per council; ``completeness`` ({council id: Completeness}) when the page shows it."""
    lines = []
    completeness = completeness or {}
    for council in councils:
        by_year = records[council.council_id]
        trend = [by_year[y] for y in sorted(by_year)]
        before = by_year.get(year - 1)
        now = by_year[year]
        change = (
            now.score - before.score
            if before and now.score is not None and before.score is not None
            else None
        )
        lines.append(Line(council, now, trend, change, completeness.get(council.council_id)))
    return lines


def filtered(lines: list[Line], county: str, check: str, state: str) -> list[Line]:
    """The lines of ``county`` (all when empty) whose ``check`` is in ``state``; with no check
    chosen (or one that is none of ours), those with any check in ``state`` ("any check not met").
    No state: every line."""
    if county:
        lines = [line for line in lines if line.council.county_slug == county]
    if state not in compliance.State.values:
        return lines
    if check in compliance.Code.values:
        return [line for line in lines if line.record.check(check).state == state]
    return [line for line in lines if any(item.state == state for item in line.record.checks)]


def folded(lines: list[Line], show_all: bool) -> tuple[list[Line], int]:
    """The lines to show and how many councils not yet established (with nothing measured) are
    folded into one line: all of them, unless ``show_all``."""
    if show_all:
        return lines, 0
    shown = [line for line in lines if not line.foldable]
    return shown, len(lines) - len(shown)


def sorted_lines(lines: list[Line], sort: str) -> list[Line]:
    if sort == "county":
        return sorted(lines, key=lambda line: (line.council.county, line.council.name))
    if sort == "score":  # best first; councils without a score last
        return sorted(
            lines, key=lambda line: (line.record.score is None, -(line.record.score or 0), line.council.name)
        )
    if sort == "trend":
        return sorted(lines, key=lambda line: (line.change is None, -(line.change or 0), line.council.name))
    return sorted(lines, key=lambda line: line.council.name)


def county_sums(lines: list[Line]) -> list[dict]:
    """Per county: its councils, how many are established, and their average score."""
    counties: dict[str, dict] = {}
    for line in lines:
        county = counties.setdefault(
            line.council.county_slug,
            {
                "name": line.council.county,
                "slug": line.council.county_slug,
                "councils": 0,
                "established": 0,
                "scores": [],
            },
        )
        county["councils"] += 1
        county["established"] += line.council.status != Council.Status.NOT_ESTABLISHED
        if line.record.score is not None:
            county["scores"].append(line.record.score)
    for county in counties.values():
        scores = county.pop("scores")
        county["score"] = round(sum(scores) / len(scores)) if scores else None
        county["scored"] = len(scores)
    return sorted(counties.values(), key=lambda county: county["name"])


def check_sums(lines: list[Line]) -> list[dict]:
    """Per check: how many councils are in each state."""
    rows = []
    for code in compliance.Code:
        counts = dict.fromkeys(compliance.State.values, 0)
        for line in lines:
            counts[line.record.check(code).state] += 1
        ordered = [counts[s] for s in compliance.State.values]
        rows.append(
            {
                "code": code.value,
                "label": code.label,
                "counts": ordered,
                # (state's label, count): the cells, labelled for the phone's card layout.
                "cells": list(zip(compliance.State.labels, ordered, strict=True)),
            }
        )
    return rows


def summary(year: int | None = None) -> dict:
    """The portal's summary of the national overview (for ``/``)."""
    as_of = compliance_data.today()
    year = year or as_of.year
    councils, records, _first = compliance_data.national_records(year, as_of)
    lines = council_lines(councils, records, year)
    scored = [line.record.score for line in lines if line.record.score is not None]
    return {
        "year": year,
        "councils": len(lines),
        "established": sum(line.council.status != Council.Status.NOT_ESTABLISHED for line in lines),
        "scored": len(scored),
        "average": round(sum(scored) / len(scored)) if scored else None,
        "scores": {line.council.council_id: line.record.score for line in lines},
    }
