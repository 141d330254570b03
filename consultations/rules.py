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

# Consultations, their participation and published concerns: the council, the observer, the admin.
rules.add_perm(
    "consultations.view_consultation", is_council_member | is_national_observer | is_platform_admin
)
# Planning, announcing, recording participation, entering concerns raised at the meeting.
rules.add_perm("consultations.manage_consultation", is_technical_secretary | is_platform_admin)
# Agreeing the agenda of a consultation before it is announced: the SKN (the guide), by one of its
# members only (a rule: a superuser is not granted it as a permission would be).
rules.add_rule("consultations.agree_agenda", is_skn_member)
# Grouping concerns into problems and assessing their risk: the SKN (DESIGN.md "Roles").
rules.add_perm("consultations.prioritise", is_skn_member | is_platform_admin)
# Moderation, the original wording and the citizen's contact: the council's moderators only.
rules.add_rule("consultations.moderate", is_technical_secretary | is_skn_member)
