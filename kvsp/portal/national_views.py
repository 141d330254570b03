"""The national roll-up (public, and the national observer's): /national/ with every section for a
year (or every year) and a county, a drill-down to the councils behind each number
(?section=&key=&column=), each section's CSV and the whole as JSON.

The figures come from monitoring.rollup.figures: a fixed number of queries whatever the data's
size, kept in the public cache until something public changes; an anonymous visitor's page is kept
whole, as the compliance overview's is.
"""

import csv
import hashlib
import json
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from councils.models import County
from kvsp.core import public_cache
from kvsp.core.exports import safe_cell
from monitoring import rollup
from monitoring.compliance_data import CACHE_SECONDS, FIRST_YEAR, today

from . import national_tables as tables

PAGE_REVISION = "2"  # bump when the page changes: cached pages are then unused
NO_NUMBER = "?"  # the section of a drill-down address that names no number


def _chosen(request, as_of) -> dict:
    """The page's parameters, normalised: what is not one of them is dropped (a random query
    string falls back to the plain page and its cache entry)."""
    get = request.GET
    county = (get.get("county") or "")[:100]
    if county and not County.objects.filter(slug=county).exists():
        county = ""  # an unknown county: every county (and no cache entry of its own)
    return {
        "year": rollup.chosen_year(get.get("year"), as_of),
        "county": county,
        "section": get.get("section", "") if get.get("section") in rollup.SECTIONS else "",
        "key": (get.get("key") or "")[:60],
        "column": (get.get("column") or "")[:30],
    }


def _figures(chosen: dict, as_of):
    return rollup.figures(chosen["year"], chosen["county"], as_of)


def _drill(chosen: dict, data: dict) -> dict | None:
    """The drill-down asked for; an address that names no number drops its key and column from
    ``chosen`` (they then share one cached page, whatever was typed)."""
    if not chosen["section"]:
        return None
    drill = tables.drill_table(data, chosen["section"], chosen["key"], chosen["column"])
    if drill is None:
        chosen.update(section=NO_NUMBER, key="", column="")
    return drill


@require_safe
def national(request):
    """/national/: the roll-up. Anonymous visitors (nearly all) get the page from the cache."""
    as_of = today()
    chosen = _chosen(request, as_of)
    data = _figures(chosen, as_of)
    drill = _drill(chosen, data)
    alike = not request.user.is_authenticated and "messages" not in request.COOKIES
    key = None
    if alike:
        query = hashlib.sha256(json.dumps(chosen, sort_keys=True).encode()).hexdigest()[:32]
        key = public_cache.key("national-page", PAGE_REVISION, as_of.isoformat(), get_language(), query)
    body = public_cache.get(key)
    if body is not None:
        return HttpResponse(body)
    response = _page(request, chosen, data, drill, as_of)
    public_cache.put(key, response.content, CACHE_SECONDS)
    return response


def _page(request, chosen: dict, data: dict, drill: dict | None, as_of):
    sections = [tables.section_table(data, code) for code in rollup.SECTIONS]
    context = {
        "year": data["year"],
        "all_years": data["year"] == rollup.ALL_YEARS,
        "years": list(range(as_of.year, FIRST_YEAR - 1, -1)),
        "as_of": as_of,
        "counties": data["counties"],
        "county": next((item for item in data["counties"] if item["slug"] == data["county"]), None),
        "council_count": len(data["councils"]),
        "sections": sections,
        "empty": all(section["empty"] for section in sections),
        "drill": drill,
        "drill_asked": bool(chosen["section"]),
        "filters": tables.filters(data),
        "query": urlencode(tables.filters(data)),
    }
    return render(request, "portal/national.html", context)


@require_safe
def national_csv(request, section: str):
    """/national/<section>.csv: one section's lines and total. For people: the column names and
    the lines' labels in the page's language (Albanian by default), as plan.csv and concerns.csv;
    the JSON keeps the codes."""
    if section not in rollup.SECTIONS:
        raise Http404
    as_of = today()
    chosen = _chosen(request, as_of)
    data = _figures(chosen, as_of)
    table = tables.section_table(data, section)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kombetare-{section}-{data["year"]}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read the letters ë and ç
    writer = csv.writer(response)
    writer.writerow(
        [safe_cell(table["line_heading"]), *(safe_cell(label) for _code, label in table["columns"])]
    )
    for line in table["lines"]:
        writer.writerow([safe_cell(line["label"]), *(safe_cell(cell["value"]) for cell in line["cells"])])
    writer.writerow([safe_cell(_("Total")), *(safe_cell(cell["value"]) for cell in table["total"])])
    return response


@require_safe
def national_json(request):
    """/national/national.json: every section with codes, totals and each council's numbers."""
    as_of = today()
    data = _figures(_chosen(request, as_of), as_of)
    body = json.dumps(tables.as_json(data), ensure_ascii=False, indent=1)
    return HttpResponse(body, content_type="application/json; charset=utf-8")
