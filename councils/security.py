"""What the councils tell the core's security machinery, which knows no domain app.

``holds_second_factor_seat`` is registered with the two-factor policy in ``CouncilsConfig.ready()``;
``other_council`` logs, from the council view layer, a reach into a council the user may not see.
"""

from kvsp.core.security_log import security_event

from .models import SKN_ROLES, Council, Membership, Role


def holds_second_factor_seat(user) -> bool:
    """Whether the user holds today a chair, SKN or technical secretary seat (a second factor is
    then required)."""
    return (
        Membership.objects.active()
        .filter(person__user=user, role__in=(Role.CHAIR, Role.SECRETARY, *SKN_ROLES))
        .exists()
    )


def other_council(request, slug: str) -> None:
    """Log the 404 that hides a council the user may not reach (it exists, but not for them)."""
    if Council.objects.filter(municipality__slug=slug).exists():
        security_event(request, "denied", status=404, reason="other_council", council=slug)
