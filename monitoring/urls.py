"""Staff pages of monitoring, under /app/<municipality>/monitoring/: the dashboard, each activity's
timeline and update form (addressed by its lineage, so the address outlives plan revisions), each
indicator's values, and the monthly reports with their workflow and files."""

from django.urls import path

from . import views_annual, views_board, views_compliance, views_reports, views_template

app_name = "monitoring"

BASE = "<slug:slug>/monitoring/"
REPORT = BASE + "reports/<int:year>/<int:month>/"
ANNUAL = BASE + "annual/<int:year>/"

urlpatterns = [
    path(BASE, views_board.DashboardView.as_view(), name="dashboard"),
    path(BASE + "activities/<uuid:lineage>/", views_board.ActivityView.as_view(), name="activity"),
    path(BASE + "indicators/<uuid:lineage>/", views_board.IndicatorView.as_view(), name="indicator"),
    path(BASE + "updates/<int:pk>/evidence/", views_board.EvidenceView.as_view(), name="evidence"),
    path(BASE + "reports/", views_reports.ReportListView.as_view(), name="reports"),
    path(REPORT, views_reports.ReportDetailView.as_view(), name="report"),
    path(REPORT + "edit/", views_reports.ReportEditView.as_view(), name="report-edit"),
    path(REPORT + "submit/", views_reports.ReportSubmitView.as_view(), name="report-submit"),
    path(REPORT + "return/", views_reports.ReportReturnView.as_view(), name="report-return"),
    path(REPORT + "approve/", views_reports.ReportApproveView.as_view(), name="report-approve"),
    path(REPORT + "publish/", views_reports.ReportPublishView.as_view(), name="report-publish"),
    path(REPORT + "scan/", views_reports.ReportScanView.as_view(), name="report-scan"),
    path(REPORT + "report.pdf", views_reports.ReportPdfView.as_view(), name="report-pdf"),
    path(REPORT + "signed.pdf", views_reports.ReportSignedView.as_view(), name="report-signed"),
    # The council's annual report (monitoring/annual/).
    path(BASE + "annual/", views_annual.AnnualListView.as_view(), name="annual-reports"),
    path(ANNUAL, views_annual.AnnualDetailView.as_view(), name="annual-report"),
    path(ANNUAL + "edit/", views_annual.AnnualEditView.as_view(), name="annual-edit"),
    path(ANNUAL + "submit/", views_annual.AnnualSubmitView.as_view(), name="annual-submit"),
    path(ANNUAL + "return/", views_annual.AnnualReturnView.as_view(), name="annual-return"),
    path(ANNUAL + "approve/", views_annual.AnnualApproveView.as_view(), name="annual-approve"),
    path(ANNUAL + "annual.pdf", views_annual.AnnualPdfView.as_view(), name="annual-pdf"),
    # The council's own monthly report template (guide, section 3.4).
    path(BASE + "template/", views_template.TemplatePageView.as_view(), name="template"),
    path(BASE + "template/edit/", views_template.TemplateEditView.as_view(), name="template-edit"),
    path(BASE + "template/submit/", views_template.TemplateSubmitView.as_view(), name="template-submit"),
    path(BASE + "template/approve/", views_template.TemplateApproveView.as_view(), name="template-approve"),
    path(BASE + "template/return/", views_template.TemplateReturnView.as_view(), name="template-return"),
    # The council's record against the regulation's rhythm, and its public comment on a year.
    path("<slug:slug>/compliance/", views_compliance.ComplianceView.as_view(), name="compliance"),
    path(
        "<slug:slug>/compliance/<int:year>/comment/",
        views_compliance.ComplianceCommentView.as_view(),
        name="compliance-comment",
    ),
    # Which reminders the council sends.
    path("<slug:slug>/reminders/", views_compliance.ReminderSettingsView.as_view(), name="reminders"),
]
