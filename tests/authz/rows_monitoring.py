"""Authorization rows of monitoring: the staff pages (monitoring/urls.py) and the public reports and
consultation progress (kvsp/portal/urls.py), written by hand from monitoring/rules.py and DESIGN.md
("Visibility", "Roles", "Workflows").

The matrix's monitoring (matrix_ctx.py, _monitoring), in each council, of its approved plan v1:
{lineage} is its activity's lineage and {indicator_lineage} its indicator's; {update} is a status
update of that activity with a PDF as evidence. Monthly reports of {year}: {draft_report} (its
summary written), {submitted_report}, {approved_report} (not published, no signed copy) and
{published_report} (with its signed copy); the current month has no report. Every POST that can
succeed carries valid data, so success is a redirect (302). A step on a report in the wrong state
is refused with a message, back to the report (302), and changes nothing. Who may:
- read the dashboard, timelines, indicator values and approved reports (monitoring.view_monitoring):
  the council's people but an invited guest, the national observer and the platform admin;
- read draft or submitted reports and evidence files (monitoring.view_internal): the same but the
  national observer, who gets 403 (they exist; they stay with the council);
- record a status update or an indicator value (monitoring.update_activity): the SKN and the
  platform admin; Elbasan does not let members update their institution's activities;
- start, write and submit a report (monitoring.edit_report): the SKN, the technical secretary, the
  platform admin;
- return, approve and publish a report (the rule monitoring.approve_report): the chair alone, not
  even the platform admin;
- attach the signed copy of an approved report: whoever may edit reports, and the chair.
Published reports, their PDFs and signed copies, and a consultation's progress are public.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.authz.matrix_lib import (
    READ,
    READ_POST,
    Row,
    case,
    council_form_row,
    council_row,
    roles,
    same,
)

BASE = "monitoring/"
DRAFT = BASE + "reports/{draft_report}/"
SUBMITTED = BASE + "reports/{submitted_report}/"
APPROVED = BASE + "reports/{approved_report}/"
PUBLISHED = BASE + "reports/{published_report}/"

# Unapproved reports and evidence: the council's people (not a guest) and the platform admin; the
# observer is refused (403). A POST to these read-only pages is no method of them (405).
INTERNAL = roles(
    anonymous=302, user=404, member=200, guest=403, skn=200, secretary=200, chair=200, observer=403, admin=200
)
INTERNAL_POST = roles(
    anonymous=302, user=404, member=405, guest=403, skn=405, secretary=405, chair=405, observer=403, admin=405
)
# Recording a status update or an indicator value: the SKN (and the platform admin); it saves and
# goes back to the page (302).
UPDATE_DONE = roles(
    anonymous=302, user=404, member=403, guest=403, skn=302, secretary=403, chair=403, observer=403, admin=302
)
# Writing reports: the SKN, the technical secretary, the platform admin.
EDIT_FORM = roles(
    anonymous=302, user=404, member=403, guest=403, skn=200, secretary=200, chair=403, observer=403, admin=200
)
EDIT_DONE = roles(
    anonymous=302, user=404, member=403, guest=403, skn=302, secretary=302, chair=403, observer=403, admin=302
)
EDIT_NO_GET = roles(
    anonymous=302, user=404, member=403, guest=403, skn=405, secretary=405, chair=403, observer=403, admin=405
)
# The chair's decisions: the chair alone (the platform admin too is refused).
CHAIR_FORM = roles(
    anonymous=302, user=404, member=403, guest=403, skn=403, secretary=403, chair=200, observer=403, admin=403
)
CHAIR_DONE = roles(
    anonymous=302, user=404, member=403, guest=403, skn=403, secretary=403, chair=302, observer=403, admin=403
)
CHAIR_NO_GET = roles(
    anonymous=302, user=404, member=403, guest=403, skn=403, secretary=403, chair=405, observer=403, admin=403
)
# The signed copy: the report's editors and the chair.
SCAN_FORM = roles(
    anonymous=302, user=404, member=403, guest=403, skn=200, secretary=200, chair=200, observer=403, admin=200
)
SCAN_DONE = roles(
    anonymous=302, user=404, member=403, guest=403, skn=302, secretary=302, chair=302, observer=403, admin=302
)
NO_PDF = roles(
    anonymous=302, user=404, member=404, guest=403, skn=404, secretary=404, chair=404, observer=403, admin=404
)


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 raporti i nenshkruar dhe vulosur", "application/pdf")


def _update(pages) -> dict:
    """A status update of the activity, made on the newest one there is ({update})."""
    return {
        "status": "in_progress",
        "progress": "60",
        "date": pages.fill("{year}-03-01"),
        "note": "Edhe dy orë.",
        "seen": str(pages.update),
    }


def _value(pages) -> dict:
    """The first quarter's value of the (quarterly) indicator."""
    return {"period": pages.fill("{year}-Q1"), "value": "4", "note": ""}


def _start(pages) -> dict:
    """The report of the current month (the form offers the last twelve months)."""
    today = timezone.localdate()
    return {"month": f"{today.year}-{today.month:02d}"}


def _narrative(pages) -> dict:
    return {"summary": "Përmbledhja e re.", "difficulties": "Asnjë.", "proposals": ""}


def _comment(pages) -> dict:
    return {"comment": "Plotësoni të dhënat e treguesve."}


def _scan(pages) -> dict:
    return {"signed_scan": _pdf("raporti.pdf")}


def _template(pages) -> dict:
    """The council's report template with two sections (its draft, version 2, is rewritten)."""
    from monitoring.models import ReportSection

    data = {"summary-include": "on", "indicators-include": "on"}
    for place, kind in enumerate(ReportSection, start=1):
        data[f"{kind}-position"] = str(place)
        data[f"{kind}-heading"] = ""
    return data


def _public(page: str):
    return lambda ctx: "/elbasan/" + ctx["own"].fill(page)


ROWS: dict[str, Row] = {
    # --- staff: the board ---------------------------------------------------------------------
    "monitoring:dashboard": council_row(READ, READ_POST, BASE),
    "monitoring:activity": council_form_row(READ, UPDATE_DONE, BASE + "activities/{lineage}/", _update),
    "monitoring:indicator": council_form_row(
        READ, UPDATE_DONE, BASE + "indicators/{indicator_lineage}/", _value
    ),
    "monitoring:evidence": council_row(INTERNAL, INTERNAL_POST, BASE + "updates/{update}/evidence/"),
    # --- staff: monthly reports ---------------------------------------------------------------
    # Starting the report of a month that has none yet.
    "monitoring:reports": council_form_row(READ, EDIT_DONE, BASE + "reports/", _start),
    "monitoring:report": council_row(INTERNAL, INTERNAL_POST, DRAFT),
    case("monitoring:report", "submitted"): council_row(INTERNAL, INTERNAL_POST, SUBMITTED),
    case("monitoring:report", "approved"): council_row(READ, READ_POST, APPROVED),
    case("monitoring:report", "published"): council_row(READ, READ_POST, PUBLISHED),
    "monitoring:report-edit": council_form_row(EDIT_FORM, EDIT_DONE, DRAFT + "edit/", _narrative),
    # An approved report never changes: its editors are sent back to it.
    case("monitoring:report-edit", "approved"): council_form_row(
        EDIT_DONE, EDIT_DONE, APPROVED + "edit/", _narrative
    ),
    "monitoring:report-submit": council_row(EDIT_NO_GET, EDIT_DONE, DRAFT + "submit/"),
    # The approval page (the report as its PDF will read, "Approve" and "Return with comments"):
    # both addresses show it; each takes its own form.
    "monitoring:report-return": council_form_row(CHAIR_FORM, CHAIR_DONE, SUBMITTED + "return/", _comment),
    # The signed copy may come with the approval, or later: without it the approval is complete.
    "monitoring:report-approve": council_row(CHAIR_FORM, CHAIR_DONE, SUBMITTED + "approve/"),
    # Approved already, or never submitted (an old notice's link): the page says where the report
    # stands (200 for the chair); a form posted there changes nothing and comes back to it (302).
    case("monitoring:report-approve", "approved"): council_row(CHAIR_FORM, CHAIR_DONE, APPROVED + "approve/"),
    case("monitoring:report-approve", "draft"): council_row(CHAIR_FORM, CHAIR_DONE, DRAFT + "approve/"),
    case("monitoring:report-return", "published"): council_form_row(
        CHAIR_FORM, CHAIR_DONE, PUBLISHED + "return/", _comment
    ),
    "monitoring:report-publish": council_row(CHAIR_NO_GET, CHAIR_DONE, APPROVED + "publish/"),
    "monitoring:report-scan": council_form_row(SCAN_FORM, SCAN_DONE, APPROVED + "scan/", _scan),
    # The published report has its signed copy: it is attached once.
    case("monitoring:report-scan", "published"): council_form_row(
        SCAN_DONE, SCAN_DONE, PUBLISHED + "scan/", _scan
    ),
    "monitoring:report-pdf": council_row(READ, READ_POST, APPROVED + "report.pdf"),
    case("monitoring:report-pdf", "published"): council_row(READ, READ_POST, PUBLISHED + "report.pdf"),
    # A draft has no PDF yet (404 for those who may see it; the observer may not).
    case("monitoring:report-pdf", "draft"): council_row(NO_PDF, INTERNAL_POST, DRAFT + "report.pdf"),
    "monitoring:report-signed": council_row(READ, READ_POST, PUBLISHED + "signed.pdf"),
    # --- staff: the council's report template (version 1 approved, version 2 a draft) ----------
    # Its page: the council's people (not a guest, not the observer: a working document).
    "monitoring:template": council_row(INTERNAL, INTERNAL_POST, BASE + "template/"),
    # Drafting: the SKN, the technical secretary, the platform admin; saving rewrites the draft.
    "monitoring:template-edit": council_form_row(EDIT_FORM, EDIT_DONE, BASE + "template/edit/", _template),
    # Submitting the draft to the chair (302: done, back to the template page).
    "monitoring:template-submit": council_row(EDIT_NO_GET, EDIT_DONE, BASE + "template/submit/"),
    # The chair alone, not even the platform admin. The draft is not submitted, so the step is
    # refused with a message back on the template page (302) and changes nothing.
    "monitoring:template-approve": council_row(CHAIR_NO_GET, CHAIR_DONE, BASE + "template/approve/"),
    "monitoring:template-return": council_form_row(
        CHAIR_NO_GET, CHAIR_DONE, BASE + "template/return/", _comment
    ),
    # --- public -------------------------------------------------------------------------------
    "portal:reports": Row(same(200), same(405), "/elbasan/reports/"),
    "portal:report": Row(same(200), same(405), _public("reports/{published_report}/")),
    # Approved but not published, and a draft: not public, for anyone.
    case("portal:report", "approved"): Row(same(404), same(405), _public("reports/{approved_report}/")),
    case("portal:report", "draft"): Row(same(404), same(405), _public("reports/{draft_report}/")),
    "portal:report-pdf": Row(same(200), same(405), _public("reports/{published_report}/report.pdf")),
    case("portal:report-pdf", "approved"): Row(
        same(404), same(405), _public("reports/{approved_report}/report.pdf")
    ),
    "portal:report-signed": Row(same(200), same(405), _public("reports/{published_report}/signed.pdf")),
    # The announced consultation ({consultation}, held two days ago): its progress is public.
    "portal:consultation-progress": Row(
        same(200), same(405), _public("consultations/{consultation}/progress/")
    ),
}
