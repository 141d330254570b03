"""In Chromium, in Albanian: a visitor opens the national roll-up, and the national observer opens it
from the menu, follows a number of the problems' table to the councils behind it and from there to a
council's public page. Every page visited is audited (axe-core, Nu HTML Checker, CSP)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consultations.models import ProblemCategory
from councils.models import Institution
from councils.services import seat_add
from plans import services
from tests.builders import approve_plan
from tests.factories import UserFactory, council
from tests.fixtures.browser import log_in, sq

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sekret-i-forte-2026"


def _plan(slug: str, year: int, category: str) -> None:
    """An approved plan of ``year`` with one row of ``category`` and one activity."""
    the_council = council(slug)
    people = {"council": the_council, "chair": UserFactory(), "secretary": UserFactory()}
    for key, name, kind in [("municipality", "Bashkia", "a"), ("police", "Policia", "c")]:
        people[key] = Institution.objects.create(name=f"{name} {the_council}", category=kind)
        seat_add(council=the_council, institution=people[key])
    version = services.plan_start(council=the_council, year=year)
    row = services.problem_add(
        version=version,
        number="1.1",
        title="Droga te të rinjtë",
        priority="high",
        category=ProblemCategory.objects.get(code=category),
        institutions=[people["municipality"]],
    )
    services.activity_add(
        problem=row,
        text="Orë edukative",
        deadline_kind="all_year",
        estimated_cost=50000,
        funding_source="donor",
    )
    approve_plan(version, people)


def test_the_roll_up_and_its_drill_down(page, live_server, audit, reference_data, browser):
    year = timezone.localdate().year
    _plan("elbasan", year, "drugs_alcohol_youth")
    _plan("belsh", year, "domestic_violence")
    page.goto(live_server.url + "/national/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(year))
    expect(page.locator("svg[role=img]").first).to_be_visible()
    audit(page)

    observer = UserFactory(
        email="vezhguesi@kvsp.gov.al",
        full_name="Vëzhguesi Kombëtar",
        password=PASSWORD,
        is_national_observer=True,
    )
    log_in(page, live_server, observer.email, PASSWORD)
    page.get_by_role("navigation", name=sq("Main navigation")).get_by_role(
        "link", name=sq("National roll-up")
    ).click()
    expect(page).to_have_url(re.compile(r"/national/$"))
    problems = page.locator("section[aria-labelledby=section-problems] table")
    drugs = problems.locator("tbody tr").filter(
        has_text=ProblemCategory.objects.get(code="drugs_alcohol_youth").name_sq
    )
    expect(drugs.locator("td").last).to_have_text("1")
    drugs.locator("td").last.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"section=problems.*key=drugs_alcohol_youth"))
    drill = page.locator("#drill")
    expect(drill.get_by_role("heading", level=2)).to_have_text(sq("The councils behind the number"))
    expect(drill.locator("tbody tr")).to_have_count(1)
    expect(drill.get_by_role("link", name="Elbasan")).to_be_visible()
    audit(page)
    drill.get_by_role("link", name="Elbasan").click()
    expect(page).to_have_url(re.compile(r"/elbasan/$"))
