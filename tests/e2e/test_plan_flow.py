"""In Chromium: the technical secretary drafts the year's plan (a problem taken from the
consultation's prioritisation, one typed in, activities with structured deadlines, an indicator),
submits it; the chair approves it against the council's decision; the public page shows it, and its
PDF (pdftotext), CSV, JSON and DOCX agree on every row. Every page visited is audited (axe-core,
Nu HTML Checker, CSP); the flow runs in English, the public page is audited in Albanian too."""

import csv
import io
import json
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consultations import lifecycle as consultation_lifecycle
from consultations import services as consultation_services
from consultations.models import ProblemCategory
from councils.meetings import services as meeting_services
from councils.models import Institution, Role
from plans.demo import hold_meeting
from plans.models import PlanProblem, PlanVersion
from tests.conftest import require
from tests.factories import UserFactory, council, give_role
from tests.fixtures.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sekret-i-forte-2026"
TYPED = "Zonat e nxehta për drogën dhe krimin"
PULLED = "Konsumi i lëndëve narkotike nga të rinjtë"
ACTIVITIES = (
    "Orë edukative ligjore nga prokuroria për të rinjtë",
    "Identifikimi dhe publikimi i zonave të nxehta",
)


def _login(page, live_server, email):
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "kvsp_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/accounts/login/")
    log_in(page, live_server, email, PASSWORD)  # and the second factor, for officers
    expect(page.get_by_role("heading", level=1)).to_have_text("My councils")


def _add_activity(page, base, row, text, lead, kind_index, extra):
    page.locator(f"a[href='{base}problems/{row.pk}/activities/add/']").click()
    slot = f"activity-new-{row.pk}"
    expect(page.locator(f"#{slot}_text")).to_be_visible()
    page.locator(f"#{slot}_text").fill(text)
    page.locator(f"#{slot}_lead").select_option(str(lead.pk))
    page.locator(f"#{slot}_deadline_kind_{kind_index}").check()
    extra(slot)
    page.locator(f"#form-{slot} button[type=submit]").click()
    expect(page.locator(f"#problem-{row.pk}")).to_contain_text(text)


def test_a_plan_from_draft_to_published_files(page, live_server, audit, reference_data, tmp_path):
    year = timezone.localdate().year
    elbasan = council("elbasan")
    municipality = Institution.objects.create(name="Bashkia Elbasan", category="a")
    police = Institution.objects.create(name="Drejtoria Vendore e Policisë Elbasan", category="c")
    prosecution = Institution.objects.create(name="Prokuroria e Rrethit Gjyqësor Elbasan", category="d")
    secretary = UserFactory(email="sekretari@elbasan.gov.al", full_name="Dorina Cela", password=PASSWORD)
    chair = UserFactory(email="kryetari@elbasan.gov.al", full_name="Gazmend Oketa", password=PASSWORD)
    give_role(elbasan, Role.SECRETARY, user=secretary, institution=municipality)
    give_role(elbasan, Role.CHAIR, user=chair, institution=municipality)
    give_role(elbasan, Role.MEMBER, full_name="Ilir Basha", institution=police)
    give_role(elbasan, Role.MEMBER, full_name="Alma Dervishi", institution=prosecution)
    meeting = meeting_services.meeting_create(
        council=elbasan,
        kind="council",
        starts_at=timezone.now() - timedelta(days=1),
        place="Salla e Këshillit Bashkiak",
        title="Miratimi i planit",
    )
    meeting_services.attendance_record(meeting=meeting, entries=[])
    consultation = consultation_lifecycle.consultation_create(
        council=elbasan, starts_at=timezone.now() - timedelta(days=20), place="Shushicë"
    )
    chosen = consultation_services.problem_create(consultation=consultation, title=PULLED)
    consultation_services.problem_assess(
        problem=chosen,
        title=PULLED,
        intensity="high",
        statistics="63 raste në vitin e kaluar",
        statistics_source="Drejtoria Vendore e Policisë Elbasan",
        institutions=[police],
        outcome="in_plan",
    )

    # --- the technical secretary drafts the plan --------------------------------------------
    _login(page, live_server, secretary.email)
    page.goto(live_server.url + "/app/elbasan/")
    page.get_by_role("link", name="Plans", exact=True).click()
    audit(page)
    page.get_by_label("Year of the plan").fill(str(year))
    page.get_by_role("button", name="Open the plan of this year").click()
    base = f"/app/elbasan/plans/{year}/v1/"
    expect(page).to_have_url(live_server.url + base)
    audit(page)

    page.get_by_role("link", name="Take in 1 problem selected in a consultation").click()
    audit(page)
    page.get_by_label(PULLED).check()
    page.get_by_role("button", name="Take the ticked problems into the draft").click()
    expect(page.locator("#plan-rows")).to_contain_text(PULLED)
    pulled = PlanProblem.objects.get(title=PULLED)
    assert pulled.priority == "high" and pulled.source_problem == chosen

    page.locator(f"a[href='{base}problems/add/']").click()
    expect(page.locator("#problem-new_title")).to_be_visible()
    page.locator("#problem-new_title").fill(TYPED)
    page.locator("#problem-new_number").fill("1.7")
    page.locator("#problem-new_priority_0").check()  # high
    page.locator("#problem-new_category").select_option(str(ProblemCategory.objects.get(code="other").pk))
    expect(page.locator("#problem-new_number")).to_have_value("1.7")
    page.locator("#form-problem-new button[type=submit]").click()
    expect(page.locator("#plan-rows")).to_contain_text(TYPED)
    typed = PlanProblem.objects.get(title=TYPED)
    assert typed.number == "1.7"

    _add_activity(
        page,
        base,
        pulled,
        ACTIVITIES[0],
        prosecution,
        1,
        lambda slot: page.locator(f"#{slot}_deadline_period").select_option("h1"),
    )
    _add_activity(
        page,
        base,
        typed,
        ACTIVITIES[1],
        police,
        2,
        lambda slot: page.locator(f"#{slot}_deadline_every_months").fill("2"),
    )
    audit(page)
    expect(page.locator(f"#problem-{pulled.pk}")).to_contain_text("in the first six months")
    expect(page.locator(f"#problem-{typed.pk}")).to_contain_text("every 2 months")

    page.get_by_role("button", name="Send to the chair for approval").click()
    expect(page.get_by_text("The plan was sent to the chair for approval.")).to_be_visible()
    audit(page)
    assert PlanVersion.objects.get().status == "submitted"
    # The council meets (now, after the submission) and records its decision.
    approving = meeting_services.meeting_create(
        council=elbasan, kind="council", starts_at=timezone.now(), place="Salla e Këshillit Bashkiak"
    )
    meeting_services.attendance_record(meeting=approving, entries=[])
    decision = meeting_services.decision_add(meeting=approving, text="Miratohet plani shumaktorial vendor.")
    hold_meeting(approving)  # someone present, the minutes written and approved: a recorded fact

    # --- the chair reads the whole plan and approves it by the council's decision -----------
    _login(page, live_server, chair.email)
    page.goto(live_server.url + base)
    page.get_by_role("link", name="Approve", exact=True).click()
    expect(page.locator("main")).to_contain_text(TYPED)  # the whole version, on the approval page
    audit(page)
    page.get_by_role("button", name="Approve and publish").click()  # empty: errors, nothing lost
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    page.get_by_label("Decision of the council that approved the plan").select_option(str(decision.pk))
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.get_by_text("The plan was approved and published.")).to_be_visible()
    audit(page)
    version = PlanVersion.objects.get()
    assert version.status == "approved" and version.decision == decision
    assert version.decision_number == f"{decision.number}/{decision.year}"

    # --- the public: the page and four files that agree -------------------------------------
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "kvsp_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/elbasan/plan/")
    expect(page).to_have_url(f"{live_server.url}/elbasan/plan/{year}/")
    for text in (PULLED, TYPED, *ACTIVITIES, "every 2 months", "in the first six months"):
        expect(page.locator("main")).to_contain_text(text)
    audit(page)
    files = {
        kind: page.context.request.get(f"{page.url}plan.{kind}") for kind in ("pdf", "csv", "json", "docx")
    }
    assert all(response.status == 200 for response in files.values())

    data = json.loads(files["json"].text())
    rows = [(p["number"], p["title"], a["text"]) for p in data["problems"] for a in p["activities"]]
    assert sorted(rows) == sorted([("1.1", PULLED, ACTIVITIES[0]), ("1.7", TYPED, ACTIVITIES[1])])

    table = list(csv.reader(io.StringIO(files["csv"].body().decode("utf-8-sig"))))
    csv_rows = set()
    for line in table[1:]:  # one line per activity, the problem's columns beside it
        for number, title, activity in rows:
            if activity in line:
                assert number in line and title in line
                csv_rows.add((number, title, activity))
    assert csv_rows == set(rows)

    import docx

    document = docx.Document(io.BytesIO(files["docx"].body()))
    docx_text = "\n".join(
        cell.text for table in document.tables for line in table.rows for cell in line.cells
    )
    require(bool(shutil.which("pdftotext")), "pdftotext not found (apt-get install poppler-utils)")
    pdf_path = tmp_path / "plan.pdf"
    pdf_path.write_bytes(files["pdf"].body())
    pdf_text = " ".join(
        subprocess.run(
            ["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    for number, title, activity in rows:
        assert number in docx_text and title in docx_text and activity in docx_text
        for text in (number, title, activity):
            assert " ".join(text.split()[:3]) in pdf_text, text  # long cells wrap in the PDF

    # The same page in Albanian, audited too.
    page.get_by_role("link", name="Shqip").click()
    expect(page.locator("html")).to_have_attribute("lang", "sq")
    expect(page.locator("main")).to_contain_text("çdo 2 muaj")
    audit(page)
