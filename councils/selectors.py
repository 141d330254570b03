"""Reads that several pages share."""

from collections import defaultdict

from .models import OFFICER_ROLES, Council, CouncilInstitution, Institution, Membership, Role


def composition(council: Council, *, public: bool) -> tuple[list[CouncilInstitution], list[Membership]]:
    """The council's member institutions today, each with ``council_memberships`` (the people who
    represent it here), and the list of active memberships. Two queries, whatever the size.

    ``public`` leaves out invited guests and loads no contact column.
    """
    memberships = Membership.objects.active().filter(council=council).select_related("person")
    if public:
        memberships = memberships.exclude(role=Role.GUEST).only(
            "role", "council_id", "institution_id", "person__full_name", "person__gender"
        )
    else:
        # The council too: the rules asked of each membership (ending it) find it without a query.
        memberships = memberships.select_related("person__user", "council")
    memberships = sorted(memberships, key=lambda m: (m.person.full_name, m.role))
    by_institution = defaultdict(list)
    for membership in memberships:
        by_institution[membership.institution_id].append(membership)
    seats = list(CouncilInstitution.objects.active().filter(council=council).select_related("institution"))
    for seat in seats:
        seat.council_memberships = by_institution.get(seat.institution_id, [])
    return seats, memberships


def officers(memberships: list[Membership]) -> list[Membership]:
    """Chair, SKN seats and technical secretary, in that order."""
    order: dict[str, int] = {
        Role.CHAIR: 0,
        Role.SKN_MUNICIPALITY: 1,
        Role.SKN_POLICE: 2,
        Role.SKN_PROSECUTION: 3,
        Role.SECRETARY: 4,
    }
    return sorted((m for m in memberships if m.role in OFFICER_ROLES), key=lambda m: order[m.role])


def seated_institutions(council: Council):
    """The institutions that sit on the council today, by name: what forms offer and services accept."""
    return Institution.objects.filter(pk__in=council.seats.active().values("institution_id")).order_by("name")


def past_memberships(council: Council, current: list[Membership], limit: int = 50) -> list[Membership]:
    """The council's roles that are not current (ended, or starting later), newest end first."""
    return list(
        Membership.objects.filter(council=council)
        .exclude(pk__in=[m.pk for m in current])
        .select_related("person", "institution")
        .order_by("-end_date")[:limit]
    )


def users_with_roles(council, *roles) -> list:
    """The active accounts that hold any of ``roles`` in ``council`` today, each once, by name: who
    a hand-off notice goes to (the chair, the SKN, the technical secretary). One query."""
    memberships = (
        Membership.objects.active()
        .filter(council=council, role__in=roles, person__user__isnull=False, person__user__is_active=True)
        .select_related("person__user")
        .order_by("person__full_name")
    )
    users: dict[int, object] = {}
    for membership in memberships:
        if membership.person.user_id is not None:
            users.setdefault(membership.person.user_id, membership.person.user)
    return list(users.values())
