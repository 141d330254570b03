"""Delivery of reminders and notifications (DESIGN.md: delivery lives in kvsp/notify).

Each ``kind`` is one registered by the app that owns it (kvsp/notify/kinds.py): the fields take
their choices from the registry, so no migration holds an app's wording.

- ``Notification``: what a person sees in the product's notification centre.
- ``Preference``: how a person wants each kind by e-mail: at once, in a daily digest, or not.
- ``OutboxMessage``: an e-mail to send, written in the same transaction as the change (or the
  reminder sweep) that causes it, already rendered in the recipient's language. Its ``key`` —
  (recipient, kind, object, period) — is unique, so a sweep run twice writes one message.
- ``SentLog``: the delivery ledger. A message's key is claimed before the mail server is called and
  marked sent after, so two workers never send it both; a claim left unsent (a worker killed) is
  taken over after ``CLAIM_TIMEOUT``. A second copy is possible only after a crash in the instant
  between the mail server's answer and the commit that records it, or after an ambiguous end
  (``MAYBE_SENT``); it carries the same Message-ID (``services.message_id``), so mail clients show
  one message.

A claim is taken afresh just before its message is sent, and a send lives at most as long as its
task: ``CELERY_TASK_TIME_LIMIT`` (the hard limit that kills a task) is shorter than
``CLAIM_TIMEOUT`` (a system check, kvsp/notify/checks.py, holds it), so a claim old enough to be
taken over belongs to a send that is dead.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import kinds

CLAIM_TIMEOUT = timedelta(minutes=10)
# The connection was lost after the message's data was handed over: the server may have it.
# Retried only after this delay (with the same Message-ID), not at the next drain.
MAYBE_SENT_DELAY = timedelta(minutes=30)
# A refused message is retried after 1, 2, 4 ... minutes, at most an hour apart.
RETRY_BACKOFF_MAX = timedelta(hours=1)


def person_link(related_name: str, *, optional: bool = False) -> models.ForeignKey:
    """The person a notification, a preference or an e-mail is for: gone with their account."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=optional,
        blank=optional,
        related_name=related_name,
        verbose_name=_("person"),
    )


class Mode(models.TextChoices):
    IMMEDIATE = kinds.IMMEDIATE, _("by e-mail at once")
    DIGEST = "digest", _("in a daily e-mail digest")
    OFF = "off", _("not by e-mail")


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def unread(self):
        """Not read yet, and still asking for something (a handled notice is never counted)."""
        return self.filter(read_at__isnull=True, handled_at__isnull=True)

    def unhandled(self):
        """What still asks for something: not handled (see ``Notification.handled_at``)."""
        return self.filter(handled_at__isnull=True)


class Notification(models.Model):
    """An entry of a person's notification centre. Written once; reading it sets ``read_at``.
    ``handled_at`` is set when what it asked for was done, by anyone (``services.withdraw``: the
    report it announced was approved): the centre then hides it unless asked, and never counts it."""

    user = person_link("notifications")
    kind = models.CharField(_("kind"), max_length=30, choices=kinds.choices)
    key = models.CharField(_("key"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("address"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notify_notification_once")]
        indexes = [models.Index(fields=["user", "read_at"], name="notify_unread")]

    def __str__(self):
        return self.title


class Preference(models.Model):
    user = person_link("notification_preferences")
    kind = models.CharField(_("kind"), max_length=30, choices=kinds.choices)
    mode = models.CharField(_("e-mail"), max_length=20, choices=Mode.choices, default=Mode.IMMEDIATE)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notify_preference_once")]

    def __str__(self):
        return f"{self.user} {self.kind}: {self.mode}"


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed, will be retried")
        WITHDRAWN = "withdrawn", _("withdrawn: no longer needed")
        MAYBE_SENT = "maybe_sent", _("maybe sent: the server's answer was lost; checked again later")

    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=kinds.choices)
    user = person_link("+", optional=True)
    email = models.EmailField(_("e-mail"))
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("plain text"))
    html = models.TextField(_("HTML"))
    digest = models.BooleanField(_("for the daily digest"), default=False)
    # One file sent with the e-mail (a meeting invitation's .ics), small enough for the row.
    attachment_name = models.CharField(_("attachment"), max_length=100, blank=True)
    attachment_type = models.CharField(_("attachment type"), max_length=100, blank=True)
    attachment = models.BinaryField(_("attachment content"), blank=True, default=b"")
    # Extra headers of the e-mail (a subscription's List-Unsubscribe), set by the app that writes it.
    headers = models.JSONField(_("headers"), blank=True, default=dict)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Not before: the back-off after a refusal, the delay after an ambiguous end.
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "digest"], name="notify_outbox_pending")]

    def __str__(self):
        return self.key


class SentLog(models.Model):
    key = models.CharField(_("key"), max_length=200, unique=True)
    claimed_at = models.DateTimeField(_("claimed at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    claims = models.PositiveSmallIntegerField(_("claims"), default=1)

    class Meta:
        verbose_name = _("sent-log entry")
        verbose_name_plural = _("sent-log")
        ordering = ["-claimed_at"]

    def __str__(self):
        return self.key
