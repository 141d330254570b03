"""Staff pages of the council's monthly report template, under
/app/<municipality>/monitoring/template/ (guide, section 3.4): the template in force and the version
in the making, with the versions so far; the SKN's draft form; submit (SKN, secretary); approve and
return (the chair alone).

Who sees what (monitoring/rules.py): the council's people (``monitoring.view_internal``: not the
national observer, not an invited guest); another council's template is a 404 (councils/scoping.py).
A step on a version in the wrong state is refused with a message and changes nothing.
"""

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from councils.scoping import CouncilScopedMixin
from kvsp.core.forms import apply_errors
from kvsp.core.service_views import ServiceActionView
from plans.services import RowConflict, row_revision

from . import report_layout, template_services
from .models import ReportTemplate
from .template_forms import TemplateForm, TemplateReturnForm

Status = ReportTemplate.Status


class TemplateMixin(CouncilScopedMixin):
    permission_required = "monitoring.view_internal"

    def page_url(self) -> str:
        return reverse("monitoring:template", args=[self.council.slug])

    back_url = page_url

    def back(self, message: str):
        messages.success(self.request, message)
        return HttpResponseRedirect(self.page_url())


class TemplatePageView(TemplateMixin, TemplateView):
    """The template in force (the council's newest approved version, else the standard one), the
    version in the making with the steps the user may take, and every version so far."""

    template_name = "monitoring/template_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, council = self.request.user, self.council
        versions = list(
            ReportTemplate.objects.filter(council=council)
            .select_related("drafted_by", "submitted_by", "approved_by", "returned_by")
            .order_by("-number")
        )
        in_force = next((v for v in versions if v.status == Status.APPROVED), None)
        current = next((v for v in versions if v.status in ReportTemplate.OPEN_STATUSES), None)
        for version in versions:
            version.layout = report_layout.layout({"template": report_layout.snapshot(version)})
        may_draft = user.has_perm("monitoring.draft_template", council)
        chair = rules.test_rule("monitoring.approve_template", user, council)
        context.update(
            versions=versions,
            in_force=in_force,
            in_force_layout=report_layout.layout({"template": report_layout.snapshot(in_force)}),
            current=current,
            can_draft=may_draft and (current is None or current.is_editable),
            can_submit=may_draft and current is not None and current.is_editable,
            can_decide=chair and current is not None and current.status == Status.SUBMITTED,
        )
        context.setdefault("return_form", TemplateReturnForm())
        return context


class TemplateEditView(TemplateMixin, TemplateView):
    """The SKN's draft: which sections, in which order, under which headings. It opens from the
    version in the making, else from the template in force; saving with none in the making opens
    the next version."""

    template_name = "monitoring/template_form.html"
    permission_required = "monitoring.draft_template"

    def check(self):
        current = template_services.open_version(self.council)
        if current is not None and current.status == Status.SUBMITTED:
            messages.error(
                self.request,
                _("The template is with the chair: it can be edited again if the chair returns it."),
            )
            return HttpResponseRedirect(self.page_url())
        self.current = current
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "form" not in context:
            base = self.current or report_layout.in_force(self.council)
            context["form"] = TemplateForm(
                sections=base.sections if base else report_layout.STANDARD,
                initial={"revision": row_revision(self.current) if self.current else template_services.NEW},
            )
        context["current"] = self.current
        return context

    def post(self, request, *args, **kwargs):
        form = TemplateForm(request.POST)
        if form.is_valid():
            try:
                template = template_services.template_save(
                    council=self.council,
                    user=request.user,
                    sections=form.cleaned_data["sections"],
                    revision=form.cleaned_data["revision"],
                )
            except RowConflict as conflict:
                form.add_error(None, conflict.messages[0])
                form.data = form.data.copy()
                form.data["revision"] = conflict.current
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return self.back(
                    _(
                        "Version %(number)s of the template was saved. "
                        "Submit it to the chair when it is ready."
                    )
                    % {"number": template.number}
                )
        return self.render_to_response(self.get_context_data(form=form))


class TemplateSubmitView(TemplateMixin, ServiceActionView):
    """POST only: the SKN or the secretary sends the version in the making to the chair."""

    permission_required = "monitoring.draft_template"

    def perform(self):
        template_services.template_submit(council=self.council, user=self.request.user)
        return self.back(_("The template was sent to the chair for approval."))


class TemplateApproveView(TemplateMixin, ServiceActionView):
    """POST only: the chair approves the submitted version."""

    rule_required = "monitoring.approve_template"

    def perform(self):
        template = template_services.template_approve(council=self.council, user=self.request.user)
        return self.back(
            _("Version %(number)s of the template is approved: the reports opened from now on follow it.")
            % {"number": template.number}
        )


class TemplateReturnView(TemplatePageView):
    """POST only: the chair returns the submitted version with comments (required); a comment
    missing comes back on the template page, with the rest of what was typed."""

    http_method_names = ["post"]
    rule_required = "monitoring.approve_template"

    def post(self, request, *args, **kwargs):
        form = TemplateReturnForm(request.POST)
        if form.is_valid():
            try:
                template_services.template_return(
                    council=self.council, user=request.user, comment=form.cleaned_data["comment"]
                )
            except ValidationError as error:
                if not hasattr(error, "error_dict"):  # the version is no longer waiting
                    messages.error(request, " ".join(error.messages))
                    return HttpResponseRedirect(self.page_url())
                apply_errors(form, error)
            else:
                return self.back(_("The template was returned with your comments."))
        return self.render_to_response(self.get_context_data(return_form=form), status=200)
