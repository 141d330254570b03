"""What a monthly report shows of the money (issue 22, item 6): the plan's estimated costs beside
the amounts spent to date, by funding source, and the activities with spending in the month.

``report_spending`` reads it (one query) into plain data for the report's content, so an approved
report keeps the figures of its month whatever is recorded later; ``spending_section`` lays that
data out for the page and the PDF, labels in the reader's language.
"""

from datetime import date

from django.utils.translation import gettext as _

from councils.models import Council
from plans.money import Costed, format_lek, latest_spent, totals
from plans.tags import FundingSource

from .models import StatusUpdate


def report_spending(council: Council, problems: list, first: date, as_of: date) -> dict:
    """The spending of the plan's activities (``problems``: rows with their activities loaded) as
    of ``as_of``: estimated and spent to date by funding source, and each activity with an amount
    reported in the month (``first`` to ``as_of``): how much it went up in the month."""
    activities = [(problem, activity) for problem in problems for activity in problem.activities.all()]
    reported = list(
        StatusUpdate.objects.filter(
            council=council,
            activity_lineage__in=[activity.lineage for _problem, activity in activities],
            spent__isnull=False,
            date__lte=as_of,
        ).values_list("activity_lineage", "date", "id", "spent")
    )
    to_date = latest_spent(reported)
    before = latest_spent(row for row in reported if row[1] < first)
    in_month = {str(row[0]) for row in reported if row[1] >= first}
    result = totals(
        (
            Costed(activity.estimated_cost, activity.funding_source, problem.priority, str(activity.lineage))
            for problem, activity in activities
        ),
        to_date,
    )
    lines = []
    for problem, activity in activities:
        lineage = str(activity.lineage)
        if lineage not in in_month:
            continue
        lines.append(
            {
                "number": f"{problem.number}.{activity.position}",
                "text": activity.text,
                "estimated": activity.estimated_cost,
                "source": activity.funding_source,
                "funder": activity.funder,
                "spent_month": to_date[lineage] - before.get(lineage, 0),
                "spent_to_date": to_date[lineage],
            }
        )
    return {
        "estimated_total": result.total,
        "spent_total": result.spent or 0,
        "by_source": [
            {"source": line.key, "estimated": line.amount, "spent": line.spent or 0}
            for line in result.by_source
        ],
        "activities": lines,
    }


def _source(code: str) -> str:
    return str(FundingSource(code).label) if code in FundingSource.values else _("source not given")


def spending_section(content: dict) -> dict | None:
    """The report's spending as the template shows it (amounts formatted, sources named), from its
    content; None when the content has none (a report frozen before spending was reported)."""
    data = content.get("spending")
    if data is None:
        return None
    return {
        "estimated_total": format_lek(data["estimated_total"]),
        "spent_total": format_lek(data["spent_total"]),
        "by_source": [
            {
                "label": _source(line["source"]),
                "estimated": format_lek(line["estimated"]),
                "spent": format_lek(line["spent"]),
            }
            for line in data["by_source"]
        ],
        "activities": [
            line
            | {
                "source_label": _source(line["source"]) if line["source"] else "",
                "estimated_text": format_lek(line["estimated"]),
                "spent_month_text": format_lek(line["spent_month"]),
                "spent_to_date_text": format_lek(line["spent_to_date"]),
            }
            for line in data["activities"]
        ],
    }
