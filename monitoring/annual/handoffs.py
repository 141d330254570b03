"""The annual report's hand-off notices (kvsp/notify), as the monthly report's (monitoring/handoffs.py):

- submitted: the chair, with a link to the approval page (``annual_submitted``);
- returned, with the chair's comments: the SKN and the technical secretary (``annual_returned``);
- approved (and so published): the SKN and the technical secretary (``annual_approved``).

Each is given inside the step's transaction, in the recipient's language; the key carries the time
of the step, so a report returned twice gives two notices. A notice that asked for something is
withdrawn once it is done: the chair's when the chair approves or returns, the SKN's "returned" when
the report is submitted again.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from councils.models import SKN_ROLES, Council, Role
from councils.selectors import users_with_roles
from kvsp.notify import kinds
from kvsp.notify import services as notify
from kvsp.notify.keys import stamp

from .models import AnnualReport


class AnnualHandoff(models.TextChoices):
    SUBMITTED = "annual_submitted", gettext_lazy("Annual report waiting for your approval")
    RETURNED = "annual_returned", gettext_lazy("Annual report returned by the chair")
    APPROVED = "annual_approved", gettext_lazy("Annual report approved and published")


def register() -> None:
    kinds.register(
        *(kinds.Kind(handoff.value, handoff.label, reminder=False, handoff=True) for handoff in AnnualHandoff)
    )


def _council(report: AnnualReport) -> Council:
    return Council.objects.select_related("municipality").get(pk=report.council_id)


def _give(report: AnnualReport, kind: str, key: str, roles: tuple, render) -> int:
    council = _council(report)
    return notify.notify(
        notify.Pending(user=user, kind=kind, key=f"{kind}:{report.pk}:{key}", render=render(council))
        for user in users_with_roles(council, *roles)
    )


def _url(report: AnnualReport, council: Council, page: str = "") -> str:
    name = f"monitoring:annual-{page}" if page else "monitoring:annual-report"
    return reverse(name, args=[council.municipality.slug, report.year])


def notify_submitted(report: AnnualReport) -> int:
    """The SKN submitted the report: the chair, with the approval page."""

    def render(council):
        return lambda: {
            "subject": _("The annual report of %(year)s waits for your approval") % {"year": report.year},
            "lines": [
                _("%(name)s submitted the annual report of %(council)s for %(year)s.")
                % {
                    "name": report.submitted_by.full_name if report.submitted_by else _("The SKN"),
                    "council": council,
                    "year": report.year,
                },
                _("Read it as it will be published, then approve it or return it with your comments."),
            ],
            "url": _url(report, council, "approve"),
            "action": _("Open the report"),
        }

    return _give(report, AnnualHandoff.SUBMITTED, stamp(report.submitted_at), (Role.CHAIR,), render)


def notify_returned(report: AnnualReport) -> int:
    """The chair returned the report: the SKN and the secretary, with the chair's comments."""

    def render(council):
        return lambda: {
            "subject": _("The chair returned the annual report of %(year)s") % {"year": report.year},
            "lines": [
                _("%(name)s returned it with these comments (%(council)s):")
                % {
                    "name": report.returned_by.full_name if report.returned_by else _("The chair"),
                    "council": council,
                },
                report.returned_comment,
                _("Correct the report and submit it again."),
            ],
            "url": _url(report, council),
            "action": _("Open the report"),
        }

    return _give(
        report, AnnualHandoff.RETURNED, stamp(report.returned_at), (Role.SECRETARY, *SKN_ROLES), render
    )


def notify_approved(report: AnnualReport) -> int:
    """The chair approved the report, which is published with it: the SKN and the secretary."""

    def render(council):
        return lambda: {
            "subject": _("The annual report of %(year)s is approved and published") % {"year": report.year},
            "lines": [
                _(
                    "Its PDF is stored and never changes; anyone can read it on the council's public page "
                    "(%(council)s)."
                )
                % {"council": council}
            ],
            "url": _url(report, council),
            "action": _("Open the report"),
        }

    return _give(
        report, AnnualHandoff.APPROVED, stamp(report.approved_at), (Role.SECRETARY, *SKN_ROLES), render
    )


def withdraw_submitted(report: AnnualReport) -> int:
    return notify.withdraw(f"{AnnualHandoff.SUBMITTED}:{report.pk}:")


def withdraw_returned(report: AnnualReport) -> int:
    return notify.withdraw(f"{AnnualHandoff.RETURNED}:{report.pk}:")


def withdraw_all(report: AnnualReport) -> None:
    """Every notice of the report marked done (the demo's report, handled long ago)."""
    for kind in AnnualHandoff:
        notify.withdraw(f"{kind}:{report.pk}:")
