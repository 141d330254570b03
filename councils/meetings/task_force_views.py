"""Task forces (regulation art. 7.3), under /app/<municipality>/: the chair (or the technical
secretary) calls one, and invites specialists from outside the council to it. Thin: form ->
service -> redirect."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from councils.scoping import CouncilScopedMixin
from kvsp.core.service_views import ServiceFormView

from . import task_forces
from .models import Meeting
from .scoping import MeetingFormView
from .task_force_forms import SpecialistForm, TaskForceForm


def specialists_url(meeting: Meeting) -> str:
    return reverse("meetings:specialists", args=[meeting.council.slug, meeting.pk])


class TaskForceCreateView(CouncilScopedMixin, ServiceFormView):
    """The chair calls a task force on an issue; next, the outside specialists are invited."""

    permission_required = "meetings.call_task_force"
    form_class = TaskForceForm
    template_name = "meetings/task_force_form.html"

    def perform(self, form):
        meeting = task_forces.task_force_call(council=self.council, **form.cleaned_data)
        messages.success(
            self.request,
            _(
                "The task force was called. Invite the specialists from outside the council who should "
                "attend."
            ),
        )
        return HttpResponseRedirect(specialists_url(meeting))


class SpecialistsView(MeetingFormView):
    """The task force's outside specialists, and the form that invites one more."""

    object_permission = "meetings.invite_specialists"
    form_class = SpecialistForm
    template_name = "meetings/specialists.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["specialists"] = list(self.meeting.specialists.all())
        context["open"] = (
            self.meeting.kind == Meeting.Kind.TASK_FORCE
            and self.meeting.status == Meeting.Status.PLANNED
            and not self.meeting.has_started
        )
        return context

    def perform(self, form):
        specialist = task_forces.specialist_invite(meeting=self.meeting, **form.cleaned_data)
        if specialist.email:
            message = _("%(name)s is invited to this meeting: the invitation was e-mailed.")
        else:
            message = _(
                "%(name)s is invited to this meeting. There is no e-mail address: reach them by phone, "
                "letter or in person."
            )
        messages.success(self.request, message % {"name": specialist.full_name})
        return HttpResponseRedirect(specialists_url(self.meeting))
