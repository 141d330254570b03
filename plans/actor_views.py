"""The council's list of responsible actors who are not members (plans/actors.py):
/app/<municipality>/plans/actors/. The council's people read it (``plans.view_drafts``); the SKN
and the technical secretary add to it (``plans.edit_plan``). A name already in the list, whatever
its case or accents, is refused with the existing actor named."""

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kvsp.core.service_views import ServiceFormView

from . import actors
from .models import Actor
from .scoping import PlanMixin


class ActorForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=actors.NAME_MAX)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Actor.Kind.choices, initial=Actor.Kind.OTHER)


class ActorListView(PlanMixin, ServiceFormView):
    """GET: the council's actors. POST: add one."""

    template_name = "plans/actors.html"
    form_class = ActorForm

    @property
    def permission_required(self):
        return "plans.edit_plan" if self.request.method == "POST" else "plans.view_drafts"

    @cached_property
    def can_edit(self) -> bool:
        return self.request.user.has_perm("plans.edit_plan", self.council)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["actors"] = list(
            Actor.objects.for_user(self.request.user).filter(council=self.council).order_by("name")
        )
        context["can_edit"] = self.can_edit
        return context

    def perform(self, form):
        actor = actors.actor_add(council=self.council, **form.cleaned_data)
        messages.success(
            self.request, _("“%(name)s” was added to the list of actors.") % {"name": actor.name}
        )
        return HttpResponseRedirect(self.request.path)
