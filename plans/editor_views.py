"""The inline editor of a draft plan, under /app/<municipality>/plans/<year>/v<n>/: its rows
(problems, their activities, the activities' indicators) added, edited, removed and moved, and the
problems of a consultation pulled in. A page of its own without JavaScript, a fragment swapped into
the table with htmx.

Editing needs ``plans.edit_plan`` and a draft: on any other version an edit is refused with a
message (a redirect to the version, or an HX-Redirect for htmx) and nothing changes. Every row of a
URL is looked up inside the URL's council and version (else 404).
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView
from django_htmx.http import reswap, retarget

from kvsp.core.forms import apply_errors

from . import services
from .forms import ActivityForm, IndicatorForm, MoveForm, PullForm, RowForm, TitleForm
from .models import Activity, Indicator, PlanProblem, PlanVersion
from .scoping import VersionMixin, rows_context
from .services import VersionLocked

Status = PlanVersion.Status


class EditMixin(VersionMixin):
    """Editing a draft: ``plans.edit_plan``, rows found inside the URL's version through their
    model's ``for_user`` (else 404), and only while the version is a draft (else refused, nothing
    changes)."""

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
        rows = PlanProblem.objects.for_user(self.request.user)
        return get_object_or_404(rows.filter(version=self.version), pk=pk)

    def activity_of(self, pk) -> Activity:
        rows = Activity.objects.for_user(self.request.user).filter(problem__version=self.version)
        return get_object_or_404(rows.select_related("problem", "lead"), pk=pk)

    def indicator_of(self, pk) -> Indicator:
        rows = Indicator.objects.for_user(self.request.user).filter(activity__problem__version=self.version)
        return get_object_or_404(rows.select_related("activity__problem"), pk=pk)

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
    form_class = RowForm
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


def suggest_number(version: PlanVersion) -> str:
    """The number proposed for a new row: the one after the last row's ("1.7" → "1.8"), else 1.1.
    Only a proposal: the secretary types the plan's own numbers."""
    last = version.problems.order_by("-position").values_list("number", flat=True).first() or "1.0"
    head, _dot, tail = last.rpartition(".")
    taken = set(version.problems.values_list("number", flat=True))
    step = int(tail) + 1 if tail.isdecimal() else len(taken) + 1
    prefix = f"{head}." if head else ""
    while f"{prefix}{step}" in taken:
        step += 1
    return f"{prefix}{step}"


class ProblemAddView(RowFormView):
    slot = "problem-new"
    focus = "title"  # the number is proposed

    @property
    def heading(self):
        return _("Add a problem")

    def form_kwargs(self):
        return {"council": self.council}

    def initial(self):
        return {"number": suggest_number(self.version)}

    def perform(self, form):
        problem = services.problem_add(version=self.version, **form.service_data())
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

    def form_kwargs(self):
        return {"council": self.council, "category_id": self.problem.category_id}

    def initial(self):
        return {name: getattr(self.problem, name) for name in services.PROBLEM_FIELDS} | {
            "category": self.problem.category_id,
            "institutions": list(self.problem.institutions.all()),
            "actors": list(self.problem.actors.all()),
            "groups": self.problem.groups,
            "unit": self.problem.unit_id,
        }

    def revision(self):
        return services.row_revision(self.problem)

    def perform(self, form):
        problem = services.problem_update(
            problem=self.problem, revision=self.posted_revision, **form.service_data()
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
            "actors": list(activity.actors.all()),
            "groups": activity.groups,
            "deadline_kind": activity.deadline_kind,
            "deadline_date": activity.deadline_date,
            "deadline_period": activity.deadline_period,
            "deadline_every_months": activity.deadline_every_months,
            "estimated_cost": activity.estimated_cost,
            "funding_source": activity.funding_source,
            "funder": activity.funder,
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


class TitleView(RowFormView):
    """The plan's title, by default the guide's."""

    form_class = TitleForm
    slot = "plan-title"

    @property
    def heading(self):
        return _("Title of the plan")

    def initial(self):
        return {"title": self.version.title or self.version.display_title}

    def perform(self, form):
        services.version_retitle(version=self.version, title=form.cleaned_data["title"])
        return self.back(_("The title was saved."))
