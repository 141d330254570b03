"""The plan editor and its workflow, under /app/<municipality>/plans/. Every row of a URL is looked
up inside the URL's council and version (plans/views.py)."""

from django.urls import path

from . import views

VERSION = "<slug:slug>/plans/<int:year>/v<int:number>/"

urlpatterns = [
    path("<slug:slug>/plans/", views.PlanIndexView.as_view(), name="index"),
    path("<slug:slug>/plans/<int:year>/compare/", views.CompareView.as_view(), name="compare"),
    path(VERSION, views.VersionDetailView.as_view(), name="version"),
    # Workflow: submit (SKN, secretary), return and approve (the chair), revise (SKN, secretary).
    path(VERSION + "submit/", views.SubmitView.as_view(), name="submit"),
    path(VERSION + "return/", views.ReturnView.as_view(), name="return"),
    path(VERSION + "approve/", views.ApproveView.as_view(), name="approve"),
    path(VERSION + "revise/", views.ReviseView.as_view(), name="revise"),
    path(VERSION + "pull/", views.PullView.as_view(), name="pull"),
    # Rows of a draft: problems, their activities, and the activities' indicators.
    path(VERSION + "problems/add/", views.ProblemAddView.as_view(), name="problem-add"),
    path(VERSION + "problems/<int:row>/", views.ProblemEditView.as_view(), name="problem-edit"),
    path(VERSION + "problems/<int:row>/delete/", views.ProblemDeleteView.as_view(), name="problem-delete"),
    path(VERSION + "problems/<int:row>/move/", views.ProblemMoveView.as_view(), name="problem-move"),
    path(
        VERSION + "problems/<int:row>/activities/add/", views.ActivityAddView.as_view(), name="activity-add"
    ),
    path(VERSION + "activities/<int:activity>/", views.ActivityEditView.as_view(), name="activity-edit"),
    path(
        VERSION + "activities/<int:activity>/delete/",
        views.ActivityDeleteView.as_view(),
        name="activity-delete",
    ),
    path(VERSION + "activities/<int:activity>/move/", views.ActivityMoveView.as_view(), name="activity-move"),
    path(
        VERSION + "activities/<int:activity>/indicators/add/",
        views.IndicatorAddView.as_view(),
        name="indicator-add",
    ),
    path(VERSION + "indicators/<int:indicator>/", views.IndicatorEditView.as_view(), name="indicator-edit"),
    path(
        VERSION + "indicators/<int:indicator>/delete/",
        views.IndicatorDeleteView.as_view(),
        name="indicator-delete",
    ),
]
