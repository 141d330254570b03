"""Authorization matrix rows of public comment on a plan (plans/comments.py), written by hand from
plans/rules.py and DESIGN.md "Visibility", "Public addresses".

The matrix's plan (matrix_ctx.py): v1 was submitted, opened for public comment, commented
({comment}, published and answered, code {comment_code}) and approved; v2 is a draft.

Public addresses, the same answer for everyone: the version's comment page (v1: approved, so "what
changed after public comment"; an empty POST comes back with the form's errors and the reason the
comment period is over, 200), the look-up by code and the comment's page (GET only: 405). A version
never opened for comment (v2) is a 404.

Staff pages: opening a period is the SKN's rule (``plans.open_comment_period``): on the draft v2
the form opens and an empty POST comes back with its errors (200); moderating is the rule
``plans.moderate_comments`` (the SKN and the technical secretary: not the chair, a member, the
observer or the platform admin, who must not read what citizens wrote before moderation); the
observer and the guest are refused first, as for any draft (plans.view_drafts). A POST without an
action to a comment goes back to it (302); the list takes no POST (405)."""

from tests.authz.matrix_lib import Row, council_row, roles, same


def _public(page: str):
    return lambda ctx: "/elbasan/" + ctx["own"].fill(page)


def _other(page: str):
    return lambda ctx: "/belsh/" + ctx["other"].fill(page)


OPEN_PERIOD = roles(
    anonymous=302, user=404, member=403, guest=403, skn=200, secretary=403, chair=403, observer=403, admin=403
)
MODERATE = roles(
    anonymous=302, user=404, member=403, guest=403, skn=200, secretary=200, chair=403, observer=403, admin=403
)
MODERATE_NO_POST = roles(
    anonymous=302, user=404, member=403, guest=403, skn=405, secretary=405, chair=403, observer=403, admin=403
)
MODERATE_POST = roles(
    anonymous=302, user=404, member=403, guest=403, skn=302, secretary=302, chair=403, observer=403, admin=403
)

ROWS: dict[str, Row] = {
    "portal:plan-comment-page": Row(same(200), same(200), _public("plan/{year}/v{approved}/comment/")),
    "portal:plan-comment-page [other council]": Row(
        same(200), same(200), _other("plan/{year}/v{approved}/comment/")
    ),
    "portal:plan-comment-page [never opened]": Row(
        same(404), same(404), _public("plan/{year}/v{draft}/comment/")
    ),
    "portal:plan-comment-lookup": Row(same(200), same(405), "/elbasan/plan/comments/"),
    "portal:plan-comment": Row(same(200), same(405), _public("plan/comments/{comment_code}/")),
    "portal:plan-comment [other council]": Row(same(200), same(405), _other("plan/comments/{comment_code}/")),
    "plans:comment-period": council_row(OPEN_PERIOD, OPEN_PERIOD, "plans/{year}/v{draft}/comment-period/"),
    "plans:comments": council_row(MODERATE, MODERATE_NO_POST, "plans/{year}/v{approved}/comments/"),
    "plans:comment": council_row(MODERATE, MODERATE_POST, "plans/{year}/v{approved}/comments/{comment}/"),
}
