"""Following a council without an account: an e-mail subscription (issue 23 item 1).

A citizen leaves an address and the topics they want; nothing is sent to it but the confirmation
until they open the link of that confirmation (double opt-in). The address is a citizen's contact,
kept like a concern's (consultations.models.ConcernContact, SECURITY.md "Personal data"): shown on
no page, in no export, API, log or audit trail; an unconfirmed one is deleted after
``services.CONFIRM_DAYS``, a confirmed one when its owner unsubscribes (with every e-mail sent to
it, kvsp.notify ``forget``)."""

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from councils.owned import CouncilOwned, CouncilOwnedQuerySet, council_link


def new_token() -> str:
    """The secret of a subscription's unsubscribe address (and of its confirmation link)."""
    return secrets.token_urlsafe(24)


class Topic(models.TextChoices):
    CONSULTATIONS = "consultations", _("Open consultations announced")
    PLANS = "plans", _("The safety plan published, or a draft opened for public comment")
    REPORTS = "reports", _("Monthly monitoring reports published")
    MEETINGS = "meetings", _("Public council meetings and their minutes")


class SubscriptionQuerySet(CouncilOwnedQuerySet):
    def readable(self, user) -> Q:
        """Nobody as staff: the addresses are shown on no page (the platform's admin excepted)."""
        return Q(pk__isnull=True)

    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)


class Subscription(CouncilOwned):
    """One address following one council, for some topics."""

    council = council_link("subscriptions")
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=8, default="sq")
    topics = models.JSONField(_("topics"), default=list)
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail subscription")
        verbose_name_plural = _("e-mail subscriptions")
        constraints = [models.UniqueConstraint(fields=["council", "email"], name="portal_subscription_once")]

    def __str__(self):
        # Never the address: this string may reach a log or an error report.
        return f"subscription {self.pk}"

    def __repr__(self):
        return f"<Subscription {self.pk}>"
