"""Authorization rows of the notification centre (kvsp/notify/urls.py), written by hand: each
signed-in person reads and changes only their own notifications and settings; the matrix's
{notification} belongs to another person (the matrix's target user), so it is a 404 for everyone
signed in; a GET to the marking addresses is no method of them (405)."""

from tests.authz.matrix_lib import Row, by

ANY_SIGNED_IN = by(302, 200, 200)
MARKED = by(302, 302, 302)  # marked read (or nothing to mark), back to the centre
NO_GET = by(302, 405, 405)


def _modes(pages) -> dict:
    """A choice for every kind on the page: the reminders and the hand-off notices."""
    from kvsp.notify import kinds

    return dict.fromkeys([kind.code for kind in [*kinds.reminders(), *kinds.handoffs()]], "digest")


ROWS: dict[str, Row] = {
    "notify:list": Row(ANY_SIGNED_IN, by(302, 405, 405), "/app/notifications/"),
    "notify:read-all": Row(NO_GET, MARKED, "/app/notifications/read/"),
    "notify:read": Row(
        NO_GET, by(302, 404, 404), lambda ctx: f"/app/notifications/{ctx['notification']}/read/"
    ),
    # A valid choice for every kind: saved, back to the page (302).
    "notify:preferences": Row(ANY_SIGNED_IN, MARKED, "/app/notifications/preferences/", data=_modes),
}
