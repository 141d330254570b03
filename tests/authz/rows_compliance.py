"""Authorization rows of regulation compliance: the council's record on its working pages
(monitoring/urls.py: compliance, compliance-comment) and the public national overview, its
methodology and CSV (kvsp/portal/urls.py), written by hand from monitoring/rules.py and DESIGN.md
("Visibility": the compliance record is public; "Roles").

- The council's record (monitoring.view_monitoring): the council's people but an invited guest,
  the national observer and the platform admin; it is read-only (a POST is no method of it: 405).
- The council's public comment on a year's record (monitoring.comment_compliance): the chair and
  the technical secretary, and the platform admin; a valid comment is saved and goes back to the
  record (302). The SKN, a member, a guest and the observer are refused (403).
- The council's reminders (monitoring.manage_reminders): the same people as the comment.
- The overview, the methodology and the CSV are public, for everyone alike.
"""

from tests.authz.matrix_lib import READ, READ_POST, Row, council_form_row, council_row, roles, same

COMMENT_FORM = roles(
    anonymous=302, user=404, member=403, guest=403, skn=403, secretary=200, chair=200, observer=403, admin=200
)
COMMENT_DONE = roles(
    anonymous=302, user=404, member=403, guest=403, skn=403, secretary=302, chair=302, observer=403, admin=302
)


def _comment(pages) -> dict:
    """A first comment on the year's record (the form saw none: an empty revision)."""
    return {"text": "Mbledhja e gushtit u shty për në shtator.", "revision": ""}


def _reminders(pages) -> dict:
    """Every reminder on but the weekly overdue one."""
    from monitoring.reminder_kinds import Reminder

    return {kind: "on" for kind in Reminder.values if kind != Reminder.ACTIVITY_OVERDUE}


ROWS: dict[str, Row] = {
    # Which reminders the council sends: the chair, the technical secretary, the platform admin.
    "monitoring:reminders": council_form_row(COMMENT_FORM, COMMENT_DONE, "reminders/", _reminders),
    "monitoring:compliance": council_row(READ, READ_POST, "compliance/"),
    "monitoring:compliance-comment": council_form_row(
        COMMENT_FORM, COMMENT_DONE, "compliance/{year}/comment/", _comment
    ),
    "portal:compliance": Row(same(200), same(405), "/compliance/"),
    "portal:compliance-methodology": Row(same(200), same(405), "/compliance/methodology/"),
    "portal:compliance-csv": Row(same(200), same(405), "/compliance/compliance.csv"),
}
