"""In Chromium, in Albanian: a chair without a second factor signs in, is sent to enrolment,
adds the key to an "app" (here: the secret shown on the page), confirms with a code, sees the
backup codes once and lands on their councils; later a backup code lets them in once. Every page
visited is audited (axe-core, Nu HTML Checker, CSP)."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from councils.models import Role
from tests.factories import UserFactory, council, give_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "sekret-i-forte-2026"


def _app_code(secret_text: str) -> str:
    """What an authenticator app shows for the key typed from the page."""
    key = b32decode("".join(secret_text.split()))
    return f"{TOTP(key).token():06d}"


def test_a_chair_enrols_and_lands_on_the_councils(page, live_server, audit, reference_data):
    chair = UserFactory(email="kryetari@elbasan.gov.al", full_name="Gazmend Oketa", password=PASSWORD)
    give_role(council("elbasan"), Role.CHAIR, user=chair)

    page.goto(live_server.url + "/accounts/login/")
    audit(page)
    page.get_by_label("Adresa e e-mailit").fill(chair.email)
    page.get_by_label("Fjalëkalim", exact=False).fill(PASSWORD)
    page.get_by_role("button", name="Hyni").click()

    # A password alone does not open the council pages: enrolment first.
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/\?next="))
    expect(page.get_by_role("img")).to_have_attribute("src", re.compile(r"^data:image/svg\+xml"))
    audit(page)
    secret = page.locator("#totp-secret").inner_text()

    # A wrong code: a clear error, still on the page.
    page.get_by_role("textbox").fill("000000")
    page.locator("main form button.btn-primary").click()
    expect(page.locator(".invalid-feedback, .errorlist").first).to_be_visible()
    audit(page)

    # django-otp makes the next try wait a second after a wrong code.
    page.wait_for_timeout(1100)
    page.get_by_role("textbox").fill(_app_code(secret))
    page.locator("main form button.btn-primary").click()
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/backup-codes/"))
    codes = page.locator("main ul li")
    expect(codes).to_have_count(10)
    backup = codes.first.inner_text()
    audit(page)

    page.locator("main a.btn-primary").click()
    expect(page).to_have_url(re.compile(r"/app/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Këshillat e mi")
    audit(page)

    # The person's own page says it is on.
    page.goto(live_server.url + "/accounts/two-factor/")
    expect(page.locator("main .alert-success")).to_be_visible()
    audit(page)

    # Next time, without the phone: a backup code, once.
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Adresa e e-mailit").fill(chair.email)
    page.get_by_label("Fjalëkalim", exact=False).fill(PASSWORD)
    page.get_by_role("button", name="Hyni").click()
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
    audit(page)
    page.get_by_role("textbox").fill(backup)
    page.locator("main form button.btn-primary").click()
    expect(page).to_have_url(re.compile(r"/app/$"))
    audit(page)
