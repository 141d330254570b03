"""The plan's money (issue 22, item 6): the totals by funding source and by priority, the spent to
date (the latest amount per activity lineage), amounts written the Albanian way, the editor's cost
fields (a negative cost refused with what was typed kept), a revision keeping the costs, and every
output of a published plan — staff page, public page, PDF, CSV, JSON, DOCX and API — giving each
activity's cost, source and funder and the totals."""

import io
import json
import shutil
import subprocess
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from plans import exports, money, services
from plans.forms import ActivityForm
from plans.models import Activity
from plans.tags import FundingSource
from tests.builders import YEAR, approve
from tests.conftest import require
from tests.plans.plan_csv import plan_csv_lines

BASE = "/app/elbasan/plans/"
V1 = f"{BASE}{YEAR}/v1/"


def _plain(text: str) -> str:
    """No-break spaces (the Albanian thousands separator) as plain spaces, whitespace squashed."""
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


# --- amounts ------------------------------------------------------------------------------------


def _lek(amount: int) -> str:
    """The amount as the Albanian pages write it, spaces plain ("1 250 000 lekë" once the
    catalogue translates the unit)."""
    with translation.override("sq"):
        return _plain(money.format_lek(amount))


def test_amounts_are_written_the_albanian_way_in_albanian():
    with translation.override("sq"):
        unit = gettext("%(amount)s lek") % {"amount": ""}
        assert money.format_lek(1_250_000) == "1\xa0250\xa0000" + unit  # grouped, never wraps
        assert money.format_lek(0) == "0" + unit
    with translation.override("en"):
        assert money.format_lek(1_250_000) == "1,250,000 lek"
    assert money.format_lek(None) == ""


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1250000", 1_250_000),
        ("1 250 000", 1_250_000),
        ("1\xa0250\xa0000", 1_250_000),
        ("1.250.000", 1_250_000),
        ("1,250,000", 1_250_000),
        ("350 000 lekë", 350_000),
        ("0", 0),
        ("-5000", -5000),
    ],
)
def test_amounts_are_read_as_people_type_them(typed, amount):
    assert money.parse_lek(typed) == amount


@pytest.mark.parametrize("typed", ["1250,50", "12 50", "dy milion", "1.25", ""])
def test_what_is_not_a_whole_amount_is_refused(typed):
    with pytest.raises(ValueError):
        money.parse_lek(typed)


# --- totals -------------------------------------------------------------------------------------


def test_totals_by_source_and_by_priority_ignore_activities_without_a_cost():
    items = [
        money.Costed(1_000_000, "municipal", "high", "a"),
        money.Costed(250_000, "municipal", "low", "b"),
        money.Costed(400_000, "donor", "high", "c"),
        money.Costed(None, "donor", "moderate", "d"),  # no estimate: counted in no total
        money.Costed(100_000, "", "moderate", "e"),  # no source given
        money.Costed(50_000, "institution", "moderate", "f"),
    ]
    totals = money.totals(items)
    assert totals.total == 1_800_000
    assert (totals.costed, totals.uncosted) == (5, 1)
    assert [(line.key, line.amount, line.count) for line in totals.by_source] == [
        ("municipal", 1_250_000, 2),
        ("institution", 50_000, 1),
        ("donor", 400_000, 1),
        ("", 100_000, 1),
    ]
    assert [(line.key, line.amount) for line in totals.by_priority] == [
        ("high", 1_400_000),
        ("moderate", 150_000),
        ("low", 250_000),
    ]
    assert totals.spent is None  # nothing said about spending


def test_totals_of_no_cost_at_all_are_zero_with_no_lines():
    totals = money.totals([money.Costed(None, "donor", "high", "a")])
    assert (totals.total, totals.costed, totals.uncosted, totals.by_source) == (0, 0, 1, [])


def test_spent_to_date_is_the_latest_amount_of_each_lineage():
    updates = [
        ("a", date(2026, 3, 1), 1, 100_000),
        ("a", date(2026, 5, 1), 2, 300_000),
        ("a", date(2026, 6, 1), 3, None),  # an update without an amount changes nothing
        ("a", date(2026, 4, 1), 4, 200_000),  # recorded later, but of an earlier day
        ("b", date(2026, 5, 1), 5, 50_000),
        ("b", date(2026, 5, 1), 6, 70_000),  # the same day: the one recorded last
        ("c", date(2026, 5, 1), 7, None),
    ]
    assert money.latest_spent(updates) == {"a": 300_000, "b": 70_000}


def test_totals_with_spending_add_the_spent_by_source():
    items = [
        money.Costed(1_000_000, "municipal", "high", "a"),
        money.Costed(None, "donor", "low", "b"),  # spent without an estimate still counts as spent
        money.Costed(500_000, "donor", "low", "c"),
    ]
    totals = money.totals(items, {"a": 300_000, "b": 20_000})
    assert totals.spent == 320_000 and totals.total == 1_500_000
    assert [(line.key, line.amount, line.spent) for line in totals.by_source] == [
        ("municipal", 1_000_000, 300_000),
        ("donor", 500_000, 20_000),
    ]


def test_a_spent_amount_over_ten_times_the_estimate_is_unusual():
    assert not money.spent_is_unusual(1_000_000, 100_000)
    assert money.spent_is_unusual(1_000_001, 100_000)
    assert not money.spent_is_unusual(5_000_000, None)  # no estimate: nothing to compare with
    assert money.spent_is_unusual(11, 0)  # an estimate of 0 counts as 1 lek
    assert not money.spent_is_unusual(None, 100)


# --- the editor -----------------------------------------------------------------------------------


def _activity_data(officers, **overrides):
    return {
        "text": "Kamera në zonat e nxehta",
        "lead": officers["police"].pk,
        "deadline_kind": "all_year",
        "estimated_cost": "1 250 000",
        "funding_source": "donor",
        "funder": "UNDP",
        **overrides,
    }


def test_the_activity_form_reads_the_cost_and_refuses_a_negative_one(elbasan, officers):
    form = ActivityForm(_activity_data(officers), council=elbasan)
    assert form.is_valid(), form.errors
    assert form.service_data()["estimated_cost"] == 1_250_000
    assert form.service_data()["funding_source"] == "donor" and form.service_data()["funder"] == "UNDP"
    negative = ActivityForm(_activity_data(officers, estimated_cost="-50 000"), council=elbasan)
    assert not negative.is_valid() and set(negative.errors) == {"estimated_cost"}
    wrong = ActivityForm(_activity_data(officers, funding_source="bank"), council=elbasan)
    assert not wrong.is_valid() and set(wrong.errors) == {"funding_source"}


def test_the_service_refuses_a_negative_cost_and_an_unknown_source(draft, officers):
    row = draft.problems.first()
    with pytest.raises(ValidationError) as refused:
        services.activity_add(problem=row, text="Kamera", deadline_kind="all_year", estimated_cost=-1)
    assert set(refused.value.message_dict) == {"estimated_cost"}
    with pytest.raises(ValidationError) as refused:
        services.activity_add(problem=row, text="Kamera", deadline_kind="all_year", funding_source="bank")
    assert set(refused.value.message_dict) == {"funding_source"}
    assert not row.activities.filter(text="Kamera").exists()


def test_the_editor_saves_a_cost_and_keeps_what_was_typed_when_refused(client, draft, officers):
    client.force_login(officers["skn"])
    row = draft.problems.order_by("position").first()
    url = f"{V1}problems/{row.pk}/activities/add/"
    refused = client.post(url, _activity_data(officers, estimated_cost="-350 000"))
    assert refused.status_code == 200
    assert set(refused.context["form"].errors) == {"estimated_cost"}
    assert 'value="-350 000"' in refused.text and "Kamera në zonat e nxehta" in refused.text
    assert 'value="UNDP"' in refused.text
    assert not row.activities.filter(text="Kamera në zonat e nxehta").exists()

    saved = client.post(url, _activity_data(officers))
    assert saved.status_code == 302
    activity = row.activities.get(text="Kamera në zonat e nxehta")
    assert (activity.estimated_cost, activity.funding_source, activity.funder) == (1_250_000, "donor", "UNDP")

    # Editing it shows the amount as written, and a new amount replaces it.
    edit_url = f"{V1}activities/{activity.pk}/"
    form = client.get(edit_url)
    assert form.context["form"].initial["estimated_cost"] == 1_250_000
    revision = services.row_revision(activity)
    client.post(
        edit_url,
        _activity_data(officers, estimated_cost="900.000", funding_source="municipal", revision=revision),
    )
    activity.refresh_from_db()
    assert (activity.estimated_cost, activity.funding_source) == (900_000, "municipal")

    page = client.get(V1)
    assert "Bashkia Elbasan" in page.text
    text = _plain(page.content.decode())
    assert "900 000" in text and "UNDP" in text
    assert page.context["money"].total == 900_000


def test_an_approved_version_refuses_a_cost(approved):
    activity = Activity.objects.filter(problem__version=approved).first()
    with pytest.raises(ValidationError):
        services.activity_update(activity=activity, text=activity.text, estimated_cost=5)
    activity.refresh_from_db()
    assert activity.estimated_cost is None


def test_a_revision_keeps_the_costs(draft, officers, meeting):
    activity = Activity.objects.filter(problem__version=draft).first()
    services.activity_update(
        activity=activity,
        text=activity.text,
        lead=activity.lead,
        estimated_cost=480_000,
        funding_source="donor",
        funder="OSBE",
        deadline_kind=activity.deadline_kind,
        deadline_period=activity.deadline_period,
    )
    approved = approve(draft, officers, meeting)
    revised = services.version_revise(version=approved)
    copy = Activity.objects.get(problem__version=revised, lineage=activity.lineage)
    assert (copy.estimated_cost, copy.funding_source, copy.funder) == (480_000, "donor", "OSBE")


# --- the published plan's outputs -------------------------------------------------------------------


@pytest.fixture
def costed(draft, officers, meeting):
    """The draft with costs (two rows of high priority, a third of low), approved:

    1.1.1 1 250 000 donor (UNDP) · 1.1.2 350 000 municipal (Bashkia Elbasan) · 1.2.1 none ·
    1.2.2 200 000 institution (Drejtoria Vendore e Policisë Elbasan) · 1.3.1 150 000 municipal.
    """
    rows = list(draft.problems.order_by("position"))
    costs = [
        (rows[0], 0, 1_250_000, "donor", "UNDP"),
        (rows[0], 1, 350_000, "municipal", "Bashkia Elbasan"),
        (rows[1], 1, 200_000, "institution", "Drejtoria Vendore e Policisë Elbasan"),
    ]
    for row, index, cost, source, funder in costs:
        activity = list(row.activities.order_by("position"))[index]
        Activity.objects.filter(pk=activity.pk).update(
            estimated_cost=cost, funding_source=source, funder=funder
        )
    low = services.problem_add(version=draft, number="1.3", title="Trafiku", priority="low")
    services.activity_add(
        problem=low,
        text="Sinjalistikë pranë shkollave",
        lead=officers["municipality"],
        deadline_kind="all_year",
        estimated_cost=150_000,
        funding_source="municipal",
        funder="Bashkia Elbasan",
    )
    return approve(draft, officers, meeting)


def _check_totals(text: str) -> None:
    text = _plain(text)
    assert _lek(1_950_000) in text  # the estimated total
    assert _lek(1_250_000) in text and "UNDP" in text
    assert _lek(500_000) in text  # the municipal budget: 350 000 + 150 000
    assert _lek(1_800_000) in text  # high priority: 1 250 000 + 350 000 + 200 000
    assert _lek(200_000) in text  # the institution's own budget


def test_the_json_gives_each_activity_its_money_and_the_totals(costed):
    with translation.override("sq"):
        data = json.loads(exports.plan_json(costed))
    first = data["problems"][0]["activities"][0]
    assert first["estimated_cost"] == 1_250_000
    assert (first["funding_source"], first["funder"]) == ("donor", "UNDP")
    with translation.override("sq"):
        assert first["funding_source_label"] == str(FundingSource.DONOR.label)
    assert "estimated_cost_text" not in first
    assert data["problems"][1]["activities"][0]["estimated_cost"] is None
    budget = data["budget"]
    assert budget["estimated_total"] == 1_950_000 and budget["currency"] == "ALL"
    assert (budget["activities_with_cost"], budget["activities_without_cost"]) == (4, 1)
    assert {line["source"]: line["estimated"] for line in budget["by_funding_source"]} == {
        "municipal": 500_000,
        "institution": 200_000,
        "donor": 1_250_000,
    }
    assert {line["priority"]: line["estimated"] for line in budget["by_priority"]} == {
        "high": 1_800_000,
        "low": 150_000,
    }


def test_the_csv_gives_each_activity_its_cost_source_and_funder(costed):
    with translation.override("sq"):
        lines = plan_csv_lines(exports.plan_csv(costed))
    by_text = {line["activity"]: line for line in lines}
    assert by_text["Orë edukative 1"]["estimated_cost"] == "1250000"
    with translation.override("sq"):
        assert by_text["Orë edukative 1"]["funding_source"] == str(FundingSource.DONOR.label)
    assert by_text["Orë edukative 1"]["funder"] == "UNDP"
    assert by_text["Orë edukative 2"]["estimated_cost"] == ""
    assert sum(int(line["estimated_cost"] or 0) for line in lines) == 1_950_000


def test_the_docx_gives_the_costs_and_the_totals(costed):
    from docx import Document

    with translation.override("sq"):
        document = Document(io.BytesIO(exports.plan_docx(costed)))
    cells = " ".join(cell.text for row in document.tables[0].rows for cell in row.cells)
    paragraphs = " ".join(paragraph.text for paragraph in document.paragraphs)
    assert _lek(1_250_000) in _plain(cells) and "UNDP" in cells
    _check_totals(paragraphs + " " + cells)
    assert _lek(1_950_000) in _plain(paragraphs)


def test_the_pdf_gives_the_costs_and_the_totals(costed, tmp_path):
    require(bool(shutil.which("pdftotext")), "pdftotext not found (apt-get install poppler-utils)")
    with translation.override("sq"):
        pdf = exports.plan_pdf(costed)
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    _check_totals(text)


def test_the_staff_and_public_pages_give_the_costs_and_the_totals(client, costed, officers):
    public = client.get(f"/elbasan/plan/{YEAR}/")
    assert public.status_code == 200
    _check_totals(public.content.decode())
    client.force_login(officers["skn"])
    staff = client.get(V1)
    _check_totals(staff.content.decode())


def test_the_api_gives_each_activity_its_money_and_the_totals(client, costed):
    response = client.get(f"/api/v1/councils/elbasan/plans/{YEAR}/v1/")
    assert response.status_code == 200
    body = response.json()
    first = body["problems"][0]["activities"][0]
    assert (first["estimated_cost"], first["funding_source"], first["funder"]) == (1_250_000, "donor", "UNDP")
    assert body["budget"]["estimated_total"] == 1_950_000
    assert {line["priority"]: line["estimated"] for line in body["budget"]["by_priority"]} == {
        "high": 1_800_000,
        "low": 150_000,
    }


def test_the_totals_cost_no_query(costed):
    """The totals are added up from the rows already loaded: the public page's body reads no
    more than the rows it lays out."""
    table = exports.plan_table(costed)
    with CaptureQueriesContext(connection) as captured:
        totals = money.table_totals(table)
    assert len(captured) == 0 and totals.total == 1_950_000
