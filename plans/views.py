"""Staff pages of plans, under /app/<municipality>/plans/: the council's plans by year, a version laid
out like the guide's Table 1 (its inline editor is plans/editor_views.py), the workflow (submit,
return, approve, revise) and the comparison of two versions. Thin: form -> service -> redirect.

Who sees what (plans/rules.py, declared to councils/scoping.py through plans/scoping.py): another
council's plans are a 404. An approved version needs ``plans.view_plans``; a draft or submitted
version also ``plans.view_drafts`` — a person who reaches the council but not its drafts (the
national observer) gets 403, as for draft minutes: the plan's existence is no secret, its
unapproved content is. Returning and approving are the chair's alone (the rule
``plans.approve_plan``, which a platform admin does not pass).
"""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from kvsp.core.forms import apply_errors
from kvsp.core.service_views import ServiceFormView

from . import approval, selectors, services
from .comments import approval_refusal as comment_refusal
from .compare import compare
from .forms import ApproveForm, CompareForm, PlanStartForm, ReturnForm, ReviseForm, pull_candidates
from .models import CommentPeriod, Plan, PlanVersion
from .scoping import PlanMixin, VersionMixin, rows_context, version_url

Status = PlanVersion.Status


class PlanIndexView(PlanMixin, TemplateView):
    """The council's plans by year with their versions; editors start the plan of a year."""

    template_name = "plans/plan_list.html"

    @property
    def permission_required(self):
        return "plans.edit_plan" if self.request.method == "POST" else "plans.view_plans"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        drafts = user.has_perm("plans.view_drafts", self.council)
        context["plans"] = selectors.council_plans(self.council, drafts=drafts)
        context["can_edit"] = user.has_perm("plans.edit_plan", self.council)
        context["can_view_drafts"] = drafts
        if context["can_edit"]:
            context.setdefault("form", PlanStartForm(auto_id="start_%s"))
        return context

    def post(self, request, *args, **kwargs):
        form = PlanStartForm(request.POST, auto_id="start_%s")
        if form.is_valid():
            try:
                version = services.plan_start(council=self.council, year=form.cleaned_data["year"])
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request, _("Here is the draft of the plan for %(year)s.") % {"year": version.plan.year}
                )
                return HttpResponseRedirect(version_url(version))
        return self.render_to_response(self.get_context_data(form=form))


class VersionDetailView(VersionMixin, TemplateView):
    """The version laid out like Table 1, with its history and the workflow the user may take.
    For htmx, only the rows (what the editor swaps back in)."""

    template_name = "plans/version_detail.html"

    def get(self, request, *args, **kwargs):
        if request.htmx:
            return render(request, "plans/partials/_rows.html", rows_context(self.version, request.user))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, version, council = self.request.user, self.version, self.council
        drafts = user.has_perm("plans.view_drafts", council)
        editor = user.has_perm("plans.edit_plan", council)
        versions = list(version.plan.versions.select_related("meeting", "decision").order_by("-number"))
        if not drafts:
            versions = [v for v in versions if v.is_published]
        open_version = any(v.status in PlanVersion.OPEN_STATUSES for v in versions)
        context.update(rows_context(version, user))
        context.update(
            versions=versions,
            previous=next((v for v in versions if v.number < version.number), None),
            can_submit=editor and version.status == Status.DRAFT,
            can_decide=version.status == Status.SUBMITTED
            and rules.test_rule("plans.approve_plan", user, council),
            can_revise=editor and version.is_published and not open_version,
            revise_form=ReviseForm(auto_id="revise_%s"),
            pull_count=pull_candidates(version).count() if context["can_edit"] else 0,
        )
        # Public comment (plans/comments.py): opened by the SKN on a submitted version.
        period = CommentPeriod.objects.filter(version=version).first()
        context.update(
            comment_period=period,
            can_open_comment=period is None
            and version.status == Status.SUBMITTED
            and rules.test_rule("plans.open_comment_period", user, council),
            can_moderate_comments=rules.test_rule("plans.moderate_comments", user, council),
        )
        return context


# --- workflow ----------------------------------------------------------------------------------


class SubmitView(VersionMixin, TemplateView):
    """POST only: the SKN or the secretary sends the draft to the chair."""

    permission_required = "plans.edit_plan"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            approval.version_submit(version=self.version, user=request.user)
        except ValidationError as error:
            return self.refuse(error)
        return self.back(_("The plan was sent to the chair for approval."))


def decided_message(version: PlanVersion) -> str:
    """What became of a version no longer waiting for the chair (a stale link, a second tab)."""
    if version.status == Status.APPROVED:
        return _("This version was already approved by %(decision)s, dated %(date)s.") % {
            "decision": version.decision_label,
            "date": date_format(version.decision_date, "SHORT_DATE_FORMAT"),
        }
    if version.returned_comment:
        return _("This version was already returned to the SKN and the technical secretary.")
    return _("This version is a draft: it waits to be submitted for approval.")


class DecisionMixin(VersionMixin):
    """The chair's decision on a submitted version, on one page that shows the whole version with
    "Approve" and "Return with comments" side by side: only the chair (a rule: not even a platform
    admin). Once the version is no longer submitted (a stale link from a notice, a second tab), the
    page shows what became of it, and a POST goes back to the version with that message."""

    permission_required = "plans.view_drafts"
    rule_required = "plans.approve_plan"
    template_name = "plans/version_decide.html"

    def check(self):
        super().check()
        if self.version.status != Status.SUBMITTED and self.request.method == "POST":
            messages.info(self.request, decided_message(self.version))
            return HttpResponseRedirect(version_url(self.version))
        return None

    def approve_form(self, data=None, files=None):
        return ApproveForm(data, files, version=self.version, auto_id="approve_%s")

    def return_form(self, data=None):
        return ReturnForm(data, auto_id="return_%s")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        waiting = self.version.status == Status.SUBMITTED
        context.update(rows_context(self.version, self.request.user))
        context.update(
            waiting=waiting,
            decided=None if waiting else decided_message(self.version),
            comment_refusal=comment_refusal(self.version) if waiting else None,
            approve_form=context.get("approve_form") or (self.approve_form() if waiting else None),
            return_form=context.get("return_form") or (self.return_form() if waiting else None),
        )
        return context


class ReturnView(DecisionMixin, ServiceFormView):
    form_class = ReturnForm

    def get_form(self, form_class=None):
        return self.return_form(self.request.POST if self.request.method == "POST" else None)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("return_form", kwargs.get("form"))
        return super().get_context_data(**kwargs)

    def perform(self, form):
        approval.version_return(version=self.version, comment=form.cleaned_data["comment"])
        return self.back(
            _("The plan was returned to the SKN and the technical secretary with your comments.")
        )


class ApproveView(DecisionMixin, ServiceFormView):
    form_class = ApproveForm

    def get_form(self, form_class=None):
        if self.request.method == "POST":
            return self.approve_form(self.request.POST, self.request.FILES)
        return self.approve_form()

    def get_context_data(self, **kwargs):
        kwargs.setdefault("approve_form", kwargs.get("form"))
        return super().get_context_data(**kwargs)

    def perform(self, form):
        approval.version_approve(
            version=self.version,
            user=self.request.user,
            decision=form.cleaned_data["decision"],
            signed_scan=form.cleaned_data.get("signed_scan"),
            seen=form.cleaned_data.get("seen") or None,
        )
        return self.back(_("The plan was approved and published."))


class ReviseView(VersionMixin, TemplateView):
    """POST only: copy an approved version into a new draft."""

    permission_required = "plans.edit_plan"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = ReviseForm(request.POST)
        if not form.is_valid():
            return self.back(" ".join(m for errors in form.errors.values() for m in errors), error=True)
        try:
            draft = services.version_revise(version=self.version, note=form.cleaned_data["note"])
        except ValidationError as error:
            return self.refuse(error)
        messages.success(
            request,
            _("Version %(number)s is a new draft: change what needs changing.") % {"number": draft.number},
        )
        return HttpResponseRedirect(version_url(draft))


# --- comparison --------------------------------------------------------------------------------


def _number(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdecimal() and len(value) <= 5 else None


class CompareView(PlanMixin, TemplateView):
    """Two versions of a year's plan side by side, row by row (matched by lineage id)."""

    permission_required = "plans.view_plans"
    template_name = "plans/compare.html"
    http_method_names = ["get", "head"]

    @cached_property
    def plan(self) -> Plan:
        plans = Plan.objects.for_user(self.request.user).filter(council=self.council)
        return get_object_or_404(plans, year=self.kwargs["year"])

    @cached_property
    def versions(self) -> dict[int, PlanVersion]:
        return {v.number: v for v in self.plan.versions.order_by("number")}

    def readable(self, version: PlanVersion) -> bool:
        return version.is_published or self.request.user.has_perm("plans.view_drafts", self.council)

    def check(self):
        for key in ("a", "b"):
            version = self.versions.get(_number(self.request.GET.get(key)))
            if version is not None and not self.readable(version):
                raise PermissionDenied
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        readable = [v for v in self.versions.values() if self.readable(v)]
        data = self.request.GET if ("a" in self.request.GET or "b" in self.request.GET) else None
        if data is None and len(readable) >= 2:
            newest = readable[-1]
            older = newest.based_on_id and next((v for v in readable if v.pk == newest.based_on_id), None)
            data = {"a": (older or readable[-2]).number, "b": newest.number}
        form = CompareForm(data, versions=readable, auto_id="compare_%s")
        context.update(plan=self.plan, form=form, readable=readable)
        if form.is_bound and form.is_valid():
            older, newer = sorted((form.cleaned_data["a"], form.cleaned_data["b"]))
            older, newer = self.versions[older], self.versions[newer]
            diffs = compare(older, newer)
            context.update(
                older=older,
                newer=newer,
                diffs=[d for d in diffs if d.kind != "same"],
                unchanged=[d for d in diffs if d.kind == "same"],
            )
        return context
