"""Authorization rows of the plan editor and its workflow (plans/editor_urls.py), written by hand
from plans/rules.py and DESIGN.md ("Visibility", "Roles", "Workflows").

The matrix's plan (matrix_ctx.py, _plan): in each council the plan of {year} has v{approved}=1,
approved, and v{draft}=2, a draft revising it that holds {row} (with {activity} and its
{indicator}). Every POST carries no data. Who may:
- read the plans page and approved versions (plans.view_plans): the council's people but an invited
  guest, the national observer and the platform admin;
- read a draft or submitted version (plans.view_drafts): the same but the national observer, who
  gets 403 (the version exists; its unapproved content stays with the council);
- edit, submit, revise, pull (plans.edit_plan): the SKN, the technical secretary, the platform admin;
- return or approve (the rule plans.approve_plan): the chair alone, not even the platform admin;
- the council's list of responsible actors: read as a draft (plans.view_drafts), added to by editors.
"""

from tests.authz.matrix_lib import READ, READ_POST, Row, council_row, roles

DRAFT = "plans/{year}/v{draft}/"
APPROVED = "plans/{year}/v{approved}/"

# A draft: readable by whoever may see drafts; a POST to the page is no method of it (405), but the
# observer is refused first (403).
READ_DRAFT = roles(
    anonymous=302, user=404, member=200, guest=403, skn=200, secretary=200, chair=200, observer=403, admin=200
)
READ_DRAFT_POST = roles(
    anonymous=302, user=404, member=405, guest=403, skn=405, secretary=405, chair=405, observer=403, admin=405
)
# Starting the plan of a year: an empty POST comes back with the form's error (200) for editors.
START_PLAN = roles(
    anonymous=302, user=404, member=403, guest=403, skn=200, secretary=200, chair=403, observer=403, admin=200
)
# The forms of a draft's rows (and the pull page): they open, and an empty POST comes back with its
# errors (200).
EDIT_FORM = START_PLAN
# POST-only actions of editors: a GET is no method of them (405) for editors, refused for the rest.
EDIT_NO_GET = roles(
    anonymous=302, user=404, member=403, guest=403, skn=405, secretary=405, chair=403, observer=403, admin=405
)
# Remove, move (no direction: refused with a message), submit (the draft is complete), revise (the
# plan already has an open draft: refused with a message): all go back to the version (302).
EDIT_DONE = roles(
    anonymous=302, user=404, member=403, guest=403, skn=302, secretary=302, chair=403, observer=403, admin=302
)
# Returning and approving: the chair only. The version here is a draft, not submitted: the chair's
# page shows what became of it (200, as a stale link from a notice does), and a POST goes back to
# the version with that message (302).
CHAIR_DECISION = roles(
    anonymous=302, user=404, member=403, guest=403, skn=403, secretary=403, chair=200, observer=403, admin=403
)
CHAIR_DECISION_POST = roles(
    anonymous=302, user=404, member=403, guest=403, skn=403, secretary=403, chair=302, observer=403, admin=403
)

ACTORS_GET = roles(
    anonymous=302, user=404, member=200, guest=403, skn=200, secretary=200, chair=200, observer=403, admin=200
)

ROWS: dict[str, Row] = {
    "plans:index": council_row(READ, START_PLAN, "plans/"),
    "plans:version": council_row(READ_DRAFT, READ_DRAFT_POST, DRAFT),
    # Comparing the approved version with the draft: the draft decides; GET only (405 before any
    # version is looked at).
    "plans:compare": council_row(READ_DRAFT, READ_POST, "plans/{year}/compare/?a={approved}&b={draft}"),
    "plans:submit": council_row(EDIT_NO_GET, EDIT_DONE, DRAFT + "submit/"),
    "plans:return": council_row(CHAIR_DECISION, CHAIR_DECISION_POST, DRAFT + "return/"),
    "plans:approve": council_row(CHAIR_DECISION, CHAIR_DECISION_POST, DRAFT + "approve/"),
    "plans:revise": council_row(EDIT_NO_GET, EDIT_DONE, APPROVED + "revise/"),
    "plans:pull": council_row(EDIT_FORM, EDIT_FORM, DRAFT + "pull/"),
    "plans:problem-add": council_row(EDIT_FORM, EDIT_FORM, DRAFT + "problems/add/"),
    "plans:problem-edit": council_row(EDIT_FORM, EDIT_FORM, DRAFT + "problems/{row}/"),
    "plans:problem-delete": council_row(EDIT_NO_GET, EDIT_DONE, DRAFT + "problems/{row}/delete/"),
    "plans:problem-move": council_row(EDIT_NO_GET, EDIT_DONE, DRAFT + "problems/{row}/move/"),
    "plans:activity-add": council_row(EDIT_FORM, EDIT_FORM, DRAFT + "problems/{row}/activities/add/"),
    "plans:activity-edit": council_row(EDIT_FORM, EDIT_FORM, DRAFT + "activities/{activity}/"),
    "plans:activity-delete": council_row(EDIT_NO_GET, EDIT_DONE, DRAFT + "activities/{activity}/delete/"),
    "plans:activity-move": council_row(EDIT_NO_GET, EDIT_DONE, DRAFT + "activities/{activity}/move/"),
    "plans:indicator-add": council_row(EDIT_FORM, EDIT_FORM, DRAFT + "activities/{activity}/indicators/add/"),
    "plans:indicator-edit": council_row(EDIT_FORM, EDIT_FORM, DRAFT + "indicators/{indicator}/"),
    "plans:indicator-delete": council_row(EDIT_NO_GET, EDIT_DONE, DRAFT + "indicators/{indicator}/delete/"),
    # The plan's title: the form opens for editors; an empty POST is the guide's title (back, 302).
    "plans:title": council_row(EDIT_FORM, EDIT_DONE, DRAFT + "title/"),
    # The council's list of actors who are not members: read by those who see drafts (not the
    # national observer: the list is the council's working record); an empty POST comes back with
    # its errors (200) for editors.
    "plans:actors": council_row(ACTORS_GET, EDIT_FORM, "plans/actors/"),
}
