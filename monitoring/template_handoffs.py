"""The report template's hand-off notices (kvsp/notify): whom a template version reaches at each step.

- submitted: the chair, with a link to the template page, where the chair approves or returns it;
- returned, with the chair's comments: the SKN and the technical secretary;
- approved: the SKN and the technical secretary (the version applies to the reports opened from now).

Each is given inside the step's transaction (the e-mail leaves after the commit), in the recipient's
language; the key carries the time of the step. A notice that asked for something is withdrawn once
it is done: the chair's when the chair approves or returns, the SKN's "returned" at the next submit.
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

from .models import ReportTemplate


class TemplateHandoff(models.TextChoices):
    SUBMITTED = "template_submitted", gettext_lazy("Monthly report template waiting for approval")
    RETURNED = "template_returned", gettext_lazy("Monthly report template returned by the chair")
    APPROVED = "template_approved", gettext_lazy("Monthly report template approved")


def register() -> None:
    kinds.register(
        *(
            kinds.Kind(handoff.value, handoff.label, reminder=False, handoff=True)
            for handoff in TemplateHandoff
        )
    )


def _notify(template: ReportTemplate, kind: str, moment, roles, render) -> int:
    council = Council.objects.select_related("municipality").get(pk=template.council_id)
    url = reverse("monitoring:template", args=[council.municipality.slug])
    return notify.notify(
        notify.Pending(
            user=user, kind=kind, key=f"{kind}:{template.pk}:{stamp(moment)}", render=render(council, url)
        )
        for user in users_with_roles(council, *roles)
    )


def notify_submitted(template: ReportTemplate) -> int:
    """The SKN submitted a template version: the chair."""

    def render(council, url):
        return lambda: {
            "subject": _("The monthly report template, version %(number)s, waits for your approval")
            % {"number": template.number},
            "lines": [_("The SKN submitted it (%(council)s).") % {"council": council}],
            "url": url,
            "action": _("Approve or return it"),
        }

    return _notify(template, TemplateHandoff.SUBMITTED, template.submitted_at, (Role.CHAIR,), render)


def notify_returned(template: ReportTemplate) -> int:
    """The chair returned the version: the SKN and the secretary, with the chair's comments."""
    chair = template.returned_by.full_name if template.returned_by else ""

    def render(council, url):
        return lambda: {
            "subject": _("The chair returned the monthly report template, version %(number)s")
            % {"number": template.number},
            "lines": [
                _("%(name)s returned it with these comments (%(council)s):")
                % {"name": chair or _("The chair"), "council": council},
                template.returned_comment,
                _("Correct the template and submit it again."),
            ],
            "url": url,
            "action": _("Open the template"),
        }

    roles = (Role.SECRETARY, *SKN_ROLES)
    return _notify(template, TemplateHandoff.RETURNED, template.returned_at, roles, render)


def notify_approved(template: ReportTemplate) -> int:
    """The chair approved the version: the SKN and the secretary."""

    def render(council, url):
        return lambda: {
            "subject": _("The monthly report template, version %(number)s, was approved")
            % {"number": template.number},
            "lines": [
                _("The reports opened from now on follow it (%(council)s); earlier reports keep theirs.")
                % {"council": council}
            ],
            "url": url,
            "action": _("Open the template"),
        }

    roles = (Role.SECRETARY, *SKN_ROLES)
    return _notify(template, TemplateHandoff.APPROVED, template.approved_at, roles, render)


def withdraw_submitted(template: ReportTemplate) -> int:
    """The chair approved or returned the version: the notice that it waits is done."""
    return notify.withdraw(f"{TemplateHandoff.SUBMITTED}:{template.pk}:")


def withdraw_returned(template: ReportTemplate) -> int:
    """The version was submitted again: the "returned" notice is done."""
    return notify.withdraw(f"{TemplateHandoff.RETURNED}:{template.pk}:")
