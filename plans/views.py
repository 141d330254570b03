"""Staff pages of plans, under /app/<municipality>/plans/: the council's plans by year, a version laid
out like the guide's Table 1 with its inline editor (htmx, and plain forms without JavaScript), the
workflow (submit, return, approve, revise) and the comparison of two versions. Thin: form ->
service -> redirect (or, for an htmx request, the re-rendered rows).

Who sees what (plans/rules.py): another council's plans are a 404 (CouncilMixin). An approved
version needs ``plans.view_plans``; a draft or submitted version also ``plans.view_drafts`` — a
person who reaches the council but not its drafts (the national observer) gets 403, as for draft
minutes: the plan's existence is no secret, its unapproved content is. Editing needs
``plans.edit_plan`` and a draft: on any other version an edit is refused with a message (a redirect
to the version, or an HX-Redirect for htmx) and nothing changes. Returning and approving are the
chair's alone (the rule ``plans.approve_plan``, which a platform admin does not pass).
"""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from councils.views import CouncilMixin
from kvsp.core.forms import apply_errors

from . import services
from .compare import compare
from .forms import (
    ActivityForm,
    ApproveForm,
    CompareForm,
    IndicatorForm,
    MoveForm,
    PlanStartForm,
    ProblemForm,
    PullForm,
    ReturnForm,
    ReviseForm,
    pull_candidates,
)
from .models import Activity, Indicator, Plan, PlanProblem, PlanVersion
from .services import VersionLocked

Status = PlanVersion.Status


def version_url(version: PlanVersion, page: str = "") -> str:
    plan = version.plan
    return f"/app/{plan.council.slug}/plans/{plan.year}/v{version.number}/{page}"


def plan_problems(version: PlanVersion):
    """The rows of a version with everything Table 1 shows, in a fixed number of queries."""
    activities = Activity.objects.order_by("position").select_related("lead")
    return (
        version.problems.order_by("position")
        .annotate(concern_count=Count("concerns"))
        .prefetch_related(
            Prefetch("activities", queryset=activities),
            Prefetch("activities__partners"),
            Prefetch("activities__indicators", queryset=Indicator.objects.order_by("position")),
        )
    )


def rows_context(version: PlanVersion, user) -> dict:
    """What plans/partials/_rows.html needs."""
    council = version.plan.council
    return {
        "council": council,
        "version": version,
        "problems": list(plan_problems(version)),
        "can_edit": version.is_editable and user.has_perm("plans.edit_plan", council),
    }


class PlanMixin(CouncilMixin):
    """A council's plans. After CouncilMixin's checks (council of the URL, else 404; the named
    permission on it, else 403) and the optional ``rule_required`` (else 403), ``check()`` finds
    the objects of the URL inside that council and may refuse (403, 404 or a response of its own).
    Answers that differ for htmx vary on its header."""

    rule_required = ""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            login = self.handle_no_permission()
            # An htmx request of an expired session: the whole page goes to the login.
            return HttpResponseClientRedirect(login.url) if request.htmx else login
        if not user.has_perm(self.permission_required, self.council):
            raise PermissionDenied
        if self.rule_required and not rules.test_rule(self.rule_required, user, self.council):
            raise PermissionDenied
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        refused = self.check()
        response = refused if refused is not None else super().dispatch(request, *args, **kwargs)
        patch_vary_headers(response, ("HX-Request",))
        return response

    def check(self):
        return None


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
        versions = PlanVersion.objects.select_related("meeting").order_by("-number")
        if not drafts:
            versions = versions.filter(status=Status.APPROVED)
        context["plans"] = Plan.objects.filter(council=self.council).prefetch_related(
            Prefetch("versions", queryset=versions, to_attr="shown_versions")
        )
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


class VersionMixin(PlanMixin):
    """A version of the URL's council and year (else 404); a draft or submitted one only for those
    who may see drafts (else 403)."""

    permission_required = "plans.view_plans"

    @cached_property
    def version(self) -> PlanVersion:
        return get_object_or_404(
            PlanVersion.objects.select_related("plan", "meeting", "based_on", "submitted_by", "approved_by"),
            plan__council=self.council,
            plan__year=self.kwargs["year"],
            number=self.kwargs["number"],
        )

    def check(self):
        version = self.version
        version.plan.council = self.council  # the same row, already loaded
        if not version.is_published and not self.request.user.has_perm("plans.view_drafts", self.council):
            raise PermissionDenied
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
        versions = list(version.plan.versions.select_related("meeting").order_by("-number"))
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
        return context


# --- rows of a draft ---------------------------------------------------------------------------


class EditMixin(VersionMixin):
    """Editing a draft: ``plans.edit_plan``, rows found inside the URL's version (else 404), and
    only while the version is a draft (else refused, nothing changes)."""

    permission_required = "plans.edit_plan"

    def check(self):
        super().check()
        self.find()
        if not self.version.is_editable:
            return self.refuse(VersionLocked(self.locked_message()))
        return None

    def find(self) -> None:
        """Look up the URL's rows (each a 404 outside this version)."""

    def locked_message(self) -> str:
        if self.version.status == Status.SUBMITTED:
            return _(
                "The version is with the chair for approval: it can be edited again if the chair returns it."
            )
        return _("Only a draft can be edited. Revise the approved version to change it.")

    def problem_of(self, pk) -> PlanProblem:
        return get_object_or_404(PlanProblem.objects.filter(version=self.version), pk=pk)

    def activity_of(self, pk) -> Activity:
        return get_object_or_404(
            Activity.objects.filter(problem__version=self.version).select_related("problem", "lead"), pk=pk
        )

    def indicator_of(self, pk) -> Indicator:
        return get_object_or_404(
            Indicator.objects.filter(activity__problem__version=self.version).select_related(
                "activity__problem"
            ),
            pk=pk,
        )

    def done(self, message: str, anchor: str = ""):
        """After a change: for htmx, the re-rendered rows in place of the old ones (with the
        message in the page's status region); otherwise back to the version's page."""
        if not self.request.htmx:
            return self.back(message, anchor=anchor)
        context = rows_context(self.version, self.request.user) | {"status_message": message}
        response = render(self.request, "plans/partials/_rows.html", context)
        return reswap(retarget(response, "#plan-rows"), "outerHTML")


class RowFormView(EditMixin, TemplateView):
    """A row's form: a page of its own without JavaScript, a fragment swapped into the table with
    htmx. What the user typed stays in the form when it comes back with errors."""

    template_name = "plans/row_form.html"
    form_class = ProblemForm
    heading = ""
    slot = ""  # the element the fragment replaces, and the prefix of its field ids
    focus = ""  # the field that takes the focus when the form appears (else the first)

    def form_kwargs(self) -> dict:
        return {}

    def initial(self) -> dict:
        return {}

    def revision(self) -> str:
        """The row's revision when the form opens (edit forms); an add form has none."""
        return ""

    def get_form(self, data=None):
        form = self.form_class(
            data=data, initial=self.initial(), auto_id=f"{self.slot}_%s", **self.form_kwargs()
        )
        if self.request.htmx and data is None:  # a form that appears in the page takes the focus
            form.fields[self.focus or next(iter(form.fields))].widget.attrs["autofocus"] = True
        return form

    def get(self, request, *args, **kwargs):
        return self.show(self.get_form(), self.revision())

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        self.posted_revision = request.POST.get("revision", "")[:40]
        if form.is_valid():
            try:
                return self.perform(form)
            except VersionLocked as error:
                return self.refuse(error)
            except services.RowConflict as error:
                # Both survive: theirs is saved, this form keeps what this user typed, and saving
                # again (with the new revision) replaces theirs knowingly.
                form.add_error(None, error)
                return self.show(form, error.current)
            except ValidationError as error:
                apply_errors(form, error)
        return self.show(form, self.posted_revision)

    def show(self, form, revision: str = ""):
        context = self.get_context_data(
            form=form, heading=self.heading, slot=self.slot, action=self.request.path, revision=revision
        )
        if self.request.htmx:
            return render(self.request, "plans/partials/_row_form.html", context)
        return self.render_to_response(context)

    def perform(self, form):
        raise NotImplementedError


class ProblemAddView(RowFormView):
    slot = "problem-new"
    focus = "title"  # the number is proposed

    @property
    def heading(self):
        return _("Add a problem")

    def initial(self):
        return {"number": f"1.{self.version.problems.count() + 1}"}

    def perform(self, form):
        problem = services.problem_add(version=self.version, **form.cleaned_data)
        return self.done(
            _("Problem %(number)s was added.") % {"number": problem.number}, f"problem-{problem.pk}"
        )


class ProblemEditView(RowFormView):
    def find(self):
        self.problem = self.problem_of(self.kwargs["row"])
        self.slot = f"problem-{self.problem.pk}"

    @property
    def heading(self):
        return _("Edit problem %(number)s") % {"number": self.problem.number}

    def initial(self):
        return {name: getattr(self.problem, name) for name in services.PROBLEM_FIELDS}

    def revision(self):
        return services.row_revision(self.problem)

    def perform(self, form):
        problem = services.problem_update(
            problem=self.problem, revision=self.posted_revision, **form.cleaned_data
        )
        return self.done(
            _("Problem %(number)s was saved.") % {"number": problem.number}, f"problem-{problem.pk}"
        )


class ActivityAddView(RowFormView):
    form_class = ActivityForm

    def find(self):
        self.problem = self.problem_of(self.kwargs["row"])
        self.slot = f"activity-new-{self.problem.pk}"

    @property
    def heading(self):
        return _("Add an activity to problem %(number)s") % {"number": self.problem.number}

    def form_kwargs(self):
        return {"council": self.council}

    def perform(self, form):
        services.activity_add(problem=self.problem, **form.service_data())
        return self.done(_("The activity was added."), f"problem-{self.problem.pk}")


class ActivityEditView(RowFormView):
    form_class = ActivityForm

    def find(self):
        self.activity = self.activity_of(self.kwargs["activity"])
        self.slot = f"activity-{self.activity.pk}"

    @property
    def heading(self):
        return _("Edit the activity")

    def form_kwargs(self):
        return {"council": self.council}

    def initial(self):
        activity = self.activity
        return {
            "text": activity.text,
            "lead": activity.lead,
            "partners": list(activity.partners.all()),
            "deadline_kind": activity.deadline_kind,
            "deadline_date": activity.deadline_date,
            "deadline_period": activity.deadline_period,
            "deadline_every_months": activity.deadline_every_months,
        }

    def revision(self):
        return services.row_revision(self.activity)

    def perform(self, form):
        services.activity_update(activity=self.activity, revision=self.posted_revision, **form.service_data())
        return self.done(_("The activity was saved."), f"activity-{self.activity.pk}")


class IndicatorAddView(RowFormView):
    form_class = IndicatorForm

    def find(self):
        self.activity = self.activity_of(self.kwargs["activity"])
        self.slot = f"indicator-new-{self.activity.pk}"

    @property
    def heading(self):
        return _("Add an indicator")

    def perform(self, form):
        services.indicator_add(activity=self.activity, **form.cleaned_data)
        return self.done(_("The indicator was added."), f"activity-{self.activity.pk}")


class IndicatorEditView(RowFormView):
    form_class = IndicatorForm

    def find(self):
        self.indicator = self.indicator_of(self.kwargs["indicator"])
        self.slot = f"indicator-{self.indicator.pk}"

    @property
    def heading(self):
        return _("Edit the indicator")

    def initial(self):
        return {name: getattr(self.indicator, name) for name in services.INDICATOR_FIELDS}

    def revision(self):
        return services.row_revision(self.indicator)

    def perform(self, form):
        services.indicator_update(
            indicator=self.indicator, revision=self.posted_revision, **form.cleaned_data
        )
        return self.done(_("The indicator was saved."), f"activity-{self.indicator.activity_id}")


class RowActionView(EditMixin, TemplateView):
    """POST only: remove or move a row, then show the rows again."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            return self.perform()
        except VersionLocked as error:
            return self.refuse(error)
        except ValidationError as error:
            return self.back(" ".join(error.messages), error=True)

    def direction(self) -> str:
        form = MoveForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choose up or down."))
        return form.cleaned_data["direction"]

    def perform(self):
        raise NotImplementedError


class ProblemDeleteView(RowActionView):
    def find(self):
        self.problem = self.problem_of(self.kwargs["row"])

    def perform(self):
        number = self.problem.number
        services.problem_remove(problem=self.problem)
        return self.done(_("Problem %(number)s was removed.") % {"number": number})


class ProblemMoveView(RowActionView):
    def find(self):
        self.problem = self.problem_of(self.kwargs["row"])

    def perform(self):
        services.problem_move(problem=self.problem, direction=self.direction())
        return self.done(
            _("Problem %(number)s was moved.") % {"number": self.problem.number}, f"problem-{self.problem.pk}"
        )


class ActivityDeleteView(RowActionView):
    def find(self):
        self.activity = self.activity_of(self.kwargs["activity"])

    def perform(self):
        services.activity_remove(activity=self.activity)
        return self.done(_("The activity was removed."), f"problem-{self.activity.problem_id}")


class ActivityMoveView(RowActionView):
    def find(self):
        self.activity = self.activity_of(self.kwargs["activity"])

    def perform(self):
        services.activity_move(activity=self.activity, direction=self.direction())
        return self.done(_("The activity was moved."), f"activity-{self.activity.pk}")


class IndicatorDeleteView(RowActionView):
    def find(self):
        self.indicator = self.indicator_of(self.kwargs["indicator"])

    def perform(self):
        services.indicator_remove(indicator=self.indicator)
        return self.done(_("The indicator was removed."), f"activity-{self.indicator.activity_id}")


class PullView(EditMixin, TemplateView):
    """Bring the problems the SKN selected in a consultation's prioritisation into the draft."""

    template_name = "plans/pull.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", PullForm(version=self.version, auto_id="pull_%s"))
        context["candidates"] = list(context["form"].fields["problems"].queryset)
        return context

    def post(self, request, *args, **kwargs):
        form = PullForm(request.POST, version=self.version, auto_id="pull_%s")
        if form.is_valid():
            try:
                rows = services.problems_pull(version=self.version, problems=form.cleaned_data["problems"])
            except VersionLocked as error:
                return self.refuse(error)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                message = ngettext(
                    "%(count)d problem was added to the draft. Add its activities.",
                    "%(count)d problems were added to the draft. Add their activities.",
                    len(rows),
                ) % {"count": len(rows)}
                return self.back(message)
        return self.render_to_response(self.get_context_data(form=form))


# --- workflow ----------------------------------------------------------------------------------


class SubmitView(VersionMixin, TemplateView):
    """POST only: the SKN or the secretary sends the draft to the chair."""

    permission_required = "plans.edit_plan"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            services.version_submit(version=self.version, user=request.user)
        except ValidationError as error:
            return self.refuse(error)
        return self.back(_("The plan was sent to the chair for approval."))


class DecisionMixin(VersionMixin):
    """The chair's decision on a submitted version: only the chair (a rule: not even a platform
    admin), only while the version is submitted (else back to it with a message)."""

    permission_required = "plans.view_drafts"
    rule_required = "plans.approve_plan"

    def check(self):
        super().check()
        if self.version.status != Status.SUBMITTED:
            return self.back(
                _("Only a version submitted for approval can be returned or approved."), error=True
            )
        return None


class ReturnView(DecisionMixin, TemplateView):
    template_name = "plans/version_return.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ReturnForm(auto_id="return_%s"))
        return context

    def post(self, request, *args, **kwargs):
        form = ReturnForm(request.POST, auto_id="return_%s")
        if form.is_valid():
            try:
                services.version_return(version=self.version, comment=form.cleaned_data["comment"])
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return self.back(
                    _("The plan was returned to the SKN and the technical secretary with your comments.")
                )
        return self.render_to_response(self.get_context_data(form=form))


class ApproveView(DecisionMixin, TemplateView):
    template_name = "plans/version_approve.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ApproveForm(council=self.council, auto_id="approve_%s"))
        return context

    def post(self, request, *args, **kwargs):
        form = ApproveForm(request.POST, request.FILES, council=self.council, auto_id="approve_%s")
        if form.is_valid():
            try:
                services.version_approve(version=self.version, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return self.back(_("The plan was approved and published."))
        return self.render_to_response(self.get_context_data(form=form))


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
        return get_object_or_404(Plan.objects.filter(council=self.council), year=self.kwargs["year"])

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
