"""The columns of plan.csv. The file is for people: its first line names each column in the
active language (Albanian by default), as the plan's page does, and its cells hold the same text
(priorities, deadlines, funding sources by name). ``CSV_COLUMNS`` keeps each column's code, in
order: the keys plan.json and the API use for the same values."""

from django.utils.translation import pgettext_lazy

CSV_HEADERS = {
    "council": pgettext_lazy("plan CSV column", "Council"),
    "year": pgettext_lazy("plan CSV column", "Year"),
    "version": pgettext_lazy("plan CSV column", "Version"),
    "problem_id": pgettext_lazy("plan CSV column", "Problem identifier"),
    "problem_number": pgettext_lazy("plan CSV column", "Problem number"),
    "problem": pgettext_lazy("plan CSV column", "Problem"),
    "description": pgettext_lazy("plan CSV column", "Description"),
    "statistics": pgettext_lazy("plan CSV column", "Statistics"),
    "statistics_source": pgettext_lazy("plan CSV column", "Source of the statistics"),
    "provenance": pgettext_lazy("plan CSV column", "Provenance"),
    "priority": pgettext_lazy("plan CSV column", "Priority"),
    "activity_id": pgettext_lazy("plan CSV column", "Activity identifier"),
    "activity_number": pgettext_lazy("plan CSV column", "Activity number"),
    "activity": pgettext_lazy("plan CSV column", "Activity"),
    "lead_institution": pgettext_lazy("plan CSV column", "Lead institution"),
    "partner_institutions": pgettext_lazy("plan CSV column", "Partner institutions"),
    "deadline": pgettext_lazy("plan CSV column", "Deadline"),
    "indicators": pgettext_lazy("plan CSV column", "Indicators"),
    "decision": pgettext_lazy("plan CSV column", "Decision"),
    "decision_meeting_url": pgettext_lazy("plan CSV column", "Address of the deciding meeting"),
    "plan_title": pgettext_lazy("plan CSV column", "Title of the plan"),
    "responsible": pgettext_lazy("plan CSV column", "Responsible"),
    "other_actors": pgettext_lazy("plan CSV column", "Other actors"),
    "row_responsible": pgettext_lazy("plan CSV column", "Responsible for the row"),
    "row_deadline": pgettext_lazy("plan CSV column", "Deadline of the row"),
    "row_groups": pgettext_lazy("plan CSV column", "Groups served by the row"),
    "activity_groups": pgettext_lazy("plan CSV column", "Groups served by the activity"),
    "estimated_cost": pgettext_lazy("plan CSV column", "Estimated cost (lek)"),
    "funding_source": pgettext_lazy("plan CSV column", "Funding source"),
    "funder": pgettext_lazy("plan CSV column", "Funder"),
    "unit": pgettext_lazy("plan CSV column", "Administrative unit"),
}

CSV_COLUMNS = list(CSV_HEADERS)


def csv_header() -> list[str]:
    """The first line of plan.csv: each column's name in the active language."""
    return [str(CSV_HEADERS[code]) for code in CSV_COLUMNS]
