from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")

    def ready(self):
        from kvsp.core.links import provide_url
        from kvsp.notify import kinds

        from .notices import KINDS

        # The council's working page links to this app (kvsp/core/links.py).
        provide_url("council:consultations", "consultations:list")
        # Hand-offs: each person chooses how they reach them by e-mail.
        kinds.register(*(kinds.Kind(code, label, reminder=False, handoff=True) for code, label in KINDS))
        # The citizen's receipt (services.concern_submit), and what became of the concern (not
        # published; the outcome of its problem), through the outbox.
        kinds.register(
            kinds.Kind("concern_receipt", _("Receipt of a concern"), reminder=False),
            kinds.Kind("concern_rejected", _("A concern not published"), reminder=False),
            kinds.Kind("concern_outcome", _("The outcome of a concern"), reminder=False),
        )

        # What consultations ask of each person, at the top of /app/ (councils/waiting.py).
        from councils.waiting import register_waiting_source

        from .waiting import consultation_items

        register_waiting_source(consultation_items)

        # A concern deleted outright (not only purged) takes its photo's file with it.
        from django.db.models.signals import post_delete

        from .photos import concern_deleted

        post_delete.connect(concern_deleted, sender="consultations.Concern", dispatch_uid="concern-photo")
