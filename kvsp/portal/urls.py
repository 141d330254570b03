"""Public addresses: a contract, since member institutions link to them from their websites."""

from django.urls import path

from . import views

app_name = "portal"

# Reserved first segments, never a municipality slug (see DESIGN.md "Public addresses").
RESERVED_SLUGS = frozenset({"app", "api", "admin", "accounts", "static", "media", "healthz"})

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
]
