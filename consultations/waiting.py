"""What consultations ask of a person ("waiting for you", councils/waiting.py): citizens' concerns
waiting for moderation (the technical secretary and the SKN, ``consultations.moderate``), one item
per council to its moderation queue. One query for every council of the person together."""

import rules
from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import ngettext

from councils.models import SKN_ROLES, Council, Role
from councils.waiting import Waiting

from .models import Concern


def _councils(roles: dict, wanted) -> list[int]:
    return [council_id for council_id, held in roles.items() if held & set(wanted)]


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
    return [*concerns_to_moderate(user, roles, now)]
