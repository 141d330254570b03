"""The ways out: ``send`` e-mails a person at once (an invitation, a password reset, a citizen's
receipt: the person is waiting for it); ``notify`` gives reminders and notifications through the
notification centre and the outbox (kvsp/notify/models.py), which a worker drains, so that the
change that causes them never fails because the broker or the mail server is down.
"""

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kvsp.core.models import User

from . import kinds
from .models import CLAIM_TIMEOUT, Mode, Notification, OutboxMessage, Preference, SentLog

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


def _address_and_language(recipient, default_language: str) -> tuple[str, str]:
    email = getattr(recipient, "email", recipient)
    language = getattr(recipient, "language", None) or default_language
    return str(email), language


def send(
    *,
    recipients: Iterable,
    template: str,
    context: dict | None = None,
    language: str | None = None,
    attachments: Sequence[Attachment] = (),
) -> int:
    """Send ``notify/<template>/`` (subject, plain text and HTML) to each recipient.

    A recipient is a user (their own language is used) or an e-mail address (``language``, or the
    active language). Each person gets a separate message, so no address is shown to another.
    Returns the number of messages handed to the mail backend.
    """
    default_language = language or translation.get_language() or settings.LANGUAGE_CODE
    sent = 0
    for recipient in recipients:
        address, lang = _address_and_language(recipient, default_language)
        with translation.override(lang):
            ctx = {"site_url": settings.SITE_URL, "recipient": recipient, **(context or {})}
            subject, text, html = _render_message(template, ctx)
        message = EmailMultiAlternatives(
            subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[address]
        )
        message.attach_alternative(html, "text/html")
        for attachment in attachments:
            message.attach(attachment.filename, attachment.content, attachment.mimetype)
        sent += message.send()
    return sent


def _render_message(template: str, ctx: dict) -> tuple[str, str, str]:
    subject = " ".join(render_to_string(f"notify/{template}/subject.txt", ctx).split())
    return (
        subject,
        render_to_string(f"notify/{template}/body.txt", ctx),
        render_to_string(f"notify/{template}/body.html", ctx),
    )


def enqueue(
    *,
    recipients: Iterable,
    kind: str,
    key: str,
    template: str,
    context: dict | None = None,
    language: str | None = None,
    attachment: Attachment | None = None,
) -> None:
    """Put ``notify/<template>/`` for each recipient in the outbox, in the caller's transaction:
    the worker sends it after the commit, retried if the mail server refuses, never twice (the
    sent-log). For messages that are not reminders (no preference, no digest). A recipient is a
    user (their language) or an e-mail address (``language``, or the active language); the
    address is added to ``key``; a key already in the outbox is skipped."""
    default_language = language or translation.get_language() or settings.LANGUAGE_CODE
    messages = []
    for recipient in recipients:
        address, lang = _address_and_language(recipient, default_language)
        with translation.override(lang):
            ctx = {"site_url": settings.SITE_URL, "recipient": recipient, **(context or {})}
            subject, text, html = _render_message(template, ctx)
        messages.append(
            OutboxMessage(
                key=f"{key}:{address}"[:200],
                kind=kind,
                user=recipient if hasattr(recipient, "email") else None,
                email=address,
                subject=subject[:300],
                text=text,
                html=html,
                attachment_name=attachment.filename if attachment else "",
                attachment_type=attachment.mimetype if attachment else "",
                attachment=attachment.content if attachment else b"",
            )
        )
    OutboxMessage.objects.bulk_create(messages, ignore_conflicts=True)
    if messages:
        queue_delivery()


# --- reminders and notifications: the outbox -------------------------------------------------------


class DeliveryFailed(Exception):
    """Some e-mails were refused by the mail server; they wait for the next attempt."""


@dataclass(frozen=True)
class Pending:
    """A notification to give a person: ``render()`` is called in the person's language and
    returns the subject, the lines of the text, the address to open and the button's words."""

    user: User
    kind: str
    key: str  # (kind, object, period); the person's id is added
    render: Callable[[], dict]
    # A file for the e-mail (a meeting's updated .ics); not kept in a digest.
    attachment: Attachment | None = None


def _rendered(item: Pending) -> dict:
    with translation.override(getattr(item.user, "language", None) or settings.LANGUAGE_CODE):
        content = item.render()
        url = content.get("url", "")
        ctx = {
            "site_url": settings.SITE_URL,
            "recipient": item.user,
            "link": f"{settings.SITE_URL}{url}" if url.startswith("/") else url,
            **content,
        }
        return {
            "subject": " ".join(render_to_string("notify/reminder/subject.txt", ctx).split())[:300],
            "text": render_to_string("notify/reminder/body.txt", ctx),
            "html": render_to_string("notify/reminder/body.html", ctx),
            "title": str(content["subject"])[:300],
            "body": "\n".join(str(line) for line in content.get("lines", [])),
            "url": url[:300],
        }


def notify(items: Iterable[Pending]) -> int:
    """Give each person their notification in the notification centre and, as they prefer, put
    its e-mail in the outbox, in the caller's transaction; the worker sends it after the commit.
    A key already given is skipped, so calling this twice gives nothing twice. Returns how many
    notifications are new. A fixed number of queries for any number of items."""
    items = [item for item in items if getattr(item.user, "is_active", True) and item.user.email]
    if not items:
        return 0
    keys = {f"{item.key}:{item.user.pk}" for item in items}
    known = set(Notification.objects.filter(key__in=keys).values_list("key", flat=True))
    fresh, seen = [], set()
    for item in items:
        key = f"{item.key}:{item.user.pk}"
        if key not in known and key not in seen:
            seen.add(key)
            fresh.append((key, item))
    if not fresh:
        return 0
    modes = {
        (user_id, kind): mode
        for user_id, kind, mode in Preference.objects.filter(
            user_id__in={item.user.pk for _key, item in fresh}
        ).values_list("user_id", "kind", "mode")
    }
    notifications, messages = [], []
    for key, item in fresh:
        content = _rendered(item)
        notifications.append(
            Notification(
                user=item.user,
                kind=item.kind,
                key=key,
                title=content["title"],
                body=content["body"],
                url=content["url"],
            )
        )
        mode = modes.get((item.user.pk, item.kind), kinds.get(item.kind).default_mode)
        if mode != Mode.OFF:
            messages.append(
                OutboxMessage(
                    key=key,
                    kind=item.kind,
                    user=item.user,
                    email=item.user.email,
                    subject=content["subject"],
                    text=content["text"],
                    html=content["html"],
                    digest=mode == Mode.DIGEST,
                    attachment_name=item.attachment.filename if item.attachment else "",
                    attachment_type=item.attachment.mimetype if item.attachment else "",
                    attachment=item.attachment.content if item.attachment else b"",
                )
            )
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    OutboxMessage.objects.bulk_create(messages, ignore_conflicts=True)
    if any(not message.digest for message in messages):
        queue_delivery()
    return len(notifications)


def queue_delivery() -> None:
    """After the commit, ask a worker to drain the outbox. If the broker does not answer, the
    message waits in the outbox for the next scheduled drain: the request never fails for it."""

    def kick():
        from .tasks import deliver_outbox_task

        try:
            deliver_outbox_task.delay()
        except Exception:  # the broker is down: the beat's drain sends it later
            logger.warning("notify: the broker is not answering; the outbox waits for the next drain")

    transaction.on_commit(kick)


def _claim(key: str, now) -> bool:
    """Claim the right to send ``key``: True if this worker may send it now."""
    try:
        with transaction.atomic():
            SentLog.objects.create(key=key, claimed_at=now)
        return True
    except IntegrityError:
        pass
    log = SentLog.objects.filter(key=key).values("sent_at", "claimed_at").first()
    if log is None or log["sent_at"] is not None or log["claimed_at"] > now - CLAIM_TIMEOUT:
        return False
    # A claim left unsent by a crash: take it over, unless another worker just did.
    return (
        SentLog.objects.filter(key=key, sent_at__isnull=True, claimed_at=log["claimed_at"]).update(
            claimed_at=now, claims=F("claims") + 1
        )
        == 1
    )


def _send_one(*, to: str, subject: str, text: str, html: str, key: str, attachment=None) -> int:
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"X-KVSP-Key": key},
    )
    message.attach_alternative(html, "text/html")
    if attachment is not None:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    return message.send()


def deliver_pending(*, limit: int = 500) -> int:
    """Send the outbox's waiting e-mails (not those kept for a digest): each is claimed in the
    sent-log, sent, then marked sent. Returns how many were sent."""
    sent = 0
    waiting = OutboxMessage.objects.filter(
        status__in=(OutboxMessage.Status.PENDING, OutboxMessage.Status.FAILED), digest=False
    ).order_by("id")[:limit]
    for row in waiting:
        now = timezone.now()
        if not _claim(row.key, now):
            if SentLog.objects.filter(key=row.key, sent_at__isnull=False).exists():
                OutboxMessage.objects.filter(pk=row.pk).update(status=OutboxMessage.Status.SENT)
            continue
        try:
            _send_one(
                to=row.email,
                subject=row.subject,
                text=row.text,
                html=row.html,
                key=row.key,
                attachment=Attachment(row.attachment_name, bytes(row.attachment), row.attachment_type)
                if row.attachment_name
                else None,
            )
        except Exception as error:  # the mail server refused: release the claim, retry later
            SentLog.objects.filter(key=row.key).update(claimed_at=now - 2 * CLAIM_TIMEOUT)
            OutboxMessage.objects.filter(pk=row.pk).update(
                status=OutboxMessage.Status.FAILED, attempts=F("attempts") + 1, last_error=str(error)[:300]
            )
            logger.warning("notify: sending %s failed", row.key)
            continue
        done = timezone.now()
        with transaction.atomic():
            SentLog.objects.filter(key=row.key).update(sent_at=done)
            OutboxMessage.objects.filter(pk=row.pk).update(
                status=OutboxMessage.Status.SENT, sent_at=done, attempts=F("attempts") + 1
            )
        sent += 1
    return sent


def deliver_digests(*, as_of=None) -> int:
    """One e-mail a day to each person who asked for a digest, with every message kept for it."""
    as_of = as_of or timezone.localdate()
    waiting = (
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, digest=True)
        .select_related("user")
        .order_by("user_id", "id")
    )
    by_user: dict = {}
    for row in waiting:
        by_user.setdefault(row.user_id, []).append(row)
    sent = failed = 0
    for rows in by_user.values():
        user = rows[0].user
        key = f"digest:{as_of.isoformat()}:{user.pk if user else rows[0].email}"
        now = timezone.now()
        if not _claim(key, now):
            continue
        with translation.override(getattr(user, "language", None) or settings.LANGUAGE_CODE):
            ctx = {"site_url": settings.SITE_URL, "recipient": user, "rows": rows, "day": as_of}
            subject = " ".join(render_to_string("notify/digest/subject.txt", ctx).split())
            text = render_to_string("notify/digest/body.txt", ctx)
            html = render_to_string("notify/digest/body.html", ctx)
        try:
            _send_one(to=rows[0].email, subject=subject, text=text, html=html, key=key)
        except Exception as error:  # the mail server refused: release the claim, the others go on
            SentLog.objects.filter(key=key).update(claimed_at=now - 2 * CLAIM_TIMEOUT)
            OutboxMessage.objects.filter(pk__in=[row.pk for row in rows]).update(
                attempts=F("attempts") + 1, last_error=str(error)[:300]
            )
            logger.warning("notify: sending %s failed", key)
            failed += 1
            continue
        done = timezone.now()
        with transaction.atomic():
            SentLog.objects.filter(key=key).update(sent_at=done)
            OutboxMessage.objects.filter(pk__in=[row.pk for row in rows]).update(
                status=OutboxMessage.Status.SENT, sent_at=done, attempts=F("attempts") + 1
            )
        sent += 1
    if failed:
        # The task retries with a back-off; the digests already sent are in the sent-log.
        raise DeliveryFailed(f"{failed} digest(s) were refused by the mail server; {sent} sent")
    return sent


def withdraw(key_prefix: str) -> int:
    """What the notifications under ``key_prefix`` asked for is done (a report waiting for
    approval was approved): they are marked handled (and read), so the centre no longer lists or
    counts them, and their e-mails not yet sent are withdrawn. Returns how many e-mails were
    withdrawn."""
    now = timezone.now()
    waiting = Notification.objects.filter(key__startswith=key_prefix, handled_at__isnull=True)
    waiting.filter(read_at__isnull=True).update(read_at=now, handled_at=now)
    waiting.update(handled_at=now)
    return OutboxMessage.objects.filter(
        key__startswith=key_prefix,
        status__in=(OutboxMessage.Status.PENDING, OutboxMessage.Status.FAILED),
    ).update(status=OutboxMessage.Status.WITHDRAWN)


def mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one of the person's notifications (or all of them) read."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


def preferences_save(*, user: User, modes: dict[str, str]) -> None:
    """Store how the person wants each kind by e-mail."""
    for kind, mode in modes.items():
        kinds.get(kind), Mode(mode)  # unknown values are a programming error: the form checks them
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"mode": mode})
