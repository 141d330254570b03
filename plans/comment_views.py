"""Staff pages of public comment on a plan version (plans/comments.py), at
/app/<municipality>/plans/<year>/v<n>/comment-period/ and .../comments/: the SKN opens a submitted
version for comment; the SKN and the technical secretary moderate each comment (publish, redacted
if need be, or set aside with a reason); the SKN answers each published one. Thin: form -> service
-> redirect. Who may (plans/rules.py): the rules ``plans.open_comment_period``,
``plans.moderate_comments`` and ``plans.answer_comments`` — not the platform admin, who must not read
what citizens wrote before moderation."""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from kvsp.core.forms import apply_errors
from kvsp.core.service_views import ServiceFormView

from . import comments as services
from .comment_forms import AnswerForm, CommentPublishForm, CommentRejectForm, PeriodForm
from .comment_models import CommentPeriod, PlanComment
from .scoping import VersionMixin


def comments_url(version) -> str:
    return reverse("plans:comments", args=[version.plan.council.slug, version.plan.year, version.number])


class PeriodOpenView(VersionMixin, ServiceFormView):
    """The SKN opens a submitted version for public comment until a day it chooses."""

    permission_required = "plans.view_drafts"
    rule_required = "plans.open_comment_period"
    template_name = "plans/comment_period_form.html"
    form_class = PeriodForm

    def perform(self, form):
        period = services.period_open(
            version=self.version, closes_on=form.cleaned_data["closes_on"], user=self.request.user
        )
        return self.back(
            _(
                "The version is open for public comment until %(date)s, announced on the council's "
                "public page."
            )
            % {"date": services.day_label(period.closes_on)}
        )


class CommentsMixin(VersionMixin):
    permission_required = "plans.view_drafts"
    rule_required = "plans.moderate_comments"

    @cached_property
    def period(self) -> CommentPeriod | None:
        return CommentPeriod.objects.filter(version=self.version).first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["council"] = self.council
        context["period"] = self.period
        context["can_answer"] = rules.test_rule("plans.answer_comments", self.request.user, self.council)
        return context


class CommentListView(CommentsMixin, TemplateView):
    """Every comment of the version's period, those waiting first."""

    template_name = "plans/comment_list.html"
    http_method_names = ["get", "head"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.period is not None:
            found = list(self.period.comments.order_by("created_at", "pk"))
            order = {
                PlanComment.Status.RECEIVED: 0,
                PlanComment.Status.PUBLISHED: 1,
                PlanComment.Status.REJECTED: 2,
            }
            found.sort(key=lambda c: (order[c.status], bool(c.answer)))
            context["comments"] = found
            context["counts"] = services.counts(self.period)
            context["is_open"] = self.period.is_open()
        return context


class CommentDetailView(CommentsMixin, TemplateView):
    """One comment: as written, what the public sees; publish, set aside, answer."""

    template_name = "plans/comment_detail.html"

    @cached_property
    def comment(self) -> PlanComment:
        if self.period is None:
            raise Http404
        return get_object_or_404(
            self.period.comments.select_related("moderated_by", "answered_by"), pk=self.kwargs["pk"]
        )

    def check(self):
        super().check()
        self.comment  # noqa: B018 -- found (else 404) before the view goes on
        return None

    def forms(self, data=None, action=""):
        comment = self.comment
        return {
            "publish_form": CommentPublishForm(
                data if action == "publish" else None,
                initial={"public_text": comment.public_text or comment.text},
                auto_id="publish_%s",
            ),
            "reject_form": CommentRejectForm(
                data if action == "reject" else None,
                initial={"reason": comment.status_reason},
                auto_id="reject_%s",
            ),
            "answer_form": AnswerForm(
                data if action == "answer" else None,
                initial={"answer": comment.answer, "reason": comment.answer_reason},
                auto_id="answer_%s",
            ),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["comment"] = self.comment
        for name, form in self.forms().items():
            context.setdefault(name, form)
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        forms = self.forms(request.POST, action)
        form = forms.get(f"{action}_form")
        if form is None:
            messages.error(request, _("Choose what to do with the comment."))
            return HttpResponseRedirect(request.path)
        if action == "answer" and not rules.test_rule("plans.answer_comments", request.user, self.council):
            raise PermissionDenied
        if form.is_valid():
            data, user, comment = form.cleaned_data, request.user, self.comment
            try:
                if action == "publish":
                    services.comment_publish(comment=comment, public_text=data["public_text"], user=user)
                    done = _("The comment was published.")
                elif action == "reject":
                    services.comment_reject(comment=comment, reason=data["reason"], user=user)
                    done = _("The comment was set aside; the citizen sees the reason with the code.")
                else:
                    services.comment_answer(
                        comment=comment, answer=data["answer"], reason=data["reason"], user=user
                    )
                    done = _("The SKN's answer was saved and is public with the comment.")
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, done)
                return HttpResponseRedirect(comments_url(self.version))
        return self.render_to_response(self.get_context_data(**forms))
