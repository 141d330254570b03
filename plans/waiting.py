"""What plans ask of a person ("waiting for you", councils/waiting.py): a version submitted waits
for the chair's approval; a version returned with comments waits for the SKN and the technical
secretary to rework and submit it again. One query for every council of the person together."""

import rules
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from councils.models import SKN_ROLES, Role
from councils.waiting import Waiting

from .models import PlanVersion


def _councils(roles: dict, wanted) -> list[int]:
    return [council_id for council_id, held in roles.items() if held & set(wanted)]


def _url(name: str, version: PlanVersion) -> str:
    return reverse(name, args=[version.plan.council.slug, version.plan.year, version.number])


def plan_items(user, roles: dict, now) -> list[Waiting]:
    chair = _councils(roles, (Role.CHAIR,))
    editors = _councils(roles, (Role.SECRETARY, *SKN_ROLES))
    if not chair and not editors:
        return []
    found = []
    for version in PlanVersion.objects.filter(
        Q(status=PlanVersion.Status.SUBMITTED, plan__council_id__in=chair)
        | (Q(status=PlanVersion.Status.DRAFT, plan__council_id__in=editors) & ~Q(returned_comment=""))
    ).select_related("plan__council__municipality"):
        names = {"year": version.plan.year, "number": version.number}
        if version.status == PlanVersion.Status.SUBMITTED:
            if rules.test_rule("plans.approve_plan", user, version):
                found.append(
                    Waiting(
                        council=version.plan.council,
                        kind="plan_to_approve",
                        text=_("The plan of %(year)s, version %(number)s, waits for your approval.") % names,
                        url=_url("plans:approve", version),
                        since=version.submitted_at or version.updated_at,
                    )
                )
        elif user.has_perm("plans.edit_plan", version):
            found.append(
                Waiting(
                    council=version.plan.council,
                    kind="plan_returned",
                    text=_(
                        "The plan of %(year)s, version %(number)s, was returned with comments: "
                        "rework it and submit it again."
                    )
                    % names,
                    url=_url("plans:version", version),
                    # Returning saves the version; its rows are edited without touching it.
                    since=version.updated_at,
                )
            )
    return found
