"""In Chromium, in Albanian: an SKN member gives an activity of the draft plan its estimated cost
(a negative amount first: refused, with what was typed kept), its funding source and funder, and
finds the totals on the plan's page; once the plan is approved, a status update reports an amount
spent over ten times the estimate, which the form asks to confirm (everything typed kept) and then
records; the activity's page shows the spent to date and the public plan page the totals. Every
page visited is audited (axe-core, Nu HTML Checker, CSP)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from councils.meetings import services as meeting_services
from councils.models import Institution, Role
from monitoring.models import StatusUpdate
from plans import services as plan_services
from plans.models import Activity
from plans.money import format_lek
from tests.builders import approve_by_decision
from tests.factories import UserFactory, council, give_role
from tests.fixtures.browser import field, log_in, sq

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sekret-i-forte-2026"
CAMERAS = "Përmirësimi i sistemit vëzhgues të kamerave në qytet"
LESSONS = "Orë edukative ligjore për të rinjtë"


def amount(value: int) -> re.Pattern:
    """The amount as the Albanian pages show it, whatever space separates its groups."""
    with translation.override("sq"):
        text = format_lek(value)
    return re.compile(r"\s".join(re.escape(part) for part in text.replace("\xa0", " ").split(" ")))


def test_a_cost_on_the_plan_and_a_spent_amount_confirmed(page, live_server, audit, reference_data):
    year = timezone.localdate().year
    elbasan = council("elbasan")
    municipality = Institution.objects.create(name="Bashkia Elbasan", category="a")
    police = Institution.objects.create(name="Drejtoria Vendore e Policisë Elbasan", category="c")
    skn = UserFactory(email="skn@policia.gov.al", full_name="Arben Hoxha", password=PASSWORD)
    chair = UserFactory(email="kryetari@elbasan.gov.al", full_name="Gazmend Oketa", password=PASSWORD)
    give_role(elbasan, Role.SKN_POLICE, user=skn, institution=police)
    give_role(elbasan, Role.CHAIR, user=chair, institution=municipality)
    version = plan_services.plan_start(council=elbasan, year=year)
    hotspots = plan_services.problem_add(
        version=version, number="1.7", title="Zonat e nxehta të kriminalitetit", priority="high"
    )
    youth = plan_services.problem_add(
        version=version, number="1.4", title="Të rinjtë dhe droga", priority="low"
    )
    cameras = plan_services.activity_add(
        problem=hotspots, text=CAMERAS, lead=municipality, deadline_kind="all_year"
    )
    plan_services.activity_add(
        problem=youth,
        text=LESSONS,
        lead=police,
        deadline_kind="all_year",
        estimated_cost=150_000,
        funding_source="institution",
        funder="Drejtoria Vendore e Policisë Elbasan",
    )
    plan_url = f"{live_server.url}/app/elbasan/plans/{year}/v1/"

    page.goto(live_server.url + "/accounts/login/")
    log_in(page, live_server, skn.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Këshillat e mi")

    # --- the cost, on the draft ------------------------------------------------------------------
    page.goto(f"{plan_url}activities/{cameras.pk}/")
    expect(field(page, sq("Activity"))).to_have_value(CAMERAS)
    audit(page)
    field(page, sq("Estimated cost (lek)")).fill("-2 000 000")
    field(page, sq("Funding source")).select_option("municipal")
    field(page, sq("Funder")).fill("Bashkia Elbasan")
    page.get_by_role("button", name=sq("Save"), exact=True).click()
    expect(page.get_by_text(sq("An amount cannot be negative: write 0 or more."))).to_be_visible()
    expect(field(page, sq("Estimated cost (lek)"))).to_have_value("-2 000 000")
    expect(field(page, sq("Funder"))).to_have_value("Bashkia Elbasan")
    expect(field(page, sq("Funding source"))).to_have_value("municipal")
    audit(page)
    assert Activity.objects.get(pk=cameras.pk).estimated_cost is None
    field(page, sq("Estimated cost (lek)")).fill("2 000 000")
    page.get_by_role("button", name=sq("Save"), exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(plan_url)))
    totals = page.locator("section.kvsp-money")
    expect(totals.get_by_role("heading", name=sq("Cost and funding"))).to_be_visible()
    expect(totals).to_contain_text(amount(2_150_000))  # the estimated total
    by_source = totals.get_by_role("table", name=sq("Estimated cost by funding source"))
    expect(by_source.locator("tbody tr")).to_have_count(2)  # the municipal budget, the institution's
    expect(by_source).to_contain_text(amount(2_000_000))
    expect(by_source).to_contain_text(amount(150_000))
    by_priority = totals.get_by_role("table", name=sq("Estimated cost by priority"))
    expect(by_priority).to_contain_text(amount(2_000_000))
    expect(page.locator(f"#activity-{cameras.pk}")).to_contain_text("Bashkia Elbasan")
    audit(page)
    saved = Activity.objects.get(pk=cameras.pk)
    assert (saved.estimated_cost, saved.funding_source, saved.funder) == (
        2_000_000,
        "municipal",
        "Bashkia Elbasan",
    )

    # --- approved, then a spent amount over ten times the estimate -------------------------------
    meeting = meeting_services.meeting_create(
        council=elbasan,
        kind="council",
        starts_at=timezone.now() - timedelta(minutes=30),
        place="Salla e Këshillit Bashkiak",
        title="Miratimi i planit",
    )
    meeting_services.attendance_record(meeting=meeting, entries=[])
    approve_by_decision(version, chair=chair, meeting=meeting, submitted_by=skn)
    lessons = Activity.objects.get(problem__version=version, text=LESSONS)
    activity_url = f"{live_server.url}/app/elbasan/monitoring/activities/{lessons.lineage}/"
    page.goto(activity_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(LESSONS)
    audit(page)
    note = "U pagua salla dhe materialet për 12 orë mësimi."
    field(page, sq("Status")).select_option("in_progress")
    field(page, sq("Progress (%)")).fill("30")
    field(page, sq("Note")).fill(note)
    field(page, sq("Spent to date (lek)")).fill("1 600 000")
    page.get_by_role("button", name=sq("Save the update")).click()
    confirm = field(page, sq("I confirm the amount spent, although it is over ten times the estimated cost."))
    expect(confirm).to_be_visible()
    expect(field(page, sq("Spent to date (lek)"))).to_have_value("1 600 000")
    expect(field(page, sq("Note"))).to_have_value(note)
    expect(field(page, sq("Progress (%)"))).to_have_value("30")
    audit(page)
    assert not StatusUpdate.objects.exists()
    confirm.check()
    page.get_by_role("button", name=sq("Save the update")).click()
    expect(page.get_by_text(sq("The update was recorded."))).to_be_visible()
    expect(page.locator(".kvsp-activity-money")).to_contain_text(amount(1_600_000))
    expect(page.get_by_role("cell", name=note)).to_be_visible()
    audit(page)
    assert StatusUpdate.objects.get().spent == 1_600_000

    # --- the public plan page gives the costs and the totals --------------------------------------
    page.goto(f"{live_server.url}/elbasan/plan/{year}/")
    public_totals = page.locator("section.kvsp-money")
    expect(public_totals).to_contain_text(amount(2_150_000))
    expect(page.get_by_role("cell", name=re.compile(re.escape(CAMERAS)))).to_contain_text("Bashkia Elbasan")
    audit(page)
