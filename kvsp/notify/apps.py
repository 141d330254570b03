from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "kvsp.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self):
        from . import checks, kinds  # noqa: F401 (registers the time limits' check)

        kinds.register(
            kinds.Kind(kinds.PASSWORD_RESET, _("Password reset"), reminder=False),
            kinds.Kind(kinds.ACCOUNT_INVITATION, _("Account invitation"), reminder=False),
        )
