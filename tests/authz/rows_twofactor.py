"""Authorization rows of the second-factor pages and "log out everywhere" (kvsp/core/twofactor/),
written by hand. The matrix signs its principals in with the suite's force_login, which passes the
second factor (tests/fixtures/accounts.py); so for everyone signed in enrolment and verification
are done already and send them on (302), and there are no fresh backup codes to show (302 to the
person's own page). The pages before the second factor are tried in tests/core/test_twofactor.py."""

from tests.authz.matrix_lib import Row, by, same

ANY_SIGNED_IN = by(302, 200, 200)
NO_POST = by(302, 405, 405)
NO_GET = NO_POST

ROWS: dict[str, Row] = {
    # The person's own page: whether it is on, backup codes left, "log out everywhere".
    "accounts:two-factor": Row(ANY_SIGNED_IN, NO_POST, "/accounts/two-factor/"),
    # Already enrolled and verified: on to the own page (GET and POST alike); anonymous: the login.
    "accounts:two-factor-setup": Row(same(302), same(302), "/accounts/two-factor/setup/"),
    # Already verified: on to where they were going.
    "accounts:two-factor-verify": Row(same(302), same(302), "/accounts/two-factor/verify/"),
    # Nothing fresh to show: on to the own page.
    "accounts:two-factor-backup-codes": Row(same(302), NO_POST, "/accounts/two-factor/backup-codes/"),
    # New codes (the old ones stop working), then shown once.
    "accounts:two-factor-backup-regenerate": Row(NO_GET, same(302), "/accounts/two-factor/backup-codes/new/"),
    # Every session of the person ends, this one included; then the home page.
    "accounts:logout-everywhere": Row(NO_GET, same(302), "/accounts/logout/everywhere/"),
}
