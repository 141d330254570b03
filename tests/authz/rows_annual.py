"""Authorization rows of the annual report: the staff pages (monitoring/urls.py, "annual-*") and the
public report and PDF (kvsp/portal/urls.py), written by hand from monitoring/rules.py.

The matrix's annual reports (tests/authz/annual_ctx.py), in each council: a draft of this year (not
over: submitting it is refused with a message, 302, and changes nothing), one of last year
submitted to the chair, one of the year before approved (and so published). Who may:
- read an approved report and its PDF: the council's people but an invited guest, the national
  observer and the platform admin (monitoring.view_monitoring);
- read a draft or submitted one: the same but the observer, who gets 403 (monitoring.view_internal);
- open a year's draft, write and submit it: the SKN, the technical secretary and the platform admin
  (monitoring.edit_annual_report);
- return or approve it: the chair alone, not even the platform admin (monitoring.approve_annual_report).
The approved report and its PDF are public; any other is a 404 there.
"""

from tests.authz.annual_ctx import ANNUAL_YEARS
from tests.authz.matrix_lib import READ, READ_POST, Row, case, council_form_row, council_row, same
from tests.authz.rows_monitoring import (
    CHAIR_DONE,
    CHAIR_FORM,
    EDIT_DONE,
    EDIT_FORM,
    EDIT_NO_GET,
    INTERNAL,
    INTERNAL_POST,
    NO_PDF,
)

BASE = "monitoring/annual/"
DRAFT = f"{BASE}{ANNUAL_YEARS['draft_annual']}/"
SUBMITTED = f"{BASE}{ANNUAL_YEARS['submitted_annual']}/"
APPROVED = f"{BASE}{ANNUAL_YEARS['approved_annual']}/"


def _start(pages) -> dict:
    """A year that has no report yet (the form offers this year and the five before)."""
    return {"year": str(ANNUAL_YEARS["approved_annual"] - 1)}


def _narrative(pages) -> dict:
    return {"summary": "Përmbledhja e re.", "achievements": "", "difficulties": "Asnjë.", "priorities": ""}


def _comment(pages) -> dict:
    return {"comment": "Plotësoni arritjet e vitit."}


def _seen(pages) -> dict:
    """The fingerprint of the submitted report's content as the approval page shows it now."""
    from monitoring.annual import services
    from monitoring.annual.models import AnnualReport

    report = AnnualReport.objects.get(
        council__municipality__slug=pages.slug, year=ANNUAL_YEARS["submitted_annual"]
    )
    return {"seen": services.content_stamp(services.annual_content(report))}


def _public(page: str):
    return lambda ctx: "/elbasan/" + page


ROWS: dict[str, Row] = {
    # The list, and opening the draft of a year that has none.
    "monitoring:annual-reports": council_form_row(READ, EDIT_DONE, BASE, _start),
    "monitoring:annual-report": council_row(INTERNAL, INTERNAL_POST, DRAFT),
    case("monitoring:annual-report", "submitted"): council_row(INTERNAL, INTERNAL_POST, SUBMITTED),
    case("monitoring:annual-report", "approved"): council_row(READ, READ_POST, APPROVED),
    "monitoring:annual-edit": council_form_row(EDIT_FORM, EDIT_DONE, DRAFT + "edit/", _narrative),
    # An approved report never changes: its editors are sent back to it with a message.
    case("monitoring:annual-edit", "approved"): council_form_row(
        EDIT_DONE, EDIT_DONE, APPROVED + "edit/", _narrative
    ),
    # The year is not over: refused with a message, back to the report (302).
    "monitoring:annual-submit": council_row(EDIT_NO_GET, EDIT_DONE, DRAFT + "submit/"),
    case("monitoring:annual-submit", "submitted"): council_row(EDIT_NO_GET, EDIT_DONE, SUBMITTED + "submit/"),
    # The approval page (the report exactly as it will be frozen): both addresses show it.
    "monitoring:annual-return": council_form_row(CHAIR_FORM, CHAIR_DONE, SUBMITTED + "return/", _comment),
    "monitoring:annual-approve": council_form_row(CHAIR_FORM, CHAIR_DONE, SUBMITTED + "approve/", _seen),
    # Not waiting (approved already, or a draft): the page says where it stands; a form posted
    # there changes nothing and comes back to it (302).
    case("monitoring:annual-approve", "approved"): council_row(CHAIR_FORM, CHAIR_DONE, APPROVED + "approve/"),
    case("monitoring:annual-approve", "draft"): council_row(CHAIR_FORM, CHAIR_DONE, DRAFT + "approve/"),
    case("monitoring:annual-return", "approved"): council_form_row(
        CHAIR_FORM, CHAIR_DONE, APPROVED + "return/", _comment
    ),
    "monitoring:annual-pdf": council_row(READ, READ_POST, APPROVED + "annual.pdf"),
    # A draft has no PDF (404 for those who may see it; the observer may not: 403).
    case("monitoring:annual-pdf", "draft"): council_row(NO_PDF, INTERNAL_POST, DRAFT + "annual.pdf"),
    # --- public -------------------------------------------------------------------------------
    "portal:annual-report": Row(same(200), same(405), _public(f"reports/{ANNUAL_YEARS['approved_annual']}/")),
    case("portal:annual-report", "submitted"): Row(
        same(404), same(405), _public(f"reports/{ANNUAL_YEARS['submitted_annual']}/")
    ),
    case("portal:annual-report", "draft"): Row(
        same(404), same(405), _public(f"reports/{ANNUAL_YEARS['draft_annual']}/")
    ),
    "portal:annual-report-pdf": Row(
        same(200), same(405), _public(f"reports/{ANNUAL_YEARS['approved_annual']}/annual.pdf")
    ),
    case("portal:annual-report-pdf", "submitted"): Row(
        same(404), same(405), _public(f"reports/{ANNUAL_YEARS['submitted_annual']}/annual.pdf")
    ),
}
