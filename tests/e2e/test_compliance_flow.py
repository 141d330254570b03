"""In Chromium, in Albanian: a citizen opens the national overview from the portal, filters it by
county and by a check, reads the methodology and a council's public record; the chair opens the
council's record from its working page (the year's calendar is there), writes the council's public
comment and sees it on the public page; the national observer opens the overview and follows a
council to its working record. Every page visited is audited (axe-core, Nu HTML Checker, CSP); the
overview and the methodology are audited in English too."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from councils.meetings import services as meeting_services
from councils.models import Role
from tests.factories import UserFactory, council, give_role
from tests.fixtures.browser import log_in, sq

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sekret-i-forte-2026"
COMMENT = "Mbledhja e SKN-së e prillit u shty për shkak të zgjedhjeve."


def _login(page, live_server, email):
    page.goto(live_server.url + "/accounts/login/")
    log_in(page, live_server, email, PASSWORD)  # and the second factor, for officers
    expect(page.get_by_role("heading", level=1)).to_have_text("Këshillat e mi")


def _held(the_council, kind, when):
    meeting = meeting_services.meeting_create(council=the_council, kind=kind, starts_at=when, place="Salla")
    return meeting_services.attendance_record(meeting=meeting, entries=[])


def _year_so_far(elbasan):
    """Elbasan's year: two council meetings and an SKN meeting in every month that is over."""
    today = timezone.localdate()
    start = timezone.make_aware(datetime(today.year, 1, 1, 10, 0))
    _held(elbasan, "council", start + timedelta(days=20))
    _held(elbasan, "council", min(start + timedelta(days=200), timezone.now() - timedelta(hours=2)))
    for month in range(1, today.month):
        _held(elbasan, "skn", timezone.make_aware(datetime(today.year, month, 15, 9, 0)))


def test_the_overview_the_record_and_the_comment(
    page, live_server, audit, reference_data, browser, browser_context_args
):
    elbasan = council("elbasan")
    chair = UserFactory(email="kryetari@elbasan.gov.al", full_name="Gazmend Oketa", password=PASSWORD)
    give_role(elbasan, Role.CHAIR, user=chair)
    observer = UserFactory(
        email="vezhguesi@kvsp.gov.al",
        full_name="Vëzhguesi Kombëtar",
        password=PASSWORD,
        is_national_observer=True,
    )
    _year_so_far(elbasan)
    year = timezone.localdate().year

    # A citizen: the portal's summary, the overview, a filter, the methodology, a council's record.
    page.goto(live_server.url + "/")
    audit(page)
    page.get_by_role("link", name=sq("The national overview")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(year))
    audit(page)
    page.get_by_label(sq("County"), exact=True).select_option("elbasan")
    page.get_by_label(sq("Check"), exact=True).select_option("skn_meetings")
    page.get_by_label(sq("State"), exact=True).select_option("met")
    page.get_by_role("button", name=sq("Show")).click()
    rows = page.locator("table.kvsp-overview tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Elbasan")
    audit(page)
    page.get_by_role("link", name=sq("How each check and the score are measured")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sq("How compliance is measured"))
    audit(page)
    page.goto(live_server.url + "/compliance/?county=elbasan")
    page.locator("table.kvsp-overview tbody").get_by_role("link", name="Elbasan", exact=True).click()
    expect(page.locator("#check-skn_meetings")).to_contain_text(sq("met"))
    audit(page)

    # The chair: the calendar on the working page, the record, the comment.
    chair_context = browser.new_context(**browser_context_args)
    chair_page = chair_context.new_page()
    audit.watch(chair_page)
    _login(chair_page, live_server, chair.email)
    chair_page.goto(live_server.url + "/app/elbasan/")
    expect(chair_page.locator("table.kvsp-calendar")).to_be_visible()
    audit(chair_page)
    chair_page.get_by_role("link", name=sq("Compliance record"), exact=False).click()
    expect(chair_page.get_by_role("heading", level=1)).to_contain_text(str(year))
    audit(chair_page)
    chair_page.get_by_role("link", name=sq("Write the comment")).click()
    audit(chair_page)
    chair_page.get_by_label(sq("Public comment")).fill("x" * 501)
    chair_page.get_by_role("button", name=sq("Save")).click()
    expect(chair_page.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
    expect(chair_page.get_by_label(sq("Public comment"))).to_have_value("x" * 501)  # nothing lost
    audit(chair_page)
    chair_page.get_by_label(sq("Public comment")).fill(COMMENT)
    chair_page.get_by_role("button", name=sq("Save")).click()
    expect(chair_page.locator("blockquote")).to_have_text(COMMENT)
    audit(chair_page)
    page.goto(live_server.url + "/elbasan/")
    expect(page.locator("#compliance-heading ~ blockquote")).to_have_text(COMMENT)
    chair_context.close()

    # The national observer: the overview links each council to its working record.
    observer_context = browser.new_context(**browser_context_args)
    observer_page = observer_context.new_page()
    audit.watch(observer_page)
    _login(observer_page, live_server, observer.email)
    observer_page.goto(live_server.url + "/compliance/?sort=score")
    audit(observer_page)
    observer_page.locator("table.kvsp-overview tbody tr").first.get_by_role("link").click()
    expect(observer_page).to_have_url(live_server.url + f"/app/elbasan/compliance/?year={year}")
    audit(observer_page)
    observer_context.close()

    # English: the switcher, then the overview and the methodology.
    page.goto(live_server.url + "/compliance/")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"How the councils keep the regulation's rhythm, {year}"
    )
    audit(page)
    page.goto(live_server.url + "/compliance/methodology/")
    expect(page.get_by_role("heading", level=1)).to_have_text("How compliance is measured")
    audit(page)
