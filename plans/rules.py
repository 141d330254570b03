"""Who may see and do what with plans (DESIGN.md "Visibility", "Roles", "Workflows").

Published versions are public. Drafts and submitted versions: the council's own people (not the
national observer, not an invited guest). The SKN and the technical secretary edit and submit
drafts; only the chair approves or returns a version — a rule, not a permission, because Django
grants every permission to a superuser.
"""

import rules

from councils.predicates import (
    is_council_chair,
    is_council_editor,
    is_council_member,
    is_national_observer,
    is_platform_admin,
    is_skn_member,
)

# The plans page of a council (published versions, history): as the council's working pages.
rules.add_perm("plans.view_plans", is_council_member | is_national_observer | is_platform_admin)
# Drafts and submitted versions stay with the council until approval.
rules.add_perm("plans.view_drafts", is_council_member | is_platform_admin)
# Editing drafts, importing, submitting, revising, recording publications: the SKN and the secretary.
rules.add_perm("plans.edit_plan", is_council_editor | is_platform_admin)
# Approving or returning a submitted version: the chair alone.
rules.add_rule("plans.approve_plan", is_council_chair)

# Public comment on a submitted version (plans/comments.py): the SKN opens a period and answers
# each published comment; the SKN and the technical secretary moderate, as they moderate concerns
# (rules: not the platform admin, who must not read what citizens wrote before moderation).
rules.add_rule("plans.open_comment_period", is_skn_member)
rules.add_rule("plans.moderate_comments", is_council_editor)
rules.add_rule("plans.answer_comments", is_skn_member)
