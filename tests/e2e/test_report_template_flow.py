"""In Chromium, in Albanian: the SKN drafts the council's own monthly report template (a first try
with no section is refused, with what was typed kept), then three sections in its own order and
headings, and submits it; the chair finds it in "waiting for you" and approves it; a report opened
afterwards is laid out on it. Every page visited is audited (axe-core, Nu HTML Checker, CSP)."""

import re

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from councils.models import Institution, Role
from monitoring.models import MonthlyReport, ReportSection, ReportTemplate
from tests.builders import plan_in_force
from tests.factories import UserFactory, council, give_role
from tests.fixtures.browser import log_in, sq

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sekret-i-forte-2026"
SUMMARY = "Përmbledhje e gjendjes së sigurisë publike"
PROPOSALS = "Rekomandime për Kryetarin e KVSP-së"
OVERDUE = "Veprimtaritë me afat të kaluar"


def _cell(page, what: str, kind: ReportSection):
    """The field ``what`` ("Include", "Order", "Heading") of a section's row."""
    with translation.override("sq"):
        label = str(kind.label)
    return page.get_by_label(sq(f"{what}: %(section)s") % {"section": label}, exact=True)


def test_the_skn_drafts_the_template_the_chair_approves_it_and_a_new_report_follows_it(
    page, browser, browser_context_args, live_server, audit, reference_data
):
    elbasan = council("elbasan")
    municipality = Institution.objects.create(name="Bashkia Elbasan", category="a")
    police = Institution.objects.create(name="Drejtoria Vendore e Policisë Elbasan", category="c")
    skn = UserFactory(email="skn@policia.gov.al", full_name="Arben Hoxha", password=PASSWORD)
    chair = UserFactory(email="kryetari@elbasan.gov.al", full_name="Gazmend Oketa", password=PASSWORD)
    give_role(elbasan, Role.SKN_POLICE, user=skn, institution=police)
    give_role(elbasan, Role.CHAIR, user=chair, institution=municipality)
    plan_in_force(elbasan, timezone.localdate().year, chair=chair)  # a report follows a plan in force
    template_page = f"{live_server.url}/app/elbasan/monitoring/template/"

    # --- the SKN: the standard template applies; a draft of the council's own ------------------
    page.goto(live_server.url + "/accounts/login/")
    log_in(page, live_server, skn.email, PASSWORD)
    page.goto(template_page)
    expect(page.get_by_role("heading", level=1)).to_have_text(sq("Monthly report template"))
    expect(page.get_by_role("heading", name=sq("In force: the standard template"))).to_be_visible()
    audit(page)
    page.get_by_role("link", name=sq("Draft a new version of the template")).click()
    expect(page).to_have_url(template_page + "edit/")
    audit(page)

    # Every section left out: refused, in Albanian, with the headings typed still there.
    for kind in ReportSection:
        _cell(page, "Include", kind).uncheck()
    _cell(page, "Heading", ReportSection.SUMMARY).fill(SUMMARY)
    page.get_by_role("button", name=sq("Save the draft")).click()
    expect(page.get_by_role("alert")).to_contain_text(
        sq("A report template needs at least one section: include one or more sections.")
    )
    expect(_cell(page, "Heading", ReportSection.SUMMARY)).to_have_value(SUMMARY)
    audit(page)
    assert not ReportTemplate.objects.exists()

    # Three sections, in the council's order, under its headings.
    for kind, place, heading in (
        (ReportSection.SUMMARY, "1", SUMMARY),
        (ReportSection.OVERDUE, "2", OVERDUE),
        (ReportSection.PROPOSALS, "3", PROPOSALS),
    ):
        _cell(page, "Include", kind).check()
        _cell(page, "Order", kind).fill(place)
        _cell(page, "Heading", kind).fill(heading)
    page.get_by_role("button", name=sq("Save the draft")).click()
    expect(page).to_have_url(template_page)
    current = page.locator("#sections-current li")
    expect(current).to_have_count(3)
    expect(current.nth(0)).to_contain_text(SUMMARY)
    expect(current.nth(1)).to_contain_text(OVERDUE)
    expect(current.nth(2)).to_contain_text(PROPOSALS)
    audit(page)
    page.get_by_role("button", name=sq("Submit to the chair")).click()
    expect(page.get_by_text(sq("The template was sent to the chair for approval."))).to_be_visible()
    audit(page)
    assert ReportTemplate.objects.get().status == ReportTemplate.Status.SUBMITTED

    # --- the chair: from "waiting for you" to the approval -------------------------------------
    context = browser.new_context(**browser_context_args)
    try:
        other = context.new_page()
        audit.watch(other)
        other.goto(live_server.url + "/accounts/login/")
        log_in(other, live_server, chair.email, PASSWORD)
        other.goto(live_server.url + "/app/")
        waiting = sq("The monthly report template, version %(number)s, waits for your approval.") % {
            "number": 1
        }
        audit(other)
        other.get_by_role("link", name=waiting).click()
        expect(other).to_have_url(template_page)
        audit(other)
        other.get_by_role("button", name=sq("Approve the template")).click()
        expect(
            other.get_by_role(
                "heading",
                name=re.compile(
                    re.escape(sq("In force: the council's template, version %(number)s") % {"number": 1})
                ),
            )
        ).to_be_visible()
        audit(other)
    finally:
        context.close()
    assert ReportTemplate.objects.get().status == ReportTemplate.Status.APPROVED

    # --- the SKN: this month's report is laid out on the council's template ---------------------
    page.goto(f"{live_server.url}/app/elbasan/monitoring/reports/")
    audit(page)
    page.get_by_role("button", name=sq("Start the report of this month")).click()
    today = timezone.localdate()
    expect(page).to_have_url(f"{live_server.url}/app/elbasan/monitoring/reports/{today.year}/{today.month}/")
    headings = page.locator(".kvsp-report h2")
    expect(headings).to_have_text([SUMMARY, OVERDUE, PROPOSALS])
    audit(page)
    assert MonthlyReport.objects.get().template == ReportTemplate.objects.get()
