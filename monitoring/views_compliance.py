"""The council's compliance record on its working pages: /app/<municipality>/compliance/ (the checks
of a year with their evidence, the trend over three years and the year's calendar) and the
council's public comment on a year's record."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from councils.scoping import CouncilScopedMixin
from kvsp.core.forms import apply_errors
from plans.services import RowConflict, row_revision

from . import compliance, compliance_data, services
from .compliance_forms import ComplianceCommentForm, ReminderSettingsForm
from .compliance_links import record_rows
from .models import ComplianceComment, ReminderSetting


def record_years(facts: compliance.CouncilFacts, as_of) -> list[int]:
    """This year back to the first year with a record, newest first."""
    starts = [
        day.year
        for day in (facts.first_meeting, facts.first_consultation, facts.first_report, facts.first_approval)
        if day is not None
    ]
    if facts.first_plan_year:
        starts.append(facts.first_plan_year)
    first = max(compliance_data.FIRST_YEAR, min(starts, default=as_of.year))
    return list(range(as_of.year, min(first, as_of.year) - 1, -1))


class ComplianceView(CouncilScopedMixin, TemplateView):
    """A council's record against the regulation's rhythm for a year, with the evidence."""

    permission_required = "monitoring.view_monitoring"
    template_name = "monitoring/compliance.html"
    http_method_names = ["get", "head", "options"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        as_of = compliance_data.today()
        year = compliance_data.chosen_year(self.request.GET.get("year"), as_of)
        years = compliance_data.year_range(year)
        facts = compliance_data.council_facts(self.council, years, as_of)
        records = [compliance.evaluate(facts, y, as_of) for y in reversed(years)]
        context.update(
            year=year,
            as_of=as_of,
            years=record_years(facts, as_of),
            record=records[0],
            rows=record_rows(records[0], self.council.slug),
            trend=records,
            calendar=compliance.calendar_rows(facts, year, as_of),
            month_starts=compliance.month_starts(year),
            can_comment=self.request.user.has_perm("monitoring.comment_compliance", self.council),
        )
        return context


class ComplianceCommentView(CouncilScopedMixin, FormView):
    """The council's public comment on its record for a year (the chair or the secretary)."""

    permission_required = "monitoring.comment_compliance"
    template_name = "monitoring/compliance_comment.html"
    form_class = ComplianceCommentForm

    def setup(self, request, *args, **kwargs):
        """A year KVSP can have a record of, else 404 for everyone: an address that exists for
        nobody, before sign-in and permissions are asked (as before the one dispatch())."""
        super().setup(request, *args, **kwargs)
        if not compliance_data.FIRST_YEAR <= kwargs["year"] <= compliance_data.today().year:
            raise Http404

    @property
    def current(self) -> ComplianceComment | None:
        return (
            ComplianceComment.objects.for_user(self.request.user)
            .filter(council=self.council, year=self.kwargs["year"])
            .first()
        )

    def get_initial(self):
        current = self.current
        return {"text": current.text if current else "", "revision": row_revision(current) if current else ""}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["year"] = self.kwargs["year"]
        return context

    def record_url(self) -> str:
        return reverse("monitoring:compliance", args=[self.council.slug]) + f"?year={self.kwargs['year']}"

    def form_valid(self, form):
        try:
            saved = services.compliance_comment_save(
                council=self.council,
                year=self.kwargs["year"],
                text=form.cleaned_data["text"],
                user=self.request.user,
                revision=form.cleaned_data["revision"],
            )
        except RowConflict as conflict:
            current = self.current
            messages.warning(self.request, conflict.messages[0])
            data = form.data.copy()
            data["revision"] = conflict.current  # saving again replaces theirs, knowingly
            form = self.get_form_class()(data)
            form.is_valid()
            return self.render_to_response(self.get_context_data(form=form, theirs=current))
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        if saved is None:
            messages.success(self.request, _("The comment was taken down."))
        else:
            messages.success(self.request, _("The comment was saved. It is public with the record."))
        return HttpResponseRedirect(self.record_url())


class ReminderSettingsView(CouncilScopedMixin, FormView):
    """Which reminders the council sends: the chair or the technical secretary switches them."""

    permission_required = "monitoring.manage_reminders"
    template_name = "monitoring/reminder_settings.html"
    form_class = ReminderSettingsForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["enabled"] = dict(
            ReminderSetting.objects.filter(council=self.council).values_list("kind", "enabled")
        )
        return kwargs

    def form_valid(self, form):
        services.reminder_settings_save(council=self.council, enabled=form.cleaned_data)
        messages.success(self.request, _("The council's reminders were saved."))
        return HttpResponseRedirect(reverse("monitoring:reminders", args=[self.council.slug]))
