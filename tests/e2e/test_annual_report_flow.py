"""In Chromium, through the forms only: the SKN drafts Elbasan's annual report of last year (a year
that has ended), writes its narrative and submits it; the chair finds it in "waiting for you" and
returns it with a comment; the SKN reads the comment, fixes the report and submits it again; the
chair approves it, which freezes it, stores its PDF and publishes it. The public finds it from the
council's reports page, with a SHA-256 that the downloaded PDF's bytes hash to. Every page visited
is audited (axe-core, Nu HTML Checker, CSP)."""

import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from councils.meetings.models import Meeting
from councils.models import Institution, Role
from monitoring.annual.models import AnnualReport
from tests.factories import UserFactory, council, give_role
from tests.fixtures.browser import field, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sekret-i-forte-2026"
COMMENT = "Shtoni arritjet kryesore të vitit me shifra."
ACHIEVEMENTS = "Orët e edukimit ligjor arritën 760 nxënës në 12 shkolla."


def _login(page, live_server, email):
    page.context.add_cookies([{"name": "kvsp_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/accounts/login/")
    log_in(page, live_server, email, PASSWORD)


def test_the_annual_report_is_drafted_returned_approved_and_published(
    page, browser, browser_context_args, live_server, audit, reference_data
):
    elbasan = council("elbasan")
    municipality = Institution.objects.create(name="Bashkia Elbasan", category="a")
    police = Institution.objects.create(name="Drejtoria Vendore e Policisë Elbasan", category="c")
    skn = UserFactory(email="skn@policia.gov.al", full_name="Arben Hoxha", password=PASSWORD)
    chair = UserFactory(email="kryetari@elbasan.gov.al", full_name="Gazmend Oketa", password=PASSWORD)
    give_role(elbasan, Role.SKN_POLICE, user=skn, institution=police)
    give_role(elbasan, Role.CHAIR, user=chair, institution=municipality)
    year = timezone.localdate().year - 1  # a year that has ended
    Meeting.objects.create(
        council=elbasan,
        kind=Meeting.Kind.COUNCIL,
        starts_at=datetime(year, 3, 10, 10, tzinfo=ZoneInfo("Europe/Tirane")),
        place="Salla e Këshillit",
        status=Meeting.Status.HELD,
    )
    base = f"{live_server.url}/app/elbasan/monitoring/annual/"
    report_page = f"{base}{year}/"

    # --- the SKN drafts and submits ------------------------------------------------------------
    _login(page, live_server, skn.email)
    page.goto(base)
    expect(page.get_by_role("heading", level=1)).to_have_text("Annual reports")
    audit(page)
    field(page, "Year").select_option(str(year))
    page.get_by_role("button", name="Start the annual report of this year").click()
    expect(page).to_have_url(report_page)
    expect(page.locator("#annual-meetings + ul")).to_contain_text("Council meetings: 1 held")
    audit(page)
    page.get_by_role("link", name="Write the narrative").click()
    expect(page).to_have_url(report_page + "edit/")
    audit(page)
    field(page, "Summary").fill("Këshilli u mblodh dhe zbatoi planin e vitit.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The report was saved.")).to_be_visible()
    page.get_by_role("button", name="Submit to the chair").click()
    expect(page.get_by_text("The report was sent to the chair for approval.")).to_be_visible()
    audit(page)

    # --- the chair returns it with a comment -------------------------------------------------
    context = browser.new_context(**browser_context_args)
    try:
        chair_page = context.new_page()
        audit.watch(chair_page)
        _login(chair_page, live_server, chair.email)
        chair_page.goto(live_server.url + "/app/")
        waiting = chair_page.get_by_role("link", name=f"The annual report of {year} waits for your approval.")
        audit(chair_page)
        waiting.click()
        expect(chair_page).to_have_url(report_page + "approve/")
        expect(chair_page.locator("#annual-summary + p")).to_have_text(
            "Këshilli u mblodh dhe zbatoi planin e vitit."
        )
        audit(chair_page)
        field(chair_page, "What needs to change").fill(COMMENT)
        chair_page.get_by_role("button", name="Return the report").click()
        expect(chair_page.get_by_text("The report was returned with your comments.")).to_be_visible()
        audit(chair_page)
        assert AnnualReport.objects.get().status == AnnualReport.Status.RETURNED

        # --- the SKN fixes it and submits it again ---------------------------------------------
        page.goto(live_server.url + "/app/")
        page.get_by_role("link", name=f"The annual report of {year} was returned with comments").click()
        expect(page).to_have_url(report_page)
        expect(page.locator("#annual-returned-comment")).to_have_text(COMMENT)
        audit(page)
        page.get_by_role("link", name="Write the narrative").click()
        field(page, "Achievements").fill(ACHIEVEMENTS)
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("The report was saved.")).to_be_visible()
        page.get_by_role("button", name="Submit to the chair").click()
        expect(page.get_by_text("The report was sent to the chair for approval.")).to_be_visible()

        # --- the chair approves: frozen, its PDF stored, published --------------------------------
        chair_page.goto(report_page + "approve/")
        expect(chair_page.locator("#annual-achievements + p")).to_have_text(ACHIEVEMENTS)
        audit(chair_page)
        chair_page.get_by_role("button", name="Approve and publish").click()
        expect(
            chair_page.get_by_text("The report was approved and published on the council's public page.")
        ).to_be_visible()
        audit(chair_page)
    finally:
        context.close()
    report = AnnualReport.objects.get()
    assert report.status == AnnualReport.Status.APPROVED and len(report.sha256) == 64
    assert report.content["narrative"]["achievements"] == ACHIEVEMENTS

    # --- the public finds it, and the PDF's bytes hash to the SHA-256 shown ----------------------
    public = browser.new_context(**browser_context_args)
    try:
        visitor = public.new_page()
        audit.watch(visitor)
        visitor.context.add_cookies([{"name": "kvsp_language", "value": "en", "url": live_server.url}])
        visitor.goto(live_server.url + "/elbasan/")
        audit(visitor)
        visitor.get_by_role("link", name=f"The council's annual report of {year}").click()
        expect(visitor).to_have_url(f"{live_server.url}/elbasan/reports/{year}/")
        visitor.goto(live_server.url + "/elbasan/reports/")
        audit(visitor)
        visitor.get_by_role("link", name=f"Annual report {year}").click()
        expect(visitor).to_have_url(f"{live_server.url}/elbasan/reports/{year}/")
        expect(visitor.locator("#annual-achievements + p")).to_have_text(ACHIEVEMENTS)
        audit(visitor)
        shown = visitor.locator("#annual-sha256").inner_text().strip()
        href = visitor.locator("#annual-pdf").get_attribute("href")
        pdf = visitor.request.get(live_server.url + href)
        assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
        assert hashlib.sha256(pdf.body()).hexdigest() == shown == report.sha256
    finally:
        public.close()
