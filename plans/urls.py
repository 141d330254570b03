"""Staff pages of plans, mounted once under /app/ (kvsp/urls.py), all at
/app/<municipality>/plans/...: the council's plans, each version with its editor and workflow, the
comparison of two versions, the plan in and out of Excel, and the record of where member
institutions published the plan."""

from django.urls import path

from . import actor_views, comment_views, editor_views, import_views, publication_views, views

app_name = "plans"

PLANS = "<slug:slug>/plans/"
VERSION = PLANS + "<int:year>/v<int:number>/"

urlpatterns = [
    path(PLANS, views.PlanIndexView.as_view(), name="index"),
    path(PLANS + "<int:year>/compare/", views.CompareView.as_view(), name="compare"),
    # The council's list of responsible actors who are not members (plans/actor_views.py).
    path(PLANS + "actors/", actor_views.ActorListView.as_view(), name="actors"),
    path(VERSION, views.VersionDetailView.as_view(), name="version"),
    # Workflow: submit (SKN, secretary), return and approve (the chair), revise (SKN, secretary).
    path(VERSION + "submit/", views.SubmitView.as_view(), name="submit"),
    path(VERSION + "return/", views.ReturnView.as_view(), name="return"),
    path(VERSION + "approve/", views.ApproveView.as_view(), name="approve"),
    path(VERSION + "revise/", views.ReviseView.as_view(), name="revise"),
    # Public comment (plans/comment_views.py): the SKN opens a submitted version for comment; the
    # SKN and the technical secretary moderate the comments, the SKN answers them.
    path(VERSION + "comment-period/", comment_views.PeriodOpenView.as_view(), name="comment-period"),
    path(VERSION + "comments/", comment_views.CommentListView.as_view(), name="comments"),
    path(VERSION + "comments/<int:pk>/", comment_views.CommentDetailView.as_view(), name="comment"),
    # The editor of a draft (plans/editor_views.py): problems, their activities, their indicators,
    # and the problems pulled in from a consultation. Every row is looked up inside the version.
    path(VERSION + "pull/", editor_views.PullView.as_view(), name="pull"),
    path(VERSION + "title/", editor_views.TitleView.as_view(), name="title"),
    path(VERSION + "problems/add/", editor_views.ProblemAddView.as_view(), name="problem-add"),
    path(VERSION + "problems/<int:row>/", editor_views.ProblemEditView.as_view(), name="problem-edit"),
    path(
        VERSION + "problems/<int:row>/delete/",
        editor_views.ProblemDeleteView.as_view(),
        name="problem-delete",
    ),
    path(VERSION + "problems/<int:row>/move/", editor_views.ProblemMoveView.as_view(), name="problem-move"),
    path(
        VERSION + "problems/<int:row>/activities/add/",
        editor_views.ActivityAddView.as_view(),
        name="activity-add",
    ),
    path(
        VERSION + "activities/<int:activity>/", editor_views.ActivityEditView.as_view(), name="activity-edit"
    ),
    path(
        VERSION + "activities/<int:activity>/delete/",
        editor_views.ActivityDeleteView.as_view(),
        name="activity-delete",
    ),
    path(
        VERSION + "activities/<int:activity>/move/",
        editor_views.ActivityMoveView.as_view(),
        name="activity-move",
    ),
    path(
        VERSION + "activities/<int:activity>/indicators/add/",
        editor_views.IndicatorAddView.as_view(),
        name="indicator-add",
    ),
    path(
        VERSION + "indicators/<int:indicator>/",
        editor_views.IndicatorEditView.as_view(),
        name="indicator-edit",
    ),
    path(
        VERSION + "indicators/<int:indicator>/delete/",
        editor_views.IndicatorDeleteView.as_view(),
        name="indicator-delete",
    ),
    # The plan in and out of Excel (plans/import_views.py): the empty template, a version as a
    # workbook, and the import of a filled-in one into the year's draft.
    path(PLANS + "template.xlsx", import_views.PlanTemplateView.as_view(), name="import-template"),
    path(VERSION + "plan.xlsx", import_views.VersionWorkbookView.as_view(), name="version-xlsx"),
    path(PLANS + "<int:year>/import/", import_views.PlanImportView.as_view(), name="import"),
    # Where member institutions published the plan (regulation art. 8.7).
    path(
        PLANS + "<int:year>/publications/", publication_views.PublicationsView.as_view(), name="publications"
    ),
]
