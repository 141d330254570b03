"""Staff pages of the monthly monitoring reports, under /app/<municipality>/monitoring/reports/:
the list (and starting a month), a report on the standard template, its narrative, and the workflow
— submit (SKN, secretary), return / approve / publish (the chair alone) — and the stored files.

Who sees what (monitoring/rules.py): another council's reports are a 404 (councils/scoping.py). An
approved or published report needs ``monitoring.view_monitoring``; a draft, submitted or returned
one also ``monitoring.view_internal`` (the national observer gets 403: the report exists, its
unapproved content is the council's). A workflow step on a report in the wrong state is refused
with a message and changes nothing.
"""

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from councils.scoping import CouncilScopedMixin, readable_or_403
from kvsp.core.forms import apply_errors
from kvsp.core.security_log import security_event
from kvsp.core.service_views import ServiceActionView, ServiceFormView
from plans.services import RowConflict, row_revision

from . import report_layout, selectors, services
from .files import stored_pdf
from .models import MonthlyReport
from .progress import month_label, report_approvable_from
from .report_forms import (
    ReportApproveForm,
    ReportNarrativeForm,
    ReportReturnForm,
    ReportScanForm,
    ReportStartForm,
)

Status = MonthlyReport.Status


def report_url(report: MonthlyReport, page: str = "") -> str:
    return reverse(
        f"monitoring:report{'-' + page if page else ''}",
        kwargs={"slug": report.council.slug, "year": report.year, "month": report.month},
    )


class MonitoringMixin(CouncilScopedMixin):
    """The checks of councils/scoping.py: the URL's council (else 404), ``permission_required`` on
    it and the optional ``rule_required`` (else 403), then ``check()``, which may refuse."""

    permission_required = "monitoring.view_monitoring"


class ReportListView(MonitoringMixin, TemplateView):
    """The council's reports, newest first (approved ones only for the national observer); the SKN
    and the secretary start the report of a month."""

    template_name = "monitoring/report_list.html"

    @property
    def permission_required(self):
        return "monitoring.edit_report" if self.request.method == "POST" else "monitoring.view_monitoring"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        page = selectors.reports_page(
            self.council,
            drafts=user.has_perm("monitoring.view_internal", self.council),
            number=self.request.GET.get("page"),
        )
        context.update(page=page, reports=page.object_list)
        context["can_start"] = user.has_perm("monitoring.edit_report", self.council)
        if context["can_start"]:
            context.setdefault("form", ReportStartForm(auto_id="start_%s"))
        return context

    def post(self, request, *args, **kwargs):
        form = ReportStartForm(request.POST, auto_id="start_%s")
        if form.is_valid():
            year, month = form.cleaned_data["month"]
            try:
                report = services.report_start(council=self.council, year=year, month=month)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The report of %(month)s is a draft: the month's data is filled in; write the summary.")
                    % {"month": month_label(year, month)},
                )
                return HttpResponseRedirect(report_url(report))
        return self.render_to_response(self.get_context_data(form=form))


class ReportMixin(MonitoringMixin):
    """A report of the URL's council and month (else 404); one not yet approved only for those who
    may see the council's internal work (else 403)."""

    # The states a view acts on, and what it says otherwise.
    acts_on: tuple = ()
    refused_message = ""

    @cached_property
    def report(self) -> MonthlyReport:
        """Through ``MonthlyReport.objects.for_user``: a report of this council it does not give
        (a draft for the national observer) is a 403, not a 404."""
        report = readable_or_403(
            MonthlyReport.objects.filter(council=self.council).select_related(
                "submitted_by", "approved_by", "returned_by", "template"
            ),
            self.request.user,
            year=self.kwargs["year"],
            month=self.kwargs["month"],
        )
        report.council = self.council
        return report

    def check(self):
        report = self.report  # found (else 404) and readable (else 403) before anything else
        if self.acts_on and report.status not in self.acts_on:
            return self.back(self.refused_message, error=True)
        return None

    def back(self, message: str = "", *, error: bool = False):
        if message:
            (messages.error if error else messages.success)(self.request, message)
        return HttpResponseRedirect(self.back_url())

    def back_url(self) -> str:
        """The report's page (where a refused button's message is shown)."""
        return report_url(self.report)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report"] = self.report
        context["month_name"] = month_label(self.report.year, self.report.month)
        return context


class ReportDetailView(ReportMixin, TemplateView):
    """The report on its template (the council's version it was opened on, else the standard one):
    live data while a draft, frozen content once approved;
    the workflow actions the user may take."""

    template_name = "monitoring/report_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, report, council = self.request.user, self.report, self.council
        content = services.report_content(report)
        editor = user.has_perm("monitoring.edit_report", council)
        chair = rules.test_rule("monitoring.approve_report", user, council)
        attach = rules.test_rule("monitoring.attach_scan", user, council)
        context.update(
            content=content,
            sections=selectors.report_sections(content),
            can_edit=editor and report.is_editable,
            can_submit=editor and report.is_editable,
            can_decide=chair and report.status == Status.SUBMITTED,
            can_publish=chair and report.status == Status.APPROVED,
            can_attach=attach and report.is_frozen and not report.signed_scan,
        )
        return context


class ReportEditView(ReportMixin, TemplateView):
    """The narrative of a draft or returned report (SKN, secretary)."""

    template_name = "monitoring/report_edit.html"
    permission_required = "monitoring.edit_report"
    acts_on = MonthlyReport.EDITABLE_STATUSES

    @property
    def refused_message(self):
        if self.report.status == Status.SUBMITTED:
            return _("The report is with the chair: it can be edited again if the chair returns it.")
        return _("An approved report never changes.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report
        context.setdefault(
            "form",
            ReportNarrativeForm(
                layout=self.layout(),
                initial={
                    "summary": report.summary,
                    "difficulties": report.difficulties,
                    "proposals": report.proposals,
                    "revision": row_revision(report),
                },
            ),
        )
        return context

    def layout(self) -> list[dict]:
        """The sections of the template the report was opened on."""
        return report_layout.layout({"template": report_layout.snapshot(self.report.template)})

    def post(self, request, *args, **kwargs):
        form = ReportNarrativeForm(request.POST, layout=self.layout())
        if form.is_valid():
            data = form.cleaned_data
            report = self.report
            try:
                # A text section the template leaves out keeps what it holds.
                services.report_update(
                    report=report,
                    summary=data.get("summary", report.summary),
                    difficulties=data.get("difficulties", report.difficulties),
                    proposals=data.get("proposals", report.proposals),
                    revision=data["revision"] or None,
                )
            except RowConflict as conflict:
                form.add_error(None, conflict.messages[0])
                form.data = form.data.copy()
                form.data["revision"] = conflict.current
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return self.back(_("The report was saved."))
        return self.render_to_response(self.get_context_data(form=form))


class ReportSubmitView(ReportMixin, ServiceActionView):
    """POST only: the SKN or the secretary sends the report to the chair."""

    permission_required = "monitoring.edit_report"

    def perform(self):
        services.report_submit(report=self.report, user=self.request.user)
        return self.back(_("The report was sent to the chair for approval."))


class DecisionMixin(ReportMixin):
    """The chair's steps: the rule ``monitoring.approve_report`` (not even a platform admin)."""

    rule_required = "monitoring.approve_report"


class ApprovalPageMixin(DecisionMixin):
    """The chair's approval page: the report as its PDF will read (the same content and template
    part as the PDF), with "Approve" and "Return with comments" side by side, each form posting to
    its own address. Both addresses show the page; a form that fails comes back on it with what was
    typed. Opened for a report no longer waiting (approved, returned, a draft), from an old notice,
    the page says where the report stands (200); a form posted there changes nothing and comes back
    to the page with a message."""

    template_name = "monitoring/report_approval.html"
    form_slot = ""  # which of the page's two forms this address posts

    def check(self):
        report = self.report  # found (else 404) and readable (else 403) before anything else
        if self.request.method == "POST" and report.status != Status.SUBMITTED:
            messages.error(self.request, self.refused_message)
            return HttpResponseRedirect(report_url(report, "approve"))
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report
        context[self.form_slot] = context["form"]
        context.setdefault("approve_form", ReportApproveForm())
        context.setdefault("return_form", ReportReturnForm())
        context["waiting"] = report.status == Status.SUBMITTED
        if context["waiting"]:
            content = services.report_content(report)
            approvable_from = report_approvable_from(report.year, report.month)
            context.update(
                content=content,
                sections=selectors.report_sections(content),
                approvable_from=approvable_from,
                month_over=timezone.localdate() >= approvable_from,
            )
        return context


class ReportReturnView(ApprovalPageMixin, ServiceFormView):
    """POST: the chair returns the report with comments (required)."""

    form_class = ReportReturnForm
    form_slot = "return_form"

    @property
    def refused_message(self):
        return _("Only a submitted report is returned.")

    def perform(self, form):
        services.report_return(
            report=self.report, comment=form.cleaned_data["comment"], user=self.request.user
        )
        return self.back(_("The report was returned with your comments."))


class ReportApproveView(ApprovalPageMixin, ServiceFormView):
    """POST: the chair approves the report (once its month is over), optionally with the signed
    copy."""

    form_class = ReportApproveForm
    form_slot = "approve_form"

    @property
    def refused_message(self):
        return _("Only a submitted report is approved.")

    def perform(self, form):
        services.report_approve(
            report=self.report, user=self.request.user, signed_scan=form.cleaned_data["signed_scan"]
        )
        return self.back(_("The report was approved. Publish it when the public should read it."))


class ReportPublishView(DecisionMixin, ServiceActionView):
    """POST only: the chair publishes an approved report at /<municipality>/reports/."""

    def perform(self):
        services.report_publish(report=self.report)
        return self.back(_("The report is published on the council's public page."))


class ReportScanView(ReportMixin, ServiceFormView):
    """The signed and stamped copy of an approved report, attached once (SKN, secretary, chair)."""

    template_name = "monitoring/report_form.html"
    form_class = ReportScanForm
    rule_required = "monitoring.attach_scan"
    acts_on = MonthlyReport.FROZEN_STATUSES

    @property
    def refused_message(self):
        return _("The signed copy is attached to an approved report.")

    def check(self):
        refused = super().check()
        if refused is None and self.report.signed_scan:
            return self.back(_("This report already has its signed copy."), error=True)
        return refused

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            heading=_("Attach the signed copy"),
            intro=_("A scan of the report as signed and stamped by the chair, as a PDF."),
            submit_label=_("Attach"),
        )
        return context

    def perform(self, form):
        services.report_attach_scan(report=self.report, signed_scan=form.cleaned_data["signed_scan"])
        return self.back(_("The signed copy was attached."))


class ReportPdfView(ReportMixin, TemplateView):
    """The PDF stored at approval (never rendered again: its bytes match the stored SHA-256)."""

    def get(self, request, *args, **kwargs):
        report = self.report
        if not report.is_frozen or not report.pdf:
            raise Http404
        if not report.is_published:
            security_event(request, "read", obj=report, kind="report_pdf")
        return stored_pdf(
            report.pdf, filename=f"raport-{self.council.slug}-{report.year}-{report.month:02d}.pdf"
        )


class ReportSignedView(ReportMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        report = self.report
        if not report.is_frozen or not report.signed_scan:
            raise Http404
        name = f"raport-{self.council.slug}-{report.year}-{report.month:02d}-nenshkruar.pdf"
        if not report.is_published:
            security_event(request, "read", obj=report, kind="report_signed")
        return stored_pdf(report.signed_scan, filename=name)
