"""The SKN's report after each of its meetings (the guide: the SKN "raporton pas çdo mbledhjeje
tek drejtuesit e institucioneve përkatëse"): a short summary — the meeting's decisions, the
activities whose status changed since the previous SKN meeting, and what waits for whom — e-mailed
to the heads of its three institutions, the municipality, the police and the prosecution office,
recorded as each member institution's head (councils.Institution.head_name / head_email).

It goes when the meeting's minutes are approved: only then are its decisions settled (before, they
are a draft that the approver may return), which is also when the rest of the council first reads
them. It goes through the outbox, in the approval's transaction, keyed on (meeting, institution):
sent once, even if the step is repeated or the process dies after the commit. An institution
without a recorded head's e-mail is skipped; the meeting page tells the technical secretary.

Later apps add sections (the activities' status changes live in monitoring) by registering a
callable ``(council, since, until) -> Iterable[SummarySection]`` from their ``AppConfig.ready()``
(``register_summary_section``): this module never imports them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from councils.models import Institution
from kvsp.notify import services as notify
from kvsp.notify.models import OutboxMessage

from .models import Meeting, Minutes

SKN_SUMMARY = "skn_summary"
SKN_SUMMARY_LABEL = gettext_lazy("The SKN's summary after its meeting, to the heads of its institutions")
# The SKN's three institutions (regulation art. 4 a, c, d): their heads receive the summary.
TRIANGLE = (Institution.Category.MAYOR, Institution.Category.POLICE, Institution.Category.PROSECUTION)


@dataclass
class SummarySection:
    heading: str
    lines: list[str] = field(default_factory=list)
    empty: str = ""  # said when there are no lines


_SECTIONS: list[Callable] = []


def register_summary_section(section: Callable) -> None:
    """Add a section to every SKN summary (called from an app's ``ready()``)."""
    if section not in _SECTIONS:
        _SECTIONS.append(section)


def _key(meeting: Meeting, institution: Institution) -> str:
    return f"{SKN_SUMMARY}:{meeting.pk}:{institution.pk}:"


def triangle_institutions(meeting: Meeting) -> list[Institution]:
    """The council's current member institutions of the triangle, in the regulation's order."""
    return list(
        Institution.objects.filter(
            category__in=TRIANGLE,
            seats__council_id=meeting.council_id,
            seats__in=meeting.council.seats.active(),
        )
        .distinct()
        .order_by("category", "name")
    )


def recipients(meeting: Meeting) -> tuple[list[Institution], list[Institution]]:
    """(the triangle's institutions whose head's e-mail is recorded, those without)."""
    institutions = triangle_institutions(meeting)
    return [i for i in institutions if i.head_email], [i for i in institutions if not i.head_email]


def previous_skn_meeting(meeting: Meeting) -> Meeting | None:
    """The SKN meeting held before this one: "since the last SKN meeting" starts there."""
    return (
        Meeting.objects.filter(
            council_id=meeting.council_id,
            kind=Meeting.Kind.SKN,
            status=Meeting.Status.HELD,
            starts_at__lt=meeting.starts_at,
        )
        .order_by("-starts_at")
        .first()
    )


def _meeting_sections(meeting: Meeting) -> list[SummarySection]:
    decisions = SummarySection(_("Decisions"), empty=_("The meeting took no decision."))
    for decision in meeting.decisions.order_by("number"):
        decisions.lines.append(f"{decision.label}: {decision.text}")
    waiting = SummarySection(_("What waits for whom"), empty=_("Nothing of the meetings waits for anyone."))
    council_meetings = Meeting.objects.filter(council_id=meeting.council_id)
    for other in council_meetings.filter(
        status=Meeting.Status.PLANNED,
        agenda_status=Meeting.AgendaStatus.DRAFT,
        agenda_submitted_at__isnull=False,
    ).order_by("starts_at"):
        waiting.lines.append(_("The SKN: to agree the agenda of the %(meeting)s.") % {"meeting": other})
    for minutes in Minutes.objects.filter(
        meeting__council_id=meeting.council_id, status=Minutes.Status.SUBMITTED
    ).select_related("meeting"):
        who = _("The chair") if minutes.meeting.kind in Meeting.PUBLIC_KINDS else _("The SKN or the chair")
        waiting.lines.append(
            _("%(who)s: to approve the minutes of the %(meeting)s.")
            % {"who": who, "meeting": minutes.meeting}
        )
    for minutes in Minutes.objects.filter(
        meeting__council_id=meeting.council_id, status=Minutes.Status.RETURNED
    ).select_related("meeting"):
        waiting.lines.append(
            _("The technical secretary: to correct the minutes of the %(meeting)s.")
            % {"meeting": minutes.meeting}
        )
    return [decisions, waiting]


def summary_sections(meeting: Meeting, *, until: datetime | None = None) -> list[SummarySection]:
    """What the summary says, in the active language: the meeting's decisions, what waits for whom,
    and the registered sections (the activities whose status changed since the previous SKN
    meeting, up to ``until``, by default now)."""
    previous = previous_skn_meeting(meeting)
    since = previous.starts_at if previous is not None else None
    until = until or timezone.now()
    decisions, waiting = _meeting_sections(meeting)
    registered = [found for section in _SECTIONS for found in section(meeting.council, since, until)]
    return [decisions, *registered, waiting]


def skn_summary_send(*, meeting: Meeting) -> tuple[list[Institution], list[Institution]]:
    """Put the summary of an SKN meeting in the outbox for the head of each institution of the
    triangle, in the caller's transaction (the minutes' approval), once per (meeting, institution)
    whatever happens: a head already sent it (or waiting to be) is not sent it again, even at a new
    address. Returns (the institutions whose head was sent it now or before, those skipped for want
    of a recorded head)."""
    if meeting.kind != Meeting.Kind.SKN:
        return [], []
    reached, skipped = recipients(meeting)
    language = settings.LANGUAGE_CODE  # the heads of Albanian institutions: the site's language
    with translation.override(language):
        context = {
            "meeting": meeting,
            "previous": previous_skn_meeting(meeting),
            "sections": summary_sections(meeting),
        }
    for institution in reached:
        if OutboxMessage.objects.filter(key__startswith=_key(meeting, institution)).exists():
            continue
        notify.enqueue(
            recipients=[institution.head_email],
            kind=SKN_SUMMARY,
            key=_key(meeting, institution).rstrip(":"),
            template=SKN_SUMMARY,
            context={**context, "institution": institution},
            language=language,
        )
    return reached, skipped


def summary_state(meeting: Meeting) -> dict | None:
    """For the meeting page of an SKN meeting: who the summary reaches, who it cannot (no head
    recorded), and whether it went."""
    if meeting.kind != Meeting.Kind.SKN:
        return None
    reached, skipped = recipients(meeting)
    sent = (
        OutboxMessage.objects.filter(key__startswith=f"{SKN_SUMMARY}:{meeting.pk}:")
        .exclude(status=OutboxMessage.Status.WITHDRAWN)
        .exists()
    )
    return {"reached": reached, "skipped": skipped, "sent": sent}
