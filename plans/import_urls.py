"""The plan in and out of Excel, under /app/<municipality>/plans/: the empty template, a version as
a workbook, and the import of a filled-in one into the year's draft (plans/import_views.py)."""

from django.urls import path

from . import import_views

urlpatterns = [
    path("<slug:slug>/plans/template.xlsx", import_views.PlanTemplateView.as_view(), name="import-template"),
    path(
        "<slug:slug>/plans/<int:year>/v<int:number>/plan.xlsx",
        import_views.VersionWorkbookView.as_view(),
        name="version-xlsx",
    ),
    path("<slug:slug>/plans/<int:year>/import/", import_views.PlanImportView.as_view(), name="import"),
]
