from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "councils.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from kvsp.core.twofactor.policy import open_before_second_factor

        # A calendar program fetches the feed with its secret, never with a session.
        open_before_second_factor(view_names=("meetings:calendar-feed",))
