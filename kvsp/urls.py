"""Root URLconf. Staff pages live under /app/; public addresses have no language prefix.

Each app is mounted once, under its app_name namespace: its URL names and addresses are its own.
"""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from kvsp.core import views as core_views

admin.site.site_header = _("KVSP platform administration")
admin.site.site_title = _("KVSP administration")
admin.site.index_title = _("Platform administration")

# The staff pages: /app/ (my councils) and /app/<municipality>/... (one council's working pages).
# The apps whose addresses start with a fixed word (notifications/, calendar/) come before the
# councils app's /app/<municipality>/, which would otherwise take that word for a municipality.
staff_urlpatterns = [
    path("", include("kvsp.notify.urls")),  # notifications/
    path("", include("councils.meetings.urls")),  # calendar/, <m>/meetings/, <m>/documents/
    path("", include("consultations.urls")),  # <m>/consultations/, <m>/concerns/
    path("", include("plans.urls")),  # <m>/plans/
    path("", include("monitoring.urls")),  # <m>/monitoring/, <m>/compliance/, <m>/reminders/
    path("", include("kvsp.audit.urls")),  # <m>/history/
    path("", include("councils.urls")),  # "", <m>/, <m>/settings/, <m>/institutions/, <m>/members/
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("kvsp.core.urls")),
    path("healthz/", core_views.healthz, name="healthz"),
    path("app/", include(staff_urlpatterns)),
    # The portal: its open data API under /api/v1/, its public pages at the root.
    path("api/v1/", include("kvsp.portal.api_urls")),
    path("", include("kvsp.portal.urls")),
]
