"""Authorization matrix rows for the concern form's duplicate hints (issue 23 item 4): public
addresses, the same answer for every principal, signed in or not. The similar concerns are a GET
(a POST is refused, 405); "this is my problem too" is a POST (a GET is refused, 405) that counts and
redirects back to the form. Only a published concern of the address's own council may be supported:
a concern still received, or another council's through this council's address, is a 404. What the
list holds and the count are tested in tests/portal/test_similar_concerns.py."""

from tests.authz.matrix_lib import Row, case, same

ROWS: dict[str, Row] = {
    "portal:concern-similar": Row(
        same(200), same(405), "/elbasan/concerns/similar/?text=ndri%C3%A7imi+shkolla"
    ),
    "portal:concern-support": Row(
        same(405), same(302), lambda ctx: f"/elbasan/concerns/{ctx['own_published_concern']}/support/"
    ),
    case("portal:concern-support", "other council's, in its own council"): Row(
        same(405), same(302), lambda ctx: f"/belsh/concerns/{ctx['other_published_concern']}/support/"
    ),
    case("portal:concern-support", "other council's, through this council"): Row(
        same(405), same(404), lambda ctx: f"/elbasan/concerns/{ctx['other_published_concern']}/support/"
    ),
    case("portal:concern-support", "not published"): Row(
        same(405), same(404), lambda ctx: f"/elbasan/concerns/{ctx['own_received_concern']}/support/"
    ),
}
