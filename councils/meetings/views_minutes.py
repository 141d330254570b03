"""What is recorded after a meeting, under /app/<municipality>/meetings/<id>/: the minutes, written by
the technical secretary, submitted for approval, approved or returned with comments by the approver
(the chair; for SKN and task-force minutes also another SKN member), and the decisions, numbered
per council and year. Facts before approvals: nothing of it before the meeting's start time."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import services
from .forms import DecisionForm, MinutesApproveForm, MinutesForm, MinutesReturnForm
from .models import Meeting
from .selectors import minutes_context, minutes_outline
from .views import MeetingActionView, MeetingFormView, MeetingMixin, meeting_url


def not_recordable(meeting: Meeting) -> str | None:
    """Why nothing can be recorded of the meeting yet (None when it can): the page says so instead
    of offering a form that would be refused."""
    if meeting.status == Meeting.Status.CANCELLED:
        return _("The meeting was cancelled: it has no minutes or decisions.")
    if not meeting.has_started:
        return _(
            "The meeting starts on %(when)s. Its minutes and decisions are recorded after it has taken place."
        ) % {"when": formats.date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")}
    if meeting.status != Meeting.Status.HELD:
        return _("Record the attendance first: that marks the meeting as held.")
    return None


class MinutesEditView(MeetingFormView):
    """The technical secretary writes the draft (first opened with one heading per agenda item),
    corrects it when returned, and may submit it from here ("Save and submit for approval")."""

    form_class = MinutesForm
    template_name = "meetings/minutes_form.html"

    @property
    def minutes(self):
        return getattr(self.meeting, "minutes", None)

    def get_initial(self):
        minutes = self.minutes
        if minutes is None:
            return {"body": minutes_outline(self.meeting), "version": 0}
        return {"body": minutes.source, "version": minutes.version}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        minutes = self.minutes
        context["minutes"] = minutes
        refusal = not_recordable(self.meeting)
        if refusal is None and minutes is not None and minutes.is_approved:
            refusal = _("The minutes are approved and locked. Record a correction instead.")
        elif refusal is None and minutes is not None and minutes.is_submitted:
            refusal = _(
                "The minutes wait for approval and cannot change now: the approver reads exactly what "
                "was submitted. If something must be corrected, the approver returns them with comments."
            )
        context["refusal"] = refusal
        return context

    def perform(self, form):
        data = form.cleaned_data
        try:
            minutes = services.minutes_save(
                meeting=self.meeting, body=data["body"], author=self.request.user, version=data["version"]
            )
        except services.MinutesConflict as conflict:
            form.add_error(
                None,
                _(
                    "Someone else saved these minutes while you were writing. Both texts are below: copy "
                    "what you need into the current version and save again."
                ),
            )
            form.data = form.data.copy()
            form.data["version"] = conflict.current.version
            return self.render_to_response(
                self.get_context_data(form=form, conflict_text=conflict.current.body, your_text=data["body"])
            )
        if "submit" in self.request.POST:
            try:
                services.minutes_submit(minutes=minutes, user=self.request.user)
            except ValidationError as error:
                # Saved, but not submitted: say why, on the meeting (the text is safe).
                messages.warning(self.request, _("The minutes were saved.") + " " + " ".join(error.messages))
                return HttpResponseRedirect(meeting_url(self.meeting))
            return self.done(_("The minutes were saved and submitted for approval."))
        return self.done(_("The minutes were saved."))


class MinutesSubmitView(MeetingActionView):
    """POST only: the technical secretary submits the draft (or corrected) minutes for approval."""

    object_permission = "meetings.manage_meeting"

    def perform(self):
        minutes = getattr(self.meeting, "minutes", None)
        if minutes is None:
            raise ValidationError(_("Write the minutes before submitting them."))
        services.minutes_submit(minutes=minutes, user=self.request.user)
        return self.done(_("The minutes were submitted for approval. The approver has been told."))


class MinutesDecisionMixin(MeetingMixin):
    """The approval page: the minutes as they will read, with attendance and decisions, and
    "Approve" and "Return with comments" side by side. Whoever may approve them sees it in every
    state (a notice opened after the minutes were handled shows what became of them)."""

    # A rule, not a permission: Django gives a superuser every permission, but only the chair (or,
    # for SKN minutes, another SKN member) approves.
    object_permission = ""
    object_rule = "meetings.approve_minutes"
    template_name = "meetings/minutes_approve.html"

    @property
    def minutes(self):
        return getattr(self.meeting, "minutes", None)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(minutes_context(self.meeting))
        minutes = context["minutes"]
        version = minutes.version if minutes is not None else None
        if not isinstance(context.get("form"), MinutesApproveForm):
            context["approve_form"] = MinutesApproveForm(initial={"version": version})
            context["return_form"] = context["form"]
        else:
            context["approve_form"] = context["form"]
            context["return_form"] = MinutesReturnForm()
        return context

    def no_minutes(self):
        raise ValidationError(_("There are no minutes to approve yet."))


class MinutesApproveView(MinutesDecisionMixin, MeetingFormView):
    """GET: the approval page. POST: approve and lock the version that was read."""

    form_class = MinutesApproveForm

    def get_initial(self):
        minutes = self.minutes
        return {"version": minutes.version if minutes is not None else None}

    def perform(self, form):
        if self.minutes is None:
            self.no_minutes()
        services.minutes_approve(
            minutes=self.minutes, user=self.request.user, version=form.cleaned_data["version"]
        )
        return self.done(_("The minutes were approved and are now locked."))


class MinutesReturnView(MinutesDecisionMixin, MeetingFormView):
    """The approval page's "Return with comments": a refusal comes back on the approval page with
    the comment as typed (a GET, a reload after it, shows the approval page)."""

    form_class = MinutesReturnForm

    def perform(self, form):
        if self.minutes is None:
            self.no_minutes()
        services.minutes_return(
            minutes=self.minutes, user=self.request.user, comment=form.cleaned_data["comment"]
        )
        return self.done(
            _("The minutes were returned with your comments. The technical secretary has been told.")
        )


class DecisionCreateView(MeetingFormView):
    form_class = DecisionForm
    template_name = "meetings/decision_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meeting": self.meeting}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        minutes = getattr(self.meeting, "minutes", None)
        refusal = not_recordable(self.meeting)
        if refusal is None and minutes is not None and minutes.is_approved:
            refusal = _("The minutes are approved: no decision can be added.")
        context["refusal"] = refusal
        return context

    def perform(self, form):
        decision = services.decision_add(meeting=self.meeting, **form.cleaned_data)
        return self.done(_("%(decision)s was recorded.") % {"decision": decision.label})
