"""In Chromium, in Albanian: today's reminder sweep finds that the council kept its meetings here
since January but has not approved the year's plan; the chair sees the unread count in the navbar,
opens the notification centre, follows the reminder to the plans, comes back and marks everything
read; chooses a daily digest for one kind in the notification settings; the technical secretary
switches a kind of reminder off for the council. Every page visited is audited (axe-core, Nu HTML
Checker, CSP); the centre is audited in English too."""

from datetime import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from councils.meetings import services as meeting_services
from councils.models import Council, Role
from kvsp.notify.models import Mode, Notification, Preference
from monitoring import reminders
from monitoring.models import ReminderSetting
from monitoring.reminder_kinds import Reminder
from tests.factories import UserFactory, council, give_role
from tests.fixtures.browser import log_in, sq

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sekret-i-forte-2026"


def _login(page, live_server, email):
    page.goto(live_server.url + "/accounts/login/")
    log_in(page, live_server, email, PASSWORD)  # and the second factor, for officers
    expect(page.get_by_role("heading", level=1)).to_have_text("Këshillat e mi")


def test_reminders_in_the_centre_preferences_and_the_councils_settings(
    page, live_server, audit, reference_data, browser, browser_context_args
):
    elbasan = council("elbasan")
    Council.objects.filter(pk=elbasan.pk).update(status=Council.Status.ACTIVE)
    chair = UserFactory(email="kryetari@elbasan.gov.al", full_name="Gazmend Oketa", password=PASSWORD)
    secretary = UserFactory(email="sekretari@elbasan.gov.al", full_name="Dorina Cela", password=PASSWORD)
    give_role(elbasan, Role.CHAIR, user=chair)
    give_role(elbasan, Role.SECRETARY, user=secretary)
    year = timezone.localdate().year
    january = timezone.make_aware(datetime(year, 1, 20, 10, 0))
    meeting_services.attendance_record(
        meeting=meeting_services.meeting_create(
            council=elbasan, kind="council", starts_at=january, place="Salla"
        ),
        entries=[],
    )
    assert reminders.send() > 0  # the day's sweep, as the beat runs it
    unread = Notification.objects.filter(user=chair, read_at__isnull=True).count()
    assert unread >= 1

    # The chair: the count in the navbar, the centre, the reminder's own page.
    _login(page, live_server, chair.email)
    centre_link = page.get_by_role("link", name=sq("Notifications"), exact=False)
    expect(centre_link).to_contain_text(str(unread))
    centre_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sq("Notifications"))
    plan_reminder = sq("The plan of %(year)d is not approved yet") % {"year": year}
    expect(page.get_by_text(plan_reminder)).to_be_visible()
    audit(page)
    page.locator("li", has_text=plan_reminder).get_by_role("button", name=sq("Open")).click()
    expect(page).to_have_url(live_server.url + "/app/elbasan/plans/")
    page.goto(live_server.url + "/app/notifications/")
    page.get_by_role("button", name=sq("Mark all read")).click()
    expect(page.get_by_role("link", name=sq("Notifications"), exact=True)).to_be_visible()
    assert not Notification.objects.filter(user=chair, read_at__isnull=True).exists()
    audit(page)

    # Their e-mail settings: the weekly overdue reminders in a daily digest.
    page.get_by_role("link", name=sq("Notification settings")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sq("Notification settings"))
    audit(page)
    page.locator(f"input[name={Reminder.ACTIVITY_OVERDUE}][value={Mode.DIGEST}]").check()
    page.get_by_role("button", name=sq("Save")).click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert Preference.objects.get(user=chair, kind=Reminder.ACTIVITY_OVERDUE).mode == Mode.DIGEST
    audit(page)

    # In English.
    page.goto(live_server.url + "/app/notifications/")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    audit(page)

    # The technical secretary: the council's reminders, from its working page.
    context = browser.new_context(**browser_context_args)
    other = context.new_page()
    audit.watch(other)
    _login(other, live_server, secretary.email)
    other.goto(live_server.url + "/app/elbasan/")
    other.get_by_role("link", name=sq("Reminders"), exact=True).click()
    expect(other.get_by_role("heading", level=1)).to_have_text(sq("The council's reminders"))
    audit(other)
    other.get_by_label(sq("SKN meeting not scheduled by the 20th")).uncheck()
    other.get_by_role("button", name=sq("Save")).click()
    expect(other.locator(".alert-success")).to_be_visible()
    assert ReminderSetting.objects.get(council=elbasan, kind=Reminder.SKN_NOT_SCHEDULED).enabled is False
    audit(other)
    context.close()
