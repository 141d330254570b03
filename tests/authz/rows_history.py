"""Authorization rows of the history of changes (kvsp/audit/urls.py), written by hand from
councils/rules.py ("councils.view_history") and DESIGN.md ("Roles", "Visibility").

/app/<municipality>/history/<kind>/<pk>/ reads the history of one object of the council, from an
allow-list of kinds. Who may: the council's staff — the chair, the three SKN seats, the technical
secretary — the national observer and the platform admin; a plain member or an invited guest is
refused (403: they belong to the council), anyone else gets 404 for the council. On top of that, an
object's own read rule: a draft plan version or an unapproved report stays with the council, so the
national observer is refused (403). The page only reads: a POST is no method of it (405), after the
same checks. The objects are those the matrix builds in each council (matrix_ctx.py, build_ctx):
{meeting}, {consultation}, plan version 1 (approved) and 2 (a draft) of {year}, the monthly reports
{approved_report} and {draft_report}, and the council itself.
"""

from tests.authz.matrix_lib import Row, case, roles
from tests.factories import council

HISTORY = roles(
    anonymous=302, user=404, member=403, guest=403, skn=200, secretary=200, chair=200, observer=200, admin=200
)
HISTORY_POST = roles(
    anonymous=302, user=404, member=403, guest=403, skn=405, secretary=405, chair=405, observer=405, admin=405
)
# Drafts and unapproved reports: not the national observer.
HISTORY_INTERNAL = {**HISTORY, "observer": 403}
HISTORY_INTERNAL_POST = {**HISTORY_POST, "observer": 403}

PLAN_YEAR = 2026  # matrix_ctx.PLAN_YEAR


def _version(pages, number: int) -> int:
    from plans.models import PlanVersion

    return PlanVersion.objects.get(
        plan__council__municipality__slug=pages.slug, plan__year=PLAN_YEAR, number=number
    ).pk


def _report(pages, month: int) -> int:
    from monitoring.models import MonthlyReport

    return MonthlyReport.objects.get(council__municipality__slug=pages.slug, year=PLAN_YEAR, month=month).pk


def _row(get, post, page) -> Row:
    """A history page in the own and in the other council; ``page`` gets that council's pages."""
    return Row(
        get,
        post,
        lambda ctx: ctx["own"].path(f"history/{page(ctx['own'])}/"),
        lambda ctx: ctx["other"].path(f"history/{page(ctx['other'])}/"),
    )


ROWS = {
    "audit:history": _row(HISTORY, HISTORY_POST, lambda pages: f"meeting/{pages.meeting}"),
    case("audit:history", "council"): _row(
        HISTORY, HISTORY_POST, lambda pages: f"council/{council(pages.slug).pk}"
    ),
    case("audit:history", "consultation"): _row(
        HISTORY, HISTORY_POST, lambda pages: f"consultation/{pages.consultation}"
    ),
    case("audit:history", "approved plan version"): _row(
        HISTORY, HISTORY_POST, lambda pages: f"plan-version/{_version(pages, 1)}"
    ),
    case("audit:history", "draft plan version"): _row(
        HISTORY_INTERNAL, HISTORY_INTERNAL_POST, lambda pages: f"plan-version/{_version(pages, 2)}"
    ),
    # REPORT_MONTHS of matrix_ctx.py: 3 is approved (not published), 1 a draft.
    case("audit:history", "approved report"): _row(
        HISTORY, HISTORY_POST, lambda pages: f"report/{_report(pages, 3)}"
    ),
    case("audit:history", "draft report"): _row(
        HISTORY_INTERNAL, HISTORY_INTERNAL_POST, lambda pages: f"report/{_report(pages, 1)}"
    ),
}
