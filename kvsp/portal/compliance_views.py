"""The national overview of compliance (public, and the national observer's): /compliance/ with
every council's record for a year, sortable and filterable by county and by check, with its score
and its trend; the county view; the CSV beside it; and the public methodology page.

The records come from monitoring.compliance_data.national_records: a fixed number of queries for
61 councils and three years, kept in the cache until something they read changes.
"""

import csv
import hashlib
from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from councils.models import Council
from kvsp.core import public_cache
from kvsp.core.exports import safe_cell
from monitoring import compliance, compliance_data
from monitoring.views_compliance import chosen_year

SORTS = ("name", "county", "score", "trend")


@dataclass
class Line:
    council: compliance.CouncilFacts
    record: compliance.Record
    trend: list  # Records, oldest first
    change: int | None  # score points since the year before

    @property
    def status_label(self) -> str:
        return Council.Status(self.council.status).label


def _lines(councils, records, year: int) -> list[Line]:
    lines = []
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
        lines.append(Line(council, now, trend, change))
    return lines


def _filtered(lines: list[Line], county: str, check: str, state: str) -> list[Line]:
    if county:
        lines = [line for line in lines if line.council.county_slug == county]
    if check in compliance.Code.values and state in compliance.State.values:
        lines = [line for line in lines if line.record.check(check).state == state]
    return lines


def _sorted(lines: list[Line], sort: str) -> list[Line]:
    if sort == "county":
        return sorted(lines, key=lambda line: (line.council.county, line.council.name))
    if sort == "score":  # best first; councils without a score last
        return sorted(
            lines, key=lambda line: (line.record.score is None, -(line.record.score or 0), line.council.name)
        )
    if sort == "trend":
        return sorted(lines, key=lambda line: (line.change is None, -(line.change or 0), line.council.name))
    return sorted(lines, key=lambda line: line.council.name)


def _counties(lines: list[Line]) -> list[dict]:
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


def _per_check(lines: list[Line]) -> list[dict]:
    """Per check: how many councils are in each state."""
    rows = []
    for code in compliance.Code:
        counts = dict.fromkeys(compliance.State.values, 0)
        for line in lines:
            counts[line.record.check(code).state] += 1
        rows.append(
            {"code": code.value, "label": code.label, "counts": [counts[s] for s in compliance.State.values]}
        )
    return rows


def summary(year: int | None = None) -> dict:
    """The portal's summary of the national overview (for ``/``)."""
    as_of = compliance_data.today()
    year = year or as_of.year
    councils, records, _first = compliance_data.national_records(year, as_of)
    lines = _lines(councils, records, year)
    scored = [line.record.score for line in lines if line.record.score is not None]
    return {
        "year": year,
        "councils": len(lines),
        "established": sum(line.council.status != Council.Status.NOT_ESTABLISHED for line in lines),
        "scored": len(scored),
        "average": round(sum(scored) / len(scored)) if scored else None,
        "scores": {line.council.council_id: line.record.score for line in lines},
    }


PAGE_REVISION = "1"  # bump when the overview's template changes: cached pages are then unused


def _page_key(request, as_of) -> str | None:
    """The cache key of the page an anonymous visitor gets (the same for all of them): the public
    generation (kvsp/core/public_cache.py), the day, the language and the query. None when the
    cache does not answer (no cache)."""
    query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:32]
    return public_cache.key("compliance-page", PAGE_REVISION, as_of.isoformat(), get_language(), query)


@require_safe
def overview(request):
    """/compliance/: every council's record for a year; ?county=, ?check= with ?state=, ?sort=.
    Anonymous visitors (nearly all) get the page from the cache until a fact changes: without
    reading the records again or rendering 61 rows × 8 checks (bench/compliance.py)."""
    as_of = compliance_data.today()
    # Only the page every anonymous visitor gets alike: not with a message waiting to be shown.
    alike = not request.user.is_authenticated and "messages" not in request.COOKIES
    key = _page_key(request, as_of) if alike else None
    body = public_cache.get(key)
    if body is not None:
        return HttpResponse(body)
    response = _overview(request, as_of)
    public_cache.set(key, response.content, compliance_data.CACHE_SECONDS)
    return response


def _overview(request, as_of):
    year = chosen_year(request.GET.get("year"), as_of)
    councils, records, first_year = compliance_data.national_records(year, as_of)
    every = _lines(councils, records, year)
    county = request.GET.get("county", "")
    check = request.GET.get("check", "")
    state = request.GET.get("state", "")
    sort = request.GET.get("sort", "name")
    sort = sort if sort in SORTS else "name"
    lines = _sorted(_filtered(every, county, check, state), sort)
    counties = _counties(every)
    user = request.user
    context = {
        "year": year,
        "as_of": as_of,
        "years": list(range(as_of.year, first_year - 1, -1)),
        "trend_years": list(compliance_data.year_range(year)),
        "lines": lines,
        "total": len(every),
        "counties": counties,
        "county": next((c for c in counties if c["slug"] == county), None),
        "per_check": _per_check(_filtered(every, county, "", "")),
        "codes": compliance.Code.choices,
        "states": compliance.State.choices,
        "check": check if check in compliance.Code.values else "",
        "state": state if state in compliance.State.values else "",
        "sort": sort,
        "sorts": [
            ("name", _("municipality")),
            ("county", _("county")),
            ("score", _("score")),
            ("trend", _("change since the year before")),
        ],
        # The national observer and the platform admin open each council's working record.
        "staff_links": user.is_authenticated and (user.is_national_observer or user.is_superuser),
    }
    return render(request, "portal/compliance_overview.html", context)


@require_safe
def methodology(request):
    """/compliance/methodology/: each check and the score, in plain words."""
    return render(
        request,
        "portal/compliance_methodology.html",
        {
            "attendance": compliance.ATTENDANCE_MIN_RATE,
            "overdue": compliance.OVERDUE_MAX_SHARE,
            "concerns": compliance.CONCERNS_MIN_SHARE,
            "concern_days": compliance.CONCERN_ANSWER_DAYS,
            "plan_days": compliance.PLAN_DUE_AFTER_FOUNDING_DAYS,
            "gap_days": compliance.CONSULTATION_GAP_GRACE_DAYS,
        },
    )


@require_safe
def overview_csv(request):
    """/compliance/compliance.csv: one line per council and year (the chosen year and the two
    before), each check's state, the score and the council's comment."""
    as_of = compliance_data.today()
    year = chosen_year(request.GET.get("year"), as_of)
    councils, records, _first = compliance_data.national_records(year, as_of)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="perputhshmeria-{year}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read the Albanian letters as UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            "bashkia",
            "qarku",
            "statusi",
            "viti",
            *compliance.Code.values,
            "pikët",
            "plotësuar",
            "të_detyruara",
            "komenti",
        ]
    )
    for council in sorted(councils, key=lambda c: c.name):
        for y, record in sorted(records[council.council_id].items()):
            writer.writerow(
                [
                    safe_cell(council.name),
                    safe_cell(council.county),
                    council.status,
                    y,
                    *[check.state for check in record.checks],
                    "" if record.score is None else record.score,
                    record.met,
                    record.due,
                    safe_cell(record.comment),
                ]
            )
    return response
