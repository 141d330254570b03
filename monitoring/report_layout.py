"""The shape of a monthly report: which sections it holds, in which order, under which headings.

The standard template is the report as the product always laid it out; a council's approved
template (``ReportTemplate``) replaces it for the reports opened after its approval. A report's
content carries the template it was written on (``content["template"]``: its id, version number and
sections), so an approved report is laid out from its own frozen content, whatever the council's
template has become since. Content frozen before councils had templates has none: the standard one.
"""

from django.utils.translation import gettext_lazy as _

from .models import ReportSection, ReportTemplate

STANDARD: list[dict] = [{"kind": kind.value, "heading": ""} for kind in ReportSection]

# The SKN's own words; every other section is an automatic table of the month's data.
NARRATIVE = (ReportSection.SUMMARY, ReportSection.DIFFICULTIES, ReportSection.PROPOSALS)

# The page anchors the standard template has always had (links and tests reach them).
ANCHORS = {
    ReportSection.OVERVIEW: "report-overview",
    ReportSection.SUMMARY: "report-summary",
    ReportSection.DONE: "report-done",
    ReportSection.IN_PROGRESS: "report-progress",
    ReportSection.DELAYED: "report-delayed",
    ReportSection.OVERDUE: "report-overdue",
    ReportSection.NOT_UPDATED: "report-silent",
    ReportSection.INDICATORS: "report-indicators",
    ReportSection.SPENDING: "report-spending",
    ReportSection.DIFFICULTIES: "report-difficulties",
    ReportSection.PROPOSALS: "report-proposals",
}

DESCRIPTIONS = {
    ReportSection.OVERVIEW: _("Automatic: the counts of the plan's activities by status."),
    ReportSection.SUMMARY: _("The SKN's text: the main results and the state of the plan."),
    ReportSection.DONE: _("Automatic table: the activities completed this month."),
    ReportSection.IN_PROGRESS: _("Automatic table: the activities in progress."),
    ReportSection.DELAYED: _("Automatic table: the delayed activities."),
    ReportSection.OVERDUE: _("Automatic table: the activities whose deadline passed."),
    ReportSection.NOT_UPDATED: _("Automatic table: the open activities without an update this month."),
    ReportSection.INDICATORS: _("Automatic table: the indicator values of periods ending this month."),
    ReportSection.SPENDING: _(
        "Automatic table: the estimated cost and the amount spent to date by funding source, and the "
        "activities with spending this month."
    ),
    ReportSection.DIFFICULTIES: _("The SKN's text: the difficulties met."),
    ReportSection.PROPOSALS: _("The SKN's text: measures to propose, changes to the plan."),
}


def snapshot(template: ReportTemplate | None) -> dict | None:
    """What a report keeps of its template (None: the standard one)."""
    if template is None:
        return None
    return {"id": template.pk, "number": template.number, "sections": list(template.sections)}


def sections_of(content: dict) -> list[dict]:
    """The stored sections of a report's template (the standard ones without a template)."""
    template = content.get("template")
    return list(template["sections"]) if template else STANDARD


def layout(content: dict) -> list[dict]:
    """The report's sections in order: kind, heading (the council's, else the standard one in the
    reader's language) and the page anchor. Spending shows only where the content holds it (not in
    a report frozen before spending was reported, nor without a plan: it stays as it was)."""
    labels = dict(ReportSection.choices)
    return [
        {
            "kind": section["kind"],
            "heading": section["heading"] or labels[section["kind"]],
            "anchor": ANCHORS[section["kind"]],
        }
        for section in sections_of(content)
        if section["kind"] in labels and (section["kind"] != ReportSection.SPENDING or "spending" in content)
    ]


def narrative_kinds(content: dict) -> list[str]:
    """The narrative sections the report's template holds, in its order."""
    return [section["kind"] for section in sections_of(content) if section["kind"] in NARRATIVE]


def in_force(council) -> ReportTemplate | None:
    """The council's newest approved template version (None: the standard template applies)."""
    return ReportTemplate.objects.approved().filter(council=council).order_by("-number").first()
