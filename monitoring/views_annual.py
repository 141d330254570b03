"""Staff pages of the council's annual report, under /app/<municipality>/monitoring/annual/: the list
(and opening a year's draft), a report with its live or frozen tables, its narrative, and the
workflow — submit (SKN, secretary), return / approve (the chair alone) — and its stored PDF.

Who sees what (monitoring/rules.py): another council's reports are a 404 (councils/scoping.py); an
approved report needs ``monitoring.view_monitoring``, any other ``monitoring.view_internal`` too (the
national observer gets 403). A step refused by the services (the year not over, the wrong state)
comes back with the message in the user's language and changes nothing.
"""

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from councils.scoping import CouncilScopedMixin, readable_or_403
from kvsp.core.forms import apply_errors
from kvsp.core.service_views import ServiceActionView, ServiceFormView
from plans.services import RowConflict, row_revision

from .annual import display
from .annual import services as annual
from .annual.forms import AnnualApproveForm, AnnualNarrativeForm, AnnualReturnForm, AnnualStartForm
from .annual.models import AnnualReport
from .files import stored_pdf

Status = AnnualReport.Status


class MonitoringMixin(CouncilScopedMixin):
    """The checks of councils/scoping.py: the URL's council (else 404), ``permission_required`` on
    it and the optional ``rule_required`` (else 403), then ``check()``, which may refuse."""

    permission_required = "monitoring.view_monitoring"


def annual_url(report: AnnualReport, page: str = "") -> str:
    name = f"monitoring:annual-{page}" if page else "monitoring:annual-report"
    return reverse(name, kwargs={"slug": report.council.slug, "year": report.year})


class AnnualListView(MonitoringMixin, TemplateView):
    """The council's annual reports, newest first (approved ones only for the national observer);
    the SKN and the secretary open the draft of a year."""

    template_name = "monitoring/annual_list.html"

    @property
    def permission_required(self):
        return (
            "monitoring.edit_annual_report" if self.request.method == "POST" else "monitoring.view_monitoring"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        reports = AnnualReport.objects.filter(council=self.council).order_by("-year")
        if not user.has_perm("monitoring.view_internal", self.council):
            reports = reports.filter(status=Status.APPROVED)
        context["reports"] = list(reports.only("id", "council_id", "year", "status", "approved_at"))
        context["can_start"] = user.has_perm("monitoring.edit_annual_report", self.council)
        if context["can_start"]:
            context.setdefault("form", AnnualStartForm(auto_id="annual_%s"))
        return context

    def post(self, request, *args, **kwargs):
        form = AnnualStartForm(request.POST, auto_id="annual_%s")
        if form.is_valid():
            try:
                report = annual.annual_start(
                    council=self.council, year=form.cleaned_data["year"], user=request.user
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                report.council = self.council
                messages.success(
                    request,
                    _(
                        "The annual report of %(year)s is a draft: the year's data is filled in; write the "
                        "narrative."
                    )
                    % {"year": report.year},
                )
                return HttpResponseRedirect(annual_url(report))
        return self.render_to_response(self.get_context_data(form=form))


class AnnualMixin(MonitoringMixin):
    """A report of the URL's council and year (else 404); one not yet approved only for those who
    may see the council's internal work (else 403)."""

    acts_on: tuple = ()
    refused_message = ""

    @cached_property
    def report(self) -> AnnualReport:
        report = readable_or_403(
            AnnualReport.objects.filter(council=self.council).select_related(
                "submitted_by", "approved_by", "returned_by"
            ),
            self.request.user,
            year=self.kwargs["year"],
        )
        report.council = self.council
        return report

    def check(self):
        report = self.report
        if self.acts_on and report.status not in self.acts_on:
            return self.back(self.refused_message, error=True)
        return None

    def back(self, message: str = "", *, error: bool = False):
        if message:
            (messages.error if error else messages.success)(self.request, message)
        return HttpResponseRedirect(self.back_url())

    def back_url(self) -> str:
        return annual_url(self.report)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report"] = self.report
        return context


class AnnualDetailView(AnnualMixin, TemplateView):
    """The report: live data while not approved, frozen content once approved; the steps the
    user may take."""

    template_name = "monitoring/annual_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, report, council = self.request.user, self.report, self.council
        content = annual.annual_content(report)
        editor = user.has_perm("monitoring.edit_annual_report", council)
        chair = rules.test_rule("monitoring.approve_annual_report", user, council)
        context.update(
            content=content,
            view=display.view(content),
            year_over=annual.year_over(report.year),
            can_edit=editor and report.is_editable,
            can_submit=editor and report.is_editable,
            can_decide=chair and report.status == Status.SUBMITTED,
        )
        return context


class AnnualEditView(AnnualMixin, ServiceFormView):
    """The narrative of a draft or returned report (SKN, secretary)."""

    template_name = "monitoring/annual_edit.html"
    form_class = AnnualNarrativeForm
    permission_required = "monitoring.edit_annual_report"
    acts_on = AnnualReport.EDITABLE_STATUSES

    @property
    def refused_message(self):
        if self.report.status == Status.SUBMITTED:
            return _("The report is with the chair: it can be edited again if the chair returns it.")
        return _("An approved report never changes.")

    def get_initial(self):
        report = self.report
        return {name: getattr(report, name) for name in AnnualReport.NARRATIVE} | {
            "revision": row_revision(report)
        }

    def perform(self, form):
        data = form.cleaned_data
        try:
            annual.annual_update(
                report=self.report,
                texts={name: data[name] for name in AnnualReport.NARRATIVE},
                revision=data["revision"] or None,
            )
        except RowConflict as conflict:
            form.add_error(None, conflict.messages[0])
            form.data = form.data.copy()
            form.data["revision"] = conflict.current
            return self.form_invalid(form)
        return self.back(_("The report was saved."))


class AnnualSubmitView(AnnualMixin, ServiceActionView):
    """POST only: the SKN or the secretary sends the report to the chair (once the year is over)."""

    permission_required = "monitoring.edit_annual_report"

    def perform(self):
        annual.annual_submit(report=self.report, user=self.request.user)
        return self.back(_("The report was sent to the chair for approval."))


class AnnualApprovalMixin(AnnualMixin):
    """The chair's approval page: the report exactly as it will be frozen and published, with
    "Approve" and "Return with comments", each posting to its own address. Opened for a report no
    longer waiting, the page says where it stands; a form posted there changes nothing."""

    template_name = "monitoring/annual_approval.html"
    rule_required = "monitoring.approve_annual_report"
    form_slot = ""

    def check(self):
        report = self.report
        if self.request.method == "POST" and report.status != Status.SUBMITTED:
            messages.error(self.request, self.refused_message)
            return HttpResponseRedirect(annual_url(report, "approve"))
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report
        context[self.form_slot] = context["form"]
        context["waiting"] = report.status == Status.SUBMITTED
        if context["waiting"]:
            content = self.content
            context.update(
                content=content, view=display.view(content), year_over=annual.year_over(report.year)
            )
        context.setdefault("approve_form", AnnualApproveForm(initial=self.stamp()))
        context.setdefault("return_form", AnnualReturnForm())
        return context

    @cached_property
    def content(self) -> dict:
        return annual.annual_content(self.report)

    def stamp(self) -> dict:
        """The approval form carries the fingerprint of the content the page shows."""
        return {"seen": annual.content_stamp(self.content)} if self.report.status == Status.SUBMITTED else {}


class AnnualReturnView(AnnualApprovalMixin, ServiceFormView):
    form_class = AnnualReturnForm
    form_slot = "return_form"

    @property
    def refused_message(self):
        return _("Only a submitted report is returned.")

    def perform(self, form):
        annual.annual_return(report=self.report, comment=form.cleaned_data["comment"], user=self.request.user)
        return self.back(_("The report was returned with your comments."))


class AnnualApproveView(AnnualApprovalMixin, ServiceFormView):
    form_class = AnnualApproveForm
    form_slot = "approve_form"

    def get_initial(self):
        return self.stamp()

    @property
    def refused_message(self):
        return _("Only a submitted report is approved.")

    def perform(self, form):
        try:
            annual.annual_approve(report=self.report, user=self.request.user, seen=form.cleaned_data["seen"])
        except annual.ContentChanged as changed:
            # The page shows the content as it stands now: its form carries that fingerprint, so
            # the next Approve (after reading) goes through.
            form.add_error(None, changed.messages[0])
            form.data = form.data.copy()
            form.data["seen"] = changed.current
            return self.form_invalid(form)
        return self.back(_("The report was approved and published on the council's public page."))


class AnnualPdfView(AnnualMixin, TemplateView):
    """The PDF stored at approval (never rendered again: its bytes match the stored SHA-256)."""

    def get(self, request, *args, **kwargs):
        report = self.report
        if not report.is_approved or not report.pdf:
            raise Http404
        return stored_pdf(report.pdf, filename=f"raporti-vjetor-{self.council.slug}-{report.year}.pdf")
