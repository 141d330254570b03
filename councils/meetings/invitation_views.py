"""The invitation step of a meeting and what follows it, under /app/<municipality>/meetings/<id>/:
sending the invitations (once the SKN agreed a council meeting's agenda), the letters for the
people without an e-mail address and how each was reached, the invited person's answer, moving
the meeting, and the draft agenda's changes. Thin: form -> service -> redirect."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView, View

from councils.models import Membership, Role
from kvsp.core.pdf import render_pdf
from kvsp.core.security_log import security_event

from . import agenda, invitations
from .forms import AgendaItemForm, InvitationAnswerForm, InvitationSendForm
from .invitation_forms import MoveForm, MoveItemForm, ReachForm
from .models import AgendaItem, Invitation, Meeting
from .scoping import MeetingActionView, MeetingFormView, MeetingMixin
from .selectors import expected_memberships


def _invitation_context(meeting: Meeting) -> dict:
    """Who was invited, and of them who has no e-mail address (reached by phone, letter or in
    person); whether the invitations still wait for the SKN's agreement of the agenda."""
    invited = list(meeting.invitations.select_related("person__institution"))
    return {
        "invited": invited,
        "without_email": [i for i in invited if not i.person.email],
        "waits_for_agenda": meeting.needs_agreed_agenda
        and meeting.agenda_status != Meeting.AgendaStatus.AGREED,
    }


def invitation_url(meeting: Meeting) -> str:
    return reverse("meetings:invitation-send", args=[meeting.council.slug, meeting.pk])


class InvitationSendView(MeetingFormView):
    """Choose who is invited and send: e-mails to those with an address, once each; the people
    without one are listed, with their letters and how each was reached."""

    form_class = InvitationSendForm
    template_name = "meetings/invitation_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "memberships": expected_memberships(self.meeting)}

    def get_initial(self):
        if self.meeting.kind == Meeting.Kind.TASK_FORCE:
            return {}
        return {
            "people": [str(m.person_id) for m in expected_memberships(self.meeting) if m.role != Role.GUEST]
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **_invitation_context(self.meeting)}

    def perform(self, form):
        sent = invitations.invitations_send(
            meeting=self.meeting, people=form.chosen(), sent_by=self.request.user
        )
        count = len(sent.emailed)
        message = ngettext("%(count)d invitation was sent.", "%(count)d invitations were sent.", count) % {
            "count": count
        }
        if sent.already:
            message += " " + ngettext(
                "%(count)d person had already been sent this invitation: nothing was sent again.",
                "%(count)d people had already been sent this invitation: nothing was sent again.",
                len(sent.already),
            ) % {"count": len(sent.already)}
        if sent.without_email:
            message += " " + _(
                "No e-mail address for: %(people)s. Reach them by phone, letter or in person, and record "
                "it below."
            ) % {"people": ", ".join(p.full_name for p in sent.without_email)}
            messages.success(self.request, message)
            return HttpResponseRedirect(invitation_url(self.meeting))
        return self.done(message)


class InvitationAnswerView(MeetingFormView):
    """The invited person answers: attending, not attending or sending a deputy."""

    object_permission = "meetings.view_meeting"
    form_class = InvitationAnswerForm
    template_name = "meetings/invitation_answer.html"

    @cached_property
    def invitation(self):
        user = self.request.user
        return get_object_or_404(
            Invitation.objects.for_user(user).filter(meeting=self.meeting), person__user=user
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.invitation}

    def perform(self, form):
        invitations.invitation_answer(invitation=self.invitation, **form.cleaned_data)
        return self.done(_("Thank you: your answer was recorded."))


def _signatory(council, role: str) -> str:
    membership = (
        Membership.objects.active()
        .filter(council=council, role=role)
        .select_related("person")
        .order_by("start_date")
        .first()
    )
    return membership.person.full_name if membership else ""


class InvitationLettersView(MeetingMixin, View):
    """A printable PDF: one invitation letter per invited person without an e-mail address."""

    object_permission = "meetings.manage_meeting"

    def get(self, request, *args, **kwargs):
        meeting = self.meeting
        context = {
            "meeting": meeting,
            "letters": _invitation_context(meeting)["without_email"],
            "agenda": list(meeting.agenda_items.select_related("presenter")),
            "chair": _signatory(meeting.council, Role.CHAIR),
            "secretary": _signatory(meeting.council, Role.SECRETARY),
            "today": timezone.localdate(),
        }
        security_event(request, "read", obj=meeting, kind="invitation_letters")
        response = HttpResponse(
            render_pdf("meetings/invitation_letters_pdf.html", context), content_type="application/pdf"
        )
        day = timezone.localtime(meeting.starts_at)
        filename = f"ftesa-{meeting.council.municipality.slug}-{day:%Y-%m-%d}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class InvitationReachView(MeetingFormView):
    """The technical secretary records how each invited person without e-mail was reached."""

    form_class = ReachForm
    template_name = "meetings/invitation_reach.html"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "invitations": _invitation_context(self.meeting)["without_email"],
        }

    def perform(self, form):
        changed = invitations.invitations_reached(meeting=self.meeting, entries=form.entries())
        return self.done(
            ngettext(
                "How %(count)d person was reached is recorded.",
                "How %(count)d people were reached is recorded.",
                len(changed),
            )
            % {"count": len(changed)}
        )


class MeetingMoveView(MeetingFormView):
    """A new date and time or place for a planned meeting; every invitee is sent the update."""

    form_class = MoveForm
    template_name = "meetings/meeting_move.html"

    def get_initial(self):
        return {"starts_at": timezone.localtime(self.meeting.starts_at), "place": self.meeting.place}

    def perform(self, form):
        invitations.meeting_move(meeting=self.meeting, **form.cleaned_data)
        return self.done(_("The meeting was moved; every invitee is sent the updated invitation."))


def agenda_url(meeting: Meeting) -> str:
    return reverse("meetings:agenda", args=[meeting.council.slug, meeting.pk])


class AgendaView(MeetingMixin, TemplateView):
    """The draft agenda, item by item: edit, remove, move up or down (until it is agreed)."""

    object_permission = "meetings.manage_meeting"
    template_name = "meetings/agenda_edit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.meeting
        context["items"] = list(meeting.agenda_items.select_related("presenter"))
        context["editable"] = (
            meeting.status == Meeting.Status.PLANNED and meeting.agenda_status == Meeting.AgendaStatus.DRAFT
        )
        context["invited"] = meeting.invitations.exists()
        return context


class AgendaItemMixin:
    """An item of the URL's meeting (else 404)."""

    @cached_property
    def item(self) -> AgendaItem:
        return get_object_or_404(AgendaItem.objects.filter(meeting=self.meeting), pk=self.kwargs["item"])


class AgendaItemEditView(AgendaItemMixin, MeetingFormView):
    form_class = AgendaItemForm
    template_name = "meetings/agenda_item_edit.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meeting": self.meeting}

    def get_initial(self):
        return {"title": self.item.title, "presenter": self.item.presenter_id}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "item": self.item}

    def perform(self, form):
        agenda.agenda_item_update(item=self.item, **form.cleaned_data)
        messages.success(self.request, _("The agenda item was changed."))
        return HttpResponseRedirect(agenda_url(self.meeting))


class AgendaItemActionView(AgendaItemMixin, MeetingActionView):
    object_permission = "meetings.manage_meeting"

    def back_url(self) -> str:
        return agenda_url(self.meeting)

    def moved_on(self, message: str) -> HttpResponseRedirect:
        messages.success(self.request, message)
        return HttpResponseRedirect(self.back_url())


class AgendaItemRemoveView(AgendaItemActionView):
    def perform(self):
        agenda.agenda_item_remove(item=self.item)
        return self.moved_on(_("The item was removed from the agenda."))


class AgendaItemMoveView(AgendaItemActionView):
    def perform(self):
        form = MoveItemForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("Move an item up or down."))
        agenda.agenda_item_move(item=self.item, direction=form.cleaned_data["direction"])
        return self.moved_on(_("The agenda item was moved."))
