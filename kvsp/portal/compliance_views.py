"""The national overview of compliance (public, and the national observer's): /compliance/ with
every council's record for a year, sortable and filterable by county and by check, with its score
and its trend; the county view; the CSV beside it; and the public methodology page.

The records come from monitoring.compliance_data.national_records: a fixed number of queries for
61 councils and three years, kept in the cache until something they read changes.
"""

import csv
import hashlib

import rules
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from councils import completeness
from councils.models import Council
from kvsp.core import public_cache
from kvsp.core.exports import safe_cell
from monitoring import compliance, compliance_data

from . import compliance_tables as tables

PAGE_REVISION = (
    "3"  # bump when the overview changes (2: done late; 3: who fails what): cached pages are then unused
)


def _page_key(request, as_of) -> str | None:
    """The cache key of the page an anonymous visitor gets (the same for all of them): the public
    generation (kvsp/core/public_cache.py), the day, the language and the query. None when the
    cache does not answer (no cache)."""
    query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:32]
    return public_cache.key("compliance-page", PAGE_REVISION, as_of.isoformat(), get_language(), query)


@require_safe
def overview(request):
    """/compliance/: every council's record for a year; ?county=, ?state= (with ?check=, or any
    check), ?sort=, ?all=1 (the councils not yet established too, folded into one line otherwise).
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
    public_cache.put(key, response.content, compliance_data.CACHE_SECONDS)
    return response


def _query(request, **changes) -> str:
    """The overview's query with ``changes`` (a value of None drops the parameter)."""
    query = request.GET.copy()
    for name, value in changes.items():
        query.pop(name, None)
        if value is not None:
            query[name] = value
    return query.urlencode()


def _overview(request, as_of):
    year = compliance_data.chosen_year(request.GET.get("year"), as_of)
    councils, records, first_year = compliance_data.national_records(year, as_of)
    # What each council lacks under art. 4 today: two queries for every council.
    gaps = completeness.for_councils([council.council_id for council in councils])
    every = tables.council_lines(councils, records, year, gaps)
    county = request.GET.get("county", "")
    check = request.GET.get("check", "")
    state = request.GET.get("state", "")
    show_all = request.GET.get("all") == "1"
    sort = request.GET.get("sort", "name")
    sort = sort if sort in tables.SORTS else "name"
    lines, folded = tables.folded(tables.filtered(every, county, check, state), show_all)
    lines = tables.sorted_lines(lines, sort)
    in_county = tables.filtered(every, county, "", "")
    counties = tables.county_sums(every)
    user = request.user
    context = {
        "year": year,
        "as_of": as_of,
        "years": list(range(as_of.year, first_year - 1, -1)),
        "trend_years": list(compliance_data.year_range(year)),
        "lines": lines,
        "total": len(every),
        # Councils not yet established, folded into one line unless ?all=1; the switch's queries.
        "show_all": show_all,
        "folded": folded,
        "show_all_query": _query(request, all="1"),
        "fold_query": _query(request, all=None),
        # "Who fails what" in one link: the councils (of the county chosen) with any check not met.
        "failing": len(
            tables.folded(tables.filtered(in_county, "", "", compliance.State.NOT_MET), show_all)[0]
        ),
        "failing_query": _query(request, check=None, state=compliance.State.NOT_MET.value),
        "incomplete": sum(line.incomplete for line in in_county),
        "counties": counties,
        "county": next((c for c in counties if c["slug"] == county), None),
        "per_check": tables.check_sums(tables.filtered(every, county, "", "")),
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
        "staff_links": rules.test_rule("councils.open_every_council", user),
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
    before), each check's state, the score and the council's comment. For people: column names,
    statuses and states are words in the active language ("nuk plotësohet"); the JSON and the API
    keep the codes ("not_met")."""
    as_of = compliance_data.today()
    year = compliance_data.chosen_year(request.GET.get("year"), as_of)
    councils, records, _first = compliance_data.national_records(year, as_of)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="perputhshmeria-{year}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read the Albanian letters as UTF-8
    writer = csv.writer(response)
    column = "compliance CSV column"
    header = [
        pgettext(column, "Municipality"),
        pgettext(column, "County"),
        pgettext(column, "Status"),
        pgettext(column, "Year"),
        *compliance.Code.labels,
        pgettext(column, "Score (%)"),
        pgettext(column, "Checks met"),
        pgettext(column, "Checks due"),
        pgettext(column, "Comment"),
    ]
    writer.writerow([safe_cell(name) for name in header])
    for council in sorted(councils, key=lambda c: c.name):
        for y, record in sorted(records[council.council_id].items()):
            writer.writerow(
                [
                    safe_cell(council.name),
                    safe_cell(council.county),
                    safe_cell(Council.Status(council.status).label),
                    y,
                    *[safe_cell(compliance.State(check.state).label) for check in record.checks],
                    "" if record.score is None else record.score,
                    record.met,
                    record.due,
                    safe_cell(record.comment),
                ]
            )
    return response
