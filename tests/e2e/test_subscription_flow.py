"""In Chromium, on a 360-px phone, in Albanian: a citizen follows the Elbasan council by e-mail
(issue 23 item 1). They subscribe from the council's page, confirm with the link of the e-mail in
the outbox, receive the announcement of an open consultation (the sweep is run as the beat would),
and unsubscribe with one click from the link of that e-mail. Every page visited is audited, and
none scrolls sideways."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consultations import lifecycle
from kvsp.notify.models import OutboxMessage
from kvsp.portal import subscriptions
from kvsp.portal.models import Subscription
from tests.builders import announce_consultation
from tests.factories import council
from tests.fixtures.browser import sq

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
EMAIL = "drita.basha@shembull.example.al"


def _link(text: str, path: str) -> str:
    return re.search(rf"https?://[^/\s]+({path}[^\s]+/)", text).group(1)


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_citizen_follows_the_council_by_e_mail_and_leaves_with_one_click(
    page, live_server, audit, reference_data
):
    elbasan = council("elbasan")
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/elbasan/")
    page.get_by_role("link", name=sq("Follow by e-mail")).click()
    expect(page.locator("h1")).to_contain_text(sq("Follow the council by e-mail"))
    _no_sideways_scroll(page)
    audit(page)

    # Only the consultations; a wrong address first: a clear message, the choice kept.
    for topic in ("plans", "reports", "meetings"):
        page.locator(f"main input[name=topics][value={topic}]").uncheck()
    page.locator("main input[name=email]").fill("drita.basha")
    page.get_by_role("button", name=sq("Subscribe")).click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    expect(page.locator("main input[name=email]")).to_have_value("drita.basha")
    expect(page.locator("main input[name=topics][value=plans]")).not_to_be_checked()
    audit(page)
    page.locator("main input[name=email]").fill(EMAIL)
    page.get_by_role("button", name=sq("Subscribe")).click()
    expect(page.locator("h1")).to_contain_text(sq("Check your e-mail"))
    _no_sideways_scroll(page)
    audit(page)

    # The confirmation e-mail: the link shows a button; the button confirms.
    confirmation = OutboxMessage.objects.get(kind=subscriptions.CONFIRM, email=EMAIL)
    page.goto(live_server.url + _link(confirmation.text, "/elbasan/follow/confirm/"))
    expect(page.locator("h1")).to_contain_text(sq("Confirm your subscription"))
    audit(page)
    page.get_by_role("button", name=sq("Confirm")).click()
    expect(page.locator("h1")).to_contain_text(sq("Subscribed"))
    _no_sideways_scroll(page)
    audit(page)
    assert Subscription.objects.get(email=EMAIL).confirmed_at is not None

    # The council announces an open consultation; the beat's sweep writes it to the outbox once.
    announce_consultation(
        lifecycle.consultation_create(
            council=elbasan, starts_at=timezone.now() + timedelta(days=9), place="Shkolla 'Naim Frashëri'"
        )
    )
    assert subscriptions.sweep() == 1
    assert subscriptions.sweep() == 0
    news = OutboxMessage.objects.get(kind=subscriptions.NEWS, email=EMAIL)
    assert "Naim Frashëri" in news.subject
    assert news.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The announcement's link opens the consultation; its unsubscribe link leaves with one click.
    page.goto(live_server.url + _link(news.text, "/elbasan/consultations/"))
    expect(page.locator("main")).to_contain_text("Naim Frashëri")
    audit(page)
    page.goto(live_server.url + _link(news.text, "/elbasan/follow/unsubscribe/"))
    expect(page.locator("h1")).to_contain_text(sq("Unsubscribe"))
    audit(page)
    page.get_by_role("button", name=sq("Unsubscribe")).click()
    expect(page.locator("h1")).to_contain_text(sq("Unsubscribed"))
    _no_sideways_scroll(page)
    audit(page)
    assert not Subscription.objects.filter(email=EMAIL).exists()
    assert not OutboxMessage.objects.filter(email=EMAIL).exists()
