"""In Chromium: the technical secretary enters a full row of the guide's Table 1 as printed (row
1.5: its number, problem, statistics without a separate source, provenance note, high priority,
four activities, the institutions and the actor "OJF" it names once, and its deadline "all year"),
and the guide's title, without adding any member to the council; "ojf" typed again in the list
of actors is offered, not duplicated. Approved by the council's decision (services), the row is
found on the public page and in the PDF, CSV, JSON and DOCX, each activity with its row's
institutions and deadline and no lead; the council's public composition is unchanged. Every page
visited is audited (axe-core, Nu HTML Checker, CSP). The whole table is checked in every output at
the service level (tests/plans/test_table1.py)."""

import csv
import io
import json
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from councils.meetings import services as meeting_services
from councils.models import CouncilInstitution, Membership
from plans.models import Actor, PlanProblem, PlanVersion
from tests.builders import approve_by_decision
from tests.conftest import require
from tests.factories import UserFactory, council
from tests.fixtures.browser import log_in
from tests.plans import table1

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sekret-i-forte-2026"
ROW = table1.ROWS[2]  # 1.5, domestic violence


def _flat(text: str) -> str:
    return "".join(text.split())


def test_a_row_of_table_1_entered_as_printed(page, live_server, audit, reference_data, tmp_path):
    year = timezone.localdate().year
    elbasan = council("elbasan")
    secretary = UserFactory(email="sekretari@elbasan.gov.al", full_name="Dorina Cela", password=PASSWORD)
    chair = UserFactory(email="kryetari@elbasan.gov.al", full_name="Gazmend Oketa", password=PASSWORD)
    skn = UserFactory(email="skn@elbasan.gov.al", full_name="Arben Hoxha", password=PASSWORD)
    table1.seat_members(elbasan, {"secretary": secretary, "chair": chair, "skn_police": skn})
    seats = CouncilInstitution.objects.filter(council=elbasan).count()
    members = Membership.objects.filter(council=elbasan).count()
    composition_before = page.context.request.get(live_server.url + "/elbasan/").text()

    page.context.add_cookies([{"name": "kvsp_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/accounts/login/")
    log_in(page, live_server, secretary.email, PASSWORD)
    page.goto(live_server.url + "/app/elbasan/plans/")
    page.get_by_label("Year of the plan").fill(str(year))
    page.get_by_role("button", name="Open the plan of this year").click()
    base = f"/app/elbasan/plans/{year}/v1/"
    expect(page).to_have_url(live_server.url + base)

    # The guide's title.
    page.get_by_role("link", name="Edit the title").click()
    audit(page)
    page.get_by_role("textbox", name="Title of the plan").fill(table1.TITLE)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(table1.TITLE)
    audit(page)

    # The row, as printed: its number typed over the proposal, its institutions and actor once.
    page.locator(f"a[href='{base}problems/add/']").click()
    form = page.locator("#form-problem-new")
    expect(page.locator("#problem-new_title")).to_be_visible()
    expect(page.locator("#problem-new_number")).to_have_value("1.1")  # a proposal
    page.locator("#problem-new_number").fill(ROW["number"])
    page.locator("#problem-new_title").fill(ROW["title"])
    page.locator("#problem-new_statistics").fill(ROW["statistics"])
    page.locator("#problem-new_provenance").fill(ROW["provenance"])
    page.locator("#problem-new_priority_0").check()  # high
    for name in ROW["members"]:
        form.get_by_label(name, exact=True).check()
    page.locator("#problem-new_new_actors").fill("\n".join(ROW["actors"]))
    page.locator("#problem-new_deadline_kind_3").check()  # all year
    audit(page)
    form.locator("button[type=submit]").click()
    expect(page.locator("#plan-rows")).to_contain_text(ROW["title"])
    row = PlanProblem.objects.get(version__plan__year=year, number=ROW["number"])
    assert row.statistics_source == "" and row.deadline_kind == "all_year"

    # Its four activities: the text only; the row's institutions, actor and deadline are theirs.
    for text in ROW["activities"]:
        page.locator(f"a[href='{base}problems/{row.pk}/activities/add/']").click()
        slot = f"activity-new-{row.pk}"
        expect(page.locator(f"#{slot}_text")).to_be_visible()
        page.locator(f"#{slot}_text").fill(text)
        page.locator(f"#form-{slot} button[type=submit]").click()
        expect(page.locator(f"#problem-{row.pk}")).to_contain_text(text)
    audit(page)
    assert [a.text for a in row.activities.order_by("position")] == ROW["activities"]
    assert all(a.lead_id is None for a in row.activities.all())
    expect(page.locator(f"#problem-{row.pk}")).to_contain_text("all year")

    # The list of actors: "ojf" typed again is offered, not duplicated.
    page.goto(live_server.url + "/app/elbasan/plans/actors/")
    expect(page.locator("main")).to_contain_text("OJF")
    audit(page)
    page.get_by_role("textbox", name="Name").fill("ojf")
    page.get_by_role("button", name="Add").click()
    expect(page.locator(".invalid-feedback").first).to_contain_text("“OJF” is already in the list")
    expect(page.get_by_role("textbox", name="Name")).to_have_value("ojf")  # nothing typed is lost
    audit(page)
    assert Actor.objects.filter(council=elbasan).count() == 1

    # The council approves it (the approval's own flow is tested in tests/e2e/test_plan_flow.py).
    meeting = meeting_services.meeting_create(
        council=elbasan, kind="council", starts_at=timezone.now() - timedelta(hours=1), place="Salla"
    )
    version = approve_by_decision(PlanVersion.objects.get(), chair=chair, meeting=meeting, submitted_by=skn)
    assert version.status == "approved"

    # The public page and the four files.
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "kvsp_language", "value": "sq", "url": live_server.url}])
    page.goto(f"{live_server.url}/elbasan/plan/{year}/")
    items = [
        table1.TITLE,
        ROW["number"],
        ROW["title"],
        ROW["statistics"],
        ROW["provenance"],
        *ROW["activities"],
        *ROW["members"],
        *ROW["actors"],
        ROW["deadline"][1],
    ]
    main = page.locator("main")
    for item in items:
        expect(main).to_contain_text(item)
    audit(page)
    files = {
        kind: page.context.request.get(f"{page.url}plan.{kind}") for kind in ("pdf", "csv", "json", "docx")
    }
    assert all(response.status == 200 for response in files.values())
    data = json.loads(files["json"].text())
    (problem,) = data["problems"]
    assert data["title"] == table1.TITLE and problem["number"] == "1.5"
    names = sorted(ROW["members"]) + sorted(ROW["actors"])  # institutions, then actors, by name
    assert problem["institutions"] + problem["actors"] == names
    for activity in problem["activities"]:
        assert activity["lead"] is None and activity["responsible"] == names
        assert activity["deadline"]["text"] == ROW["deadline"][1]
    csv_text = files["csv"].body().decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(csv_text)))) == 1 + 4
    import docx

    document = docx.Document(io.BytesIO(files["docx"].body()))
    docx_text = "\n".join(
        [p.text for p in document.paragraphs]
        + [cell.text for grid in document.tables for line in grid.rows for cell in line.cells]
    )
    require(bool(shutil.which("pdftotext")), "pdftotext not found (apt-get install poppler-utils)")
    pdf_path = tmp_path / "plan.pdf"
    pdf_path.write_bytes(files["pdf"].body())
    pdf_text = subprocess.run(
        ["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for item in items:
        assert item in csv_text, ("csv", item)
        assert item in docx_text, ("docx", item)
        assert _flat(item) in _flat(pdf_text), ("pdf", item)

    # The council's composition: the same seats and members, and no actor on its public page.
    assert CouncilInstitution.objects.filter(council=elbasan).count() == seats
    assert Membership.objects.filter(council=elbasan).count() == members
    page.goto(live_server.url + "/elbasan/")
    audit(page)
    composition_after = page.content()
    assert "OJF" not in composition_before and "OJF" not in composition_after
    for name in ROW["members"]:
        assert name in composition_after
