"""Authorization matrix rows for the Atom feeds (DESIGN.md "Public addresses", "Visibility"): public
addresses, the same answer for every principal, signed in or not; a POST is refused (405) as on every
public page. What each feed holds (only the public items, only its own council's) is tested in
tests/portal/test_feeds.py; here the other council's feed answers as well, so its 200 is its own."""

from tests.authz.matrix_lib import Row, same

ROWS: dict[str, Row] = {
    # Every council's public items.
    "portal:feed": Row(same(200), same(405), "/feed.atom"),
    # One council's public items, in the principal's own council and in another one.
    "portal:council-feed": Row(same(200), same(405), "/elbasan/feed.atom"),
    "portal:council-feed [other council]": Row(same(200), same(405), "/belsh/feed.atom"),
}
