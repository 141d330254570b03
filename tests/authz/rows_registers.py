"""Authorization rows of the registers (councils/registers/views.py), written by hand.

DESIGN.md "Visibility": the referral register and the cooperation agreements are for the SKN and
the chair; the national observer reads counts only. The technical secretary archives the council's
signed documents, so keeps the agreements too, but reads no referral figure. Plain members and
invited guests see neither; the platform admin may step in. An empty POST to a form comes back
with its errors (200); the register page and the document take no POST (405 for those let in).
The objects (a figure and an agreement with its PDF, in each council) are built by
tests/authz/matrix_ctx.py (``_registers``)."""

from tests.authz.matrix_lib import Row, council_row, roles

# The register page: the SKN, the chair, the secretary (its agreements part), the observer (totals).
READ_REGISTERS = roles(
    anonymous=302, user=404, member=403, guest=403, skn=200, secretary=200, chair=200, observer=200, admin=200
)
NO_POST_REGISTERS = roles(
    anonymous=302, user=404, member=403, guest=403, skn=405, secretary=405, chair=405, observer=405, admin=405
)
# Recording and correcting referral figures: the SKN and the chair.
KEEP_REFERRALS = roles(
    anonymous=302, user=404, member=403, guest=403, skn=200, secretary=403, chair=200, observer=403, admin=200
)
# The agreements and their documents: the SKN, the chair and the technical secretary.
KEEP_AGREEMENTS = roles(
    anonymous=302, user=404, member=403, guest=403, skn=200, secretary=200, chair=200, observer=403, admin=200
)
NO_POST_AGREEMENTS = roles(
    anonymous=302, user=404, member=403, guest=403, skn=405, secretary=405, chair=405, observer=403, admin=405
)


def _figure(pages) -> int:
    from councils.registers.models import ReferralCount

    return ReferralCount.objects.filter(council__municipality__slug=pages.slug).order_by("pk").first().pk


def _agreement(pages) -> int:
    from councils.registers.models import CooperationAgreement

    return (
        CooperationAgreement.objects.filter(council__municipality__slug=pages.slug).order_by("pk").first().pk
    )


def _on(get, post, page, find) -> Row:
    """A page of one object of each council (``find`` gets the council's pages), found when the
    row is tried."""
    return Row(
        get,
        post,
        lambda ctx: ctx["own"].path(page.format(pk=find(ctx["own"]))),
        lambda ctx: ctx["other"].path(page.format(pk=find(ctx["other"]))),
    )


ROWS: dict[str, Row] = {
    "councils:registers": council_row(READ_REGISTERS, NO_POST_REGISTERS, "registers/"),
    "councils:referral-add": council_row(KEEP_REFERRALS, KEEP_REFERRALS, "registers/referrals/new/"),
    "councils:referral-edit": _on(KEEP_REFERRALS, KEEP_REFERRALS, "registers/referrals/{pk}/", _figure),
    "councils:agreement-add": council_row(KEEP_AGREEMENTS, KEEP_AGREEMENTS, "registers/agreements/new/"),
    "councils:agreement-edit": _on(
        KEEP_AGREEMENTS, KEEP_AGREEMENTS, "registers/agreements/{pk}/", _agreement
    ),
    "councils:agreement-document": _on(
        KEEP_AGREEMENTS, NO_POST_AGREEMENTS, "registers/agreements/{pk}/document/", _agreement
    ),
}
