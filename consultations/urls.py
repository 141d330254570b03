"""Staff pages of consultations and concerns, under /app/<municipality>/."""

from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("<slug:slug>/consultations/", views.ConsultationListView.as_view(), name="list"),
    path("<slug:slug>/consultations/new/", views.ConsultationCreateView.as_view(), name="create"),
    path("<slug:slug>/consultations/<int:pk>/", views.ConsultationDetailView.as_view(), name="detail"),
    path("<slug:slug>/consultations/<int:pk>/edit/", views.ConsultationUpdateView.as_view(), name="update"),
    path(
        "<slug:slug>/consultations/<int:pk>/agenda/send/",
        views.AgendaSubmitView.as_view(),
        name="agenda-submit",
    ),
    path(
        "<slug:slug>/consultations/<int:pk>/agenda/agree/",
        views.AgendaAgreeView.as_view(),
        name="agenda-agree",
    ),
    path(
        "<slug:slug>/consultations/<int:pk>/announce/",
        views.ConsultationAnnounceView.as_view(),
        name="announce",
    ),
    path("<slug:slug>/consultations/<int:pk>/cancel/", views.ConsultationCancelView.as_view(), name="cancel"),
    path(
        "<slug:slug>/consultations/<int:pk>/participation/",
        views.ParticipationView.as_view(),
        name="participation",
    ),
    path(
        "<slug:slug>/consultations/<int:pk>/concerns/new/",
        views.ConcernEnterView.as_view(),
        name="concern-enter",
    ),
    path(
        "<slug:slug>/consultations/<int:pk>/concerns.csv",
        views.ConcernExportView.as_view(),
        name="concern-export",
    ),
    path("<slug:slug>/consultations/<int:pk>/priorities/", views.PrioritiesView.as_view(), name="priorities"),
    path(
        "<slug:slug>/consultations/<int:pk>/priorities/<int:problem>/",
        views.ProblemEditView.as_view(),
        name="problem-edit",
    ),
    path("<slug:slug>/concerns/", views.ConcernListView.as_view(), name="concern-list"),
    path("<slug:slug>/concerns/<str:code>/", views.ConcernDetailView.as_view(), name="concern-detail"),
    path("<slug:slug>/concerns/<str:code>/photo/", views.ConcernPhotoView.as_view(), name="concern-photo"),
    path("<slug:slug>/concerns/<str:code>/forget/", views.ConcernForgetView.as_view(), name="concern-forget"),
]
