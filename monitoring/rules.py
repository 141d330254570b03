"""Who may see and do what in monitoring (DESIGN.md "Visibility", "Roles", "Workflows").

The monitoring pages and approved reports: the council's people and the national observer. Draft,
submitted and returned reports, and the evidence attached to updates: the council's people only.
Status updates and indicator values: the SKN for any activity; a member for the activities their
institution leads or partners in, when the council allows it (``members_update_own_activities``).
Reports: the SKN and the technical secretary draft and submit; the chair alone returns, approves
and publishes — a rule, not a permission, because Django grants every permission to a superuser.
"""

import rules

from councils.models import Membership, Role
from councils.predicates import (
    council_of,
    is_council_chair,
    is_council_editor,
    is_council_member,
    is_national_observer,
    is_platform_admin,
    is_skn_member,
    is_technical_secretary,
    roles_in,
)

_INSTITUTIONS = "_kvsp_monitoring_institutions"


def _activity(obj):
    return obj.activity if hasattr(obj, "activity") else obj


def member_institutions(user, council) -> frozenset[int]:
    """The institutions a user represents in a council today (one query, kept on the user)."""
    if not roles_in(user, council) - {Role.GUEST}:
        return frozenset()
    cache = getattr(user, _INSTITUTIONS, None)
    if cache is None:
        cache = {}
        setattr(user, _INSTITUTIONS, cache)
    if council.pk not in cache:
        cache[council.pk] = frozenset(
            Membership.objects.active()
            .filter(person__user=user, council=council)
            .exclude(role=Role.GUEST)
            .values_list("institution_id", flat=True)
        )
    return cache[council.pk]


@rules.predicate
def responsible_member(user, obj):
    """A member of an institution responsible for the activity (its lead or partner, or its row's
    institution when it names no one itself), where the council lets members update their own
    activities. With a council (no activity), whether that can be so."""
    council = council_of(obj)
    if council is None or not council.members_update_own_activities:
        return False
    institutions = member_institutions(user, council)
    if not institutions:
        return False
    activity = _activity(obj)
    if activity is council:
        return True
    return bool(activity.responsible_institution_ids & institutions)


# The dashboards, boards, timelines and approved reports of a council.
rules.add_perm("monitoring.view_monitoring", is_council_member | is_national_observer | is_platform_admin)
# Draft, submitted and returned reports; evidence files.
rules.add_perm("monitoring.view_internal", is_council_member | is_platform_admin)
# Recording a status update or an indicator value on an activity (or, with a council, on some).
rules.add_perm("monitoring.update_activity", is_skn_member | responsible_member | is_platform_admin)
# Starting, writing and submitting a monthly report.
rules.add_perm("monitoring.edit_report", is_council_editor | is_platform_admin)
# Returning, approving and publishing a report: the chair alone.
rules.add_rule("monitoring.approve_report", is_council_chair)
# Attaching the signed copy of an approved report: its editors or the chair (a rule, since it holds
# the chair's part, which a platform admin does not pass alone; the admin passes as an editor).
rules.add_rule("monitoring.attach_scan", is_council_editor | is_platform_admin | is_council_chair)
# The council's public comment on its compliance record: the chair and the technical secretary.
rules.add_perm("monitoring.comment_compliance", is_council_chair | is_technical_secretary)
# Which reminders the council sends (monitoring/reminders.py): the chair and the technical secretary.
rules.add_perm("monitoring.manage_reminders", is_council_chair | is_technical_secretary | is_platform_admin)
# The council's monthly report template: the SKN and the technical secretary draft and submit it
# (guide, section 3.4); the chair alone approves or returns it (a rule: not even a platform admin).
rules.add_perm("monitoring.draft_template", is_council_editor | is_platform_admin)
rules.add_rule("monitoring.approve_template", is_council_chair)
# The council's annual report: the SKN and the technical secretary draft, write and submit it; the
# chair alone returns or approves it (a rule: not even a platform admin). Reading it follows the
# monthly reports' permissions (an approved one: monitoring.view_monitoring; others: view_internal).
rules.add_perm("monitoring.edit_annual_report", is_council_editor | is_platform_admin)
rules.add_rule("monitoring.approve_annual_report", is_council_chair)
