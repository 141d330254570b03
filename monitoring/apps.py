from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        from councils.panels import register_working_panel
        from kvsp.core.links import provide_url

        from . import handoffs, panels, reminder_kinds, template_handoffs
        from .annual import handoffs as annual_handoffs

        register_working_panel(panels.compliance_calendar)
        # The council's working page links to monitoring (kvsp/core/links.py).
        provide_url("council:monitoring", "monitoring:dashboard")
        provide_url("council:reports", "monitoring:reports")
        provide_url("council:reminders", "monitoring:reminders")
        reminder_kinds.register()
        handoffs.register()
        template_handoffs.register()
        annual_handoffs.register()

        # What monitoring asks of each person, at the top of /app/ (councils/waiting.py).
        from councils.waiting import register_waiting_source

        from .waiting import monitoring_items

        register_waiting_source(monitoring_items)

        # The SKN's summary after each meeting (councils/meetings/skn_summary.py).
        from councils.meetings.skn_summary import register_summary_section

        from .skn_summary import reports_waiting, status_changes

        register_summary_section(status_changes)
        register_summary_section(reports_waiting)
