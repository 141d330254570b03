from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        from councils.panels import register_working_panel

        from . import panels

        register_working_panel(panels.compliance_calendar)
