"""Named permissions of the councils app. Views and templates use these names, never roles."""

import rules

from .models import Membership
from .predicates import (
    is_council_chair,
    is_council_member,
    is_invited_guest,
    is_national_observer,
    is_platform_admin,
    is_skn_member,
    is_technical_secretary,
)

# The council's working page: its composition and (later) meetings, plans and reports.
rules.add_perm("councils.view_council", is_council_member | is_national_observer | is_platform_admin)
# Seeing that one belongs to a council at all (guests see the meetings they are invited to).
rules.add_perm(
    "councils.list_council", is_council_member | is_invited_guest | is_national_observer | is_platform_admin
)
# Institutions, members and guests: the technical secretary keeps the records.
rules.add_perm("councils.manage_composition", is_technical_secretary | is_platform_admin)
# The officers (chair, SKN seats, technical secretary) have powers over the council's records: the
# chair or a platform admin assigns and ends them, never the secretary alone.
rules.add_perm("councils.manage_officers", is_council_chair | is_platform_admin)
# The add-member page: whoever may give at least one role.
rules.add_perm("councils.add_membership", is_technical_secretary | is_council_chair | is_platform_admin)
# Founding decision, regulation, chair arrangement, contact address.
rules.add_perm("councils.change_council", is_technical_secretary | is_council_chair | is_platform_admin)
# The history of changes of the council's records (kvsp/audit): its staff — the chair, the SKN,
# the technical secretary — the national observer and the platform admin; not plain members or
# invited guests. Each object's own read rule applies on top (an SKN meeting, a draft...).
rules.add_perm(
    "councils.view_history",
    is_council_chair | is_skn_member | is_technical_secretary | is_national_observer | is_platform_admin,
)


@rules.predicate
def is_officer_role(user, membership):
    """The membership is an officer's role (chair, SKN seat, technical secretary)."""
    return isinstance(membership, Membership) and membership.is_officer


# Ending a role: the chair or a platform admin any role, the technical secretary any but an
# officer's. On the council itself: whoever may end at least one role there.
rules.add_perm(
    "councils.end_membership",
    is_council_chair | is_platform_admin | (is_technical_secretary & ~is_officer_role),
)
# The list of every council's working page: the national observer and the platform admin.
rules.add_rule("councils.open_every_council", is_national_observer | is_platform_admin)

# The registers' permissions (referral counts and cooperation agreements).
from .registers import rules as _registers_rules  # noqa: E402, F401
