"""Staff views for meetings, under /app/<municipality>/meetings/. Thin: form -> service -> redirect."""

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView, View

from councils.scoping import CouncilScopedMixin
from kvsp.core.pdf import render_pdf
from kvsp.core.security_log import security_event
from kvsp.core.service_views import ServiceFormView

from . import services, skn_summary
from .calendar import meetings_ics
from .documents import document_response
from .forms import (
    AgendaItemForm,
    AmendmentForm,
    ArchiveFilterForm,
    AttendanceForm,
    CancelForm,
    DocumentForm,
    MeetingForm,
)
from .models import Attendance, CalendarFeed, Document, Meeting
from .scoping import MeetingActionView, MeetingFormView, MeetingMixin, meeting_url
from .selectors import (
    archive_documents,
    attendance_rates,
    expected_memberships,
    hide_drafts,
    meeting_years,
    minutes_context,
    readable_meetings,
)


class MeetingListView(CouncilScopedMixin, TemplateView):
    """The council's meetings that this user may read, newest first."""

    template_name = "meetings/meeting_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["meetings"] = (
            Meeting.objects.for_user(user).filter(council=self.council).order_by("-starts_at")
        )
        context["can_plan"] = user.has_perm("meetings.manage_meeting", self.council)
        context["can_call_task_force"] = user.has_perm("meetings.call_task_force", self.council)
        years = meeting_years(self.council)
        requested = self.request.GET.get("year", "")
        year = int(requested) if requested.isdecimal() and int(requested) in years else years[0]
        context["years"], context["year"] = years, year
        context["rates"] = attendance_rates(self.council, year)
        return context


class MeetingCreateView(CouncilScopedMixin, ServiceFormView):
    permission_required = "meetings.manage_meeting"
    form_class = MeetingForm
    template_name = "meetings/meeting_form.html"

    def perform(self, form):
        meeting = services.meeting_create(council=self.council, **form.cleaned_data)
        messages.success(self.request, _("The meeting was planned."))
        return HttpResponseRedirect(meeting_url(meeting))


class MeetingDetailView(MeetingMixin, TemplateView):
    template_name = "meetings/meeting_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, meeting = self.request.user, self.meeting
        context.update(minutes_context(meeting))
        # The person's own invitation first: a guest who may not see the others still answers it.
        context["my_invitation"] = next(
            (i for i in context["invitations"] if i.person.user_id == user.pk), None
        )
        if not user.has_perm("meetings.view_drafts", meeting):
            hide_drafts(context)
        context["can_manage_meeting"] = user.has_perm("meetings.manage_meeting", meeting)
        if context["can_manage_meeting"] or user.has_perm("meetings.view_drafts", meeting):
            context["skn_summary"] = skn_summary.summary_state(meeting)
        context["can_invite_specialists"] = meeting.kind == Meeting.Kind.TASK_FORCE and user.has_perm(
            "meetings.invite_specialists", meeting
        )
        context["can_agree"] = rules.test_rule("meetings.agree_agenda", user, meeting)
        context["can_approve"] = context["minutes"] is not None and rules.test_rule(
            "meetings.approve_minutes", user, meeting
        )
        return context


class MeetingCancelView(MeetingFormView):
    form_class = CancelForm
    template_name = "meetings/meeting_cancel.html"

    def perform(self, form):
        services.meeting_cancel(meeting=self.meeting, reason=form.cleaned_data["reason"])
        return self.done(_("The meeting was cancelled."))


class AgendaItemCreateView(MeetingFormView):
    form_class = AgendaItemForm
    template_name = "meetings/agenda_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meeting": self.meeting}

    def perform(self, form):
        services.agenda_item_add(meeting=self.meeting, **form.cleaned_data)
        return self.done(_("The item was added to the agenda."))


class AgendaSubmitView(MeetingActionView):
    """POST only: the technical secretary sends the draft agenda to the SKN for agreement."""

    object_permission = "meetings.manage_meeting"

    def perform(self):
        services.agenda_submit(meeting=self.meeting, user=self.request.user)
        return self.done(_("The agenda was sent to the SKN for agreement. Its members have been told."))


class AgendaAgreeView(MeetingActionView):
    """POST only: the SKN agrees the agenda."""

    object_rule = "meetings.agree_agenda"

    def perform(self):
        services.agenda_agree(meeting=self.meeting, user=self.request.user)
        return self.done(_("The agenda was agreed."))


class AttendanceView(MeetingFormView):
    form_class = AttendanceForm
    template_name = "meetings/attendance_form.html"

    def get_form_kwargs(self):
        memberships = expected_memberships(self.meeting)
        current = {a.person_id: a for a in Attendance.objects.filter(meeting=self.meeting)}
        specialists = list(self.meeting.specialists.all())
        return {
            **super().get_form_kwargs(),
            "memberships": memberships,
            "current": current,
            "specialists": specialists,
        }

    def perform(self, form):
        services.attendance_record(
            meeting=self.meeting, entries=form.entries(), specialists=form.specialist_entries()
        )
        return self.done(_("The attendance was recorded."))


class AmendmentCreateView(MeetingFormView):
    form_class = AmendmentForm
    template_name = "meetings/amendment_form.html"

    def perform(self, form):
        minutes = getattr(self.meeting, "minutes", None)
        if minutes is None:
            raise ValidationError(_("There are no minutes to amend."))
        services.amendment_add(minutes=minutes, text=form.cleaned_data["text"], author=self.request.user)
        return self.done(_("The correction was recorded."))


class MinutesPdfView(MeetingMixin, View):
    """The minutes as a PDF, from the same template as the page."""

    def get(self, request, *args, **kwargs):
        context = minutes_context(self.meeting)
        draft = context["minutes"] is not None and not context["minutes"].is_approved
        if draft and not request.user.has_perm("meetings.view_drafts", self.meeting):
            raise PermissionDenied  # a draft stays with the council until it is approved
        if draft or not self.meeting.is_public:
            security_event(
                request, "read", obj=self.meeting, kind="minutes_pdf", reason="draft" if draft else None
            )
        data = render_pdf("meetings/minutes_pdf.html", context)
        response = HttpResponse(data, content_type="application/pdf")
        day = timezone.localtime(self.meeting.starts_at)
        filename = f"procesverbal-{self.meeting.council.municipality.slug}-{day:%Y-%m-%d}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class CalendarFeedView(LoginRequiredMixin, TemplateView):
    """The signed-in person's private calendar address; POST replaces its secret."""

    template_name = "meetings/calendar_feed.html"

    def post(self, request, *args, **kwargs):
        services.calendar_feed_renew(user=request.user)
        messages.success(request, _("Your calendar has a new address; the old one no longer works."))
        return HttpResponseRedirect(request.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        feed = CalendarFeed.objects.filter(user=self.request.user).first()
        context["feed_url"] = (
            settings.SITE_URL + reverse("meetings:calendar-feed", args=[feed.token]) if feed else None
        )
        return context


@require_safe
def calendar_feed(request, token: str):
    """The meetings a person may read, for their calendar program: the secret in the address is
    the only key (a calendar program has no session)."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token, user__is_active=True)
    user = feed.user
    meetings = readable_meetings(user).select_related("council__municipality").order_by("starts_at")
    security_event(request, "read", obj=feed, user=user, kind="calendar_feed")  # never the token
    response = HttpResponse(meetings_ics(meetings, name="KVSP"), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


class ArchiveView(CouncilScopedMixin, TemplateView):
    """The council's documents that this user may see, with filters and a search."""

    template_name = "meetings/archive.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        years = sorted(
            {d.year for d in Document.objects.filter(council=self.council).dates("created_at", "year")},
            reverse=True,
        )
        documents = Document.objects.for_user(user).filter(council=self.council)
        form = ArchiveFilterForm(self.request.GET or None, years=years)
        if form.is_valid():
            data = form.cleaned_data
            documents = archive_documents(
                documents,
                year=data["year"],
                content_types=ArchiveFilterForm.KINDS.get(data["kind"], ()),
                query=data["q"],
            )
        context["filter_form"] = form
        context["documents"] = list(documents.select_related("meeting", "council")[:200])
        context["can_add"] = user.has_perm("meetings.add_document", self.council)
        return context


class DocumentCreateView(CouncilScopedMixin, ServiceFormView):
    permission_required = "meetings.add_document"
    form_class = DocumentForm
    template_name = "meetings/document_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "council": self.council}

    def get_initial(self):
        return {"meeting": self.request.GET.get("meeting") or None}

    def perform(self, form):
        document = services.document_add(
            council=self.council, uploaded_by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, _("The document was archived."))
        if document.meeting_id:
            return HttpResponseRedirect(meeting_url(document.meeting))
        return HttpResponseRedirect(reverse("meetings:archive", args=[self.council.slug]))


class DocumentDownloadView(CouncilScopedMixin, View):
    """A document of the council, for whoever may see it. Looked up in the council, not through
    ``Document.objects.for_user``: a document of the user's own council that they may not see is
    refused (403), not hidden (404)."""

    permission_required = "councils.list_council"

    @cached_property
    def document(self) -> Document:
        return get_object_or_404(Document.objects.filter(council=self.council), pk=self.kwargs["pk"])

    def check(self):
        """Only a read looks at the document: any other method is answered 405 without it."""
        if self.request.method in ("GET", "HEAD") and not self.request.user.has_perm(
            "meetings.view_document", self.document
        ):
            raise PermissionDenied
        return None

    def get(self, request, *args, **kwargs):
        document = self.document
        if document.visibility != Document.Visibility.PUBLIC:
            security_event(request, "read", obj=document, visibility=document.visibility)
        return document_response(document)
