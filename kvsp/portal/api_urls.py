"""The read-only open-data API, /api/v1/ (kvsp/portal/api.py).

Addresses are written out, not made by a router: they nest the council's slug, the year and the
version number as the public plan pages do (/<municipality>/plan/<year>/v<n>/), and stay stable.
JSON is the only format, so there are no format-suffix duplicates.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import api

app_name = "api"

urlpatterns = [
    path("", api.ApiRootView.as_view(), name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("councils/", api.CouncilListView.as_view(), name="council-list"),
    path("councils/<slug:slug>/", api.CouncilDetailView.as_view(), name="council-detail"),
    path("councils/<slug:slug>/plans/", api.PlanListView.as_view(), name="plan-list"),
    path("councils/<slug:slug>/plans/<int:year>/", api.VersionDetailView.as_view(), name="plan-detail"),
    path(
        "councils/<slug:slug>/plans/<int:year>/v<int:number>/",
        api.VersionDetailView.as_view(),
        name="version-detail",
    ),
]
