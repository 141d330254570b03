"""Task forces (regulation art. 7.3): narrower expert meetings on a special issue, called by the
council's chair (or set up for the chair by the technical secretary), with specialists from outside
the council invited to that meeting only.

An outside specialist is not a member and has no account: they are e-mailed the invitation (with
the meeting's .ics) through the outbox, in the transaction that invites them, keyed on (meeting,
revision, specialist), so it goes once; when the meeting is moved, its agenda changes or it is
cancelled, the same invitation's newer revision goes to them the same way. Nothing else reaches
them: no notice, no reminder, no link to a page they could open. A task force handles a case in
general terms only: nothing here holds a victim, a perpetrator or a case (DESIGN.md "Privacy").
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from councils.models import Council
from kvsp.core import public_cache
from kvsp.core.text import fold
from kvsp.notify import services as notify

from .calendar import meeting_message_ics
from .models import Meeting, Specialist

# The notification kind of the e-mail to an outside specialist (registered in MeetingsConfig.ready).
SPECIALIST_INVITATION = "specialist_invitation"
SPECIALIST_INVITATION_LABEL = gettext_lazy("Invitation of an outside specialist to a task force")


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("council__municipality").get(pk=meeting.pk)


def _email_specialist(meeting: Meeting, specialist: Specialist) -> bool:
    """Put the meeting's current revision of the invitation for ``specialist`` in the outbox, unless
    it was already sent to them (or they gave no address). Returns whether it was queued."""
    if not specialist.email or specialist.sent_sequence == meeting.sequence:
        return False
    cancelled = meeting.status == Meeting.Status.CANCELLED
    notify.enqueue(
        recipients=[specialist.email],
        kind=SPECIALIST_INVITATION,
        key=f"{SPECIALIST_INVITATION}:{meeting.pk}:{meeting.sequence}:{specialist.pk}",
        template=SPECIALIST_INVITATION,
        context={
            "meeting": meeting,
            "specialist": specialist,
            "agenda": list(meeting.agenda_items.all()),
            "contact": meeting.council.contact_email,
            "updated": specialist.sent_sequence is not None and not cancelled,
            "cancelled": cancelled,
        },
        attachment=notify.Attachment(
            "anulim.ics" if cancelled else "mbledhja.ics",
            meeting_message_ics(meeting, email=specialist.email, name=specialist.full_name),
            "text/calendar",
        ),
    )
    specialist.sent_sequence = meeting.sequence
    specialist.sent_at = timezone.now()
    specialist.save(update_fields=["sent_sequence", "sent_at", "updated_at"])
    return True


@transaction.atomic
@public_cache.invalidates
def task_force_call(*, council: Council, title: str, starts_at: datetime, place: str) -> Meeting:
    """The chair calls a task force on an issue (named in general terms: never a person)."""
    title, place = " ".join(title.split()), " ".join(place.split())
    errors = {}
    if not title:
        errors["title"] = _("Name the issue the task force meets on.")
    if not place:
        errors["place"] = _("Give the place of the meeting.")
    if starts_at <= timezone.now():
        errors["starts_at"] = _("A task force is called for a time still to come.")
    if errors:
        raise ValidationError(errors)
    return Meeting.objects.create(
        council=council,
        kind=Meeting.Kind.TASK_FORCE,
        title=title,
        starts_at=starts_at,
        place=place,
        restricted=True,
    )


@transaction.atomic
@public_cache.invalidates
def specialist_invite(
    *, meeting: Meeting, full_name: str, function: str, institution: str, email: str = ""
) -> Specialist:
    """Invite a specialist from outside the council to this task force only; with an e-mail
    address they are sent the invitation (once), without one the secretary reaches them."""
    meeting = _locked(meeting)
    if meeting.kind != Meeting.Kind.TASK_FORCE:
        raise ValidationError(_("Outside specialists are invited to task forces only."))
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Specialists are invited to a planned meeting."))
    if meeting.has_started:
        raise ValidationError(_("The meeting has already started: invitations are no longer sent."))
    full_name, function = " ".join(full_name.split()), " ".join(function.split())
    institution, email = " ".join(institution.split()), email.strip().lower()
    errors = {}
    for field, value, message in (
        ("full_name", full_name, _("Give the specialist's name.")),
        ("function", function, _("Give the specialist's function, for example: social worker.")),
        ("institution", institution, _("Give the specialist's institution or organisation.")),
    ):
        if not value:
            errors[field] = message
    if errors:
        raise ValidationError(errors)
    for other in meeting.specialists.all():
        if fold(other.full_name) == fold(full_name):
            raise ValidationError(
                {"full_name": _("%(name)s is already invited.") % {"name": other.full_name}}
            )
        if email and other.email == email:
            raise ValidationError(
                {"email": _("This address is already invited, for %(name)s.") % {"name": other.full_name}}
            )
    specialist = Specialist.objects.create(
        meeting=meeting, full_name=full_name, function=function, institution=institution, email=email
    )
    _email_specialist(meeting, specialist)
    return specialist


def specialists_tell(meeting: Meeting) -> int:
    """The meeting moved, its agenda changed or it was cancelled (called by those services, inside
    their transaction, with the meeting locked and its ``sequence`` raised): every outside
    specialist with an address is sent the newer revision of their invitation. Returns how many."""
    specialists = list(meeting.specialists.exclude(email=""))
    if specialists:
        notify.withdraw(f"{SPECIALIST_INVITATION}:{meeting.pk}:")  # older revisions not yet sent
    return sum(_email_specialist(meeting, specialist) for specialist in specialists)
