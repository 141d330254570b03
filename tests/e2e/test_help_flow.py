"""In Chromium: a visitor follows "Help" from the portal to the guide's index and opens each role's
guide in Albanian, then one in English; the chair follows "Help" from the council's working page to
the chair's guide. Every page is audited (axe-core, Nu HTML Checker, CSP)."""

import pytest
from playwright.sync_api import expect

from councils.models import Role
from kvsp.portal.help_views import ROLES
from tests.factories import UserFactory, council, give_role
from tests.fixtures.browser import log_in, sq

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sekret-i-forte-2026"


def test_the_guide_for_every_role(page, live_server, audit, reference_data, browser, browser_context_args):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name=sq("Main navigation")).get_by_role("link", name=sq("Help")).click()
    expect(page).to_have_url(live_server.url + "/help/")
    expect(page.get_by_role("heading", level=1)).to_have_text(sq("User guide"))
    audit(page)

    for slug, (title, _summary) in ROLES.items():
        page.goto(live_server.url + "/help/")
        page.get_by_role("main").get_by_role("link", name=sq(str(title)), exact=True).click()
        expect(page).to_have_url(live_server.url + f"/help/{slug}/")
        expect(page.locator("html")).to_have_attribute("lang", "sq")
        expect(page.get_by_role("heading", level=1)).to_contain_text(sq(str(title)))
        audit(page)

    # English: the switcher keeps the page, the text is the English guide.
    page.goto(live_server.url + "/help/skn/")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(live_server.url + "/help/skn/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "User guide: Member of the coordinating secretariat (SKN)"
    )
    expect(page.get_by_role("heading", level=2, name="The yearly cycle, step by step")).to_be_visible()
    audit(page)

    # The chair: "Help" on the working page opens the chair's guide.
    elbasan = council("elbasan")
    chair = UserFactory(email="kryetari@elbasan.gov.al", full_name="Gazmend Oketa", password=PASSWORD)
    give_role(elbasan, Role.CHAIR, user=chair)
    chair_context = browser.new_context(**browser_context_args)
    chair_page = chair_context.new_page()
    audit.watch(chair_page)
    chair_page.goto(live_server.url + "/accounts/login/")
    log_in(chair_page, live_server, chair.email, PASSWORD)
    chair_page.goto(live_server.url + "/app/elbasan/")
    chair_page.get_by_role("navigation", name=sq("Main navigation")).get_by_role(
        "link", name=sq("Help")
    ).click()
    expect(chair_page).to_have_url(live_server.url + "/help/kryetari/")
    audit(chair_page)
    chair_context.close()
