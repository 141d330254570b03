"""The database's own guard (migration monitoring/0002), whatever code runs: a status update never
changes (and on PostgreSQL is never deleted); an approved report's frozen columns never change, it
only moves on to "published", its signed copy is set once; a draft report changes freely.

Both engines raise django.db.IntegrityError (SQLite: RAISE(ABORT) is a constraint error;
PostgreSQL: the trigger raises SQLSTATE 23000); each expected failure runs in its own atomic block
so the test's transaction stays usable. Run on SQLite and on PostgreSQL (DATABASE_URL)."""

from datetime import UTC, date, datetime

import pytest
from django.db import IntegrityError, transaction

from monitoring import services
from monitoring.models import MonthlyReport, StatusUpdate
from tests.conftest import require

from .conftest import TODAY, record


@pytest.fixture
def update(plan, people):
    return record(
        plan.activities["date"], people["skn_police"], "in_progress", 40, date(2026, 7, 1), note="Nisi"
    )


def _approved(elbasan, people, month=6) -> MonthlyReport:
    report = services.report_start(council=elbasan, year=2026, month=month)
    services.report_update(report=report, summary="Përmbledhje", difficulties="", proposals="")
    services.report_submit(report=report, user=people["skn_police"])
    services.report_approve(report=report, user=people["chair"])
    return MonthlyReport.objects.get(pk=report.pk)


@pytest.fixture
def approved(plan, elbasan, people):
    return _approved(elbasan, people)


def _snapshot(report) -> tuple:
    row = MonthlyReport.objects.get(pk=report.pk)
    return (
        row.status,
        row.summary,
        row.content,
        row.sha256,
        row.pdf.name,
        row.signed_scan.name,
        row.approved_at,
    )


# --- status updates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [{"progress": 90}, {"status": "done"}, {"note": "Ndryshuar"}, {"date": TODAY}, {"progress": 40}],
    ids=["progress", "status", "note", "date", "same-value"],
)
def test_a_status_update_is_never_changed(change, update):
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusUpdate.objects.filter(pk=update.pk).update(**change)
    row = StatusUpdate.objects.get(pk=update.pk)
    assert (row.status, row.progress, row.note, row.date) == ("in_progress", 40, "Nisi", date(2026, 7, 1))


def test_a_status_update_saved_again_is_refused(update):
    update.note = "Ndryshuar"
    with pytest.raises(IntegrityError), transaction.atomic():
        update.save()
    assert StatusUpdate.objects.get(pk=update.pk).note == "Nisi"


def test_a_status_update_is_never_deleted_on_postgresql(update):
    """SQLite (the embedded default, for trying the product) has no delete guard: Django empties an
    SQLite test database with DELETE, which a trigger would stop (migration 0002's docstring)."""
    require("postgresql", "SQLite has no delete guard")
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusUpdate.objects.filter(pk=update.pk).delete()
    assert StatusUpdate.objects.filter(pk=update.pk).exists()


def test_new_updates_are_added_freely(update, plan, people):
    record(plan.activities["date"], people["skn_police"], "done", 100, TODAY)
    assert StatusUpdate.objects.count() == 2


# --- approved reports --------------------------------------------------------------------------------


FROZEN_CHANGES = [
    {"summary": "Tjetër"},
    {"difficulties": "Tjetër"},
    {"proposals": "Tjetër"},
    {"content": {"forged": True}},
    {"content": None},
    {"sha256": "0" * 64},
    {"pdf": "monitoring/reports/tjeter.pdf"},
    {"month": 5},
    {"approved_at": datetime(2026, 7, 1, 9, 0, tzinfo=UTC)},
    {"approved_by": None},
    {"plan_version": None},
    {"submitted_at": datetime(2026, 7, 1, 9, 0, tzinfo=UTC)},
    {"submitted_by": None},
]


@pytest.mark.parametrize("status", ["approved", "published"])
def test_an_approved_report_s_frozen_columns_never_change(status, approved):
    if status == "published":
        services.report_publish(report=approved)
    before = _snapshot(approved)
    for change in FROZEN_CHANGES:
        with pytest.raises(IntegrityError), transaction.atomic():
            MonthlyReport.objects.filter(pk=approved.pk).update(**change)
            pytest.fail(f"{change} was accepted")
        assert _snapshot(approved) == before, change


def test_the_publication_date_is_fixed_once_published(approved):
    services.report_publish(report=approved)
    published_at = MonthlyReport.objects.get(pk=approved.pk).published_at
    for value in (None, datetime(2026, 7, 1, 9, 0, tzinfo=UTC)):
        with pytest.raises(IntegrityError), transaction.atomic():
            MonthlyReport.objects.filter(pk=approved.pk).update(published_at=value)
    assert MonthlyReport.objects.get(pk=approved.pk).published_at == published_at


def test_approved_moves_on_to_published(approved):
    assert MonthlyReport.objects.filter(pk=approved.pk).update(status="published") == 1
    assert MonthlyReport.objects.get(pk=approved.pk).status == "published"


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("approved", "draft"),
        ("approved", "submitted"),
        ("approved", "returned"),
        ("published", "draft"),
        ("published", "returned"),
        ("published", "approved"),
    ],
)
def test_an_approved_report_never_goes_back(start, target, approved):
    if start == "published":
        services.report_publish(report=approved)
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyReport.objects.filter(pk=approved.pk).update(status=target)
    assert MonthlyReport.objects.get(pk=approved.pk).status == start


@pytest.mark.parametrize("status", ["approved", "published"])
def test_the_signed_copy_is_set_once_never_replaced(status, approved):
    if status == "published":
        services.report_publish(report=approved)
    reports = MonthlyReport.objects.filter(pk=approved.pk)
    assert reports.update(signed_scan="monitoring/reports/signed/a.pdf") == 1
    for replacement in ("monitoring/reports/signed/b.pdf", ""):
        with pytest.raises(IntegrityError), transaction.atomic():
            reports.update(signed_scan=replacement)
    assert MonthlyReport.objects.get(pk=approved.pk).signed_scan.name == "monitoring/reports/signed/a.pdf"


def test_an_approved_report_is_never_deleted_on_postgresql(approved):
    require("postgresql", "SQLite has no delete guard (see the status update's test)")
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyReport.objects.filter(pk=approved.pk).delete()
    assert MonthlyReport.objects.filter(pk=approved.pk).exists()


def test_other_columns_of_an_approved_report_may_change(approved):
    """Not frozen: the bookkeeping of publication (and the row's own timestamp)."""
    reports = MonthlyReport.objects.filter(pk=approved.pk)
    assert reports.update(returned_comment="", updated_at=approved.updated_at) == 1
    assert reports.update(status="published", published_at=approved.approved_at) == 1


# --- reports that are not approved -------------------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "submitted", "returned"])
def test_a_report_before_approval_changes_freely(status, plan, elbasan, people):
    report = services.report_start(council=elbasan, year=2026, month=6)
    services.report_update(report=report, summary="Përmbledhje", difficulties="", proposals="")
    if status in ("submitted", "returned"):
        services.report_submit(report=report, user=people["skn_police"])
    if status == "returned":
        services.report_return(report=report, comment="Shtoni treguesit.")
    reports = MonthlyReport.objects.filter(pk=report.pk)
    assert reports.update(summary="Tjetër", difficulties="D", content={"x": 1}, month=5) == 1
    assert reports.update(status="draft", content=None, month=6) == 1
    row = MonthlyReport.objects.get(pk=report.pk)
    assert (row.status, row.summary, row.difficulties, row.content, row.month) == (
        "draft",
        "Tjetër",
        "D",
        None,
        6,
    )
    report.refresh_from_db()
    report.delete()
    assert not MonthlyReport.objects.filter(pk=report.pk).exists()
