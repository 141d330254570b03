from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = _("Councils")

    def ready(self):
        # The core's two-factor policy learns from the councils which seats need a second factor.
        from kvsp.core.links import provide_url
        from kvsp.core.twofactor.policy import register_second_factor_roles

        from .security import holds_second_factor_seat

        register_second_factor_roles(holds_second_factor_seat)
        # Where the account pages send an officer back to (kvsp/core/links.py).
        provide_url("staff:home", "councils:dashboard")
