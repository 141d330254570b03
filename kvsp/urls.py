"""Root URLconf. Staff pages live under /app/; public addresses have no language prefix."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from kvsp.core import views as core_views

admin.site.site_header = _("KVSP platform administration")
admin.site.site_title = _("KVSP administration")
admin.site.index_title = _("Platform administration")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("kvsp.core.urls")),
    path("healthz/", core_views.healthz, name="healthz"),
    # Staff pages: /app/ (my councils), /app/<municipality>/... (one council's working pages).
    path("app/", include("kvsp.notify.urls")),
    path("app/", include("councils.meetings.urls")),
    path("app/", include("consultations.urls")),
    path("app/", include("plans.urls")),
    path("app/", include("monitoring.urls")),
    path("app/", include("kvsp.audit.urls")),
    path("api/v1/", include("kvsp.portal.api_urls")),
    path("app/", include("councils.urls")),
    path("", include("kvsp.portal.urls")),
]
