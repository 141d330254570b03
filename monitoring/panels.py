"""What monitoring adds to the council's working page (councils/panels.py): the year's calendar of
what the regulation expects, and the record's checks in brief."""

from . import compliance, compliance_data


def compliance_calendar(request, council) -> dict | None:
    if not request.user.has_perm("monitoring.view_monitoring", council):
        return None
    as_of = compliance_data.today()
    year = as_of.year
    facts = compliance_data.council_facts(council, range(year, year + 1), as_of)

    return {
        "template": "monitoring/partials/_calendar_panel.html",
        "council": council,
        "year": year,
        "rows": compliance.calendar_rows(facts, year, as_of),
        "record": compliance.evaluate(facts, year, as_of),
        "month_starts": compliance.month_starts(year),
    }
