"""Who may see and do what with meetings (DESIGN.md "Visibility" and "Roles").

Council meetings are read by the council's members, the national observer and the platform
admin; SKN and task-force meetings only by the SKN, the chair and the technical secretary (and a
task force also by the people invited to it). Invited guests see the meetings they are invited to.
"""

import rules

from councils.models import OFFICER_ROLES, Role
from councils.predicates import (
    is_council_chair,
    is_national_observer,
    is_platform_admin,
    is_skn_member,
    is_technical_secretary,
    roles_in,
)

from .models import Document, Invitation, Meeting

# The officers (chair, technical secretary, the three SKN seats) read every meeting of their council.
STAFF_ROLES = frozenset(OFFICER_ROLES)


_INVITED = "_kvsp_invited_meetings"


def invited_meeting_ids(user) -> frozenset[int]:
    """The meetings a user is invited to, read once per request (one query)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, _INVITED, None)
    if cached is None:
        cached = frozenset(Invitation.objects.filter(person__user=user).values_list("meeting_id", flat=True))
        setattr(user, _INVITED, cached)
    return cached


@rules.predicate
def is_invited(user, meeting):
    return isinstance(meeting, Meeting) and meeting.pk in invited_meeting_ids(user)


@rules.predicate
def can_read_meeting(user, meeting):
    if not isinstance(meeting, Meeting):
        return False
    roles = roles_in(user, meeting.council)
    if meeting.kind in Meeting.PUBLIC_KINDS:
        return bool(roles - {Role.GUEST}) or is_national_observer(user) or is_invited(user, meeting)
    return bool(roles & STAFF_ROLES) or is_invited(user, meeting)


@rules.predicate
def minutes_author_is_someone_else(user, meeting):
    minutes = getattr(meeting, "minutes", None)
    return minutes is not None and minutes.author_id != user.pk


@rules.predicate
def is_council_kind(user, meeting):
    return meeting.kind in Meeting.PUBLIC_KINDS


rules.add_perm("meetings.view_meeting", can_read_meeting | is_platform_admin)


@rules.predicate
def is_task_force(user, meeting):
    return isinstance(meeting, Meeting) and meeting.kind == Meeting.Kind.TASK_FORCE


# Task forces (regulation art. 7.3): the chair calls them; the technical secretary may set one up
# for the chair. On the council: calling one; on a task force: inviting outside specialists to it.
rules.add_perm("meetings.call_task_force", is_council_chair | is_technical_secretary | is_platform_admin)
rules.add_perm(
    "meetings.invite_specialists",
    (is_task_force & (is_council_chair | is_technical_secretary)) | is_platform_admin,
)


@rules.predicate
def council_staff(user, meeting):
    """Members of the council (not invited guests): they see drafts and the invitation list."""
    return bool(roles_in(user, meeting.council) - {Role.GUEST})


# Draft minutes and who was invited: the council's own people, not the observer or a guest.
rules.add_perm("meetings.view_drafts", (can_read_meeting & council_staff) | is_platform_admin)
# Planning, invitations, attendance, minutes and decisions: the technical secretary's archive.
rules.add_perm("meetings.manage_meeting", is_technical_secretary | is_platform_admin)
# The agenda of a council meeting is agreed by the SKN beforehand: by one of its members, never by
# a platform administrator on their behalf (a rule, which a superuser is not granted as a permission).
rules.add_rule("meetings.agree_agenda", is_skn_member)
# Council minutes: the chair. SKN and task-force minutes: an SKN member other than the author, or the chair.
# A rule (rules.test_rule), not a permission: Django would grant any permission to a superuser.
rules.add_rule(
    "meetings.approve_minutes",
    (is_council_kind & is_council_chair)
    | (~is_council_kind & (is_council_chair | (is_skn_member & minutes_author_is_someone_else))),
)


@rules.predicate
def can_read_document(user, document):
    """Public: anyone. Council: the council's members (not its invited guests), the observer.
    Participants: the officers and (with a meeting) those invited to it. A document of an SKN,
    task-force or restricted meeting follows the same rule and, on top of it, never reaches further
    than the meeting itself: an invited guest reads its public and participants' documents, never
    the council's own — as at a council meeting (DESIGN.md "Visibility")."""
    if document is None:
        return False
    meeting = document.meeting
    closed = meeting is not None and not meeting.is_public
    if closed and not (user.is_authenticated and user.is_active and can_read_meeting(user, meeting)):
        return False
    if document.visibility == Document.Visibility.PUBLIC:
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    roles = roles_in(user, document.council)
    if document.visibility == Document.Visibility.COUNCIL:
        return bool(roles - {Role.GUEST}) or is_national_observer(user)
    if document.meeting_id is None:
        return bool(roles & STAFF_ROLES)
    return bool(roles & STAFF_ROLES) or is_invited(user, document.meeting)


rules.add_perm("meetings.view_document", can_read_document | is_platform_admin)
rules.add_perm("meetings.add_document", is_technical_secretary | is_platform_admin)
