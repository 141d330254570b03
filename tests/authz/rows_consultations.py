"""Matrix rows of a consultation's agenda agreement (tests/authz/matrix.py explains the rows).

The matrix's consultation is announced: its agenda was agreed, so sending it to the SKN again or
agreeing it again is refused with a message back on the consultation (302) for whoever may act."""

from tests.authz.matrix_lib import AGREE_GET, AGREE_POST, INVITE_GET, MANAGE_CONSULTATION_DONE, council_row

ROWS = {
    # The technical secretary sends the draft agenda to the SKN (POST only).
    "consultations:agenda-submit": council_row(
        INVITE_GET, MANAGE_CONSULTATION_DONE, "consultations/{consultation}/agenda/send/"
    ),
    # An SKN member agrees it on the SKN's behalf (POST only).
    "consultations:agenda-agree": council_row(
        AGREE_GET, AGREE_POST, "consultations/{consultation}/agenda/agree/"
    ),
}
