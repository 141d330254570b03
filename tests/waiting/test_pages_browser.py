"""The pages of "waiting for you" in Chromium: /app/ with items of several kinds and councils, and
the notification centre with handled notices shown, pass axe-core and the Nu HTML Checker with no
CSP violation, in Albanian and in English."""

import pytest
from django.conf import settings
from django.test import Client

from councils.meetings.models import Minutes
from kvsp.notify import services as notify
from monitoring.reminder_kinds import Reminder


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["sq", "en"])
def test_the_list_and_the_centre_pass_axe_and_the_html_checker(
    page, live_server, audit, reference_data, seat, make, language
):
    elbasan = seat("elbasan")
    skn = elbasan["skn"]
    seat("belsh", skn2=skn)
    make.agenda_sent(elbasan)
    make.minutes(elbasan, status=Minutes.Status.SUBMITTED, kind="skn", author=elbasan["secretary"])
    make.invitation(elbasan, skn)
    notify.notify(
        [
            notify.Pending(
                user=skn,
                kind=Reminder.REPORT_DUE,
                key=f"report_due:{n}",
                render=lambda: {"subject": "Raporti", "lines": ["Rreshti."], "url": "/app/elbasan/"},
            )
            for n in (1, 2)
        ]
    )
    notify.withdraw("report_due:1")

    client = Client()
    client.force_login(skn)
    page.context.add_cookies(
        [
            {"name": name, "value": value, "url": live_server.url}
            for name, value in (
                (settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value),
                (settings.LANGUAGE_COOKIE_NAME, language),
            )
        ]
    )
    for path in ("/app/", "/app/notifications/", "/app/notifications/?handled=1"):
        page.goto(live_server.url + path)
        audit(page)
    page.goto(live_server.url + "/app/")
    assert page.locator("#waiting li").count() >= 4
    page.locator("a[href='/app/#waiting']").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/app/#waiting")
