"""Writes on meetings. Each validates, then writes in one transaction; approved minutes never change."""

import secrets
from collections.abc import Sequence
from datetime import datetime

import nh3
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from councils.models import Council, Institution, Person
from kvsp.core import public_cache
from kvsp.core.models import User

from . import invitations, notices, skn_summary
from .models import AgendaItem, Amendment, Attendance, CalendarFeed, Decision, Meeting, Minutes, Specialist

# How an outside specialist's attendance is recorded (nobody represents them).
SPECIALIST_ATTENDANCE = (Attendance.Status.PRESENT, Attendance.Status.ABSENT, Attendance.Status.EXCUSED)

# Formatting only: what minutes need, nothing that runs.
MINUTES_TAGS = {"p", "br", "strong", "em", "u", "ul", "ol", "li", "h2", "h3", "blockquote"}


class MinutesConflict(Exception):
    """Someone else saved the minutes since this version was opened."""

    def __init__(self, current: Minutes):
        super().__init__("minutes changed")
        self.current = current


def clean_minutes(text: str) -> str:
    """The text as typed becomes paragraphs (an empty line starts one); whatever looks like a tag
    is shown as written, never interpreted. nh3 then guarantees that nothing but the paragraph
    formatting survives."""
    return nh3.clean(linebreaks(escape(text.strip())), tags=MINUTES_TAGS, attributes={})


def _planned(meeting: Meeting) -> None:
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Only a planned meeting can be changed."))


def _minutes_changed(meeting: Meeting) -> None:
    """The minutes are read with the attendance and the decisions: a change to either is a new
    version of the minutes, so an approver who read the previous one approves nothing."""
    Minutes.objects.filter(meeting=meeting).update(version=F("version") + 1, updated_at=timezone.now())


def _agenda_changed(meeting: Meeting) -> None:
    """A draft agenda changed after it was sent to the SKN: the SKN agrees what was sent, so the
    sending is undone (its notices withdrawn) and the technical secretary sends it again."""
    if meeting.agenda_submitted_at is None:
        return
    notices.withdraw_agenda_to_agree(meeting)
    meeting.agenda_submitted_at = None
    meeting.agenda_submitted_by = None
    meeting.save(update_fields=["agenda_submitted_at", "agenda_submitted_by", "updated_at"])


def _took_place(meeting: Meeting, refused: str) -> None:
    """Facts before approvals: nothing of a meeting is recorded before its start time, and only
    for a meeting that was held (its attendance recorded)."""
    if not meeting.has_started:
        raise ValidationError(refused)
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("Record the attendance first: that marks the meeting as held."))


@transaction.atomic
@public_cache.invalidates
def meeting_create(
    *, council: Council, kind: str, starts_at: datetime, place: str, title: str = "", restricted: bool = False
) -> Meeting:
    """Plan a meeting. SKN and task-force meetings are never public, whatever the flag says."""
    return Meeting.objects.create(
        council=council,
        kind=kind,
        starts_at=starts_at,
        place=place.strip(),
        title=title.strip(),
        restricted=restricted if kind in Meeting.PUBLIC_KINDS else True,
    )


@transaction.atomic
@public_cache.invalidates
def meeting_cancel(*, meeting: Meeting, reason: str) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _planned(meeting)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the meeting is cancelled.")})
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancel_reason = reason.strip()
    meeting.sequence += 1  # the calendars' CANCEL is a newer version of the same event
    meeting.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
    notices.settle(meeting)  # nothing of a cancelled meeting waits for anyone
    invitations.cancellation_send(meeting=meeting)  # every invitee told, with an iCalendar CANCEL
    return meeting


@transaction.atomic
@public_cache.invalidates
def agenda_item_add(*, meeting: Meeting, title: str, presenter: Institution | None = None) -> AgendaItem:
    """Add an item at the end of a draft agenda."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _planned(meeting)
    if meeting.agenda_status != Meeting.AgendaStatus.DRAFT:
        raise ValidationError(_("The agenda has been agreed and can no longer change."))
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem.objects.create(
        meeting=meeting, position=last + 1, title=title.strip(), presenter=presenter
    )
    _agenda_changed(meeting)
    invitations.invitations_update(meeting=meeting)  # after the invitations: the invitees are sent it
    return item


@transaction.atomic
@public_cache.invalidates
def agenda_submit(*, meeting: Meeting, user: User) -> Meeting:
    """The technical secretary sends the draft agenda to the SKN for agreement: the SKN members
    are told (a hand-off notice). Sending it again after a change tells them again."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _planned(meeting)
    if meeting.agenda_status == Meeting.AgendaStatus.AGREED:
        raise ValidationError(_("The agenda has already been agreed."))
    if meeting.has_started:
        raise ValidationError(
            _("The meeting has already started: its agenda is no longer sent for agreement.")
        )
    if not meeting.agenda_items.exists():
        raise ValidationError(_("Add at least one agenda item first."))
    if meeting.agenda_submitted_at is not None:
        # Sent and unchanged since (a change undoes the sending): the SKN members are told once.
        raise ValidationError(_("The agenda has already been sent to the SKN for agreement."))
    meeting.agenda_submitted_by = user
    meeting.agenda_submitted_at = timezone.now()
    meeting.save(update_fields=["agenda_submitted_by", "agenda_submitted_at", "updated_at"])
    notices.agenda_to_agree(meeting, by=user)
    return meeting


@transaction.atomic
@public_cache.invalidates
def agenda_agree(*, meeting: Meeting, user: User) -> Meeting:
    """The SKN agrees the agenda; from then on it is fixed. The technical secretary is told."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _planned(meeting)
    if meeting.agenda_status == Meeting.AgendaStatus.AGREED:
        raise ValidationError(_("The agenda has already been agreed."))
    if not meeting.agenda_items.exists():
        raise ValidationError(_("Add at least one agenda item first."))
    meeting.agenda_status = Meeting.AgendaStatus.AGREED
    meeting.agenda_agreed_by = user
    meeting.agenda_agreed_at = timezone.now()
    meeting.save(update_fields=["agenda_status", "agenda_agreed_by", "agenda_agreed_at", "updated_at"])
    notices.agenda_agreed(meeting, by=user)
    return meeting


@transaction.atomic
@public_cache.invalidates
def attendance_record(
    *,
    meeting: Meeting,
    entries: list[tuple[Person, Institution, str, str]],
    specialists: Sequence[tuple[Specialist, str]] = (),
) -> Meeting:
    """Record who came: one row per person (and, at a task force, whether each outside specialist
    came); recording it marks a planned meeting as held."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("A cancelled meeting has no attendance."))
    if not meeting.has_started:
        # Facts before approvals: a meeting is never held, nor its attendance known, before it starts.
        raise ValidationError(
            _("The meeting has not started yet: its attendance is recorded once it starts.")
        )
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is not None and minutes.is_approved:
        raise ValidationError(_("The minutes are approved: the attendance can no longer change."))
    if minutes is not None and minutes.is_submitted:
        # The approver reads the minutes with their attendance: it waits for the approver's answer.
        raise ValidationError(
            _("The minutes wait for approval: the attendance changes only if the approver returns them.")
        )
    for person, institution, status, represented_by in entries:
        Attendance.objects.update_or_create(
            meeting=meeting,
            person=person,
            defaults={"institution": institution, "status": status, "represented_by": represented_by.strip()},
        )
    for specialist, status in specialists:
        if specialist.meeting_id != meeting.pk:
            raise ValidationError(_("Choose specialists invited to this meeting."))
        if status not in SPECIALIST_ATTENDANCE:
            raise ValidationError(_("An outside specialist is present, absent or excused."))
        if specialist.attendance != status:
            specialist.attendance = status
            specialist.save(update_fields=["attendance", "updated_at"])
    if meeting.status == Meeting.Status.PLANNED:
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status", "updated_at"])
    if minutes is not None:
        _minutes_changed(meeting)
    return meeting


@transaction.atomic
@public_cache.invalidates
def minutes_save(*, meeting: Meeting, body: str, author: User, version: int | None) -> Minutes:
    """Save the draft minutes. ``version`` is the one the writer opened: if someone saved since,
    MinutesConflict carries their text and nothing is overwritten."""
    # Lock the meeting first: two first saves at once must not both try to create the minutes.
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _took_place(meeting, _("The meeting has not started yet: its minutes are written after it."))
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None:
        if version not in (None, 0):
            raise ValidationError(_("The minutes could not be found. Reload the page."))
        return Minutes.objects.create(
            meeting=meeting, source=body.strip(), body=clean_minutes(body), author=author
        )
    if minutes.is_approved:
        raise ValidationError(_("The minutes are approved and locked. Add an amendment instead."))
    if minutes.is_submitted:
        # The approver reads exactly what was submitted: a change waits until they return it.
        raise ValidationError(
            _(
                "The minutes wait for approval and cannot change now. If something must be corrected, "
                "the approver returns them with comments."
            )
        )
    if version != minutes.version:
        raise MinutesConflict(minutes)
    minutes.source = body.strip()
    minutes.body = clean_minutes(body)
    minutes.version += 1
    minutes.save(update_fields=["source", "body", "version", "updated_at"])
    return minutes


def _lock_minutes(minutes: Minutes) -> Minutes:
    meeting = Meeting.objects.select_for_update().get(pk=minutes.meeting_id)  # the lock of every change
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    minutes.meeting = meeting
    return minutes


@transaction.atomic
@public_cache.invalidates
def minutes_submit(*, minutes: Minutes, user: User) -> Minutes:
    """The writer submits the draft (or the returned minutes, corrected) for approval: the approvers
    are told, and the text no longer changes until they approve or return it."""
    minutes = _lock_minutes(minutes)
    _took_place(minutes.meeting, _("The meeting has not started yet: its minutes are submitted after it."))
    if minutes.is_approved:
        raise ValidationError(_("The minutes are already approved."))
    if minutes.is_submitted:
        raise ValidationError(_("The minutes are already waiting for approval."))
    if not minutes.source.strip():
        raise ValidationError(_("Write the minutes before submitting them."))
    minutes.status = Minutes.Status.SUBMITTED
    minutes.submitted_by = user
    minutes.submitted_at = timezone.now()
    minutes.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    notices.minutes_submitted(minutes)
    return minutes


@transaction.atomic
@public_cache.invalidates
def minutes_return(*, minutes: Minutes, user: User, comment: str) -> Minutes:
    """The approver returns the submitted minutes with comments: the writers correct them and submit
    them again (who may is the rule ``meetings.approve_minutes``)."""
    minutes = _lock_minutes(minutes)
    if not minutes.is_submitted:
        raise ValidationError(_("Only minutes waiting for approval can be returned."))
    if not comment.strip():
        raise ValidationError({"comment": _("Say what needs to change before returning the minutes.")})
    minutes.status = Minutes.Status.RETURNED
    minutes.return_comment = comment.strip()
    minutes.returned_by = user
    minutes.returned_at = timezone.now()
    minutes.save(update_fields=["status", "return_comment", "returned_by", "returned_at", "updated_at"])
    notices.minutes_returned(minutes)
    return minutes


@transaction.atomic
@public_cache.invalidates
def minutes_approve(*, minutes: Minutes, user: User, version: int | None = None) -> Minutes:
    """Approve and lock the submitted minutes (who may is a rule: see rules.py). ``version`` is the
    one the approver read: if the minutes changed since, nothing is approved."""
    minutes = _lock_minutes(minutes)
    _took_place(minutes.meeting, _("The meeting has not started yet: its minutes are approved after it."))
    if minutes.is_approved:
        raise ValidationError(_("The minutes are already approved."))
    if not minutes.is_submitted:
        raise ValidationError(_("Only minutes submitted for approval can be approved."))
    if version is not None and version != minutes.version:
        raise ValidationError(
            _("The minutes changed since you opened them: read them again before approving.")
        )
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_by = user
    minutes.approved_at = timezone.now()
    minutes.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    notices.minutes_approved(minutes)
    # The SKN reports after each meeting to the heads of its three institutions: its decisions are
    # settled now. In this transaction, through the outbox: once per head, whatever happens next.
    skn_summary.skn_summary_send(meeting=minutes.meeting)
    return minutes


@transaction.atomic
@public_cache.invalidates
def amendment_add(*, minutes: Minutes, text: str, author: User) -> Amendment:
    """Record a later correction to approved minutes, with who and when."""
    if not minutes.is_approved:
        raise ValidationError(_("Draft minutes are corrected directly, not by amendment."))
    if not text.strip():
        raise ValidationError({"text": _("Write the correction.")})
    return Amendment.objects.create(minutes=minutes, text=text.strip(), author=author)


@transaction.atomic
@public_cache.invalidates
def decision_add(*, meeting: Meeting, text: str, agenda_item: AgendaItem | None = None) -> Decision:
    """Number the meeting's next decision, linked to its agenda item."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _took_place(meeting, _("The meeting has not started yet: its decisions are recorded after it."))
    if getattr(meeting, "minutes", None) and meeting.minutes.is_approved:
        raise ValidationError(_("The minutes are approved: no decision can be added."))
    if getattr(meeting, "minutes", None) and meeting.minutes.is_submitted:
        # The approver reads the minutes with their decisions: both wait for the approver's answer.
        raise ValidationError(
            _("The minutes wait for approval: a decision is added only if the approver returns them.")
        )
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("Choose an item of this meeting's agenda.")})
    # Numbered per council and year: the council's lock makes two meetings' decisions of the same
    # day take the next numbers one after the other, and the database keeps each number unique.
    Council.objects.select_for_update().get(pk=meeting.council_id)
    year = timezone.localtime(meeting.starts_at).year
    last = Decision.objects.filter(council_id=meeting.council_id, year=year).aggregate(last=Max("number"))
    decision = Decision.objects.create(
        council_id=meeting.council_id,
        year=year,
        meeting=meeting,
        number=(last["last"] or 0) + 1,
        text=text.strip(),
        agenda_item=agenda_item,
    )
    _minutes_changed(meeting)
    return decision


@transaction.atomic
@public_cache.invalidates
def calendar_feed_renew(*, user: User) -> CalendarFeed:
    """Give the user a new secret calendar address; the previous one stops working at once."""
    feed, created = CalendarFeed.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    if not created:
        feed.token = secrets.token_urlsafe(32)
        feed.save(update_fields=["token", "updated_at"])
    return feed


@transaction.atomic
@public_cache.invalidates
def document_add(
    *, council: Council, title: str, file, visibility: str, uploaded_by: User, meeting: Meeting | None = None
):
    """Archive a document; its type is judged by its content, never by its name."""
    from kvsp.core.text import fold
    from kvsp.core.uploads import archive_document_type

    from .models import Document

    if meeting is not None and meeting.council_id != council.pk:
        raise ValidationError({"meeting": _("Choose a meeting of this council.")})
    if meeting is not None and not meeting.is_public and visibility == Document.Visibility.PUBLIC:
        raise ValidationError(
            {"visibility": _("A document of a meeting that is not public cannot be public.")}
        )
    content_type = archive_document_type(file)
    title = " ".join(title.split())
    return Document.objects.create(
        council=council,
        meeting=meeting,
        title=title,
        file=file,
        content_type=content_type,
        size=file.size,
        visibility=visibility,
        search_text=fold(title)[:200],
        uploaded_by=uploaded_by,
    )
