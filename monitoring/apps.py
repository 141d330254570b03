from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        from councils.panels import register_working_panel

        from . import compliance_data, panels

        # The national overview is cached: any change to what its checks read moves it on. This is
        # cache upkeep, not a business rule.
        for model in compliance_data.watched_models():
            uid = f"kvsp-compliance-{model._meta.label_lower}"
            post_save.connect(compliance_data.changed, sender=model, weak=False, dispatch_uid=uid + "-save")
            post_delete.connect(
                compliance_data.changed, sender=model, weak=False, dispatch_uid=uid + "-delete"
            )
        register_working_panel(panels.compliance_calendar)
