"""The columns of plan.csv. The file is for people: its first line names each column in the
active language (Albanian by default), as the plan's page does, and its cells hold the same text
(priorities, deadlines, funding sources by name). ``CSV_COLUMNS`` keeps each column's code, in
order: the keys plan.json and the API use for the same values."""

from django.utils.translation import pgettext_lazy

_CONTEXT = "plan CSV column"

CSV_HEADERS = {
    "council": pgettext_lazy(_CONTEXT, "Council"),
    "year": pgettext_lazy(_CONTEXT, "Year"),
    "version": pgettext_lazy(_CONTEXT, "Version"),
    "problem_id": pgettext_lazy(_CONTEXT, "Problem identifier"),
    "problem_number": pgettext_lazy(_CONTEXT, "Problem number"),
    "problem": pgettext_lazy(_CONTEXT, "Problem"),
    "description": pgettext_lazy(_CONTEXT, "Description"),
    "statistics": pgettext_lazy(_CONTEXT, "Statistics"),
    "statistics_source": pgettext_lazy(_CONTEXT, "Source of the statistics"),
    "provenance": pgettext_lazy(_CONTEXT, "Provenance"),
    "priority": pgettext_lazy(_CONTEXT, "Priority"),
    "activity_id": pgettext_lazy(_CONTEXT, "Activity identifier"),
    "activity_number": pgettext_lazy(_CONTEXT, "Activity number"),
    "activity": pgettext_lazy(_CONTEXT, "Activity"),
    "lead_institution": pgettext_lazy(_CONTEXT, "Lead institution"),
    "partner_institutions": pgettext_lazy(_CONTEXT, "Partner institutions"),
    "deadline": pgettext_lazy(_CONTEXT, "Deadline"),
    "indicators": pgettext_lazy(_CONTEXT, "Indicators"),
    "decision": pgettext_lazy(_CONTEXT, "Decision"),
    "decision_meeting_url": pgettext_lazy(_CONTEXT, "Address of the deciding meeting"),
    "plan_title": pgettext_lazy(_CONTEXT, "Title of the plan"),
    "responsible": pgettext_lazy(_CONTEXT, "Responsible"),
    "other_actors": pgettext_lazy(_CONTEXT, "Other actors"),
    "row_responsible": pgettext_lazy(_CONTEXT, "Responsible for the row"),
    "row_deadline": pgettext_lazy(_CONTEXT, "Deadline of the row"),
    "row_groups": pgettext_lazy(_CONTEXT, "Groups served by the row"),
    "activity_groups": pgettext_lazy(_CONTEXT, "Groups served by the activity"),
    "estimated_cost": pgettext_lazy(_CONTEXT, "Estimated cost (lek)"),
    "funding_source": pgettext_lazy(_CONTEXT, "Funding source"),
    "funder": pgettext_lazy(_CONTEXT, "Funder"),
    "unit": pgettext_lazy(_CONTEXT, "Administrative unit"),
}

CSV_COLUMNS = list(CSV_HEADERS)


def csv_header() -> list[str]:
    """The first line of plan.csv: each column's name in the active language."""
    return [str(CSV_HEADERS[code]) for code in CSV_COLUMNS]
