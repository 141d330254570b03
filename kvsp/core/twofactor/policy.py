"""Who must pass a second factor, and which addresses stay open before they have."""

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

# Addresses an officer who has signed in with a password but not yet passed the second factor may
# still open: everything public, the sign-in, sign-out and second-factor pages themselves.
PUBLIC_NAMESPACES = frozenset({"portal", "api"})
OPEN_VIEW_NAMES = frozenset(
    {
        "healthz",
        "accounts:login",
        "accounts:logout",
        "accounts:language",
        "accounts:password-reset",
        "accounts:password-reset-done",
        "accounts:password-reset-confirm",
        "accounts:password-reset-complete",
        "accounts:invitation-accept",
        "accounts:two-factor-setup",
        "accounts:two-factor-verify",
        # A calendar program fetches the feed with its secret, never with a session.
        "meetings:calendar-feed",
    }
)


def must_use_two_factor(user) -> bool:
    """Platform admins, and whoever holds today a chair, SKN or technical secretary seat."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    # Imported here: councils builds on the core, not the other way round.
    from councils.models import SKN_ROLES, Membership, Role

    return (
        Membership.objects.active()
        .filter(person__user=user, role__in=(Role.CHAIR, Role.SECRETARY, *SKN_ROLES))
        .exists()
    )


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_second_factor(user) -> bool:
    """Whether this signed-in session must pass the second factor before staff pages open: when
    enforcement is on, for those who must have one and for anyone who set one up of their own."""
    if not settings.KVSP_REQUIRE_2FA or not user.is_authenticated or user.is_verified():
        return False
    return must_use_two_factor(user) or has_confirmed_device(user)


def is_open_address(resolver_match) -> bool:
    """Whether the resolved address stays open before the second factor (deny by default)."""
    if resolver_match.namespaces and resolver_match.namespaces[0] in PUBLIC_NAMESPACES:
        return True
    return resolver_match.view_name in OPEN_VIEW_NAMES
