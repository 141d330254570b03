"""Spending (issue 22, item 6): a status update may give the amount spent to date; a negative amount
is refused, one over ten times the activity's estimate is recorded only once confirmed (the form
comes back with a warning, the checkbox and everything typed); the activity page shows the estimate
and the spent to date; the monthly report holds the spending of its month in its frozen content,
unchanged by a later update."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from monitoring import services, spending
from monitoring.models import MonthlyReport, ReportSection, StatusUpdate
from monitoring.report_layout import layout
from plans.models import Activity
from plans.money import format_lek

from .conftest import approve, build_plan, record

BASE = "/app/elbasan/monitoring/"


def _plain(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def _lek(amount: int) -> str:
    with translation.override("sq"):
        return _plain(format_lek(amount))


@pytest.fixture
def costed(elbasan, people, meeting):
    """The plan of tests/monitoring/conftest.py with estimates given while a draft: ``date``
    100 000 (municipal budget), ``h1`` 400 000 (donor, UNDP), the others none; then approved."""
    plan = build_plan(elbasan, people)
    Activity.objects.filter(pk=plan.activities["date"].pk).update(
        estimated_cost=100_000, funding_source="municipal", funder="Bashkia Elbasan"
    )
    Activity.objects.filter(pk=plan.activities["h1"].pk).update(
        estimated_cost=400_000, funding_source="donor", funder="UNDP"
    )
    approve(plan.version, people, meeting)
    return plan.refreshed()


# --- the service -----------------------------------------------------------------------------------


def test_a_negative_spent_amount_is_refused(costed, people):
    with pytest.raises(ValidationError) as refused:
        record(costed.activities["date"], people["skn_police"], "in_progress", 20, date(2026, 6, 1), spent=-1)
    assert set(refused.value.message_dict) == {"spent"}
    assert not StatusUpdate.objects.exists()


def test_over_ten_times_the_estimate_is_recorded_only_once_confirmed(costed, people):
    activity, skn = costed.activities["date"], people["skn_police"]
    with pytest.raises(ValidationError) as refused:
        record(activity, skn, "in_progress", 20, date(2026, 6, 1), spent=1_000_001)
    assert set(refused.value.message_dict) == {"confirm_spent"}
    assert not StatusUpdate.objects.exists()
    # Exactly ten times is not unusual; over it, confirmed, it is recorded.
    assert record(activity, skn, "in_progress", 20, date(2026, 6, 1), spent=1_000_000).spent == 1_000_000
    update = record(activity, skn, "in_progress", 30, date(2026, 6, 2), spent=1_000_001, confirm_spent=True)
    assert update.spent == 1_000_001


def test_without_an_estimate_any_amount_is_recorded(costed, people):
    update = record(
        costed.activities["q3"], people["skn_police"], "in_progress", 10, date(2026, 6, 1), spent=9_000_000
    )
    assert update.spent == 9_000_000


# --- the activity page ---------------------------------------------------------------------------------


def _data(**overrides) -> dict:
    return {
        "status": "in_progress",
        "progress": "40",
        "date": "01.07.2026",
        "note": "U blenë materialet e fushatës.",
        "seen": "0",
        "spent": "2 500 000",
        **overrides,
    }


def test_the_page_asks_to_confirm_an_unusual_amount_and_keeps_what_was_typed(client, costed, people):
    client.force_login(people["skn_police"])
    activity = costed.activities["date"]
    url = f"{BASE}activities/{activity.lineage}/"
    asked = client.post(url, _data())
    assert asked.status_code == 200
    form = asked.context["form"]
    assert set(form.errors) == {"confirm_spent"} and form.asks_spent_confirmation
    page = asked.content.decode()
    assert 'name="confirm_spent"' in page
    assert 'value="2 500 000"' in page and "U blenë materialet e fushatës." in page
    assert not StatusUpdate.objects.exists()

    negative = client.post(url, _data(spent="-2 500"))
    assert negative.status_code == 200 and set(negative.context["form"].errors) == {"spent"}
    assert not StatusUpdate.objects.exists()

    confirmed = client.post(url, _data(confirm_spent="on"))
    assert confirmed.status_code == 302
    update = StatusUpdate.objects.get()
    assert (update.spent, update.note) == (2_500_000, "U blenë materialet e fushatës.")

    shown = _plain(client.get(url).content.decode())
    assert _lek(2_500_000) in shown and _lek(100_000) in shown  # spent to date and the estimate
    assert client.get(url).context["spent_to_date"] == 2_500_000


def test_an_ordinary_amount_saves_at_once(client, costed, people):
    client.force_login(people["skn_police"])
    activity = costed.activities["h1"]
    response = client.post(f"{BASE}activities/{activity.lineage}/", _data(spent="150.000"))
    assert response.status_code == 302
    assert StatusUpdate.objects.get().spent == 150_000


# --- the monthly report -------------------------------------------------------------------------------


def test_the_report_holds_the_months_spending_and_an_approved_one_never_changes(costed, people, elbasan):
    skn = people["skn_police"]
    record(costed.activities["date"], skn, "in_progress", 20, date(2026, 5, 10), spent=30_000)
    record(costed.activities["date"], skn, "in_progress", 50, date(2026, 6, 10), spent=70_000)
    record(costed.activities["h1"], skn, "in_progress", 50, date(2026, 6, 20), spent=250_000)
    record(costed.activities["h1"], skn, "in_progress", 60, date(2026, 6, 25))  # no amount: still 250 000
    record(costed.activities["q3"], skn, "in_progress", 10, date(2026, 5, 5), spent=5_000)  # not in June

    report = services.report_start(council=elbasan, year=2026, month=6)
    content = services.report_content(report)
    data = content["spending"]
    assert (data["estimated_total"], data["spent_total"]) == (500_000, 325_000)
    assert {line["source"]: (line["estimated"], line["spent"]) for line in data["by_source"]} == {
        "municipal": (100_000, 70_000),
        "donor": (400_000, 250_000),
        "": (0, 5_000),
    }
    months = {line["text"]: (line["spent_month"], line["spent_to_date"]) for line in data["activities"]}
    assert months == {
        "Patrullime pranë shkollave": (40_000, 70_000),
        "Orë edukative në shkolla": (250_000, 250_000),
    }
    assert ReportSection.SPENDING in [section["kind"] for section in layout(content)]

    services.report_update(report=report, summary="Qershori.", difficulties="", proposals="")
    services.report_submit(report=report, user=skn)
    services.report_approve(report=report, user=people["chair"])
    report = MonthlyReport.objects.get(pk=report.pk)
    frozen = report.content["spending"]
    assert frozen == data

    # A later update, dated in June, changes the live data but not the approved report.
    record(costed.activities["date"], skn, "in_progress", 60, date(2026, 6, 30), spent=90_000)
    report = MonthlyReport.objects.get(pk=report.pk)
    assert services.report_content(report)["spending"] == data
    section = spending.spending_section(report.content)
    assert section["spent_total"] == format_lek(325_000)


def test_a_report_page_shows_the_spending_section(client, costed, people, elbasan):
    record(costed.activities["h1"], people["skn_police"], "in_progress", 50, date(2026, 6, 20), spent=250_000)
    services.report_start(council=elbasan, year=2026, month=6)
    client.force_login(people["skn_police"])
    page = client.get(f"{BASE}reports/2026/6/")
    assert page.status_code == 200
    text = _plain(page.content.decode())
    assert 'id="report-spending"' in page.content.decode()
    assert "Orë edukative në shkolla" in text and _lek(250_000) in text and _lek(500_000) in text


def test_a_report_frozen_before_spending_shows_no_spending_section():
    content = {"year": 2026, "month": 1, "plan": None, "activities": [], "indicators": [], "template": None}
    assert ReportSection.SPENDING not in [section["kind"] for section in layout(content)]
    assert spending.spending_section(content) is None
