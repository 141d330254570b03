"""In Chromium, in Albanian: the technical secretary cancels a meeting, opens "Historiku" from the
meeting's page and reads who changed what and when; then the composition's history from the
council's page. Every page visited is audited (axe-core, Nu HTML Checker, CSP)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from councils.meetings import services as meeting_services
from councils.models import Role
from tests.factories import UserFactory, council, give_role
from tests.fixtures.browser import log_in, sq

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sekret-i-forte-2026"
REASON = "Salla e Këshillit është në riparim."


def test_the_secretary_reads_the_history_of_a_meeting(page, live_server, audit, reference_data):
    elbasan = council("elbasan")
    secretary = UserFactory(email="sekretari@elbasan.gov.al", full_name="Dorina Cela", password=PASSWORD)
    give_role(elbasan, Role.SECRETARY, user=secretary)
    give_role(elbasan, Role.MEMBER, full_name="Ilir Basha", email="ilir.basha@arsimi.gov.al")
    meeting = meeting_services.meeting_create(
        council=elbasan, kind="council", starts_at=timezone.now() + timedelta(days=7), place="Salla"
    )

    page.goto(live_server.url + "/accounts/login/")
    log_in(page, live_server, secretary.email, PASSWORD, audit=audit)  # and the second factor
    expect(page.get_by_role("heading", level=1)).to_have_text("Këshillat e mi")
    audit(page)

    page.goto(f"{live_server.url}/app/elbasan/meetings/{meeting.pk}/")
    audit(page)
    page.get_by_role("link", name="Anulo mbledhjen").click()
    audit(page)
    page.get_by_label("Arsyeja e anulimit").fill(REASON)
    page.get_by_role("button", name="Anulo mbledhjen").click()
    expect(page.get_by_text(REASON)).to_be_visible()
    audit(page)

    page.get_by_role("link", name=sq("History"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sq("History of changes"))
    table = page.get_by_role("table")
    newest = table.locator("tbody tr").first
    expect(newest).to_contain_text("Dorina Cela")
    expect(newest).to_contain_text(REASON)
    expect(newest).to_contain_text(f"{timezone.localdate():%d.%m.%Y}")
    expect(page.locator("main")).not_to_contain_text("sekretari@elbasan.gov.al")
    audit(page)

    # The composition: people by name, never their e-mail addresses.
    page.goto(live_server.url + "/app/elbasan/")
    audit(page)
    page.get_by_role("link", name=sq("History"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sq("History of changes"))
    expect(page.locator("main")).to_contain_text("Ilir Basha")
    expect(page.locator("main")).not_to_contain_text("ilir.basha@arsimi.gov.al")
    audit(page)
