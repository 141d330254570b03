from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Plans")

    def ready(self):
        from kvsp.core.links import provide_url

        from . import approval, comments

        # The council's working page links to this app (kvsp/core/links.py).
        provide_url("council:plans", "plans:index")
        # Hand-off notices: a plan submitted (to the chair), returned, approved (kvsp/notify).
        approval.register_kinds()
        # Public comment: a comment to moderate (to the SKN and the secretary), the citizen's
        # receipt and the SKN's answer (plans/comments.py).
        comments.register_kinds()

        # What plans ask of each person, at the top of /app/ (councils/waiting.py).
        from councils.waiting import register_waiting_source

        from .comment_waiting import comment_items
        from .waiting import plan_items

        register_waiting_source(plan_items)
        register_waiting_source(comment_items)
