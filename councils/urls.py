"""Staff pages of the councils app, under /app/."""

from django.urls import path

from . import views
from .registers import views as registers

app_name = "councils"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("<slug:slug>/", views.CouncilDetailView.as_view(), name="council-detail"),
    path("<slug:slug>/settings/", views.CouncilUpdateView.as_view(), name="council-update"),
    path("<slug:slug>/institutions/add/", views.SeatCreateView.as_view(), name="seat-create"),
    path("<slug:slug>/institutions/<int:pk>/end/", views.SeatEndView.as_view(), name="seat-end"),
    path(
        "<slug:slug>/institutions/<int:pk>/head/",
        views.InstitutionHeadView.as_view(),
        name="institution-head",
    ),
    path("<slug:slug>/members/add/", views.MembershipCreateView.as_view(), name="membership-create"),
    path("<slug:slug>/members/import/", views.MembershipImportView.as_view(), name="membership-import"),
    path("<slug:slug>/members/<int:pk>/end/", views.MembershipEndView.as_view(), name="membership-end"),
    path(
        "<slug:slug>/members/<int:pk>/invite/", views.MembershipInviteView.as_view(), name="membership-invite"
    ),
    # The registers: referral figures (counts only) and cooperation agreements.
    path("<slug:slug>/registers/", registers.RegisterView.as_view(), name="registers"),
    path("<slug:slug>/registers/referrals/new/", registers.ReferralCreateView.as_view(), name="referral-add"),
    path(
        "<slug:slug>/registers/referrals/<int:pk>/",
        registers.ReferralUpdateView.as_view(),
        name="referral-edit",
    ),
    path(
        "<slug:slug>/registers/agreements/new/", registers.AgreementCreateView.as_view(), name="agreement-add"
    ),
    path(
        "<slug:slug>/registers/agreements/<int:pk>/",
        registers.AgreementUpdateView.as_view(),
        name="agreement-edit",
    ),
    path(
        "<slug:slug>/registers/agreements/<int:pk>/document/",
        registers.AgreementDocumentView.as_view(),
        name="agreement-document",
    ),
]
