from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _public_rows_changed(sender, **kwargs):
    """Any committed change to a row the public pages show moves their cache on (page_cache.py).
    Cache upkeep, not a business rule."""
    from . import page_cache

    if sender._meta.app_label not in page_cache.WATCHED_APPS:
        return
    if kwargs.get("action", "post_").startswith("post_"):
        page_cache.changed()


class PortalConfig(AppConfig):
    name = "kvsp.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self):
        from kvsp.core.twofactor.policy import open_before_second_factor

        # Everything public stays open to an officer who has not yet passed the second factor.
        open_before_second_factor(namespaces=("portal", "api"))
        for name, signal in (("save", post_save), ("delete", post_delete), ("m2m", m2m_changed)):
            signal.connect(_public_rows_changed, weak=False, dispatch_uid=f"kvsp-public-pages-{name}")
