"""Authorization matrix rows for a concern's photo (issue 23 item 4). The public address answers
the same for every principal: a concern published with its photo shows it (200), in its own
council's address only; a concern still awaiting moderation is a 404, even though it has a photo.
The moderators' address follows the moderation screen (the council's secretary and SKN; 404 for
another council's staff, who must not learn it exists). Every concern here has a photo
(matrix_ctx); the photo a moderator did not publish is tested in tests/consultations/."""

from tests.authz.matrix_lib import MODERATE, MODERATE_NO_METHOD, Row, case, council_row, same

ROWS: dict[str, Row] = {
    "portal:concern-photo": Row(
        same(200), same(405), lambda ctx: f"/elbasan/concerns/{ctx['own_published_concern']}/photo.jpg"
    ),
    case("portal:concern-photo", "other council's, in its own council"): Row(
        same(200), same(405), lambda ctx: f"/belsh/concerns/{ctx['other_published_concern']}/photo.jpg"
    ),
    case("portal:concern-photo", "other council's, through this council"): Row(
        same(404), same(405), lambda ctx: f"/elbasan/concerns/{ctx['other_published_concern']}/photo.jpg"
    ),
    case("portal:concern-photo", "not published"): Row(
        same(404), same(405), lambda ctx: f"/elbasan/concerns/{ctx['own_received_concern']}/photo.jpg"
    ),
    "consultations:concern-photo": council_row(MODERATE, MODERATE_NO_METHOD, "concerns/{concern}/photo/"),
}
