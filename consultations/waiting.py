"""What consultations ask of a person ("waiting for you", councils/waiting.py):

- the agenda of a consultation in preparation, sent by the technical secretary for agreement,
  waits for the SKN (``consultations.agree_agenda``) until one of them agrees it;
- citizens' concerns waiting for moderation, for the technical secretary and the SKN
  (``consultations.moderate``): one item per council, to its moderation queue.

Three queries for every council of the person together."""

import rules
from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from councils.models import SKN_ROLES, Council, Role
from councils.waiting import Waiting

from .models import Concern, Consultation


def _councils(roles: dict, wanted) -> list[int]:
    return [council_id for council_id, held in roles.items() if held & set(wanted)]


def agendas_to_agree(user, roles: dict, now) -> list[Waiting]:
    skn = _councils(roles, SKN_ROLES)
    if not skn:
        return []
    consultations = (
        Consultation.objects.filter(
            council_id__in=skn,
            status=Consultation.Status.DRAFT,
            agenda_status=Consultation.AgendaStatus.DRAFT,
            agenda_submitted_at__isnull=False,
        )
        .exclude(agenda="")
        .select_related("council__municipality")
    )
    return [
        Waiting(
            council=consultation.council,
            kind="consultation_agenda",
            text=_("The agenda of the open consultation of %(date)s waits for the SKN's agreement.")
            % {"date": date_format(timezone.localtime(consultation.starts_at), "SHORT_DATE_FORMAT")},
            url=reverse("consultations:detail", args=[consultation.council.slug, consultation.pk]),
            since=consultation.agenda_submitted_at,
        )
        for consultation in consultations
        if rules.test_rule("consultations.agree_agenda", user, consultation)
    ]


def consultations_to_announce(user, roles: dict, now) -> list[Waiting]:
    """For the technical secretary: a consultation whose agenda the SKN agreed, still a draft: the
    announcement is the next step."""
    secretaries = _councils(roles, (Role.SECRETARY,))
    if not secretaries:
        return []
    consultations = Consultation.objects.filter(
        council_id__in=secretaries,
        status=Consultation.Status.DRAFT,
        agenda_status=Consultation.AgendaStatus.AGREED,
    ).select_related("council__municipality")
    return [
        Waiting(
            council=consultation.council,
            kind="consultation_to_announce",
            text=_("The SKN agreed the agenda of the open consultation of %(date)s: announce it.")
            % {"date": date_format(timezone.localtime(consultation.starts_at), "SHORT_DATE_FORMAT")},
            url=reverse("consultations:announce", args=[consultation.council.slug, consultation.pk]),
            since=consultation.agenda_agreed_at or consultation.updated_at,
        )
        for consultation in consultations
        if user.has_perm("consultations.manage_consultation", consultation)
    ]


def concerns_to_moderate(user, roles: dict, now) -> list[Waiting]:
    moderators = _councils(roles, (Role.SECRETARY, *SKN_ROLES))
    if not moderators:
        return []
    councils = (
        Council.objects.filter(pk__in=moderators, concerns__status=Concern.Status.RECEIVED)
        .annotate(waiting=Count("concerns"), oldest=Min("concerns__created_at"))
        .select_related("municipality")
    )
    return [
        Waiting(
            council=council,
            kind="concerns_to_moderate",
            text=ngettext(
                "%(count)d citizen's concern waits for moderation.",
                "%(count)d citizens' concerns wait for moderation.",
                council.waiting,
            )
            % {"count": council.waiting},
            url=reverse("consultations:concern-list", args=[council.slug]),
            since=council.oldest,
        )
        for council in councils
        if rules.test_rule("consultations.moderate", user, council)
    ]


def consultation_items(user, roles: dict, now) -> list[Waiting]:
    return [
        *agendas_to_agree(user, roles, now),
        *consultations_to_announce(user, roles, now),
        *concerns_to_moderate(user, roles, now),
    ]
