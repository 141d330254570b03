"""Where member institutions published the plan: /app/<municipality>/plans/<year>/publications/."""

from django.urls import path

from . import publication_views

urlpatterns = [
    path(
        "<slug:slug>/plans/<int:year>/publications/",
        publication_views.PublicationsView.as_view(),
        name="publications",
    ),
]
