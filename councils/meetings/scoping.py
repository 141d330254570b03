"""The base of every staff page on one meeting, shared by the meetings' views modules (views.py,
invitation_views.py), so that neither imports the other."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property

from councils.scoping import CouncilScopedMixin
from kvsp.core.service_views import ServiceActionView, ServiceFormView

from .models import Meeting


def meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:meeting-detail", args=[meeting.council.slug, meeting.pk])


class MeetingMixin(CouncilScopedMixin):
    """A meeting of the URL's council (else 404), and the view's permission on it (else 403).

    The meeting is looked up in the council, not through ``Meeting.objects.for_user``: a meeting
    of the user's own council that they may not read (an SKN meeting for a member, a council
    meeting for a guest not invited to it) is refused (403), not hidden (404)."""

    permission_required = "councils.list_council"
    object_permission = "meetings.view_meeting"

    @cached_property
    def meeting(self) -> Meeting:
        return get_object_or_404(
            Meeting.objects.filter(council=self.council).select_related("council__municipality"),
            pk=self.kwargs["pk"],
        )

    def permission_object(self):
        return self.meeting

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meeting"] = self.meeting
        return context

    def done(self, message: str) -> HttpResponseRedirect:
        messages.success(self.request, message)
        return HttpResponseRedirect(meeting_url(self.meeting))


class MeetingFormView(MeetingMixin, ServiceFormView):
    """A form on one meeting whose valid data goes to a service."""

    object_permission = "meetings.manage_meeting"


class MeetingActionView(MeetingMixin, ServiceActionView):
    """A button on one meeting (POST only) whose service refusal comes back on the meeting."""

    def back_url(self) -> str:
        return meeting_url(self.meeting)
