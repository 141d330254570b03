"""E-mail subscriptions to a council's public news (issue 23 item 1): subscribe with double
opt-in, confirm, unsubscribe, and the sweep that writes the news to the outbox.

Every e-mail goes through the outbox (kvsp/notify), so a crash loses nothing and a sweep run twice
sends nothing twice: a message's key is ``subscription:<pk>:<entry>`` (the address added by
``enqueue``), unique in the outbox. Only an entry published after the subscription was confirmed,
within the last ``WINDOW``, of a topic the subscriber chose, is sent. Every message carries the
one-click unsubscribe address (RFC 8058 ``List-Unsubscribe`` and ``List-Unsubscribe-Post``).

The address is a citizen's contact (kvsp/portal/models.py): the confirmation and "already
subscribed" e-mails say nothing to whoever typed the address, an unconfirmed subscription is
deleted after ``CONFIRM_DAYS``, unsubscribing deletes it with every e-mail sent to it, and the
e-mails sent are forgotten after the concern contacts' retention period.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from consultations.services import retention_cutoff
from councils.models import Council
from kvsp.notify import services as notify
from kvsp.notify.models import OutboxMessage, SentLog

from . import feed_items
from .models import Subscription, Topic

logger = logging.getLogger(__name__)

CONFIRM_DAYS = 7
# Only entries published this recently are sent: an old one is never sent late (after the
# retention of its e-mails, their keys are gone).
WINDOW = timedelta(days=14)
SALT = "kvsp.portal.subscription"
# The kinds of e-mail (registered in kvsp/portal/apps.py).
CONFIRM, KNOWN, NEWS = "subscription_confirm", "subscription_known", "subscription_news"
# A public entry's kind → the topic it belongs to; an unknown kind is never sent.
TOPIC_OF_KIND = {
    "consultation": Topic.CONSULTATIONS,
    "plan": Topic.PLANS,
    "comment_period": Topic.PLANS,
    "report": Topic.REPORTS,
    "meeting": Topic.MEETINGS,
    "minutes": Topic.MEETINGS,
}


class LinkError(Exception):
    """A confirmation link that cannot be used: ``reason`` is "expired", "invalid" or "gone"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def normalise(email: str) -> str:
    return email.strip().lower()


def _site(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def unsubscribe_url(subscription: Subscription) -> str:
    return _site(reverse("portal:unsubscribe", args=[subscription.council.slug, subscription.token]))


def confirm_url(subscription: Subscription) -> str:
    value = signing.TimestampSigner(salt=SALT).sign(subscription.token)
    return _site(reverse("portal:subscription-confirm", args=[subscription.council.slug, value]))


def list_headers(subscription: Subscription) -> dict[str, str]:
    """RFC 2369 and RFC 8058: mail programs show an "Unsubscribe" button that POSTs here."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(subscription)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _forget(subscription_pk: int) -> None:
    for kind in ("subscription", CONFIRM, KNOWN):
        notify.forget(f"{kind}:{subscription_pk}:")


def _mail(subscription: Subscription, kind: str, key: str, template: str, context: dict, **options) -> None:
    notify.enqueue(
        recipients=[subscription.email],
        kind=kind,
        key=key,
        template=template,
        language=subscription.language,
        context={
            "council": subscription.council,
            "unsubscribe_url": unsubscribe_url(subscription),
            "topics": [Topic(topic).label for topic in subscription.topics if topic in Topic.values],
            **context,
        },
        headers=list_headers(subscription),
        **options,
    )


@transaction.atomic
def subscribe(*, council: Council, email: str, topics: list[str], language: str) -> None:
    """Ask ``email`` to confirm its subscription to ``council``'s ``topics``. Whatever the address's
    state, the caller answers the same ("check your inbox"): an address already confirmed gets an
    e-mail saying so, with its unsubscribe address, and its topics are left as they are; one not yet
    confirmed gets a new confirmation with the topics chosen now."""
    email = normalise(email)
    topics = [topic for topic in Topic.values if topic in topics]
    existing = Subscription.objects.select_for_update().filter(council=council, email=email).first()
    now = timezone.now()
    if existing is not None and existing.confirmed_at is not None:
        # One "already subscribed" e-mail a day at most, whoever keeps typing the address.
        _mail(existing, KNOWN, f"{KNOWN}:{existing.pk}:{now:%Y%m%d}", "subscription_known", {})
        return
    if existing is None:
        try:
            with transaction.atomic():
                existing = Subscription.objects.create(
                    council=council, email=email, topics=topics, language=language
                )
        except IntegrityError:  # the same address at the same instant: one subscription
            return
    else:
        existing.topics, existing.language = topics, language
        existing.save(update_fields=["topics", "language"])
    _mail(
        existing,
        CONFIRM,
        f"{CONFIRM}:{existing.pk}:{now:%Y%m%dT%H%M%S.%f}",
        "subscription_confirm",
        {"confirm_url": confirm_url(existing), "days": CONFIRM_DAYS},
    )


def _by_link(council: Council, value: str) -> Subscription:
    try:
        token = signing.TimestampSigner(salt=SALT).unsign(value, max_age=timedelta(days=CONFIRM_DAYS))
    except signing.SignatureExpired as expired:
        raise LinkError("expired") from expired
    except signing.BadSignature as bad:
        raise LinkError("invalid") from bad
    subscription = Subscription.objects.filter(council=council, token=token).first()
    if subscription is None:
        raise LinkError("gone")  # unsubscribed, or deleted unconfirmed
    return subscription


def check_link(*, council: Council, value: str) -> Subscription:
    """The subscription of a confirmation link (LinkError: it cannot be used)."""
    return _by_link(council, value)


@transaction.atomic
def confirm(*, council: Council, value: str) -> tuple[Subscription, bool]:
    """Confirm the subscription of a confirmation link: (subscription, whether it was confirmed
    now). A link used again confirms nothing more."""
    subscription = _by_link(council, value)
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.confirmed_at is not None:
        return subscription, False
    subscription.confirmed_at = timezone.now()
    subscription.save(update_fields=["confirmed_at"])
    return subscription, True


def change_topics(*, subscription: Subscription, topics: list[str]) -> Subscription:
    """The subscriber (through their own unsubscribe address) chooses other topics."""
    subscription.topics = [topic for topic in Topic.values if topic in topics]
    subscription.save(update_fields=["topics"])
    return subscription


@transaction.atomic
def unsubscribe(*, council: Council, token: str) -> bool:
    """Delete the subscription and every e-mail written to it. False: there was none (already
    unsubscribed): the same answer for the citizen."""
    subscription = Subscription.objects.filter(council=council, token=token).first()
    if subscription is None:
        return False
    pk = subscription.pk
    subscription.delete()
    _forget(pk)
    return True


def expire(*, now: datetime | None = None) -> int:
    """Delete the subscriptions not confirmed within ``CONFIRM_DAYS`` (with their e-mails), and
    forget the e-mails to subscribers older than the concern contacts' retention period."""
    now = now or timezone.now()
    stale = list(
        Subscription.objects.filter(
            confirmed_at__isnull=True, created_at__lt=now - timedelta(days=CONFIRM_DAYS)
        ).values_list("pk", flat=True)
    )
    for pk in stale:
        with transaction.atomic():
            Subscription.objects.filter(pk=pk, confirmed_at__isnull=True).delete()
            _forget(pk)
    old = OutboxMessage.objects.filter(
        kind__in=(CONFIRM, KNOWN, NEWS), created_at__lt=retention_cutoff(timezone.localdate(now))
    ).exclude(status__in=notify.WAITING)
    with transaction.atomic():
        SentLog.objects.filter(key__in=old.values("key")).delete()
        old.delete()
    return len(stale)


def _entry_name(entry: feed_items.Entry) -> str:
    """The stable part of an entry's uid ("consultation-12"), for the outbox key."""
    return entry.uid.rsplit(":", 1)[-1]


def _key(subscription: Subscription, entry: feed_items.Entry) -> str:
    # As enqueue writes it: the address is added to the key.
    return f"subscription:{subscription.pk}:{_entry_name(entry)}:{subscription.email}"[:200]


def sweep(*, now: datetime | None = None) -> int:
    """Write to the outbox the news of each council for its confirmed subscribers; then one kick
    of the delivery. Running it again writes nothing twice. Returns how many e-mails were written."""
    now = now or timezone.now()
    expire(now=now)
    subscriptions = list(
        Subscription.objects.confirmed().select_related("council__municipality").order_by("council_id", "pk")
    )
    written = 0
    entries: dict[tuple[int, str], list[feed_items.Entry]] = {}
    for subscription in subscriptions:
        cache_key = (subscription.council_id, subscription.language)
        if cache_key not in entries:
            with translation.override(subscription.language):
                entries[cache_key] = feed_items.public_entries(subscription.council)
        due = [
            entry
            for entry in entries[cache_key]
            if TOPIC_OF_KIND.get(entry.kind) in subscription.topics
            and entry.published >= max(subscription.confirmed_at, now - WINDOW)
        ]
        if not due:
            continue
        written_keys = set(
            OutboxMessage.objects.filter(key__in=[_key(subscription, e) for e in due]).values_list(
                "key", flat=True
            )
        )
        for entry in due:
            if _key(subscription, entry) in written_keys:
                continue
            with transaction.atomic():
                _mail(
                    subscription,
                    NEWS,
                    f"subscription:{subscription.pk}:{_entry_name(entry)}",
                    "subscription_news",
                    {"entry": entry, "entry_url": _site(entry.path)},
                    deliver=False,
                )
            written += 1
    if written:
        notify.queue_delivery()
    return written
