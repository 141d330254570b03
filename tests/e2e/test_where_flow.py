"""In Chromium, in Albanian: the SKN names where a plan row's problem is (issue 23 item 5), in the
inline editor; once the plan is approved, a visitor on a phone (360 px) finds on the council's page
"Where the problems are": the bar chart drawn on the server and the same figures in a table, the
published concerns counted and the unpublished one not. Every page visited is audited (axe-core,
Nu HTML Checker, CSP)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consultations import services as consultation_services
from consultations.models import ProblemCategory
from councils.models import AdministrativeUnit, Institution, Role
from plans import services
from plans.models import PlanProblem
from tests.builders import approve_plan, fill
from tests.factories import UserFactory, council, give_role
from tests.fixtures.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sekret-i-forte-2026"
PHONE = {"width": 360, "height": 740}


def test_a_row_names_its_unit_and_the_council_page_counts_per_unit(page, live_server, audit, reference_data):
    year = timezone.localdate().year
    elbasan = council("elbasan")
    police = Institution.objects.create(name="Drejtoria Vendore e Policisë Elbasan", category="c")
    municipality = Institution.objects.create(name="Bashkia Elbasan", category="a")
    prosecution = Institution.objects.create(name="Prokuroria e Rrethit Gjyqësor Elbasan", category="d")
    skn = UserFactory(email="skn@policia.gov.al", full_name="Arben Hoxha", password=PASSWORD)
    secretary = UserFactory(full_name="Dorina Cela")
    chair = UserFactory(full_name="Gazmend Oketa")
    give_role(elbasan, Role.SKN_POLICE, user=skn, institution=police)
    give_role(elbasan, Role.SECRETARY, user=secretary, institution=municipality)
    give_role(elbasan, Role.CHAIR, user=chair, institution=municipality)
    give_role(elbasan, Role.MEMBER, full_name="Ilir Basha", institution=prosecution)
    version = services.plan_start(council=elbasan, year=year)
    fill(version, {"police": police, "prosecution": prosecution, "municipality": municipality}, 2)
    row = PlanProblem.objects.filter(version=version).order_by("position").first()
    shushice = AdministrativeUnit.objects.get(municipality__slug="elbasan", name="Shushicë")
    bradashesh = AdministrativeUnit.objects.get(municipality__slug="elbasan", name="Bradashesh")
    for unit, text in ((shushice, "Dhunë në familje në fshat"), (shushice, "Nuk ka ndriçim rrugor")):
        concern = consultation_services.concern_submit(
            council=elbasan, text=text, category="other", unit=unit
        )
        consultation_services.concern_publish(concern=concern, public_text=text, user=secretary)
    consultation_services.concern_submit(
        council=elbasan, text="Pa moderuar ende", category="other", unit=bradashesh
    )
    base = f"/app/elbasan/plans/{year}/v1/"

    page.goto(live_server.url + "/accounts/login/")
    log_in(page, live_server, skn.email, PASSWORD)
    page.goto(live_server.url + base)
    audit(page)

    # The first row's problem is in Shushicë: chosen in its form, inline.
    page.locator(f"a[href='{base}problems/{row.pk}/']").click()
    slot = f"problem-{row.pk}"
    expect(page.locator(f"#{slot}_unit")).to_be_visible()
    page.locator(f"#{slot}_unit").select_option(str(shushice.pk))
    page.locator(f"#{slot}_category").select_option(str(ProblemCategory.objects.get(code="other").pk))
    audit(page)
    page.locator(f"#form-{slot} button[type=submit]").click()
    expect(page.locator(f"#form-{slot}")).to_have_count(0)
    expect(page.locator(f"#problem-{row.pk}")).to_contain_text("Shushicë")
    assert PlanProblem.objects.get(pk=row.pk).unit == shushice

    # Approved; a visitor on a phone reads the council's page.
    approve_plan(version, {"council": elbasan, "chair": chair, "secretary": secretary})
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/elbasan/")
    section = page.locator("section[aria-labelledby=where-heading]")
    chart = section.locator("svg[role=img]")
    expect(chart).to_be_visible()
    expect(chart.locator("rect.kvsp-where-concerns")).to_have_count(1)  # Shushicë's concerns
    expect(chart.locator("rect.kvsp-where-rows")).to_have_count(2)  # Shushicë, the whole municipality
    table = section.locator("table")
    shushice_row = table.locator("tbody tr", has=page.locator("th", has_text="Shushicë"))
    expect(shushice_row.locator("td")).to_have_text(["2", "1"])
    expect(table.locator("tbody th", has_text="Bradashesh")).to_have_count(0)  # not published
    expect(table.locator("tfoot td")).to_have_text(["2", "2"])
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
    box = chart.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    audit(page)
