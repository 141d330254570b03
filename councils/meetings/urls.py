"""Meeting pages, under /app/<municipality>/meetings/."""

from django.urls import path

from . import invitation_views, task_force_views, views, views_minutes

app_name = "meetings"

urlpatterns = [
    path("calendar/", views.CalendarFeedView.as_view(), name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("<slug:slug>/documents/", views.ArchiveView.as_view(), name="archive"),
    path("<slug:slug>/documents/new/", views.DocumentCreateView.as_view(), name="document-create"),
    path("<slug:slug>/documents/<int:pk>/", views.DocumentDownloadView.as_view(), name="document-download"),
    path("<slug:slug>/meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path("<slug:slug>/meetings/new/", views.MeetingCreateView.as_view(), name="meeting-create"),
    path(
        "<slug:slug>/task-forces/new/",
        task_force_views.TaskForceCreateView.as_view(),
        name="task-force-create",
    ),
    path("<slug:slug>/meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path(
        "<slug:slug>/meetings/<int:pk>/specialists/",
        task_force_views.SpecialistsView.as_view(),
        name="specialists",
    ),
    path("<slug:slug>/meetings/<int:pk>/cancel/", views.MeetingCancelView.as_view(), name="meeting-cancel"),
    path(
        "<slug:slug>/meetings/<int:pk>/agenda/add/", views.AgendaItemCreateView.as_view(), name="agenda-add"
    ),
    path(
        "<slug:slug>/meetings/<int:pk>/agenda/submit/", views.AgendaSubmitView.as_view(), name="agenda-submit"
    ),
    path("<slug:slug>/meetings/<int:pk>/agenda/agree/", views.AgendaAgreeView.as_view(), name="agenda-agree"),
    path("<slug:slug>/meetings/<int:pk>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path(
        "<slug:slug>/meetings/<int:pk>/invitations/",
        invitation_views.InvitationSendView.as_view(),
        name="invitation-send",
    ),
    path(
        "<slug:slug>/meetings/<int:pk>/invitations/letters.pdf",
        invitation_views.InvitationLettersView.as_view(),
        name="invitation-letters",
    ),
    path(
        "<slug:slug>/meetings/<int:pk>/invitations/reached/",
        invitation_views.InvitationReachView.as_view(),
        name="invitation-reach",
    ),
    path(
        "<slug:slug>/meetings/<int:pk>/answer/",
        invitation_views.InvitationAnswerView.as_view(),
        name="invitation-answer",
    ),
    path(
        "<slug:slug>/meetings/<int:pk>/move/", invitation_views.MeetingMoveView.as_view(), name="meeting-move"
    ),
    path("<slug:slug>/meetings/<int:pk>/agenda/", invitation_views.AgendaView.as_view(), name="agenda"),
    path(
        "<slug:slug>/meetings/<int:pk>/agenda/<int:item>/edit/",
        invitation_views.AgendaItemEditView.as_view(),
        name="agenda-item-edit",
    ),
    path(
        "<slug:slug>/meetings/<int:pk>/agenda/<int:item>/remove/",
        invitation_views.AgendaItemRemoveView.as_view(),
        name="agenda-item-remove",
    ),
    path(
        "<slug:slug>/meetings/<int:pk>/agenda/<int:item>/move/",
        invitation_views.AgendaItemMoveView.as_view(),
        name="agenda-item-move",
    ),
    path(
        "<slug:slug>/meetings/<int:pk>/minutes/", views_minutes.MinutesEditView.as_view(), name="minutes-edit"
    ),
    path(
        "<slug:slug>/meetings/<int:pk>/minutes/submit/",
        views_minutes.MinutesSubmitView.as_view(),
        name="minutes-submit",
    ),
    path(
        "<slug:slug>/meetings/<int:pk>/minutes/approve/",
        views_minutes.MinutesApproveView.as_view(),
        name="minutes-approve",
    ),
    path(
        "<slug:slug>/meetings/<int:pk>/minutes/return/",
        views_minutes.MinutesReturnView.as_view(),
        name="minutes-return",
    ),
    path("<slug:slug>/meetings/<int:pk>/minutes.pdf", views.MinutesPdfView.as_view(), name="minutes-pdf"),
    path(
        "<slug:slug>/meetings/<int:pk>/amendments/add/",
        views.AmendmentCreateView.as_view(),
        name="amendment-add",
    ),
    path(
        "<slug:slug>/meetings/<int:pk>/decisions/add/",
        views_minutes.DecisionCreateView.as_view(),
        name="decision-add",
    ),
]
