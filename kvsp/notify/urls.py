"""The notification centre, under /app/notifications/ ("notifications" is never a municipality:
it is matched before /app/<municipality>/)."""

from django.urls import path

from . import views

app_name = "notify"

urlpatterns = [
    path("notifications/", views.NotificationListView.as_view(), name="list"),
    path("notifications/read/", views.NotificationReadView.as_view(), name="read-all"),
    path("notifications/<int:pk>/read/", views.NotificationReadView.as_view(), name="read"),
    path("notifications/preferences/", views.PreferencesView.as_view(), name="preferences"),
]
