"""Invitations to a meeting and what follows them: who is invited, by e-mail or (without an e-mail
address) by phone, letter or in person; the updated invitation when the agenda changes after they
went out; the notice when the meeting is moved or cancelled.

The guide's order: a council meeting's invitations go out once the SKN agreed its agenda; SKN and
task-force meetings don't wait. Each person is e-mailed each revision of the invitation once: the
meeting is locked, only people whose ``sent_sequence`` is not the meeting's ``sequence`` are
e-mailed, and the outbox message is keyed on (meeting, sequence, person), so a double click, two
tabs or two requests at once send nothing twice. A move, a cancellation or an agenda changed after
the invitations raises ``sequence``: every invitee's calendar gets the newer version (same UID).
"""

from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from councils.models import Person
from kvsp.core import public_cache
from kvsp.core.models import User
from kvsp.notify import services as notify

from . import task_forces
from .calendar import meeting_message_ics
from .models import Invitation, Meeting, Reach

# The notification kinds (registered in MeetingsConfig.ready, kvsp/notify/kinds.py).
MEETING_INVITATION = "meeting_invitation"
MEETING_MOVED = "meeting_moved"
MEETING_CANCELLED = "meeting_cancelled"
# Hand-offs to every invitee with an account (the e-mail as each prefers, the .ics attached).
KINDS = (
    (MEETING_MOVED, gettext_lazy("Meeting moved")),
    (MEETING_CANCELLED, gettext_lazy("Meeting cancelled")),
)
# How the technical secretary may record reaching a person; the e-mail records itself.
RECORDED_REACH = (Reach.PHONE, Reach.LETTER, Reach.IN_PERSON)


class Sent(NamedTuple):
    """What sending invitations did: who was e-mailed now, who has no e-mail address (reach them
    otherwise), and who had already been sent this revision of the invitation (nothing sent)."""

    emailed: list[Person]
    without_email: list[Person]
    already: list[Person]


def _locked(meeting: Meeting) -> Meeting:
    """The meeting, locked for the transaction: every change of its invitations waits its turn."""
    return Meeting.objects.select_for_update().select_related("council__municipality").get(pk=meeting.pk)


def _link(meeting: Meeting) -> str:
    return settings.SITE_URL + reverse("meetings:meeting-detail", args=[meeting.council.slug, meeting.pk])


def _when(moment: datetime) -> str:
    """A date and time in the reader's language (called inside their language)."""
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _ics(meeting: Meeting, person: Person) -> notify.Attachment:
    content = meeting_message_ics(meeting, email=person.email, name=person.full_name)
    filename = "anulim.ics" if meeting.status == Meeting.Status.CANCELLED else "mbledhja.ics"
    return notify.Attachment(filename, content, "text/calendar")


def _mark_emailed(invitation: Invitation, meeting: Meeting, now) -> None:
    invitation.sent_at = now
    invitation.sent_sequence = meeting.sequence
    invitation.reached_by = Reach.EMAIL
    invitation.reached_at = now
    invitation.save(update_fields=["sent_at", "sent_sequence", "reached_by", "reached_at", "updated_at"])


def _forget_reach(invitation: Invitation) -> None:
    """The meeting changed: a person without e-mail must be reached again about it."""
    if invitation.reached_by:
        invitation.reached_by, invitation.reached_at = "", None
        invitation.save(update_fields=["reached_by", "reached_at", "updated_at"])


def _email_invitations(meeting: Meeting, invitations: list[Invitation], *, sent_by, updated: bool) -> list:
    """E-mail the current revision of the invitation to each of ``invitations`` with an e-mail
    address who has not been sent it yet, through the outbox. Returns the people e-mailed."""
    now = timezone.now()
    context = {
        "meeting": meeting,
        "agenda": list(meeting.agenda_items.all()),
        "link": _link(meeting),
        "sent_by": sent_by,
        "updated": updated,
    }
    emailed = []
    for invitation in invitations:
        person = invitation.person
        if not person.email or invitation.sent_sequence == meeting.sequence:
            continue
        # Through the outbox, in this transaction: the worker sends it, retrying if the mail server
        # refuses. One key per revision and person: this revision never reaches them twice.
        notify.enqueue(
            recipients=[person.user if person.user_id else person.email],
            kind=MEETING_INVITATION,
            key=f"{MEETING_INVITATION}:{meeting.pk}:{meeting.sequence}:{person.pk}",
            template=MEETING_INVITATION,
            context=context,
            attachment=_ics(meeting, person),
        )
        _mark_emailed(invitation, meeting, now)
        emailed.append(person)
    return emailed


@transaction.atomic
@public_cache.invalidates
def invitations_send(*, meeting: Meeting, people: list[Person], sent_by: User | None) -> Sent:
    """Invite people: each gets an invitation (also those without an e-mail address, whom the
    technical secretary reaches by phone, letter or in person); those with an address are e-mailed
    the invitation with the meeting's .ics, once per revision of the invitation."""
    meeting = _locked(meeting)
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Invitations are sent for a planned meeting."))
    if meeting.needs_agreed_agenda and meeting.agenda_status != Meeting.AgendaStatus.AGREED:
        raise ValidationError(
            _(
                "The SKN must agree the agenda first: the invitations to a council meeting go out "
                "once its agenda is agreed."
            )
        )
    if meeting.has_started:
        raise ValidationError(_("The meeting has already started: invitations are no longer sent."))
    notify.withdraw(f"agenda_agreed:{meeting.pk}:")  # the secretary's step after the agreement, done
    existing = {i.person_id: i for i in meeting.invitations.select_related("person__user")}
    invitations, seen = [], set()
    for person in people:
        if person.pk in seen:
            continue
        seen.add(person.pk)
        invitation = existing.get(person.pk) or Invitation.objects.create(meeting=meeting, person=person)
        invitation.person = person
        invitations.append(invitation)
    already = [i.person for i in invitations if i.person.email and i.sent_sequence == meeting.sequence]
    emailed = _email_invitations(meeting, invitations, sent_by=sent_by, updated=False)
    return Sent(emailed, [i.person for i in invitations if not i.person.email], already)


@transaction.atomic
@public_cache.invalidates
def invitations_update(*, meeting: Meeting) -> Meeting:
    """The agenda changed after the invitations went out (possible for SKN and task-force meetings,
    whose agenda may change until it is agreed): a new revision of the invitation goes to every
    invitee, and the people without e-mail are to be reached again. Nothing when nobody is invited."""
    meeting = _locked(meeting)
    invitations = list(meeting.invitations.select_related("person__user"))
    if not invitations and not meeting.specialists.exclude(sent_sequence=None).exists():
        return meeting
    meeting.sequence += 1
    meeting.save(update_fields=["sequence", "updated_at"])
    # Revisions not yet sent are replaced by this one.
    notify.withdraw(f"{MEETING_INVITATION}:{meeting.pk}:")
    _email_invitations(meeting, invitations, sent_by=None, updated=True)
    for invitation in invitations:
        if not invitation.person.email:
            _forget_reach(invitation)
    task_forces.specialists_tell(meeting)
    return meeting


def _tell_invitees(meeting: Meeting, kind: str, render_for, context: dict) -> int:
    """Give every invitee with an e-mail address the notice ``kind`` of the meeting's current
    revision, with its .ics: people with an account as a notice (the centre, and the e-mail as they
    prefer), the others by e-mail through the outbox (template ``notify/<kind>/``). Returns how
    many were told."""
    now = timezone.now()
    key = f"{kind}:{meeting.pk}:{meeting.sequence}"
    pending, told = [], 0
    for invitation in meeting.invitations.select_related("person__user"):
        person = invitation.person
        if not person.email:
            continue
        user = person.user
        if user is not None and user.is_active and user.email:
            pending.append(
                notify.Pending(
                    user=user, kind=kind, key=key, render=render_for, attachment=_ics(meeting, person)
                )
            )
        else:
            notify.enqueue(
                recipients=[person.email],
                kind=kind,
                key=f"{key}:{person.pk}",
                template=kind,
                context={**context, "meeting": meeting, "link": _link(meeting)},
                attachment=_ics(meeting, person),
            )
        _mark_emailed(invitation, meeting, now)
        told += 1
    notify.notify(pending)
    return told


@transaction.atomic
@public_cache.invalidates
def meeting_move(*, meeting: Meeting, starts_at: datetime, place: str) -> Meeting:
    """Move a planned meeting to a new date, time or place (not into the past): the invitation's
    revision is raised, and every invitee is told, with the updated .ics (same UID, higher
    SEQUENCE); the people without e-mail are to be reached again."""
    meeting = _locked(meeting)
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Only a planned meeting can be moved."))
    place = " ".join(place.split())
    if not place:
        raise ValidationError({"place": _("Give the place of the meeting.")})
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("A meeting cannot be moved into the past.")})
    if starts_at == meeting.starts_at and place == meeting.place:
        raise ValidationError(_("Give a new date, time or place: this is where and when it already is."))
    before, place_before = meeting.starts_at, meeting.place
    meeting.starts_at, meeting.place = starts_at, place
    meeting.sequence += 1
    meeting.save(update_fields=["starts_at", "place", "sequence", "updated_at"])

    def render():
        return {
            "subject": _("Meeting moved: %(meeting)s") % {"meeting": meeting},
            "lines": [
                _("%(council)s: the %(kind)s has been moved.")
                % {"council": meeting.council, "kind": meeting.get_kind_display()},
                _("New date and time: %(when)s") % {"when": _when(meeting.starts_at)},
                _("Place: %(place)s") % {"place": meeting.place},
                _("It was planned for %(when)s at %(place)s.")
                % {"when": _when(before), "place": place_before},
                _("The updated meeting is attached as a calendar file."),
            ],
            "url": reverse("meetings:meeting-detail", args=[meeting.council.slug, meeting.pk]),
            "action": _("Open the meeting"),
        }

    context = {"before": before, "place_before": place_before, "agenda": list(meeting.agenda_items.all())}
    _tell_invitees(meeting, MEETING_MOVED, render, context)
    task_forces.specialists_tell(meeting)
    for invitation in meeting.invitations.select_related("person"):
        if not invitation.person.email:
            _forget_reach(invitation)
    return meeting


@transaction.atomic
@public_cache.invalidates
def cancellation_send(*, meeting: Meeting) -> int:
    """The meeting was cancelled (``services.meeting_cancel``): every invitee is told, with an
    iCalendar CANCEL of the same event (the cancellation raised its SEQUENCE, in the same save as
    its status, so the history shows one change), and the invitations not yet sent are withdrawn.
    Returns how many were told."""
    meeting = _locked(meeting)
    if meeting.status != Meeting.Status.CANCELLED:
        raise ValidationError(_("Only a cancelled meeting's invitees are told of its cancellation."))
    notify.withdraw(f"{MEETING_INVITATION}:{meeting.pk}:")
    notify.withdraw(f"{MEETING_MOVED}:{meeting.pk}:")

    def render():
        return {
            "subject": _("Meeting cancelled: %(meeting)s") % {"meeting": meeting},
            "lines": [
                _("%(council)s: the %(kind)s of %(when)s at %(place)s is cancelled.")
                % {
                    "council": meeting.council,
                    "kind": meeting.get_kind_display(),
                    "when": _when(meeting.starts_at),
                    "place": meeting.place,
                },
                _("Reason: %(reason)s") % {"reason": meeting.cancel_reason},
                _(
                    "The cancellation is attached as a calendar file: it removes the meeting from your "
                    "calendar."
                ),
            ],
            "url": reverse("meetings:meeting-detail", args=[meeting.council.slug, meeting.pk]),
            "action": _("Open the meeting"),
        }

    return _tell_invitees(meeting, MEETING_CANCELLED, render, {}) + task_forces.specialists_tell(meeting)


@transaction.atomic
@public_cache.invalidates
def invitations_reached(
    *, meeting: Meeting, entries: list[tuple[Invitation, str, datetime | None]]
) -> list[Invitation]:
    """Record how the technical secretary reached invited people without an e-mail address (phone,
    letter, in person) and when; an empty way clears it (a mistake corrected). The e-mail records
    itself when the invitation is sent. Returns the invitations changed."""
    meeting = _locked(meeting)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("The meeting was cancelled: nobody is reached for it any more."))
    now = timezone.now()
    changed = []
    for invitation, how, when in entries:
        if invitation.meeting_id != meeting.pk:
            raise ValidationError(_("Choose people invited to this meeting."))
        if how and how not in RECORDED_REACH:
            raise ValidationError(_("An e-mail is recorded by itself when the invitation is sent."))
        if how and when is not None and when > now:
            raise ValidationError(
                _("%(person)s cannot have been reached in the future.")
                % {"person": invitation.person.full_name}
            )
        reached_at = (when or now) if how else None
        if (invitation.reached_by, invitation.reached_at) == (how, reached_at):
            continue
        if how == invitation.reached_by and when is None:
            continue  # the same way, no new time given: as recorded
        invitation.reached_by, invitation.reached_at = how, reached_at
        invitation.save(update_fields=["reached_by", "reached_at", "updated_at"])
        changed.append(invitation)
    return changed


@transaction.atomic
@public_cache.invalidates
def invitation_answer(*, invitation: Invitation, response: str, deputy_name: str = "") -> Invitation:
    """An invited person answers: attending, not attending, or sending a deputy (named)."""
    if invitation.meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("The meeting is no longer planned; the answer cannot change."))
    if response == Invitation.Response.DEPUTY and not deputy_name.strip():
        raise ValidationError({"deputy_name": _("Name the deputy who will attend.")})
    invitation.response = response
    invitation.deputy_name = deputy_name.strip() if response == Invitation.Response.DEPUTY else ""
    invitation.save(update_fields=["response", "deputy_name", "updated_at"])
    return invitation
