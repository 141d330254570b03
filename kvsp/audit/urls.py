"""The history pages, under /app/<municipality>/history/."""

from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("<slug:slug>/history/<slug:kind>/<int:pk>/", views.HistoryView.as_view(), name="history"),
]
