"""Authorization rows of the member institutions' heads (councils.views.InstitutionHeadView),
written by hand. The technical secretary keeps them, where the composition is kept (and the platform
admin may step in); the chair, the SKN, members, guests and the observer may not. An empty POST is
a valid form (no head recorded) and goes back to the council (302)."""

from tests.authz.matrix_lib import MANAGE, Row, council_row, roles

HEAD_SAVED = roles(
    anonymous=302, user=404, member=403, guest=403, skn=403, secretary=302, chair=403, observer=403, admin=302
)

ROWS: dict[str, Row] = {
    "councils:institution-head": council_row(MANAGE, HEAD_SAVED, "institutions/{seat}/head/"),
}
