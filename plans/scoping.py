"""What the staff pages of plans declare to the one authorization layer (councils/scoping.py), and
the version of the URL they share.

``PlanMixin``: a page of a council's plans — the URL's council (else 404) and
``permission_required`` on it (``plans.view_plans`` unless a view says otherwise; else 403), then
the optional ``rule_required`` and ``check()``, all in ``CouncilScopedMixin.dispatch()``.

``VersionMixin``: a version of the URL's council and year (else 404) that
``PlanVersion.objects.for_user`` gives the user: a draft or a submitted one only for those who may
see drafts (``plans.view_drafts``), else 403 — the plan's existence is no secret, its unapproved
content is. Found in ``check()``, after the method, so that a method a view does not take is a 405
whatever the version.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django_htmx.http import HttpResponseClientRedirect

from councils.scoping import CouncilScopedMixin, readable_or_403

from .models import PlanVersion
from .money import rows_totals
from .selectors import plan_problems


def version_url(version: PlanVersion) -> str:
    """The staff page of a version."""
    plan = version.plan
    return reverse(
        "plans:version", kwargs={"slug": plan.council.slug, "year": plan.year, "number": version.number}
    )


def rows_context(version: PlanVersion, user) -> dict:
    """What plans/partials/_rows.html needs."""
    council = version.plan.council
    problems = list(plan_problems(version))
    return {
        "council": council,
        "version": version,
        "problems": problems,
        "money": rows_totals(problems),
        "can_edit": version.is_editable and user.has_perm("plans.edit_plan", council),
    }


class PlanMixin(CouncilScopedMixin):
    """A page of the council's plans."""

    permission_required = "plans.view_plans"


class VersionMixin(PlanMixin):
    """A version of the URL's council and year, readable by this user."""

    @cached_property
    def version(self) -> PlanVersion:
        """Through ``PlanVersion.objects.for_user``: a version it does not give is a 403, not a
        404, when it is the council's (see the module's docstring)."""
        version = readable_or_403(
            PlanVersion.objects.filter(plan__council=self.council).select_related(
                "plan", "meeting", "based_on", "submitted_by", "approved_by"
            ),
            self.request.user,
            plan__year=self.kwargs["year"],
            number=self.kwargs["number"],
        )
        version.plan.council = self.council  # the same row, already loaded
        return version

    def check(self):
        self.version  # noqa: B018 -- found (else 404) and readable (else 403) before the view goes on
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["version"] = self.version
        context["plan"] = self.version.plan
        return context

    def back(self, message: str = "", *, error: bool = False, anchor: str = ""):
        """To the version's page, with a message (for htmx: the whole page, so it shows)."""
        if message:
            (messages.error if error else messages.success)(self.request, message)
        url = version_url(self.version) + (f"#{anchor}" if anchor else "")
        if self.request.htmx:
            return HttpResponseClientRedirect(url)
        return HttpResponseRedirect(url)

    def refuse(self, error: ValidationError):
        return self.back(" ".join(error.messages), error=True)
