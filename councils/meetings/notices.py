"""The hand-off notices of meetings (kvsp/notify): the agenda waits for the SKN's agreement, the
agenda was agreed, the minutes wait for approval, were returned with comments, were approved.

Each is given in the service's transaction, to the people whose step comes next; when the step is
done, the notice that asked for it is withdrawn (``notify.withdraw``), so that it leaves the
person's list and its e-mail, if not yet sent, is not. A notice's key carries the moment of the
step, so that a second submission after a return is a new notice, and a double click is not."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from councils.models import SKN_ROLES, Role
from councils.selectors import users_with_roles
from kvsp.core.models import User
from kvsp.notify import services as notify
from kvsp.notify.keys import stamp

from .models import Meeting, Minutes

AGENDA_TO_AGREE = "agenda_to_agree"
AGENDA_AGREED = "agenda_agreed"
MINUTES_SUBMITTED = "minutes_submitted"
MINUTES_RETURNED = "minutes_returned"
MINUTES_APPROVED = "minutes_approved"

# Registered in MeetingsConfig.ready(): hand-offs, which each person takes by e-mail as they prefer.
KINDS = (
    (AGENDA_TO_AGREE, gettext_lazy("Agenda waiting for the SKN's agreement")),
    (AGENDA_AGREED, gettext_lazy("Agenda agreed by the SKN")),
    (MINUTES_SUBMITTED, gettext_lazy("Minutes waiting for your approval")),
    (MINUTES_RETURNED, gettext_lazy("Minutes returned with comments")),
    (MINUTES_APPROVED, gettext_lazy("Minutes approved")),
)


def _url(name: str, meeting: Meeting) -> str:
    return reverse(name, args=[meeting.council.municipality.slug, meeting.pk])


def _others(users, *, but: User | None) -> list:
    """``users`` once each, without the person who did the step (nobody is told of their own act)."""
    found = {}
    for user in users:
        if user is not None and (but is None or user.pk != but.pk):
            found.setdefault(user.pk, user)
    return list(found.values())


def _give(users, kind: str, key: str, render) -> int:
    return notify.notify([notify.Pending(user=user, kind=kind, key=key, render=render) for user in users])


def minutes_approvers(meeting: Meeting, author_id: int | None) -> list:
    """Who approves the minutes (the rule ``meetings.approve_minutes``): the chair for a council
    meeting; for an SKN or task-force meeting, the chair and the SKN members other than the author."""
    chairs = users_with_roles(meeting.council, Role.CHAIR)
    if meeting.kind in Meeting.PUBLIC_KINDS:
        return chairs
    skn = [user for user in users_with_roles(meeting.council, *SKN_ROLES) if user.pk != author_id]
    return _others([*chairs, *skn], but=None)


def agenda_to_agree(meeting: Meeting, *, by: User) -> int:
    """The secretary sent the draft agenda: the SKN is asked to agree it."""
    meeting = Meeting.objects.select_related("council__municipality").get(pk=meeting.pk)
    url = _url("meetings:meeting-detail", meeting)

    def render():
        return {
            "subject": _("The agenda of the %(meeting)s waits for the SKN's agreement")
            % {"meeting": meeting},
            "lines": [
                _("%(council)s: %(name)s sent the draft agenda for agreement.")
                % {"council": meeting.council, "name": by},
                _("Once the SKN agrees it, the invitations go out."),
            ],
            "url": url,
            "action": _("Read and agree the agenda"),
        }

    skn = _others(users_with_roles(meeting.council, *SKN_ROLES), but=by)
    return _give(
        skn, AGENDA_TO_AGREE, f"{AGENDA_TO_AGREE}:{meeting.pk}:{stamp(meeting.agenda_submitted_at)}", render
    )


def withdraw_agenda_to_agree(meeting: Meeting) -> int:
    return notify.withdraw(f"{AGENDA_TO_AGREE}:{meeting.pk}:")


def agenda_agreed(meeting: Meeting, *, by: User) -> int:
    """The SKN agreed the agenda: the technical secretary (and whoever sent it) may invite."""
    withdraw_agenda_to_agree(meeting)
    meeting = Meeting.objects.select_related("council__municipality", "agenda_submitted_by").get(
        pk=meeting.pk
    )
    url = _url("meetings:meeting-detail", meeting)

    def render():
        return {
            "subject": _("The SKN agreed the agenda of the %(meeting)s") % {"meeting": meeting},
            "lines": [
                _("%(council)s: %(name)s agreed the agenda on behalf of the SKN.")
                % {"council": meeting.council, "name": by},
                _("The invitations can now be sent."),
            ],
            "url": url,
            "action": _("Open the meeting"),
        }

    people = _others(
        [*users_with_roles(meeting.council, Role.SECRETARY), meeting.agenda_submitted_by], but=by
    )
    return _give(
        people, AGENDA_AGREED, f"{AGENDA_AGREED}:{meeting.pk}:{stamp(meeting.agenda_agreed_at)}", render
    )


def _minutes(minutes: Minutes) -> Minutes:
    return Minutes.objects.select_related(
        "meeting__council__municipality", "author", "submitted_by", "returned_by", "approved_by"
    ).get(pk=minutes.pk)


def minutes_submitted(minutes: Minutes) -> int:
    """The minutes wait for approval: the approvers are told, with a link to the approval page."""
    notify.withdraw(f"{MINUTES_RETURNED}:{minutes.pk}:")
    minutes = _minutes(minutes)
    meeting = minutes.meeting
    url = _url("meetings:minutes-approve", meeting)

    def render():
        return {
            "subject": _("The minutes of the %(meeting)s wait for your approval") % {"meeting": meeting},
            "lines": [
                _("%(council)s: %(name)s submitted them for approval.")
                % {"council": meeting.council, "name": minutes.submitted_by},
            ],
            "url": url,
            "action": _("Read them, then approve or return them"),
        }

    approvers = _others(minutes_approvers(meeting, minutes.author_id), but=minutes.submitted_by)
    key = f"{MINUTES_SUBMITTED}:{minutes.pk}:{stamp(minutes.submitted_at)}"
    return _give(approvers, MINUTES_SUBMITTED, key, render)


def _writers(minutes: Minutes, *, but: User) -> list:
    """The technical secretary and the minutes' author and submitter: whoever writes them."""
    secretaries = users_with_roles(minutes.meeting.council, Role.SECRETARY)
    return _others([*secretaries, minutes.author, minutes.submitted_by], but=but)


def minutes_returned(minutes: Minutes) -> int:
    """Returned with comments: the writers are told what to change."""
    notify.withdraw(f"{MINUTES_SUBMITTED}:{minutes.pk}:")
    minutes = _minutes(minutes)
    meeting = minutes.meeting
    url = _url("meetings:minutes-edit", meeting)

    def render():
        return {
            "subject": _("The minutes of the %(meeting)s were returned with comments") % {"meeting": meeting},
            "lines": [
                _("%(council)s: %(name)s returned them with these comments:")
                % {"council": meeting.council, "name": minutes.returned_by},
                minutes.return_comment,
            ],
            "url": url,
            "action": _("Correct the minutes"),
        }

    key = f"{MINUTES_RETURNED}:{minutes.pk}:{stamp(minutes.returned_at)}"
    return _give(_writers(minutes, but=minutes.returned_by), MINUTES_RETURNED, key, render)


def minutes_approved(minutes: Minutes) -> int:
    """Approved and locked: the writers are told."""
    notify.withdraw(f"{MINUTES_SUBMITTED}:{minutes.pk}:")
    minutes = _minutes(minutes)
    meeting = minutes.meeting
    url = _url("meetings:meeting-detail", meeting)

    def render():
        return {
            "subject": _("The minutes of the %(meeting)s were approved") % {"meeting": meeting},
            "lines": [
                _("%(council)s: %(name)s approved them; they are now locked.")
                % {"council": meeting.council, "name": minutes.approved_by},
            ],
            "url": url,
            "action": _("Open the meeting"),
        }

    key = f"{MINUTES_APPROVED}:{minutes.pk}:{stamp(minutes.approved_at)}"
    return _give(_writers(minutes, but=minutes.approved_by), MINUTES_APPROVED, key, render)


def settle(meeting: Meeting) -> None:
    """A meeting recorded after the fact (the demo's past year): none of its hand-offs waits for
    anyone, and no e-mail about it goes out."""
    minutes = Minutes.objects.filter(meeting=meeting).first()
    notify.withdraw(f"{AGENDA_TO_AGREE}:{meeting.pk}:")
    notify.withdraw(f"{AGENDA_AGREED}:{meeting.pk}:")
    notify.withdraw(f"skn_summary:{meeting.pk}:")  # the SKN's summary of a meeting long past
    if minutes is not None:
        for code in (MINUTES_SUBMITTED, MINUTES_RETURNED, MINUTES_APPROVED):
            notify.withdraw(f"{code}:{minutes.pk}:")
