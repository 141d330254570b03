"""Public addresses: a contract, since member institutions link to them from their websites."""

from django.urls import path

from . import (
    annual_views,
    comment_views,
    compliance_views,
    feed_views,
    help_views,
    national_views,
    photo_views,
    plan_views,
    report_views,
    similar_views,
    subscription_views,
    views,
)
from .lookups import PLAN_FILES

app_name = "portal"

# /<municipality>/... comes last: the reserved first segments (app, api, admin, accounts, static,
# media, healthz, compliance, help, national) are matched before it, and a database constraint
# keeps them out of slugs.
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    # Atom feeds of what is new: every council's, and each council's (below).
    path("feed.atom", feed_views.national_feed, name="feed"),
    # The national overview of compliance, its methodology and its open data.
    path("compliance/", compliance_views.overview, name="compliance"),
    path("compliance/methodology/", compliance_views.methodology, name="compliance-methodology"),
    path("compliance/compliance.csv", compliance_views.overview_csv, name="compliance-csv"),
    # The national roll-up: every section, its drill-down (?section=&key=&column=), CSV and JSON.
    path("national/", national_views.national, name="national"),
    path("national/national.json", national_views.national_json, name="national-json"),
    path("national/<slug:section>.csv", national_views.national_csv, name="national-csv"),
    # The user guide, one page per role.
    path("help/", help_views.index, name="help"),
    path("help/<slug:role>/", help_views.role, name="help-role"),
    path("<slug:slug>/", views.CouncilPublicView.as_view(), name="council"),
    path("<slug:slug>/regulation/", views.regulation_download, name="council-regulation"),
    path("<slug:slug>/meetings.ics", views.meetings_calendar, name="meetings-calendar"),
    path("<slug:slug>/feed.atom", feed_views.council_feed, name="council-feed"),
    # Follow the council by e-mail: subscribe, confirm (double opt-in), unsubscribe with one click.
    path("<slug:slug>/follow/", subscription_views.subscribe, name="subscribe"),
    path("<slug:slug>/follow/confirm/<str:value>/", subscription_views.confirm, name="subscription-confirm"),
    path("<slug:slug>/follow/unsubscribe/<str:token>/", subscription_views.unsubscribe, name="unsubscribe"),
    path("<slug:slug>/meetings/<int:pk>/", views.MeetingPublicView.as_view(), name="meeting"),
    path("<slug:slug>/documents/<int:pk>/", views.document_download, name="document"),
    path("<slug:slug>/consultations/", views.ConsultationListView.as_view(), name="consultations"),
    path("<slug:slug>/consultations/<int:pk>/", views.ConsultationPublicView.as_view(), name="consultation"),
    path(
        "<slug:slug>/consultations/<int:pk>/concerns.csv",
        views.consultation_concerns_csv,
        name="consultation-csv",
    ),
    path(
        "<slug:slug>/consultations/<int:pk>/concerns.json",
        views.consultation_concerns_json,
        name="consultation-json",
    ),
    # The published plan: the year's newest approved version, each version permanently, their files.
    path("<slug:slug>/plan/", plan_views.plan_latest, name="plan"),
    path("<slug:slug>/plan/<int:year>/", plan_views.plan_year, name="plan-year"),
    *[
        path(
            f"<slug:slug>/plan/<int:year>/plan.{kind}",
            plan_views.plan_file(kind, permanent=False),
            name=f"plan-year-{kind}",
        )
        for kind in PLAN_FILES
    ],
    path("<slug:slug>/plan/<int:year>/card/", plan_views.plan_card, name="plan-card"),
    path("<slug:slug>/plan/<int:year>/v<int:number>/", plan_views.plan_version, name="plan-version"),
    path(
        "<slug:slug>/plan/<int:year>/v<int:number>/decision.pdf",
        plan_views.plan_decision,
        name="plan-version-decision",
    ),
    *[
        path(
            f"<slug:slug>/plan/<int:year>/v<int:number>/plan.{kind}",
            plan_views.plan_file(kind, permanent=True),
            name=f"plan-version-{kind}",
        )
        for kind in PLAN_FILES
    ],
    # A submitted version under public comment (plans/comments.py), and a comment followed by its code.
    path(
        "<slug:slug>/plan/<int:year>/v<int:number>/comment/",
        comment_views.plan_comment_page,
        name="plan-comment-page",
    ),
    path("<slug:slug>/plan/comments/", comment_views.plan_comment_lookup, name="plan-comment-lookup"),
    path("<slug:slug>/plan/comments/<str:code>/", comment_views.plan_comment_status, name="plan-comment"),
    path(
        "<slug:slug>/consultations/<int:pk>/progress/",
        report_views.consultation_progress,
        name="consultation-progress",
    ),
    # Published monthly monitoring reports, and each one's stored PDF and signed copy.
    path("<slug:slug>/reports/", report_views.report_list, name="reports"),
    # The council's approved annual report (before the month route) and its stored PDF.
    path("<slug:slug>/reports/<int:year>/", annual_views.annual_report, name="annual-report"),
    path(
        "<slug:slug>/reports/<int:year>/annual.pdf", annual_views.annual_report_pdf, name="annual-report-pdf"
    ),
    path("<slug:slug>/reports/<int:year>/<int:month>/", report_views.report_detail, name="report"),
    path("<slug:slug>/reports/<int:year>/<int:month>/report.pdf", report_views.report_pdf, name="report-pdf"),
    path(
        "<slug:slug>/reports/<int:year>/<int:month>/signed.pdf",
        report_views.report_signed,
        name="report-signed",
    ),
    path("<slug:slug>/concerns/", views.concern_lookup, name="concern-lookup"),
    path("<slug:slug>/concerns/new/", views.concern_create, name="concern-create"),
    path("<slug:slug>/concerns/form.pdf", views.concern_form_pdf, name="concern-form-pdf"),
    # Similar published concerns as a citizen types, and "this is my problem too" (before <code>/).
    path("<slug:slug>/concerns/similar/", similar_views.concern_similar, name="concern-similar"),
    path("<slug:slug>/concerns/<int:pk>/support/", similar_views.concern_support, name="concern-support"),
    # A published concern's photo, by the concern's id (its code is the citizen's, not public).
    path("<slug:slug>/concerns/<int:pk>/photo.jpg", photo_views.concern_photo, name="concern-photo"),
    path("<slug:slug>/concerns/<str:code>/", views.ConcernStatusView.as_view(), name="concern"),
]
