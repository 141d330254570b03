"""Staff views for consultations, concerns and prioritisation, under /app/<municipality>/.
Thin: form -> service -> redirect."""

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from councils.scoping import CouncilScopedMixin
from kvsp.core.forms import apply_errors
from kvsp.core.security_log import security_event
from kvsp.core.service_views import ServiceActionView, ServiceFormView

from . import exports, lifecycle, photos, selectors, services
from .forms import (
    AnnounceForm,
    CancelForm,
    ConsultationForm,
    GroupForm,
    MergeForm,
    ParticipationForm,
    ProblemForm,
    PublishForm,
    PublishPhotoForm,
    RejectForm,
    StaffConcernForm,
    moderation_stamp,
)
from .models import Concern, ConcernContact, Consultation, Participation, Problem


class ModeratorMixin(CouncilScopedMixin):
    """The council's moderators only (its technical secretary and SKN), not a platform admin."""

    permission_required = "consultations.view_consultation"
    rule_required = "consultations.moderate"


def consultation_url(consultation: Consultation, page: str = "detail", **kwargs) -> str:
    """One of the consultation's staff pages (by URL name), e.g. "priorities"."""
    return reverse(
        f"consultations:{page}", kwargs={"slug": consultation.council.slug, "pk": consultation.pk, **kwargs}
    )


def concern_url(concern: Concern) -> str:
    return reverse("consultations:concern-detail", args=[concern.council.slug, concern.code])


class ConsultationListView(CouncilScopedMixin, TemplateView):
    permission_required = "consultations.view_consultation"
    template_name = "consultations/consultation_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["consultations"] = selectors.consultations_of(self.council)
        context["can_manage_consultation"] = user.has_perm("consultations.manage_consultation", self.council)
        context["can_moderate"] = rules.test_rule("consultations.moderate", user, self.council)
        if context["can_moderate"]:
            context["awaiting"] = Concern.objects.filter(
                council=self.council, status=Concern.Status.RECEIVED
            ).count()
        return context


class ConsultationCreateView(CouncilScopedMixin, ServiceFormView):
    permission_required = "consultations.manage_consultation"
    form_class = ConsultationForm
    template_name = "consultations/consultation_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "council": self.council}

    def perform(self, form):
        consultation = lifecycle.consultation_create(council=self.council, **form.cleaned_data)
        messages.success(
            self.request,
            _("The consultation was planned. Send its agenda to the SKN for agreement, then announce it."),
        )
        return HttpResponseRedirect(consultation_url(consultation))


class ConsultationMixin(CouncilScopedMixin):
    """A consultation of the URL's council that the user may read (else 404);
    ``permission_required`` on the council."""

    permission_required = "consultations.view_consultation"

    @cached_property
    def consultation(self) -> Consultation:
        return get_object_or_404(
            Consultation.objects.for_user(self.request.user)
            .filter(council=self.council)
            .select_related(
                "council__municipality",
                "unit",
                "follow_up_meeting",
                "agenda_submitted_by",
                "agenda_agreed_by",
            ),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["consultation"] = self.consultation
        return context

    def done(self, message: str, page: str = "detail") -> HttpResponseRedirect:
        messages.success(self.request, message)
        return HttpResponseRedirect(consultation_url(self.consultation, page))


class ConsultationActionView(ConsultationMixin, ServiceActionView):
    """A button on one consultation (POST only) whose service refusal comes back on it."""

    def back_url(self) -> str:
        return consultation_url(self.consultation)


class ConsultationDetailView(ConsultationMixin, TemplateView):
    template_name = "consultations/consultation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, consultation = self.request.user, self.consultation
        context["can_manage_consultation"] = user.has_perm("consultations.manage_consultation", self.council)
        context["can_agree"] = rules.test_rule("consultations.agree_agenda", user, self.council)
        context["can_prioritise"] = user.has_perm("consultations.prioritise", self.council)
        context["can_moderate"] = rules.test_rule("consultations.moderate", user, self.council)
        context["skn_present"] = list(consultation.skn_present.order_by("full_name"))
        context["heard"] = selectors.heard(consultation, published_only=True)
        context["turnout"] = selectors.turnout(consultation)
        context["co_leads"] = list(consultation.co_leads.all())
        counts = selectors.concern_counts(consultation=consultation)
        context["status_counts"] = [(label, counts.get(value, 0)) for value, label in Concern.Status.choices]
        return context


class ConsultationUpdateView(ConsultationMixin, ServiceFormView):
    permission_required = "consultations.manage_consultation"
    form_class = ConsultationForm
    template_name = "consultations/consultation_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "council": self.council, "instance": self.consultation}

    def perform(self, form):
        before = self.consultation.agenda_status
        consultation = lifecycle.consultation_update(consultation=self.consultation, **form.cleaned_data)
        if before != consultation.agenda_status:
            messages.warning(
                self.request,
                _("The agenda changed: send it to the SKN again for agreement before announcing."),
            )
        return self.done(_("The consultation was saved."))


class AgendaSubmitView(ConsultationActionView):
    """POST only: the technical secretary sends the draft agenda to the SKN for agreement."""

    permission_required = "consultations.manage_consultation"

    def perform(self):
        lifecycle.consultation_agenda_submit(consultation=self.consultation, user=self.request.user)
        return self.done(_("The agenda was sent to the SKN for agreement."))


class AgendaAgreeView(ConsultationActionView):
    """POST only: an SKN member agrees the agenda on the SKN's behalf."""

    rule_required = "consultations.agree_agenda"

    def perform(self):
        lifecycle.consultation_agenda_agree(consultation=self.consultation, user=self.request.user)
        return self.done(
            _("The agenda was agreed. The technical secretary can now announce the consultation.")
        )


class ConsultationAnnounceView(ConsultationMixin, ServiceFormView):
    """The announcement: refused until the SKN agreed the agenda; without one of the three
    co-leading heads, a second step asks for confirmation."""

    permission_required = "consultations.manage_consultation"
    form_class = AnnounceForm
    template_name = "consultations/consultation_announce.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        consultation = self.consultation
        context["co_leads"] = list(consultation.co_leads.all())
        if consultation.missing_heads:
            context["heads_question"] = lifecycle.heads_question(consultation)
        return context

    def perform(self, form):
        try:
            lifecycle.consultation_announce(
                consultation=self.consultation,
                user=self.request.user,
                without_heads=form.cleaned_data["without_heads"],
            )
        except ValidationError as error:
            if error.code == lifecycle.HEADS_MISSING:
                raise ValidationError(
                    {
                        "without_heads": _(
                            "Tick this box to announce without them, or record who co-leads first."
                        )
                    }
                ) from error
            raise
        return self.done(_("The consultation was announced on the council's public page."))


class ConsultationCancelView(ConsultationMixin, ServiceFormView):
    permission_required = "consultations.manage_consultation"
    form_class = CancelForm
    template_name = "consultations/consultation_cancel.html"

    def perform(self, form):
        lifecycle.consultation_cancel(consultation=self.consultation, reason=form.cleaned_data["reason"])
        return self.done(_("The consultation was cancelled."))


class ParticipationView(ConsultationMixin, ServiceFormView):
    permission_required = "consultations.manage_consultation"
    form_class = ParticipationForm
    template_name = "consultations/participation_form.html"

    def get_form_kwargs(self):
        current = {p.group: p for p in Participation.objects.filter(consultation=self.consultation)}
        skn = selectors.skn_candidates(self.consultation)
        return {**super().get_form_kwargs(), "current": current, "skn": skn}

    def get_initial(self):
        consultation = self.consultation
        return {"summary": consultation.summary, "skn_present": list(consultation.skn_present.all())}

    def perform(self, form):
        lifecycle.participation_record(
            consultation=self.consultation,
            counts=form.counts(),
            summary=form.cleaned_data["summary"],
            skn_present=form.cleaned_data["skn_present"],
        )
        return self.done(_("The participation was recorded."))


class ConcernEnterView(ConsultationMixin, ServiceFormView):
    """The secretary types in concerns raised at the meeting or on paper, one after another."""

    permission_required = "consultations.manage_consultation"
    form_class = StaffConcernForm
    template_name = "consultations/concern_enter.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "council": self.council}

    def get_initial(self):
        return {"source": self.request.GET.get("source", Concern.Source.ORAL)}

    def perform(self, form):
        concern = services.concern_submit(
            council=self.council,
            consultation=self.consultation,
            entered_by=self.request.user,
            **form.service_data(),
        )
        messages.success(
            self.request,
            _("Saved with the reference code %(code)s. Give the code to the citizen. Enter the next one.")
            % {"code": concern.code},
        )
        return HttpResponseRedirect(
            consultation_url(self.consultation, "concern-enter") + f"?source={concern.source}"
        )


class ConcernExportView(ConsultationMixin, View):
    """The consultation's concerns as CSV for the moderators: the wording, never the contacts."""

    rule_required = "consultations.moderate"
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        security_event(request, "read", obj=self.consultation, kind="concerns_csv")
        response = HttpResponse(
            exports.concerns_csv(self.consultation), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{exports.concerns_filename(self.consultation)}"'
        )
        return response


class PrioritiesView(ConsultationMixin, ServiceFormView):
    """The SKN's workspace: concerns grouped into problems, each assessed as a risk."""

    permission_required = "consultations.prioritise"
    form_class = GroupForm
    template_name = "consultations/priorities.html"

    @cached_property
    def heard(self):
        return selectors.heard(self.consultation, published_only=False)

    def get_form_kwargs(self):
        ungrouped = selectors.groupable_concerns(self.consultation)
        return {**super().get_form_kwargs(), "consultation": self.consultation, "concerns": ungrouped}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heard"] = self.heard
        form = context["form"]
        context["choices"] = list(
            form.fields["concerns"].queryset.select_related("unit").order_by("created_at")
        )
        context["can_see_original"] = rules.test_rule(
            "consultations.moderate", self.request.user, self.council
        )
        return context

    def perform(self, form):
        data = form.cleaned_data
        if data.get("problem"):
            services.concerns_assign(problem=data["problem"], concerns=data["concerns"])
            return self.done(_("The concerns were added to the problem."), "priorities")
        problem = services.problem_create(
            consultation=self.consultation, title=data["title"], concerns=data["concerns"]
        )
        messages.success(self.request, _("The problem was created. Now assess its risk."))
        return HttpResponseRedirect(consultation_url(self.consultation, "problem-edit", problem=problem.pk))


class ProblemEditView(ConsultationMixin, ServiceFormView):
    permission_required = "consultations.prioritise"
    form_class = ProblemForm
    template_name = "consultations/problem_form.html"

    @cached_property
    def problem(self) -> Problem:
        return get_object_or_404(
            Problem.objects.for_user(self.request.user).filter(consultation=self.consultation),
            pk=self.kwargs["problem"],
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "problem": self.problem}

    def get_initial(self):
        problem = self.problem
        return {
            "title": problem.title,
            "category": problem.category_id,
            "description": problem.description,
            "intensity": problem.intensity,
            "reasons": problem.reasons,
            "statistics": problem.statistics,
            "statistics_source": problem.statistics_source,
            "institutions": list(problem.institutions.all()),
            "outcome": problem.outcome,
            "outcome_note": problem.outcome_note,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["problem"] = self.problem
        context["concerns"] = list(self.problem.concerns.select_related("unit").order_by("created_at"))
        context["can_see_original"] = rules.test_rule(
            "consultations.moderate", self.request.user, self.council
        )
        return context

    def perform(self, form):
        data = dict(form.cleaned_data)
        remove = data.pop("remove")
        services.problem_assess(problem=self.problem, **data)
        if remove:
            services.concerns_unassign(problem=self.problem, concerns=remove)
        return self.done(_("The problem was saved."), "priorities")


class ConcernListView(ModeratorMixin, TemplateView):
    """The moderation queue: concerns awaiting moderation first."""

    template_name = "consultations/concern_list.html"
    STATUSES = [s.value for s in Concern.Status]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        wanted = self.request.GET.get("status", Concern.Status.RECEIVED)
        wanted = wanted if wanted in self.STATUSES else Concern.Status.RECEIVED
        context["status"] = wanted
        context["statuses"] = Concern.Status.choices
        context["concerns"] = (
            Concern.objects.for_user(self.request.user)
            .filter(council=self.council, status=wanted)
            .select_related("unit", "consultation", "problem")
            .order_by("created_at")[:200]
        )
        context["counts"] = selectors.concern_counts(council=self.council)
        return context


class ConcernMixin(ModeratorMixin):
    @cached_property
    def concern(self) -> Concern:
        code = services.normalise_code(self.kwargs["code"]) or ""
        return get_object_or_404(
            Concern.objects.for_user(self.request.user)
            .filter(council=self.council)
            .select_related("unit", "consultation", "problem", "merged_into", "entered_by", "moderated_by"),
            code=code,
        )

    def done(self, message: str) -> HttpResponseRedirect:
        messages.success(self.request, message)
        return HttpResponseRedirect(concern_url(self.concern))


class ConcernDetailView(ConcernMixin, TemplateView):
    """One concern as the citizen wrote it, with the moderation forms. POST ``action`` publishes,
    sets aside or merges."""

    template_name = "consultations/concern_detail.html"
    FORMS = {"publish": PublishForm, "reject": RejectForm, "merge": MergeForm}
    STATUS_OF = {
        "publish": Concern.Status.PUBLISHED,
        "reject": Concern.Status.REJECTED,
        "merge": Concern.Status.MERGED,
    }

    def build(self, action, data=None):
        kwargs = {"data": data, "prefix": action, "initial": {"seen": moderation_stamp(self.concern)}}
        form_class = self.FORMS[action]
        if action == "merge":
            kwargs["concern"] = self.concern
        if action == "publish" and self.concern.photo:
            form_class = PublishPhotoForm  # the moderator decides about the photo as well
        if action == "publish" and data is None:
            concern = self.concern  # a correction starts from what was published, redactions kept
            kwargs["initial"].update(
                public_text=concern.public_text or concern.text,
                public_neighbourhood=concern.public_neighbourhood or concern.neighbourhood,
                photo_alt=concern.photo_alt,
            )
            if concern.status == Concern.Status.PUBLISHED:  # a first publication chooses, unprompted
                kwargs["initial"]["photo"] = "publish" if concern.photo_public else "hide"
        return form_class(**kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        concern = self.concern
        forms = {action: self.build(action) for action in self.FORMS}
        bound = kwargs.get("bound", {})
        forms.update(bound)
        # A form sent back with an error stays on the page with what was typed, even when the
        # concern's state no longer offers it (another moderator acted meanwhile).
        steps = services.CONCERN_STEPS[concern.status] | {self.STATUS_OF[action] for action in bound}
        contact = ConcernContact.objects.filter(concern=concern).first()
        security_event(self.request, "read", obj=concern, has_contact=contact is not None)
        context.update(
            concern=concern,
            contact=contact,
            publish_form=forms["publish"] if Concern.Status.PUBLISHED in steps and concern.text else None,
            reject_form=forms["reject"] if Concern.Status.REJECTED in steps else None,
            merge_form=forms["merge"] if Concern.Status.MERGED in steps else None,
            duplicates=list(concern.duplicates.all()),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action not in self.FORMS:
            messages.error(request, _("Choose what to do with the concern."))
            return HttpResponseRedirect(concern_url(self.concern))
        form = self.build(action, request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            seen = data.pop("seen")
            try:
                with transaction.atomic():
                    # Compared under the row's lock: another moderator's decision taken since this
                    # page was opened is never silently overridden (nor this one dropped).
                    concern = Concern.objects.select_for_update().get(pk=self.concern.pk)
                    if seen and seen != moderation_stamp(concern):
                        return self.conflict(action, concern)
                    return self.moderate(action, concern, data)
            except ValidationError as error:
                apply_errors(form, error)
        return self.render_to_response(self.get_context_data(bound={action: form}), status=200)

    def moderate(self, action, concern, data):
        user = self.request.user
        if action == "publish":
            services.concern_publish(concern=concern, user=user, **data)
            return self.done(_("The concern was published."))
        if action == "reject":
            services.concern_reject(concern=concern, reason=data["reason"], user=user)
            return self.done(_("The concern was set aside; the citizen sees the reason."))
        services.concern_merge(concern=concern, into=data["into"], user=user)
        return self.done(_("The concern was merged; its citizen follows the other one's outcome."))

    def conflict(self, action, concern):
        """Another moderator changed the concern meanwhile: say so, show its state now, and keep
        what this moderator typed in the form, stamped with the new state (sending it again is a
        decision taken knowing it)."""
        self.__dict__["concern"] = concern
        data = self.request.POST.copy()
        data[f"{action}-seen"] = moderation_stamp(concern)
        form = self.build(action, data)
        form.is_valid()
        form.add_error(
            None,
            _(
                "Another moderator changed this concern while you were working on it: it is now "
                "“%(status)s”. What you typed is kept below: check the concern and send it again "
                "if it still applies."
            )
            % {"status": concern.get_status_display()},
        )
        return self.render_to_response(self.get_context_data(bound={action: form}), status=409)


class ConcernPhotoView(ConcernMixin, View):
    """The citizen's photo as stored (without its metadata), for the council's moderators, whatever
    the concern's state; never kept by a cache."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        return photos.response(request, self.concern, public=False)


class ConcernForgetView(ConcernMixin, ServiceActionView):
    """POST only: the citizen asked to delete their contact and their original wording."""

    def back_url(self) -> str:
        return concern_url(self.concern)

    def perform(self):
        services.concern_forget(concern=self.concern, user=self.request.user)
        return self.done(_("The citizen's contact and original wording were deleted."))
