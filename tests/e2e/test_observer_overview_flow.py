"""In Chromium, in Albanian: the national observer signs in, opens the compliance overview from the
menu and, in one step (one link), gets exactly the councils that fail any check, each with the checks
it fails named on its line and what its composition lacks; the councils not yet established are one
line, which a link opens. On a 360-px phone the overview is cards and nothing scrolls sideways.
Every page visited is audited (axe-core, Nu HTML Checker, CSP)."""

import re
from datetime import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from councils.meetings import services as meeting_services
from councils.models import Council
from tests.factories import UserFactory, council
from tests.fixtures.browser import log_in, sq

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sekret-i-forte-2026"
PHONE = {"width": 360, "height": 740}


def _held(the_council, kind, when):
    meeting = meeting_services.meeting_create(council=the_council, kind=kind, starts_at=when, place="Salla")
    return meeting_services.attendance_record(meeting=meeting, entries=[])


def _at(year, month, day):
    return timezone.make_aware(datetime(year, month, day, 10, 0))


def _councils(year):
    """Three established councils. Elbasan and Belsh met once as an SKN in January and never again
    although the months after it are over: both fail the monthly SKN meetings. Librazhd recorded
    nothing: no check is measured, so it fails none. The other 58 are not established and recorded nothing."""
    elbasan, belsh, librazhd = council("elbasan"), council("belsh"), council("librazhd")
    Council.objects.filter(pk__in=[elbasan.pk, belsh.pk, librazhd.pk]).update(status="established")
    _held(elbasan, "council", _at(year, 1, 20))
    _held(elbasan, "council", _at(year, 2, 10))
    _held(elbasan, "skn", _at(year, 1, 15))
    _held(belsh, "skn", _at(year, 1, 16))
    return {"Elbasan", "Belsh"}


def test_the_observer_finds_who_fails_what_in_one_step(page, live_server, audit, reference_data, browser):
    today = timezone.localdate()
    # Months after January must be over for a missed SKN meeting to count.
    year = today.year if today.month >= 3 else today.year - 1
    failing = _councils(year)
    observer = UserFactory(
        email="vezhguesi@kvsp.gov.al",
        full_name="Vëzhguesi Kombëtar",
        password=PASSWORD,
        is_national_observer=True,
    )

    log_in(page, live_server, observer.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Këshillat e mi")
    audit(page)
    page.get_by_role("navigation", name=sq("Main navigation")).get_by_role(
        "link", name=sq("Compliance overview")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(today.year))
    audit(page)
    if year != today.year:  # early in a year: last year's record
        page.goto(live_server.url + f"/compliance/?year={year}")
    # By default the established councils are listed, the 58 others folded into one line.
    rows = page.locator("table.kvsp-overview tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#overview-folded")).to_contain_text("58")

    # One step: the link to the councils failing any check.
    page.locator("#who-fails a").click()
    expect(page).to_have_url(re.compile(r"[?&]state=not_met"))
    names = {name.strip() for name in rows.locator("th[scope=row] a").all_inner_texts()}
    assert names == failing
    for index in range(rows.count()):
        fails = rows.nth(index).locator("td.kvsp-fails")
        expect(fails).to_contain_text(sq("Not met:"))
        expect(fails).to_contain_text(sq("Monthly SKN meetings"))
        # Nobody holds the chair, the secretary or an SKN seat: the composition is not complete.
        expect(fails).to_contain_text(sq("Composition not complete:"))
    audit(page)

    # The switch shows the councils not yet established too (none of them fails a check).
    page.goto(live_server.url + f"/compliance/?year={year}")
    page.locator("#overview-folded a").click()
    expect(rows).to_have_count(61)
    audit(page)


def test_on_a_phone_the_overview_is_cards_without_sideways_scrolling(
    live_server, browser, audit, reference_data
):
    year = timezone.localdate().year
    _councils(year if timezone.localdate().month >= 3 else year - 1)
    context = browser.new_context(locale="sq-AL", viewport=PHONE)
    page = context.new_page()
    audit.watch(page)
    for query in ("", "?state=not_met", "?all=1"):
        page.goto(live_server.url + "/compliance/" + query)
        page.wait_for_load_state("load")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"/compliance/{query} is {width} px wide"
        first = page.locator("table.kvsp-overview tbody tr").first
        # A card: the row is a block, its cells stacked with their column's name.
        assert first.evaluate("e => getComputedStyle(e).display") == "block"
        assert first.locator("td").first.evaluate("e => getComputedStyle(e).display") == "block"
        audit(page)
    context.close()
