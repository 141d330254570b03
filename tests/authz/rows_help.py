"""Authorization rows of the user guide (kvsp/portal/urls.py: help, help-role), written by hand:
the guide is public, the same for everyone, and only read (a POST is no method of it: 405)."""

from tests.authz.matrix_lib import Row, same

ROWS: dict[str, Row] = {
    "portal:help": Row(same(200), same(405), "/help/"),
    "portal:help-role": Row(same(200), same(405), "/help/sekretari/"),
    "portal:help-role [citizen]": Row(same(200), same(405), "/help/qytetari/"),
}
