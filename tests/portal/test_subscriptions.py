"""Following a council by e-mail (issue 23 item 1): double opt-in, links that expired or were
used, the topics, a sweep run twice, the one-click unsubscribe (RFC 8058) and the retention of the
addresses (kvsp/portal/subscriptions.py)."""

import re
import time
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from kvsp.notify import services as notify
from kvsp.notify.models import OutboxMessage, SentLog
from kvsp.portal import feed_items, subscriptions
from kvsp.portal.models import Subscription
from tests.factories import council

pytestmark = pytest.mark.django_db

EMAIL = "arta.hoxha@shembull.example.al"


@pytest.fixture
def elbasan():
    return council("elbasan")


def _subscribe(
    client, topics=("consultations", "plans", "reports", "meetings"), email=EMAIL, language="en", **extra
):
    return client.post(
        "/elbasan/follow/",
        {"email": email, "topics": list(topics), "website": "", **extra},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def _confirm_path(message: OutboxMessage) -> str:
    return re.search(r"https?://[^/\s]+(/elbasan/follow/confirm/[^\s]+/)", message.text).group(1)


def _confirmed(elbasan, topics=("consultations",), language="sq", email=EMAIL) -> Subscription:
    return Subscription.objects.create(
        council=elbasan,
        email=email,
        topics=list(topics),
        language=language,
        confirmed_at=timezone.now() - timedelta(minutes=5),
    )


def _entry(kind: str, name: str, minutes_ago: int = 1) -> feed_items.Entry:
    moment = timezone.now() - timedelta(minutes=minutes_ago)
    return feed_items.Entry(
        uid=feed_items.tag_uri(name),
        kind=kind,
        title=f"Titulli {name}",
        path="/elbasan/",
        published=moment,
        updated=moment,
        summary="",
    )


def test_subscribing_sends_only_a_confirmation_and_nothing_before_it(client, elbasan, monkeypatch):
    response = _subscribe(client)
    assert response.status_code == 200
    assert "Check your e-mail" in response.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None and subscription.language == "en"
    confirmation = OutboxMessage.objects.get(kind=subscriptions.CONFIRM)
    assert confirmation.email == EMAIL and "/elbasan/follow/confirm/" in confirmation.text
    assert confirmation.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    monkeypatch.setattr(
        feed_items, "public_entries", lambda council: [_entry("consultation", "consultation-1")]
    )
    assert subscriptions.sweep() == 0  # not confirmed: nothing


def test_a_confirmation_link_shows_a_button_and_the_post_confirms_once(client, elbasan):
    _subscribe(client)
    path = _confirm_path(OutboxMessage.objects.get(kind=subscriptions.CONFIRM))
    page = client.get(path)
    assert page.status_code == 200 and Subscription.objects.get().confirmed_at is None
    done = client.post(path)
    assert done.status_code == 200 and "is confirmed" in done.content.decode()
    confirmed_at = Subscription.objects.get().confirmed_at
    assert confirmed_at is not None
    again = client.post(path)  # a link used again
    assert again.status_code == 200 and "already used" in again.content.decode()
    assert Subscription.objects.get().confirmed_at == confirmed_at


class _Old(signing.TimestampSigner):
    def timestamp(self):
        return signing.b62_encode(int(time.time()) - (subscriptions.CONFIRM_DAYS + 1) * 86400)


def test_an_expired_or_broken_link_says_so_in_the_subscribers_language(client, elbasan):
    subscription = Subscription.objects.create(council=elbasan, email=EMAIL, topics=["plans"], language="en")
    expired = _Old(salt=subscriptions.SALT).sign(subscription.token)
    # Asked in Albanian, answered in the subscriber's English.
    response = client.post(f"/elbasan/follow/confirm/{expired}/", HTTP_ACCEPT_LANGUAGE="sq")
    assert response.status_code == 410
    assert "has expired" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None
    broken = client.get(f"/elbasan/follow/confirm/{subscription.token}:x:y/", HTTP_ACCEPT_LANGUAGE="en")
    assert broken.status_code == 400 and "not valid" in broken.content.decode()


def test_the_language_chosen_with_the_switcher_wins_over_the_subscribers(client, elbasan, settings):
    subscription = Subscription.objects.create(council=elbasan, email=EMAIL, topics=["plans"], language="sq")
    page = f"/elbasan/follow/unsubscribe/{subscription.token}/"
    assert '<html lang="sq">' in client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    chosen = client.get(page).content.decode()
    assert '<html lang="en">' in chosen and "Unsubscribe" in chosen


def test_an_address_already_subscribed_is_not_revealed(client, elbasan):
    _confirmed(elbasan, topics=["reports"])
    first = _subscribe(Client(), email="tjeter@shembull.example.al")
    again = _subscribe(client, topics=["plans"], email=EMAIL.upper())
    assert again.status_code == first.status_code == 200
    assert again.content.decode().count("Check your e-mail") == first.content.decode().count(
        "Check your e-mail"
    )
    known = OutboxMessage.objects.get(kind=subscriptions.KNOWN)
    assert known.email == EMAIL and "/elbasan/follow/unsubscribe/" in known.text
    assert Subscription.objects.get(email=EMAIL).topics == ["reports"]  # unchanged by a stranger


def test_the_honeypot_and_bad_input_keep_what_was_typed(client, elbasan):
    trapped = _subscribe(client, website="http://spam.example")
    assert trapped.status_code == 200 and not Subscription.objects.exists()
    bad = _subscribe(client, email="jo-nje-adrese", topics=())
    body = bad.content.decode()
    assert bad.status_code == 200 and 'value="jo-nje-adrese"' in body and "Choose at least one topic" in body


def test_one_address_gets_at_most_three_confirmations_an_hour(elbasan):
    for _ in range(5):
        assert _subscribe(Client(REMOTE_ADDR=None)).status_code == 200
    assert OutboxMessage.objects.filter(kind=subscriptions.CONFIRM).count() == subscriptions_limit()


def subscriptions_limit():
    from kvsp.portal.subscription_views import PER_ADDRESS_LIMIT

    return PER_ADDRESS_LIMIT


def test_the_sweep_sends_each_new_entry_of_the_chosen_topics_once(
    elbasan, monkeypatch, django_capture_on_commit_callbacks
):
    subscription = _confirmed(elbasan, topics=["consultations", "plans"])
    entries = [
        _entry("consultation", "consultation-7"),
        _entry("comment_period", "comment-period-3"),  # a draft open for comment: the plan topic
        _entry("report", "report-2"),  # not chosen
        _entry("something_new", "other-1"),  # unknown kind: never sent
        _entry("consultation", "consultation-6", minutes_ago=60),  # before the confirmation
    ]
    monkeypatch.setattr(feed_items, "public_entries", lambda council: entries)
    kicks = []
    monkeypatch.setattr(notify, "queue_delivery", lambda: kicks.append(1))
    assert subscriptions.sweep() == 2
    assert kicks == [1]  # one delivery kick for the whole sweep
    rows = OutboxMessage.objects.filter(kind=subscriptions.NEWS).order_by("key")
    assert [row.key for row in rows] == [
        f"subscription:{subscription.pk}:comment-period-3:{EMAIL}",
        f"subscription:{subscription.pk}:consultation-7:{EMAIL}",
    ]
    assert all(
        row.headers["List-Unsubscribe"].endswith(f"/elbasan/follow/unsubscribe/{subscription.token}/>")
        for row in rows
    )
    assert subscriptions.sweep() == 0  # run again (after a crash): nothing twice
    assert kicks == [1]


def test_a_real_announcement_reaches_the_subscriber_with_the_one_click_headers(elbasan):
    from tests.portal.test_feeds import _consultation

    subscription = _confirmed(elbasan, topics=["consultations"])
    _consultation(elbasan, place="Shkolla 'Naim Frashëri'")
    assert subscriptions.sweep() == 1
    mail.outbox.clear()
    notify.deliver_pending()
    sent = [m for m in mail.outbox if m.to == [EMAIL]]
    assert len(sent) == 1
    message = sent[0].message()
    assert message["List-Unsubscribe"] == f"<{subscriptions.unsubscribe_url(subscription)}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Shkolla" in sent[0].subject or "Shkolla" in sent[0].body


def test_one_click_unsubscribe_needs_no_csrf_token_and_forgets_the_address(elbasan, monkeypatch):
    subscription = _confirmed(elbasan)
    monkeypatch.setattr(
        feed_items, "public_entries", lambda council: [_entry("consultation", "consultation-9")]
    )
    subscriptions.sweep()
    notify.deliver_pending()
    assert SentLog.objects.filter(key__contains=EMAIL).exists()
    browser = Client(enforce_csrf_checks=True)
    path = f"/elbasan/follow/unsubscribe/{subscription.token}/"
    page = browser.get(path)
    assert page.status_code == 200 and Subscription.objects.exists()  # a GET changes nothing
    response = browser.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.exists()
    assert not OutboxMessage.objects.filter(email=EMAIL).exists()
    assert not SentLog.objects.filter(key__contains=EMAIL).exists()
    assert browser.post(path).status_code == 200  # again: the same calm answer


def test_unconfirmed_subscriptions_expire_and_old_mails_are_forgotten(client, elbasan):
    _subscribe(client)
    stale = Subscription.objects.get()
    Subscription.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=8))
    kept = _confirmed(elbasan, email="besa@shembull.example.al")
    subscriptions.sweep()
    assert list(Subscription.objects.all()) == [kept]
    assert not OutboxMessage.objects.filter(email=EMAIL).exists()
    old = OutboxMessage.objects.create(
        key=f"subscription:{kept.pk}:report-1:besa@shembull.example.al",
        kind=subscriptions.NEWS,
        email="besa@shembull.example.al",
        subject="S",
        text="T",
        html="",
        status=OutboxMessage.Status.SENT,
    )
    OutboxMessage.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=500))
    subscriptions.expire()
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()


def test_the_address_is_on_no_public_page(client, elbasan):
    _confirmed(elbasan)
    for path in ("/elbasan/", "/elbasan/follow/", "/elbasan/feed.atom", "/api/"):
        assert EMAIL not in client.get(path).content.decode()
    assert EMAIL not in str(Subscription.objects.get()) and EMAIL not in repr(Subscription.objects.get())


def test_the_subscription_pages_cost_a_fixed_number_of_queries(
    client, elbasan, django_assert_max_num_queries
):
    subscription = _confirmed(elbasan)
    for n in range(20):
        _confirmed(elbasan, email=f"qytetar{n}@shembull.example.al")
    with django_assert_max_num_queries(6):
        assert client.get("/elbasan/follow/").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(f"/elbasan/follow/unsubscribe/{subscription.token}/").status_code == 200
    value = signing.TimestampSigner(salt=subscriptions.SALT).sign(subscription.token)
    with django_assert_max_num_queries(6):
        assert client.get(f"/elbasan/follow/confirm/{value}/").status_code == 200


def test_the_subscription_e_mails_are_registered_kinds_a_person_cannot_switch_off():
    from kvsp.notify import kinds

    for code in (subscriptions.CONFIRM, subscriptions.KNOWN, subscriptions.NEWS):
        kind = kinds.get(code)
        assert not kind.reminder and not kind.handoff  # not on the staff's preferences page


def test_the_subscriber_changes_the_topics_from_their_own_page(client, elbasan):
    subscription = _confirmed(elbasan, topics=["reports"])
    path = f"/elbasan/follow/unsubscribe/{subscription.token}/"
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and page.context["form"].initial["topics"] == ["reports"]
    empty = client.post(path, {"action": "topics"})  # in the subscriber's Albanian
    with translation.override("sq"):
        expected = gettext("Choose at least one topic.")
    assert empty.status_code == 200 and expected in empty.content.decode()
    saved = client.post(path, {"action": "topics", "topics": ["meetings", "plans"]})
    assert saved.status_code == 200
    subscription.refresh_from_db()
    assert subscription.topics == ["plans", "meetings"] and subscription.confirmed_at is not None
