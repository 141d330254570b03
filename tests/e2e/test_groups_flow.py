"""In Chromium, in Albanian: the SKN tags a plan row and an activity with the groups they serve and
splits an indicator by sex (issue 22 item 8); once the plan is approved, a value is entered per
split (a total that is not their sum is refused with everything typed kept), and the groups and the
values per split are on the plan's pages and the indicator's page. Every page visited is audited
(axe-core, Nu HTML Checker, CSP)."""

import pytest
from django.utils import timezone
from django.utils.text import capfirst
from playwright.sync_api import expect

from consultations.models import ProblemCategory
from councils.models import Institution, Role
from monitoring.models import IndicatorValue
from plans import services
from plans.models import Activity, Indicator, PlanProblem
from tests.builders import approve_plan, fill
from tests.factories import UserFactory, council, give_role
from tests.fixtures.browser import log_in, sq

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sekret-i-forte-2026"


def test_groups_served_and_an_indicator_split_by_sex(page, live_server, audit, reference_data):
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
    fill(version, {"police": police, "prosecution": prosecution, "municipality": municipality}, 1)
    row = PlanProblem.objects.get(version=version)
    activity = row.activities.order_by("position").first()
    indicator = Indicator.objects.get(activity=activity)
    base = f"/app/elbasan/plans/{year}/v1/"

    page.goto(live_server.url + "/accounts/login/")
    log_in(page, live_server, skn.email, PASSWORD)
    page.goto(live_server.url + base)
    audit(page)

    # The row serves women and girls and children (ticked in its form, inline).
    page.locator(f"a[href='{base}problems/{row.pk}/']").click()
    slot = f"problem-{row.pk}"
    expect(page.locator(f"#{slot}_groups_0")).to_be_visible()
    page.locator(f"#{slot}_groups_0").check()  # women and girls
    page.locator(f"#{slot}_groups_1").check()  # children
    page.locator(f"#{slot}_category").select_option(str(ProblemCategory.objects.get(code="other").pk))
    audit(page)
    page.locator(f"#form-{slot} button[type=submit]").click()
    expect(page.locator(f"#form-{slot}")).to_have_count(0)
    row_groups = f"{sq('women and girls')}, {sq('children')}"
    expect(page.locator(f"#problem-{row.pk}")).to_contain_text(row_groups)

    # Its first activity serves children.
    page.locator(f"a[href='{base}activities/{activity.pk}/']").click()
    slot = f"activity-{activity.pk}"
    expect(page.locator(f"#{slot}_groups_1")).to_be_visible()
    page.locator(f"#{slot}_groups_1").check()
    page.locator(f"#form-{slot} button[type=submit]").click()
    expect(page.locator(f"#form-{slot}")).to_have_count(0)
    expect(page.locator(f"#activity-{activity.pk}")).to_contain_text(sq("Groups served:"))
    audit(page)

    # Its indicator's values are split by sex.
    page.locator(f"a[href='{base}indicators/{indicator.pk}/']").click()
    slot = f"indicator-{indicator.pk}"
    expect(page.locator(f"#{slot}_disaggregation_1")).to_be_visible()
    page.locator(f"#{slot}_disaggregation_1").check()  # by sex
    audit(page)
    page.locator(f"#form-{slot} button[type=submit]").click()
    expect(page.locator(f"#form-{slot}")).to_have_count(0)
    expect(page.locator(f"#indicator-{indicator.pk}")).to_contain_text(sq("by sex"))
    expect(page.locator(".kvsp-groups-served")).to_contain_text(sq("women and girls"))
    assert PlanProblem.objects.get(pk=row.pk).groups == ["children", "women_girls"]
    assert Activity.objects.get(pk=activity.pk).groups == ["children"]
    assert Indicator.objects.get(pk=indicator.pk).disaggregation == "sex"

    # Approved: the plan's page and its public page show who it serves.
    approve_plan(version, {"council": elbasan, "chair": chair, "secretary": secretary})
    page.goto(live_server.url + base)
    expect(page.locator(".kvsp-groups-served")).to_contain_text(sq("children"))
    audit(page)
    page.goto(live_server.url + f"/elbasan/plan/{year}/")
    expect(page.locator(".kvsp-groups-served")).to_contain_text(sq("women and girls"))
    expect(page.locator(f"#row-{row.lineage}")).to_contain_text(row_groups)
    expect(page.locator(".kvsp-plan-indicators").first).to_contain_text(sq("by sex"))
    audit(page)

    # A value per sex on the indicator's page: a wrong total first, refused with all typed kept.
    page.goto(live_server.url + f"/app/elbasan/monitoring/indicators/{indicator.lineage}/")
    audit(page)
    page.locator("#id_period").select_option(f"{year}-Q1")
    page.locator("#id_split_f").fill("12")
    page.locator("#id_split_m").fill("9")
    page.locator("#id_value").fill("25")
    page.locator("#record button[type=submit]").click()
    expect(page.locator("#record .invalid-feedback").first).to_be_visible()
    expect(page.locator("#id_split_f")).to_have_value("12")
    expect(page.locator("#id_value")).to_have_value("25")
    assert not IndicatorValue.objects.exists()
    audit(page)
    page.locator("#id_value").fill("")
    page.locator("#record button[type=submit]").click()
    values = page.locator(f"#value-{year}-Q1")
    expect(values).to_contain_text(f"{capfirst(sq('women and girls'))}: 12")
    expect(values).to_contain_text(f"{capfirst(sq('men and boys'))}: 9")
    expect(values).to_contain_text("21")
    audit(page)
    value = IndicatorValue.objects.get()
    assert value.breakdown == {"f": "12", "m": "9"} and value.value == 21
