"""In Chromium: the technical secretary imports the guide's Table 1 typed into the workbook as
printed (tests/plans/table1.py ``workbook_as_printed``: no lead, each row's responsible bodies and
deadline once, on its first line). A file with a mistake is refused line by line with nothing
saved; the corrected file is previewed, its actors not yet in the council's list marked new, and
confirmed: the draft holds the four rows with each row's names in the order typed and its
deadline, the fourteen activities inheriting them, and the council gains actors but no member.
Every page visited is audited (axe-core, Nu HTML Checker, CSP)."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from councils.models import CouncilInstitution, Membership
from plans.models import Actor, PlanProblem, PlanVersion
from tests.factories import UserFactory, council
from tests.fixtures.browser import log_in
from tests.plans import table1

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sekret-i-forte-2026"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _without_deadline(content: bytes) -> bytes:
    """The same workbook with row 1.5's deadline forgotten."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Plani"]
    headers = [cell.value for cell in sheet[1]]
    number, deadline = headers.index("Nr."), headers.index("Afati")
    for row in sheet.iter_rows(min_row=2):
        if row[number].value == "1.5":
            row[deadline].value = None
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(page, content: bytes) -> None:
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "plani.xlsx", "mimeType": XLSX, "buffer": content}]
    )
    page.get_by_role("button", name="Check the file").click()


def test_table_1_imported_as_printed(page, live_server, audit, reference_data):
    year = timezone.localdate().year
    elbasan = council("elbasan")
    secretary = UserFactory(email="sekretari@elbasan.gov.al", full_name="Dorina Cela", password=PASSWORD)
    table1.seat_members(elbasan, {"secretary": secretary})
    seats = CouncilInstitution.objects.filter(council=elbasan).count()
    members = Membership.objects.filter(council=elbasan).count()
    content = table1.workbook_as_printed()

    page.context.add_cookies([{"name": "kvsp_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/accounts/login/")
    log_in(page, live_server, secretary.email, PASSWORD)
    url = f"/app/elbasan/plans/{year}/import/"
    page.goto(live_server.url + url)
    audit(page)

    # A mistake: every line it touches is shown, nothing is saved.
    _upload(page, _without_deadline(content))
    errors = page.locator("table").filter(has_text="What to correct")
    expect(errors).to_contain_text("Give the deadline.")
    assert errors.locator("tbody tr").count() == len(table1.ROWS[2]["activities"])
    expect(page.get_by_role("button", name="Add 4 problems to the plan")).to_have_count(0)
    audit(page)
    assert not PlanVersion.objects.exists() and not Actor.objects.exists()

    # The file as printed: previewed, then added.
    _upload(page, content)
    preview = page.locator("table").filter(has_text="Rows read from the file")
    for row in table1.ROWS:
        expect(preview).to_contain_text(row["title"])
    expect(preview).to_contain_text(f"{table1.COMMUNITY} new actor; {table1.NGO} new actor")
    expect(preview).to_contain_text("every 2 months")
    audit(page)
    assert not PlanVersion.objects.exists()
    page.get_by_role("button", name="Add 4 problems to the plan").click()
    base = f"/app/elbasan/plans/{year}/v1/"
    expect(page).to_have_url(live_server.url + base)
    for row in table1.ROWS:
        problem = PlanProblem.objects.get(version__plan__year=year, number=row["number"])
        section = page.locator(f"#problem-{problem.pk}")
        expect(section).to_contain_text(row["title"])
        for name in row["members"] + row["actors"]:
            expect(section).to_contain_text(name)
        assert problem.activities.count() == len(row["activities"])
    audit(page)

    actors = Actor.objects.filter(council=elbasan).values_list("name", flat=True)
    assert sorted(actors) == sorted(table1.ACTORS)  # added once each, none a member
    assert CouncilInstitution.objects.filter(council=elbasan).count() == seats
    assert Membership.objects.filter(council=elbasan).count() == members
