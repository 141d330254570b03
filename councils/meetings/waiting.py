"""What meetings ask of a person ("waiting for you", councils/waiting.py): agendas sent to the SKN
to agree, minutes to approve (``meetings.approve_minutes``), minutes returned to the technical
secretary who writes them, a meeting that has begun whose attendance or minutes the secretary has
still to record, invitations to send and to answer, and meetings in the coming week. Six queries for every
council of the person together."""

from datetime import timedelta

import rules
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from councils.models import OFFICER_ROLES, SKN_ROLES, Role
from councils.waiting import Waiting

from .models import AgendaItem, Invitation, Meeting, Minutes

UPCOMING_DAYS = 7
RECORD_DAYS = 60


def _councils(roles: dict, wanted) -> list[int]:
    return [council_id for council_id, held in roles.items() if held & set(wanted)]


def _when(meeting: Meeting) -> str:
    return date_format(timezone.localtime(meeting.starts_at), "SHORT_DATETIME_FORMAT")


def _name(meeting: Meeting) -> str:
    """ "SKN meeting of 04.03.2026 10:00" (its title too, when it has one)."""
    name = _("%(kind)s of %(when)s") % {"kind": meeting.get_kind_display(), "when": _when(meeting)}
    return f"{name} ({meeting.title})" if meeting.title else name


def _about(message: str, meeting: Meeting) -> str:
    return message % {"meeting": _name(meeting)}


def _url(name: str, meeting: Meeting) -> str:
    return reverse(name, args=[meeting.council.slug, meeting.pk])


def agendas_to_agree(user, roles: dict, now) -> list[Waiting]:
    """Planned meetings ahead whose draft agenda (one item at least) the technical secretary sent to
    the SKN for agreement (``agenda_submit``): they wait for the SKN until one of them agrees it."""
    skn = _councils(roles, SKN_ROLES)
    if not skn:
        return []
    meetings = (
        Meeting.objects.filter(
            council_id__in=skn,
            status=Meeting.Status.PLANNED,
            starts_at__gt=now,
            agenda_status=Meeting.AgendaStatus.DRAFT,
            agenda_submitted_at__isnull=False,
        )
        .filter(Exists(AgendaItem.objects.filter(meeting=OuterRef("pk"))))
        .select_related("council__municipality")
    )
    return [
        Waiting(
            council=meeting.council,
            kind="agenda_to_agree",
            text=_about(_("The agenda of the %(meeting)s waits for the SKN's agreement."), meeting),
            url=_url("meetings:meeting-detail", meeting),
            since=meeting.agenda_submitted_at,
        )
        for meeting in meetings
        if rules.test_rule("meetings.agree_agenda", user, meeting)
    ]


def minutes_steps(user, roles: dict, now) -> list[Waiting]:
    """Submitted minutes for whoever may approve them (``meetings.approve_minutes``: the chair;
    for SKN and task-force minutes also an SKN member who did not write them); returned minutes
    for the technical secretary, who writes them."""
    approvers = _councils(roles, (Role.CHAIR, *SKN_ROLES))
    writers = _councils(roles, (Role.SECRETARY,))
    found = []
    for minutes in Minutes.objects.filter(
        Q(status=Minutes.Status.SUBMITTED, meeting__council_id__in=approvers)
        | Q(status=Minutes.Status.RETURNED, meeting__council_id__in=writers)
        | Q(status=Minutes.Status.RETURNED, author=user)
    ).select_related("meeting__council__municipality"):
        meeting = minutes.meeting
        if minutes.status == Minutes.Status.SUBMITTED:
            if not rules.test_rule("meetings.approve_minutes", user, meeting):
                continue
            found.append(
                Waiting(
                    council=meeting.council,
                    kind="minutes_to_approve",
                    text=_("The minutes of the %(meeting)s wait for your approval.")
                    % {"meeting": _name(meeting)},
                    url=_url("meetings:minutes-approve", meeting),
                    since=minutes.submitted_at or minutes.updated_at,
                )
            )
        elif user.has_perm("meetings.manage_meeting", meeting):
            found.append(
                Waiting(
                    council=meeting.council,
                    kind="minutes_returned",
                    text=_("The minutes of the %(meeting)s were returned with comments.")
                    % {"meeting": _name(meeting)},
                    url=_url("meetings:minutes-edit", meeting),
                    since=minutes.returned_at or minutes.updated_at,
                )
            )
    return found


def records_to_write(user, roles: dict, now) -> list[Waiting]:
    """For the technical secretary, once a meeting's start has passed: its attendance to record
    (it is still "planned"), then its minutes to write and submit (held, minutes not yet sent to
    the approver). Meetings of the last ``RECORD_DAYS`` days: older ones are past following up."""
    writers = _councils(roles, (Role.SECRETARY,))
    if not writers:
        return []
    meetings = (
        Meeting.objects.filter(
            council_id__in=writers,
            starts_at__lte=now,
            starts_at__gt=now - timedelta(days=RECORD_DAYS),
        )
        .filter(
            Q(status=Meeting.Status.PLANNED)
            | Q(status=Meeting.Status.HELD, minutes__isnull=True)
            | Q(status=Meeting.Status.HELD, minutes__status=Minutes.Status.DRAFT)
        )
        .select_related("council__municipality")
    )
    found = []
    for meeting in meetings:
        if not user.has_perm("meetings.manage_meeting", meeting):
            continue
        if meeting.status == Meeting.Status.PLANNED:
            text = _("The %(meeting)s has begun: record who attended.")
            url = _url("meetings:attendance", meeting)
        else:
            text = _("The %(meeting)s was held: write its minutes and submit them for approval.")
            url = _url("meetings:minutes-edit", meeting)
        found.append(
            Waiting(
                council=meeting.council,
                kind="meeting_to_record",
                text=_about(text, meeting),
                url=url,
                since=meeting.starts_at,
            )
        )
    return found


def invitations_to_send(user, roles: dict, now) -> list[Waiting]:
    """For the technical secretary: a council meeting ahead whose agenda the SKN agreed and to
    which nobody has been invited yet (``invitations_send`` makes an invitation for everyone it
    invites, with or without e-mail): the invitations are the next step."""
    writers = _councils(roles, (Role.SECRETARY,))
    if not writers:
        return []
    meetings = (
        Meeting.objects.filter(
            council_id__in=writers,
            kind__in=Meeting.PUBLIC_KINDS,
            status=Meeting.Status.PLANNED,
            starts_at__gt=now,
            agenda_status=Meeting.AgendaStatus.AGREED,
        )
        .filter(~Exists(Invitation.objects.filter(meeting=OuterRef("pk"))))
        .select_related("council__municipality")
    )
    return [
        Waiting(
            council=meeting.council,
            kind="invitations_to_send",
            text=_about(_("The SKN agreed the agenda of the %(meeting)s: send the invitations."), meeting),
            url=_url("meetings:invitation-send", meeting),
            since=meeting.agenda_agreed_at or meeting.updated_at,
        )
        for meeting in meetings
        if user.has_perm("meetings.manage_meeting", meeting)
    ]


def invitations_to_answer(user, roles: dict, now) -> list[Waiting]:
    """The person's invitations to planned meetings ahead that they have not answered yet: every
    one, whether it was e-mailed, given by phone or letter, or made before the person had an
    account (an invitation to someone with an account is theirs to answer)."""
    invitations = Invitation.objects.filter(
        person__user=user,
        response=Invitation.Response.PENDING,
        meeting__council_id__in=list(roles),
        meeting__status=Meeting.Status.PLANNED,
        meeting__starts_at__gt=now,
    ).select_related("meeting__council__municipality")
    return [
        Waiting(
            council=invitation.meeting.council,
            kind="invitation_to_answer",
            text=_("You are invited to the %(meeting)s: say whether you will attend.")
            % {"meeting": _name(invitation.meeting)},
            url=_url("meetings:invitation-answer", invitation.meeting),
            since=invitation.sent_at or invitation.reached_at or invitation.created_at,
        )
        for invitation in invitations
    ]


def meetings_ahead(user, roles: dict, now) -> list[Waiting]:
    """Planned meetings of the coming week: every meeting of the councils where the person is an
    officer, and those they are invited to (unless they said they will not attend)."""
    officer = _councils(roles, OFFICER_ROLES)
    invited = Invitation.objects.filter(person__user=user).exclude(response=Invitation.Response.NOT_ATTENDING)
    meetings = (
        Meeting.objects.filter(
            council_id__in=list(roles),
            status=Meeting.Status.PLANNED,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(days=UPCOMING_DAYS),
        )
        .filter(Q(council_id__in=officer) | Q(pk__in=invited.values("meeting_id")))
        .select_related("council__municipality")
    )
    return [
        Waiting(
            council=meeting.council,
            kind="meeting_ahead",
            text=capfirst(_("%(meeting)s, %(place)s.") % {"meeting": _name(meeting), "place": meeting.place}),
            url=_url("meetings:meeting-detail", meeting),
            since=meeting.created_at,
            due=meeting.starts_at,
        )
        for meeting in meetings
    ]


def meeting_items(user, roles: dict, now) -> list[Waiting]:
    return [
        *agendas_to_agree(user, roles, now),
        *minutes_steps(user, roles, now),
        *records_to_write(user, roles, now),
        *invitations_to_send(user, roles, now),
        *invitations_to_answer(user, roles, now),
        *meetings_ahead(user, roles, now),
    ]
