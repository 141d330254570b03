"""What monitoring adds to the council's working page (councils/panels.py): the year's calendar of
what the regulation expects, and the record's checks in brief."""

from django.utils import translation

from kvsp.core import public_cache

from . import compliance, compliance_data


def compliance_calendar(request, council) -> dict | None:
    if not request.user.has_perm("monitoring.view_monitoring", council):
        return None
    as_of = compliance_data.today()
    year = as_of.year
    # The same for every reader of the council: kept under the public generation, per day and
    # language (the cells' notes are translated when computed).
    key = public_cache.key(
        "compliance-panel",
        compliance_data.CACHE_REVISION,
        council.pk,
        as_of.isoformat(),
        translation.get_language(),
    )
    found = public_cache.get(key)
    if found is None:
        facts = compliance_data.council_facts(council, range(year, year + 1), as_of)
        found = (compliance.calendar_rows(facts, year, as_of), compliance.evaluate(facts, year, as_of))
        public_cache.put(key, found, compliance_data.CACHE_SECONDS)
    rows, record = found

    return {
        "template": "monitoring/partials/_calendar_panel.html",
        "council": council,
        "year": year,
        "rows": rows,
        "record": record,
        "month_starts": compliance.month_starts(year),
    }
