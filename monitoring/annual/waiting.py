"""What the annual report asks of a person ("waiting for you", councils/waiting.py): a report
submitted waits for the chair (``monitoring.approve_annual_report``); one returned with comments
waits for the SKN and the technical secretary (``monitoring.edit_annual_report``). One query."""

import rules
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from councils.models import SKN_ROLES, Role
from councils.waiting import Waiting

from .models import AnnualReport


def _councils(roles: dict, wanted) -> list[int]:
    return [council_id for council_id, held in roles.items() if held & set(wanted)]


def annual_items(user, roles: dict, now) -> list[Waiting]:
    chair = _councils(roles, (Role.CHAIR,))
    editors = _councils(roles, (Role.SECRETARY, *SKN_ROLES))
    if not chair and not editors:
        return []
    found = []
    for report in AnnualReport.objects.filter(
        Q(status=AnnualReport.Status.SUBMITTED, council_id__in=chair)
        | Q(status=AnnualReport.Status.RETURNED, council_id__in=editors)
    ).select_related("council__municipality"):
        args = [report.council.slug, report.year]
        year = {"year": report.year}
        if report.status == AnnualReport.Status.SUBMITTED:
            if rules.test_rule("monitoring.approve_annual_report", user, report.council):
                found.append(
                    Waiting(
                        council=report.council,
                        kind="annual_to_approve",
                        text=_("The annual report of %(year)s waits for your approval.") % year,
                        url=reverse("monitoring:annual-approve", args=args),
                        since=report.submitted_at or report.updated_at,
                    )
                )
        elif user.has_perm("monitoring.edit_annual_report", report.council):
            found.append(
                Waiting(
                    council=report.council,
                    kind="annual_returned",
                    text=_(
                        "The annual report of %(year)s was returned with comments: rework it and submit it "
                        "again."
                    )
                    % year,
                    url=reverse("monitoring:annual-report", args=args),
                    since=report.returned_at or report.updated_at,
                )
            )
    return found
