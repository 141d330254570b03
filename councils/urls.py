"""Staff pages of the councils app, under /app/."""

from django.urls import path

from . import views

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
]
