"""Who must pass a second factor, and which addresses stay open before they have.

The core knows no domain app (README "Architecture"): the apps above it *register* what it needs to
know in their ``AppConfig.ready()`` — ``councils`` which seats need a second factor, the portal and
the meetings app which of their addresses stay open.
"""

from collections.abc import Callable

from django.conf import settings
from django.core import checks
from django_otp.plugins.otp_totp.models import TOTPDevice

# Addresses an officer who has signed in with a password but not yet passed the second factor may
# still open: the sign-in, sign-out and second-factor pages themselves, and what the apps register
# with open_before_second_factor() (everything public; a calendar feed fetched with its secret).
_open_namespaces: set[str] = set()
_open_view_names: set[str] = {
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
}

# Tests "does this user hold, today, a seat that needs a second factor?", registered by the apps
# that know the seats (councils: a chair, SKN or technical secretary seat).
_role_tests: list[Callable[[object], bool]] = []


def open_before_second_factor(*, namespaces=(), view_names=()) -> None:
    """Keep these URL namespaces or view names ("ns:name") open before the second factor. Called
    from the owning app's ``ready()``."""
    _open_namespaces.update(namespaces)
    _open_view_names.update(view_names)


def register_second_factor_roles(test: Callable[[object], bool]) -> Callable[[object], bool]:
    """Add a test of whether a signed-in user holds a role that needs a second factor. Called from
    the owning app's ``ready()``; registering the same test twice keeps one."""
    if test not in _role_tests:
        _role_tests.append(test)
    return test


@checks.register(checks.Tags.security)
def check_roles_registered(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The registry must not be silently empty: without a registered test, the officers' seats
    would need no second factor. Fails ``manage.py check`` (and so every start) instead."""
    if _role_tests:
        return []
    return [
        checks.Error(
            "No app registered which roles need a second factor: officers could sign in without it.",
            hint="The councils app registers them in CouncilsConfig.ready() "
            "(kvsp.core.twofactor.policy.register_second_factor_roles).",
            id="kvsp.E001",
        )
    ]


def must_use_two_factor(user) -> bool:
    """Platform admins, and whoever holds today a role an app registered (councils: a chair, SKN
    or technical secretary seat)."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return any(test(user) for test in _role_tests)


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
    if resolver_match.namespaces and resolver_match.namespaces[0] in _open_namespaces:
        return True
    return resolver_match.view_name in _open_view_names
