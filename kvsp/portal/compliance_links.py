"""Links from a compliance record's evidence to the public pages. The public gets what is public
(council meetings not restricted, the published plan, published reports, announced consultations)
and nothing of the rest — not even the dates of SKN meetings, which are not public (DESIGN.md
"Visibility"); the check's state and figures say enough. Built here, in the portal, because
monitoring sits below it and names none of its addresses."""

from django.urls import reverse

from monitoring.compliance_links import record_rows


def public_url(slug: str, item) -> str | None:
    """The public page of one piece of evidence, or None when it has none."""
    if not item.public:
        return None
    if item.kind == "meeting":
        return reverse("portal:meeting", args=[slug, item.pk])
    if item.kind == "consultation":
        return reverse("portal:consultation", args=[slug, item.pk])
    if item.kind == "plan":
        return reverse("portal:plan-version", args=[slug, item.year, item.number])
    if item.kind == "report":
        return reverse("portal:report", args=[slug, item.year, item.month])
    return None


def public_record_rows(record, slug: str) -> list[dict]:
    """Each check of a record with its public evidence as links to the public pages."""
    return record_rows(record, slug, url=public_url, public_only=True)
