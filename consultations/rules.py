"""Who may see and do what with consultations and concerns (DESIGN.md "Visibility" and "Roles").

The council's moderators are its technical secretary and its SKN: only they read a concern as the
citizen wrote it and the citizen's contact. Those are rules (``rules.test_rule``), not permissions,
because Django grants every permission to a superuser: a platform admin is not a moderator.
"""

import rules

from councils.predicates import (
    is_council_member,
    is_national_observer,
    is_platform_admin,
    is_skn_member,
    is_technical_secretary,
)


def _council(obj):
    return getattr(obj, "council", obj)


@rules.predicate
def council_member(user, obj):
    return is_council_member(user, _council(obj))


@rules.predicate
def council_secretary(user, obj):
    return is_technical_secretary(user, _council(obj))


@rules.predicate
def council_skn(user, obj):
    return is_skn_member(user, _council(obj))


# Consultations, their participation and published concerns: the council, the observer, the admin.
rules.add_perm("consultations.view_consultation", council_member | is_national_observer | is_platform_admin)
# Planning, announcing, recording participation, entering concerns raised at the meeting.
rules.add_perm("consultations.manage_consultation", council_secretary | is_platform_admin)
# Grouping concerns into problems and assessing their risk: the SKN (DESIGN.md "Roles").
rules.add_perm("consultations.prioritise", council_skn | is_platform_admin)
# Moderation, the original wording and the citizen's contact: the council's moderators only.
rules.add_rule("consultations.moderate", council_secretary | council_skn)
