from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")

    def ready(self):
        from kvsp.core.links import provide_url

        # The council's working page links to this app (kvsp/core/links.py).
        provide_url("council:consultations", "consultations:list")

        # What consultations ask of each person, at the top of /app/ (councils/waiting.py).
        from councils.waiting import register_waiting_source

        from .waiting import consultation_items

        register_waiting_source(consultation_items)
