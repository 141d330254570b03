"""Staff pages of the councils app, under /app/."""

from django.urls import path

from . import views

app_name = "councils"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
]
