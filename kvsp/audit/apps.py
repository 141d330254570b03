from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "kvsp.audit"
    label = "audit"
    verbose_name = _("History")

    def ready(self):
        from kvsp.core.links import provide_url

        from . import history  # noqa: F401 (registers the rule audit.read_object)

        # The "History" link of the staff pages of every app below (kvsp/core/links.py).
        provide_url("history", "audit:history")
