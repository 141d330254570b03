"""Authorization matrix rows for following a council by e-mail (issue 23 item 1): public
addresses, the same answer for every principal, signed in or not. The form answers 200 (a POST
without data shows its errors); a confirmation link shows a button (GET) and confirms (POST),
an invalid one is a 400, one of another council's subscription through this council is a 410 (the
subscription is "gone" here); the unsubscribe address shows a button and unsubscribes, and an
unknown token gets the same calm 200 (no answer tells whether an address follows the council).
What each does is tested in tests/portal/test_subscriptions.py."""

from django.core import signing

from tests.authz.matrix_lib import Row, case, same


def _subscription(slug: str):
    """An unconfirmed subscription of the council ``slug`` (made when the row's address is built)."""
    from kvsp.portal.models import Subscription
    from tests.factories import council

    subscription, _created = Subscription.objects.get_or_create(
        council=council(slug), email=f"ndjekes@{slug}.example.al", defaults={"topics": ["plans"]}
    )
    return subscription


def _confirm(slug: str, through: str) -> str:
    from kvsp.portal.subscriptions import SALT

    value = signing.TimestampSigner(salt=SALT).sign(_subscription(slug).token)
    return f"/{through}/follow/confirm/{value}/"


ROWS: dict[str, Row] = {
    "portal:subscribe": Row(same(200), same(200), "/elbasan/follow/"),
    "portal:subscription-confirm": Row(same(200), same(200), lambda ctx: _confirm("elbasan", "elbasan")),
    case("portal:subscription-confirm", "other council's, in its own council"): Row(
        same(200), same(200), lambda ctx: _confirm("belsh", "belsh")
    ),
    case("portal:subscription-confirm", "other council's, through this council"): Row(
        same(410), same(410), lambda ctx: _confirm("belsh", "elbasan")
    ),
    case("portal:subscription-confirm", "not signed"): Row(
        same(400), same(400), "/elbasan/follow/confirm/abc:def/"
    ),
    "portal:unsubscribe": Row(
        same(200), same(200), lambda ctx: f"/elbasan/follow/unsubscribe/{_subscription('elbasan').token}/"
    ),
    case("portal:unsubscribe", "unknown token"): Row(
        same(200), same(200), "/elbasan/follow/unsubscribe/abc/"
    ),
}
