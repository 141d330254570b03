"""The ways out, all through the outbox (kvsp/notify/models.py), which a worker drains, so that
the change that causes a message never fails because the broker or the mail server is down, and a
crash loses the change and its message together or neither:

- ``enqueue`` puts an e-mail a person is waiting for (an invitation, a password reset, a citizen's
  receipt) in the outbox, in the caller's transaction;
- ``notify`` gives reminders and notifications through the notification centre and the outbox,
  both in one transaction;
- ``deliver_pending`` sends what waits, each message with a Message-ID derived from its key
  (``message_id``), the same on every attempt, so a message sent twice shows once.

``send`` (at once, from the caller's process) is left for the notices to citizens that follow a
moderation.
"""

import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kvsp.core.models import User

from . import kinds
from .models import (
    CLAIM_TIMEOUT,
    MAYBE_SENT_DELAY,
    RETRY_BACKOFF_MAX,
    Mode,
    Notification,
    OutboxMessage,
    Preference,
    SentLog,
)
from .smtp import MaybeSent

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
    headers: dict[str, str] | None = None,
    deliver: bool = True,
) -> None:
    """Put ``notify/<template>/`` for each recipient in the outbox, in the caller's transaction:
    the worker sends it after the commit, retried if the mail server refuses, never twice (the
    sent-log). For messages that are not reminders (no preference, no digest). A recipient is a
    user (their language) or an e-mail address (``language``, or the active language); the
    address is added to ``key``; a key already in the outbox is skipped. ``headers`` are added to
    the e-mail (a ``List-Unsubscribe``); a caller that enqueues many messages passes
    ``deliver=False`` and calls ``queue_delivery()`` once at the end."""
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
                headers=dict(headers or {}),
            )
        )
    with transaction.atomic():
        OutboxMessage.objects.bulk_create(messages, ignore_conflicts=True)
    if messages and deliver:
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
    its e-mail in the outbox, both in one transaction (the caller's, or its own): a crash leaves
    both or neither. The worker sends the e-mail after the commit.

    What is missing is found in each table on its own: a key already given is not given again,
    and a notification still open whose person wants e-mail but that has no outbox row (written
    before both were one transaction) gets its row. So calling this twice, or two sweeps at once,
    gives nothing twice. Returns how many notifications are new. A fixed number of queries for
    any number of items."""
    items = [item for item in items if getattr(item.user, "is_active", True) and item.user.email]
    if not items:
        return 0
    with transaction.atomic():
        return _notify(items)


def _notify(items: list[Pending]) -> int:
    by_key: dict[str, Pending] = {}
    for item in items:
        by_key.setdefault(f"{item.key}:{item.user.pk}", item)
    given = dict(Notification.objects.filter(key__in=by_key).values_list("key", "handled_at"))
    mailed = set(OutboxMessage.objects.filter(key__in=by_key).values_list("key", flat=True))
    modes = {
        (user_id, kind): mode
        for user_id, kind, mode in Preference.objects.filter(
            user_id__in={item.user.pk for item in by_key.values()}
        ).values_list("user_id", "kind", "mode")
    }
    notifications, messages = [], []
    for key, item in by_key.items():
        new = key not in given
        mode = modes.get((item.user.pk, item.kind), kinds.get(item.kind).default_mode)
        # An e-mail for a notification being given, or for one given and still open (not handled).
        mail = mode != Mode.OFF and key not in mailed and (new or given[key] is None)
        if not (new or mail):
            continue
        content = _rendered(item)
        if new:
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
        if mail:
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


# The SMTP round trips of one message (connect, greeting, EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA,
# the data's answer), each bounded by EMAIL_TIMEOUT: a drain stops taking messages early enough
# that the one it sends ends before the task's soft time limit (kvsp/notify/tasks.py).
SEND_OPERATIONS = 9


def message_id(key: str) -> str:
    """The Message-ID of the outbox message ``key``: the same on every attempt, so a message the
    server received twice (a crash after its answer, an answer lost) is shown once."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    domain = address.rpartition("@")[2] if "@" in address else ""
    domain = domain or urlsplit(settings.SITE_URL).hostname or "kvsp.localhost"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def retry_delay(attempts: int) -> timedelta:
    """How long a refused message waits after its ``attempts``-th attempt: 1, 2, 4 ... minutes."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), RETRY_BACKOFF_MAX)


def _claim(key: str, now) -> bool:
    """Claim the right to send ``key``: True if this worker may send it now. The claim is taken
    (or taken over: renewed to ``now``) just before the send, so its age is the send's."""
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


def _release(key: str, now) -> None:
    """Give a claim back after a failed attempt: the next attempt may claim it at once."""
    SentLog.objects.filter(key=key, sent_at__isnull=True).update(claimed_at=now - 2 * CLAIM_TIMEOUT)


def _send_one(*, to: str, subject: str, text: str, html: str, key: str, attachment=None, headers=None) -> int:
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={**(headers or {}), "Message-ID": message_id(key), "X-KVSP-Key": key},
    )
    message.attach_alternative(html, "text/html")
    if attachment is not None:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    return message.send()


# An e-mail that carries a sign-in link (a password reset, an account invitation: whoever holds
# the link sets the password) keeps its text only while it waits to be sent. Once sent, or when it
# is no longer needed, the text goes: the outbox's readers (the admin, a backup) never hold a link.
SIGN_IN_LINK_KINDS = (kinds.PASSWORD_RESET, kinds.ACCOUNT_INVITATION)
REMOVED_TEXT = (
    "[Teksti u hoq pas dërgimit: mbante një lidhje hyrjeje.] "
    "[The text was removed after sending: it held a sign-in link.]"
)


def _remove_sign_in_links(rows) -> None:
    rows.filter(kind__in=SIGN_IN_LINK_KINDS).exclude(status__in=WAITING).update(text=REMOVED_TEXT, html="")


def _mark_sent(keys: list[str], pks: list[int]) -> None:
    """The server accepted: the sent-log and the outbox rows say so, in one commit."""
    done = timezone.now()
    with transaction.atomic():
        SentLog.objects.filter(key__in=keys).update(sent_at=done)
        OutboxMessage.objects.filter(pk__in=pks).update(
            status=OutboxMessage.Status.SENT, sent_at=done, attempts=F("attempts") + 1, next_attempt_at=None
        )
        _remove_sign_in_links(OutboxMessage.objects.filter(pk__in=pks))


def _out_of_time(error: BaseException) -> bool:
    return isinstance(error, SoftTimeLimitExceeded) or isinstance(error.__cause__, SoftTimeLimitExceeded)


def deliver_pending(*, limit: int = 500, budget: float | None = None) -> int:
    """Send the outbox's waiting e-mails (not those kept for a digest) whose time has come: each
    is claimed in the sent-log, sent, then marked sent. A refusal is retried with a back-off
    (``retry_delay``); an ambiguous end ("maybe sent") after ``MAYBE_SENT_DELAY``, with the same
    Message-ID. After ``budget`` seconds no further message is taken (the beat's next drain goes
    on). Returns how many were sent."""
    sent = 0
    stop_at = time.monotonic() + budget if budget is not None else None
    waiting = (
        OutboxMessage.objects.filter(
            status__in=(
                OutboxMessage.Status.PENDING,
                OutboxMessage.Status.FAILED,
                OutboxMessage.Status.MAYBE_SENT,
            ),
            digest=False,
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now()))
        .order_by("id")[:limit]
    )
    for row in waiting:
        if stop_at is not None and time.monotonic() > stop_at:
            logger.info("notify: the drain's time is up; the beat's next drain goes on")
            break
        sent += _deliver(row)
    return sent


# The states of an e-mail that may still be sent.
WAITING = (OutboxMessage.Status.PENDING, OutboxMessage.Status.FAILED, OutboxMessage.Status.MAYBE_SENT)


def _still_due(row: OutboxMessage, now) -> bool:
    """The row as it is now, not as the drain read it: another drain may have tried it meanwhile
    (its back-off or "maybe sent" delay holds), or it was withdrawn or forgotten."""
    return (
        OutboxMessage.objects.filter(pk=row.pk, status__in=WAITING, digest=False)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .exists()
    )


def _deliver(row: OutboxMessage) -> int:
    now = timezone.now()
    if not _claim(row.key, now):
        if SentLog.objects.filter(key=row.key, sent_at__isnull=False).exists():
            OutboxMessage.objects.filter(pk=row.pk).update(status=OutboxMessage.Status.SENT)
            _remove_sign_in_links(OutboxMessage.objects.filter(pk=row.pk))
        return 0
    if not _still_due(row, now):
        if OutboxMessage.objects.filter(pk=row.pk, status__in=WAITING).exists():
            _release(row.key, now)  # waiting for its time: the claim goes back
        else:  # withdrawn or forgotten: no claim is left (a forgotten key holds an address)
            SentLog.objects.filter(key=row.key, sent_at__isnull=True).delete()
        return 0
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
            headers=row.headers,
        )
    except Exception as error:
        maybe = isinstance(error, MaybeSent)
        with transaction.atomic():  # the delay and the claim's release together: a crash keeps both
            OutboxMessage.objects.filter(pk=row.pk).update(
                status=OutboxMessage.Status.MAYBE_SENT if maybe else OutboxMessage.Status.FAILED,
                attempts=F("attempts") + 1,
                last_error=str(error)[:300],
                next_attempt_at=now + (MAYBE_SENT_DELAY if maybe else retry_delay(row.attempts + 1)),
            )
            _release(row.key, now)
        # The row's id, not its key (a key may hold an address), nor the server's words.
        logger.warning(
            "notify: %s %s %s (%s)",
            row.kind,
            row.pk,
            "maybe sent, checked again later" if maybe else "not sent",
            type(error).__name__,
        )
        if _out_of_time(error):
            raise
        return 0
    _mark_sent([row.key], [row.pk])
    return 1


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
            if isinstance(error, MaybeSent):
                # It may have arrived: the claim is held until MAYBE_SENT_DELAY has passed.
                SentLog.objects.filter(key=key).update(claimed_at=now + MAYBE_SENT_DELAY - CLAIM_TIMEOUT)
            else:
                _release(key, now)
            OutboxMessage.objects.filter(pk__in=[row.pk for row in rows]).update(
                attempts=F("attempts") + 1, last_error=str(error)[:300]
            )
            logger.warning("notify: sending %s failed", key)
            if _out_of_time(error):
                raise
            failed += 1
            continue
        _mark_sent([key], [row.pk for row in rows])
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
    withdrawn = OutboxMessage.objects.filter(key__startswith=key_prefix, status__in=WAITING).update(
        status=OutboxMessage.Status.WITHDRAWN
    )
    _remove_sign_in_links(OutboxMessage.objects.filter(key__startswith=key_prefix))
    return withdrawn


def forget(key_prefix: str) -> int:
    """Delete every e-mail under ``key_prefix`` from the outbox and the sent-log, sent or not: they
    hold a citizen's address and the text written to them, which go when the citizen's contact
    goes (asked to be forgotten, or at the end of the retention period). Returns how many e-mails."""
    SentLog.objects.filter(key__startswith=key_prefix).delete()
    deleted, _by_model = OutboxMessage.objects.filter(key__startswith=key_prefix).delete()
    return deleted


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
