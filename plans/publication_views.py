"""The record per member institution of where it published the plan on its own website
(regulation art. 8.7): /app/<municipality>/plans/<year>/publications/. The council's people read
it; the SKN and the technical secretary add or correct an entry (through
plans.services.publication_record)."""

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from councils.models import Council, Institution
from councils.selectors import seated_institutions
from kvsp.core.forms import IdChoiceField
from kvsp.core.service_views import ServiceFormView
from kvsp.core.widgets import DateField, DateInput

from . import selectors, services
from .models import Plan
from .scoping import PlanMixin


class PublicationForm(forms.Form):
    """Kept beside its only view: the plans forms module belongs to the editor."""

    institution = IdChoiceField(queryset=Institution.objects.none(), label=gettext_lazy("Institution"))
    url = forms.URLField(
        label=gettext_lazy("Address of the page"),
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy("The page of the institution's website where the plan is published."),
    )
    published_on = DateField(
        label=gettext_lazy("Published on"),
        widget=DateInput(),
    )

    def __init__(self, *args, council: Council, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = seated_institutions(council)
        self.plan = plan

    def clean_published_on(self):
        day = self.cleaned_data["published_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day

    def clean(self):
        cleaned = super().clean()
        if not self.plan.versions.published().exists():
            raise forms.ValidationError(
                _("The plan has no approved version yet: there is nothing to publish.")
            )
        return cleaned


class PublicationsView(PlanMixin, ServiceFormView):
    """GET: which member institutions published the year's plan, and where (``plans.view_plans``).
    POST: record or correct one institution's entry (``plans.edit_plan``)."""

    template_name = "plans/publications.html"
    form_class = PublicationForm

    @property
    def permission_required(self):
        return "plans.edit_plan" if self.request.method == "POST" else "plans.view_plans"

    @cached_property
    def plan(self) -> Plan:
        plans = Plan.objects.for_user(self.request.user).filter(council=self.council)
        return get_object_or_404(plans, year=self.kwargs["year"])

    @cached_property
    def can_edit(self) -> bool:
        return self.request.user.has_perm("plans.edit_plan", self.council)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "council": self.council, "plan": self.plan}

    def get_initial(self):
        """?institution=<id> fills the form with that institution's entry, to correct it."""
        initial = {"published_on": timezone.localdate()}
        wanted = self.request.GET.get("institution", "")
        if wanted.isdecimal() and len(wanted) <= 18:
            entry = self.plan.publications.filter(institution_id=int(wanted)).first()
            if entry is not None:
                initial.update(
                    institution=entry.institution_id, url=entry.url, published_on=entry.published_on
                )
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published = {entry.institution_id: entry for entry in selectors.publications(self.plan)}
        seated = list(seated_institutions(self.council))
        context["plan"] = self.plan
        context["rows"] = [(institution, published.pop(institution.pk, None)) for institution in seated]
        # Entries of institutions that have since left the council stay on the record.
        context["former"] = list(published.values())
        context["can_edit"] = self.can_edit
        context["has_public_page"] = self.plan.versions.published().exists()
        return context

    def perform(self, form):
        services.publication_record(plan=self.plan, **form.cleaned_data)
        messages.success(
            self.request,
            _("Recorded: %(institution)s published the plan.")
            % {"institution": form.cleaned_data["institution"]},
        )
        return HttpResponseRedirect(self.request.path)
