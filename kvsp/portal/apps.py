from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

# The safety net's receivers (signal, dispatch uid): tests/core/test_public_cache_services.py
# disconnects them to check that the services themselves move the generation on.
SAFETY_NET = (
    (post_save, "kvsp-public-pages-save"),
    (post_delete, "kvsp-public-pages-delete"),
    (m2m_changed, "kvsp-public-pages-m2m"),
)


def _public_rows_changed(sender, **kwargs):
    """A safety net, not the rule (kvsp/core/public_cache.py: services move the public generation
    on): a save or delete made outside the services (the platform admin, the demo data) of a row
    the public pages show moves the generation on too."""
    from kvsp.core import public_cache

    from . import page_cache

    if sender._meta.app_label not in page_cache.WATCHED_APPS:
        return
    if kwargs.get("action", "post_").startswith("post_"):
        public_cache.changed()


# The public pages the staff pages of the apps below link to.
PUBLIC_PAGES = (
    "home",
    "council",
    "consultations",
    "consultation",
    "concern",
    "concern-form-pdf",
    "concern-photo",
    "document",
    "meeting",
    "plan-year",
    "plan-version",
    "plan-card",
    "plan-comment-page",
    "plan-comment",
    "report",
    "annual-report",
    "compliance-methodology",
)


class PortalConfig(AppConfig):
    name = "kvsp.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self):
        from kvsp.core.links import provide_url
        from kvsp.core.twofactor.policy import open_before_second_factor

        # Everything public stays open to an officer who has not yet passed the second factor.
        open_before_second_factor(namespaces=("portal", "api"))
        # The staff pages' "Public page" links (kvsp/core/links.py).
        for name in PUBLIC_PAGES:
            provide_url(f"public:{name}", f"portal:{name}")
        # The e-mails to a council's subscribers (kvsp/portal/subscriptions.py), through the outbox.
        from kvsp.notify import kinds

        kinds.register(
            kinds.Kind("subscription_confirm", _("Confirmation of an e-mail subscription"), reminder=False),
            kinds.Kind("subscription_known", _("An e-mail subscription asked again"), reminder=False),
            kinds.Kind("subscription_news", _("News of a followed council"), reminder=False),
        )
        for signal, uid in SAFETY_NET:
            signal.connect(_public_rows_changed, weak=False, dispatch_uid=uid)
