"""In Chromium: a council member logs in, switches to English and logs out; every page is audited
(axe-core, the Nu HTML Checker, no CSP violation)."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_switch_language_logout(page, live_server, audit):
    member = UserFactory(
        email="dorina.cela@elbasan.gov.al", full_name="Dorina Cela", password="sekret-i-forte-2026"
    )

    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "sq")
    expect(page.get_by_role("heading", level=1)).to_have_text("Këshillat Vendorë të Sigurisë Publike")
    audit(page)

    page.get_by_role("link", name="Hyni").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    audit(page)

    # A wrong password: a clear Albanian error, and the e-mail typed is kept.
    page.get_by_label("Adresa e e-mailit").fill(member.email)
    page.get_by_label("Fjalëkalim", exact=False).fill("jo-ky")
    page.get_by_role("button", name="Hyni").click()
    expect(page.get_by_text("Adresa e e-mailit ose fjalëkalimi nuk është i saktë.")).to_be_visible()
    expect(page.get_by_label("Adresa e e-mailit")).to_have_value(member.email)
    audit(page)

    page.get_by_label("Fjalëkalim", exact=False).fill("sekret-i-forte-2026")
    page.get_by_role("button", name="Hyni").click()
    expect(page).to_have_url(re.compile(r"/app/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Këshillat e mi")
    audit(page)

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/app/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("My councils")
    audit(page)

    page.get_by_role("button", name="Dorina").click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    audit(page)

    # Signed out for real: the staff page sends us back to the login page.
    page.goto(live_server.url + "/app/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/app/$"))


def test_phone_width_menu_works(page, live_server, audit):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/")
    menu = page.get_by_role("button", name="Shfaq ose fshih menunë")
    expect(menu).to_be_visible()
    menu.click()
    expect(page.get_by_role("link", name="Hyni")).to_be_visible()
    audit(page)
    # Nothing overflows sideways on a 360 px phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
