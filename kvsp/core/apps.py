from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kvsp.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        # Security logging (kvsp/core/security_log.py): the receivers connect on import.
        from . import security_log
        from .twofactor import policy  # noqa: F401 (registers its system check)

        security_log.connect_axes()
