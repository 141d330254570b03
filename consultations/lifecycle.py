"""A consultation's course, as the guide runs it: planned by the technical secretary, its agenda
agreed by the SKN, announced (co-led by the mayor, the police chief and the chief prosecutor), then
held (who came, the SKN present) or cancelled. Each service validates, then writes in one
transaction; the hand-offs between people are notices (consultations/notices.py).

Allowed status changes live in one table (``CONSULTATION_STEPS``). The agenda: changed before the
announcement, it goes back to the SKN for agreement (what is announced is always what the SKN
agreed); once announced, it no longer changes (citizens have read it).
"""

from collections.abc import Iterable
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from councils.meetings.models import Meeting
from councils.models import AdministrativeUnit, Council, Institution, Person
from councils.selectors import seated_institutions
from kvsp.core import public_cache
from kvsp.core.models import User

from . import notices, selectors
from .models import Concern, Consultation, ParticipantGroup, Participation

Status = Consultation.Status
Agenda = Consultation.AgendaStatus
CONSULTATION_STEPS: dict[str, set[str]] = {
    Status.DRAFT: {Status.ANNOUNCED, Status.CANCELLED},
    Status.ANNOUNCED: {Status.HELD, Status.CANCELLED},
    Status.HELD: set(),
    Status.CANCELLED: set(),
}
# The confirmation asked before announcing without all three co-leading heads (ValidationError.code).
HEADS_MISSING = "heads_missing"


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _step(current: str, wanted: str, message: str) -> None:
    if wanted not in CONSULTATION_STEPS[current]:
        raise ValidationError(message)


def _locked(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().get(pk=consultation.pk)


def _check_consultation_fields(council: Council, unit, co_leads, follow_up_meeting) -> None:
    errors = {}
    if unit is not None and unit.municipality_id != council.municipality_id:
        errors["unit"] = _("Choose an administrative unit of this municipality.")
    seated = set(seated_institutions(council).values_list("pk", flat=True))
    if any(institution.pk not in seated for institution in co_leads or ()):
        errors["co_leads"] = _("Choose institutions that sit on this council.")
    if follow_up_meeting is not None and (
        follow_up_meeting.council_id != council.pk or follow_up_meeting.kind not in Meeting.PUBLIC_KINDS
    ):
        errors["follow_up_meeting"] = _("Choose a council meeting of this council.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
@public_cache.invalidates
def consultation_create(
    *,
    council: Council,
    starts_at: datetime,
    place: str,
    title: str = "",
    unit: AdministrativeUnit | None = None,
    co_leads: Iterable[Institution] = (),
    mayor_name: str = "",
    police_chief_name: str = "",
    prosecutor_name: str = "",
    co_lead_names: str = "",
    agenda: str = "",
    follow_up_meeting: Meeting | None = None,
) -> Consultation:
    co_leads = list(co_leads)
    _check_consultation_fields(council, unit, co_leads, follow_up_meeting)
    consultation = Consultation.objects.create(
        council=council,
        starts_at=starts_at,
        place=place.strip(),
        title=title.strip(),
        unit=unit,
        mayor_name=mayor_name.strip(),
        police_chief_name=police_chief_name.strip(),
        prosecutor_name=prosecutor_name.strip(),
        co_lead_names=co_lead_names.strip(),
        agenda=agenda.strip(),
        follow_up_meeting=follow_up_meeting,
    )
    consultation.co_leads.set(co_leads)
    return consultation


def _items(agenda: str) -> list[str]:
    return [line.strip() for line in agenda.splitlines() if line.strip()]


def _reopen_agenda(consultation: Consultation) -> None:
    """The agenda changed before the announcement: the SKN agrees it again (and is asked again)."""
    if consultation.status == Status.HELD:
        raise ValidationError({"agenda": _("The consultation took place: its agenda can no longer change.")})
    if consultation.status != Status.DRAFT:
        raise ValidationError(
            {
                "agenda": _(
                    "The consultation was announced with the agenda the SKN agreed: it can no longer change."
                )
            }
        )
    consultation.agenda_status = Agenda.DRAFT
    consultation.agenda_agreed_by = consultation.agenda_agreed_at = None
    consultation.agenda_submitted_by = consultation.agenda_submitted_at = None
    notices.withdraw(notices.AGENDA_TO_AGREE, consultation)
    notices.withdraw(notices.AGENDA_AGREED, consultation)


@transaction.atomic
@public_cache.invalidates
def consultation_update(*, consultation: Consultation, co_leads: Iterable[Institution] = (), **fields):
    """Correct the details. A cancelled consultation is closed; a held one keeps its date; an
    agenda changed before the announcement goes back to the SKN, after it no longer changes."""
    consultation = _locked(consultation)
    if consultation.status == Status.CANCELLED:
        raise ValidationError(_("A cancelled consultation can no longer change."))
    co_leads = list(co_leads)
    _check_consultation_fields(
        consultation.council, fields.get("unit"), co_leads, fields.get("follow_up_meeting")
    )
    if consultation.status == Status.HELD and fields.get("starts_at") not in (None, consultation.starts_at):
        raise ValidationError({"starts_at": _("The consultation was held: its date can no longer change.")})
    if "agenda" in fields and _items(fields["agenda"]) != consultation.agenda_items:
        _reopen_agenda(consultation)
    for name, value in fields.items():
        setattr(consultation, name, value.strip() if isinstance(value, str) else value)
    consultation.save()
    consultation.co_leads.set(co_leads)
    return consultation


def _agenda_open(consultation: Consultation, message: str) -> None:
    if consultation.agenda_status == Agenda.AGREED:
        raise ValidationError(_("The SKN has already agreed this agenda."))
    if consultation.status != Status.DRAFT:
        raise ValidationError(message)
    if not consultation.agenda_items:
        raise ValidationError(_("Write the agenda of the consultation first."))


@transaction.atomic
@public_cache.invalidates
def consultation_agenda_submit(*, consultation: Consultation, user: User) -> Consultation:
    """The technical secretary sends the draft agenda to the SKN for agreement (a notice to each
    SKN member). Sent once: the SKN finds it in their list until they agree it."""
    consultation = _locked(consultation)
    _agenda_open(consultation, _("Only the agenda of a consultation in preparation is sent for agreement."))
    if consultation.agenda_submitted_at is not None:
        raise ValidationError(
            _("The agenda was already sent to the SKN on %(date)s.")
            % {
                "date": formats.date_format(
                    timezone.localtime(consultation.agenda_submitted_at), "DATETIME_FORMAT"
                )
            }
        )
    consultation.agenda_submitted_by = user
    consultation.agenda_submitted_at = timezone.now()
    consultation.save(update_fields=["agenda_submitted_by", "agenda_submitted_at", "updated_at"])
    notices.agenda_to_agree(consultation, by=user)
    return consultation


@transaction.atomic
@public_cache.invalidates
def consultation_agenda_agree(*, consultation: Consultation, user: User | None) -> Consultation:
    """An SKN member agrees the agenda on the SKN's behalf (rule ``consultations.agree_agenda``):
    from then on the consultation can be announced; the technical secretary is told. ``user``
    None: an agreement recorded after the fact, by nobody named (the demo's past year)."""
    consultation = _locked(consultation)
    _agenda_open(consultation, _("Only the agenda of a consultation in preparation is agreed."))
    consultation.agenda_status = Agenda.AGREED
    consultation.agenda_agreed_by = user
    consultation.agenda_agreed_at = timezone.now()
    consultation.save(update_fields=["agenda_status", "agenda_agreed_by", "agenda_agreed_at", "updated_at"])
    notices.agenda_agreed(consultation, by=user)
    return consultation


def _and(titles: list[str]) -> str:
    """ "the mayor", "the mayor and the police chief", "the mayor, the police chief and the ..."."""
    if len(titles) == 1:
        return titles[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(titles[:-1]), "last": titles[-1]}


def heads_question(consultation: Consultation) -> str:
    """What the technical secretary confirms before announcing without all three heads."""
    return _(
        "The mayor, the police chief and the chief prosecutor co-lead the consultation. "
        "Announce it without %(missing)s?"
    ) % {"missing": _and(consultation.missing_heads)}


@transaction.atomic
@public_cache.invalidates
def consultation_announce(
    *, consultation: Consultation, user: User | None = None, without_heads: bool = False
) -> Consultation:
    """Publish the announcement: from now on the consultation has a public page, and the council's
    members are told. Only once the SKN agreed the agenda; without one of the three co-leading
    heads only when the secretary confirms it (``without_heads``)."""
    consultation = _locked(consultation)
    _step(consultation.status, Status.ANNOUNCED, _("Only a consultation in preparation is announced."))
    if consultation.agenda_status != Agenda.AGREED:
        raise ValidationError(
            _("The SKN has not agreed the agenda yet: the consultation is announced once they agree it.")
        )
    if consultation.missing_heads and not without_heads:
        raise ValidationError(heads_question(consultation), code=HEADS_MISSING)
    consultation.status = Status.ANNOUNCED
    consultation.announced_at = timezone.now()
    consultation.save(update_fields=["status", "announced_at", "updated_at"])
    notices.announced(consultation, by=user)
    return consultation


@transaction.atomic
@public_cache.invalidates
def consultation_cancel(*, consultation: Consultation, reason: str) -> Consultation:
    consultation = _locked(consultation)
    _step(consultation.status, Status.CANCELLED, _("A held consultation cannot be cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the consultation is cancelled.")})
    consultation.status = Status.CANCELLED
    consultation.cancel_reason = reason.strip()
    consultation.save(update_fields=["status", "cancel_reason", "updated_at"])
    notices.settle(consultation)
    # Concerns sent for it are not lost: they wait, ungrouped, for the next consultation.
    for concern in Concern.objects.filter(consultation=consultation, problem__isnull=True):
        concern.consultation = None
        concern.save(update_fields=["consultation", "updated_at"])
    return consultation


@transaction.atomic
@public_cache.invalidates
def participation_record(
    *,
    consultation: Consultation,
    counts: dict[str, tuple[int, int, int]],
    summary: str | None = None,
    skn_present: Iterable[Person] | None = None,
) -> Consultation:
    """Record how many came, by group and gender, and which SKN members were there; recording it
    marks the consultation as held. Not before its start time: it has not taken place yet."""
    consultation = _locked(consultation)
    if consultation.status == Status.CANCELLED:
        raise ValidationError(_("A cancelled consultation has no participants."))
    if not consultation.has_started:
        raise ValidationError(
            _("The consultation has not taken place yet: record who came after it starts, on %(when)s.")
            % {"when": _when(consultation.starts_at)}
        )
    if skn_present is not None:
        skn_present = list(skn_present)
        allowed = set(selectors.skn_candidates(consultation).values_list("pk", flat=True))
        if any(person.pk not in allowed for person in skn_present):
            raise ValidationError({"skn_present": _("Choose members of this council's SKN.")})
    for group, (women, men, unspecified) in counts.items():
        ParticipantGroup(group)  # an unknown group is a programming error, not user input
        if min(women, men, unspecified) < 0:
            raise ValidationError(_("Counts cannot be negative."))
        Participation.objects.update_or_create(
            consultation=consultation,
            group=group,
            defaults={"women": women, "men": men, "unspecified": unspecified},
        )
    if summary is not None:
        consultation.summary = summary.strip()
    if consultation.status != Status.HELD:
        # A consultation nobody announced can still be recorded (it happened); the record shows it.
        consultation.status = Status.HELD
    consultation.save(update_fields=["status", "summary", "updated_at"])
    if skn_present is not None:
        consultation.skn_present.set(skn_present)
    notices.withdraw(notices.AGENDA_TO_AGREE, consultation)  # nothing waits for a held consultation
    notices.withdraw(notices.AGENDA_AGREED, consultation)
    return consultation


def open_consultation(council: Council) -> Consultation | None:
    """The consultation a concern sent online belongs to: the next announced one, or one being
    held today."""
    today_start = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    return (
        Consultation.objects.filter(council=council, status=Status.ANNOUNCED, starts_at__gte=today_start)
        .order_by("starts_at")
        .first()
    )
