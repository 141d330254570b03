"""The hand-off notices of open consultations (kvsp/notify): the agenda waits for the SKN's
agreement, the SKN agreed it (to the technical secretary), the consultation was announced (to the
council's members).

Each is given in the service's transaction. When the step is done, the notice that asked for it is
withdrawn (``notify.withdraw``): it leaves the person's list and its e-mail, if not yet sent, is
not. A notice's key carries the moment of the step, so a second request after the agenda changed is
a new notice, and a double click is not."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from councils.models import SKN_ROLES, Role
from councils.selectors import users_with_roles
from kvsp.core.models import User
from kvsp.notify import services as notify
from kvsp.notify.keys import stamp

from .models import Consultation

AGENDA_TO_AGREE = "consultation_agenda_to_agree"
AGENDA_AGREED = "consultation_agenda_agreed"
ANNOUNCED = "consultation_announced"

# Registered in ConsultationsConfig.ready(): hand-offs, which each person takes by e-mail as they prefer.
KINDS = (
    (AGENDA_TO_AGREE, gettext_lazy("Consultation agenda waiting for the SKN's agreement")),
    (AGENDA_AGREED, gettext_lazy("Consultation agenda agreed by the SKN")),
    (ANNOUNCED, gettext_lazy("Open consultation announced")),
)
# Everyone who sits on the council (an invited guest does not): who hears of an announcement.
MEMBER_ROLES = tuple(role for role in Role if role != Role.GUEST)


def _url(consultation: Consultation) -> str:
    return reverse("consultations:detail", args=[consultation.council.municipality.slug, consultation.pk])


def _others(users, *, but: User | None) -> list:
    """``users`` once each, without the person who did the step (nobody is told of their own act)."""
    found: dict[int, User] = {}
    for user in users:
        if user is not None and (but is None or user.pk != but.pk):
            found.setdefault(user.pk, user)
    return list(found.values())


def _give(users, kind: str, key: str, render) -> int:
    return notify.notify([notify.Pending(user=user, kind=kind, key=key, render=render) for user in users])


def _fresh(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_related("council__municipality", "agenda_submitted_by").get(
        pk=consultation.pk
    )


def _when(consultation: Consultation) -> str:
    """The date and time in the reader's language (``render`` runs in it)."""
    return formats.date_format(timezone.localtime(consultation.starts_at), "DATETIME_FORMAT")


def withdraw(code: str, consultation: Consultation) -> int:
    return notify.withdraw(f"{code}:{consultation.pk}:")


def agenda_to_agree(consultation: Consultation, *, by: User) -> int:
    """The secretary sent the draft agenda: the SKN is asked to agree it."""
    consultation = _fresh(consultation)

    def render():
        return {
            "subject": _("The agenda of the open consultation of %(when)s waits for the SKN's agreement")
            % {"when": _when(consultation)},
            "lines": [
                _("%(council)s: %(name)s sent the draft agenda for agreement.")
                % {"council": consultation.council, "name": by},
                *consultation.agenda_items,
                _("Once the SKN agrees it, the consultation can be announced."),
            ],
            "url": _url(consultation),
            "action": _("Read and agree the agenda"),
        }

    skn = _others(users_with_roles(consultation.council, *SKN_ROLES), but=by)
    key = f"{AGENDA_TO_AGREE}:{consultation.pk}:{stamp(consultation.agenda_submitted_at)}"
    return _give(skn, AGENDA_TO_AGREE, key, render)


def agenda_agreed(consultation: Consultation, *, by: User | None) -> int:
    """The SKN agreed the agenda: the technical secretary (and whoever sent it) may announce."""
    withdraw(AGENDA_TO_AGREE, consultation)
    consultation = _fresh(consultation)

    def render():
        return {
            "subject": _("The SKN agreed the agenda of the open consultation of %(when)s")
            % {"when": _when(consultation)},
            "lines": [
                _("%(council)s: %(name)s agreed the agenda on behalf of the SKN.")
                % {"council": consultation.council, "name": by}
                if by is not None
                else _("%(council)s: the SKN agreed the agenda.") % {"council": consultation.council},
                _("The consultation can now be announced."),
            ],
            "url": _url(consultation),
            "action": _("Open the consultation"),
        }

    people = _others(
        [*users_with_roles(consultation.council, Role.SECRETARY), consultation.agenda_submitted_by], but=by
    )
    key = f"{AGENDA_AGREED}:{consultation.pk}:{stamp(consultation.agenda_agreed_at)}"
    return _give(people, AGENDA_AGREED, key, render)


def announced(consultation: Consultation, *, by: User | None) -> int:
    """Announced: every member of the council with an account hears when and where, with a link."""
    withdraw(AGENDA_AGREED, consultation)
    consultation = _fresh(consultation)

    def render():
        lines = [
            _("%(council)s announced an open consultation with citizens.")
            % {"council": consultation.council},
            _("When: %(when)s") % {"when": _when(consultation)},
            _("Where: %(place)s") % {"place": consultation.place},
        ]
        if consultation.agenda_items:
            lines += [_("Agenda:"), *consultation.agenda_items]
        return {
            "subject": _("Open consultation on %(when)s: %(place)s")
            % {"when": _when(consultation), "place": consultation.place},
            "lines": lines,
            "url": _url(consultation),
            "action": _("Open the consultation"),
        }

    members = _others(users_with_roles(consultation.council, *MEMBER_ROLES), but=by)
    key = f"{ANNOUNCED}:{consultation.pk}:{stamp(consultation.announced_at)}"
    return _give(members, ANNOUNCED, key, render)


def settle(consultation: Consultation) -> None:
    """The consultation is cancelled: nothing about it waits for anyone, no e-mail about it goes out."""
    for code in (AGENDA_TO_AGREE, AGENDA_AGREED, ANNOUNCED):
        withdraw(code, consultation)
