"""Authorization matrix rows for the published plan (public addresses, the same answer for every
principal) and for the record of where member institutions published it (a council page).

Written by hand from DESIGN.md "Visibility" and plans/rules.py: a published (approved) version is
public; the record of publications is read like the council's plans page (plans.view_plans: the
council's members, the national observer, the platform admin; not an invited guest) and written by
the SKN and the technical secretary (plans.edit_plan; the platform admin may step in). An empty
POST of the record comes back with its errors (200)."""

from tests.authz.matrix_lib import Row, council_row, roles, same


def _public(page: str):
    return lambda ctx: "/elbasan/" + ctx["own"].fill(page)


PUBLICATIONS_GET = roles(
    anonymous=302, user=404, member=200, guest=403, skn=200, secretary=200, chair=200, observer=200, admin=200
)
PUBLICATIONS_POST = roles(
    anonymous=302, user=404, member=403, guest=403, skn=200, secretary=200, chair=403, observer=403, admin=200
)

ROWS: dict[str, Row] = {
    # /<municipality>/plan/ sends everyone to the newest year with a published plan.
    "portal:plan": Row(same(302), same(405), "/elbasan/plan/"),
    # The year's newest approved version (v1; v2 is a draft and stays out of sight).
    "portal:plan-year": Row(same(200), same(405), _public("plan/{year}/")),
    "portal:plan-year-pdf": Row(same(200), same(405), _public("plan/{year}/plan.pdf")),
    "portal:plan-year-csv": Row(same(200), same(405), _public("plan/{year}/plan.csv")),
    "portal:plan-year-json": Row(same(200), same(405), _public("plan/{year}/plan.json")),
    "portal:plan-year-docx": Row(same(200), same(405), _public("plan/{year}/plan.docx")),
    "portal:plan-card": Row(same(200), same(405), _public("plan/{year}/card/")),
    # The approved version at its permanent address.
    "portal:plan-version": Row(same(200), same(405), _public("plan/{year}/v{approved}/")),
    # The signed decision that approved v1 (uploaded at approval): a public act, for everyone.
    "portal:plan-version-decision": Row(
        same(200), same(405), _public("plan/{year}/v{approved}/decision.pdf")
    ),
    "portal:plan-version-pdf": Row(same(200), same(405), _public("plan/{year}/v{approved}/plan.pdf")),
    "portal:plan-version-csv": Row(same(200), same(405), _public("plan/{year}/v{approved}/plan.csv")),
    "portal:plan-version-json": Row(same(200), same(405), _public("plan/{year}/v{approved}/plan.json")),
    "portal:plan-version-docx": Row(same(200), same(405), _public("plan/{year}/v{approved}/plan.docx")),
    # Staff: where the member institutions published the plan.
    "plans:publications": council_row(PUBLICATIONS_GET, PUBLICATIONS_POST, "plans/{year}/publications/"),
}
