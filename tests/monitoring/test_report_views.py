"""The monthly report's staff pages: the workflow through the views (start, write, submit, return,
approve, publish, attach the signed copy), refusals in the wrong state or by the wrong person, and
the frozen report — page and PDF — left as it was by a later status update."""

# ruff: noqa: F811 (the plan tests' fixtures, imported by name)

import hashlib
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from monitoring import services
from monitoring.models import MonthlyReport, StatusUpdate
from plans import services as plan_services
from tests.builders import approve, fill
from tests.factories import UserFactory
from tests.fixtures.plans import elbasan, meeting, officers  # noqa: F401 (fixtures)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def plan(elbasan, officers, meeting):
    version = plan_services.plan_start(council=elbasan, year=timezone.localdate().year)
    fill(version, officers, 2)
    return approve(version, officers, meeting)


@pytest.fixture(autouse=True)
def _pinned(clock):
    """Today is 15 July 2026 (tests/monitoring/conftest.py): the reports are June's, a month over."""


@pytest.fixture
def month():
    """Last month: a report is approved once its month is over."""
    today = timezone.localdate()
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


def url(name, council, month, page=""):
    year, number = month
    suffix = f"{page}/" if page and not page.endswith(".pdf") else page
    return f"/app/{council.slug}/monitoring/reports/{year}/{number}/{suffix}"


def first_activity(plan):
    return plan.problems.order_by("position").first().activities.order_by("position").first()


def test_the_whole_workflow_through_the_pages(client, elbasan, officers, plan, month):
    skn, chair = officers["skn"], officers["chair"]
    services.update_record(
        activity=first_activity(plan), user=skn, status="in_progress", progress=40, date=timezone.localdate()
    )
    client.force_login(skn)
    response = client.post(
        f"/app/{elbasan.slug}/monitoring/reports/", {"month": f"{month[0]}-{month[1]:02d}"}
    )
    assert response.status_code == 302
    report = MonthlyReport.objects.get(council=elbasan, year=month[0], month=month[1])
    assert report.status == "draft"
    # The draft shows the month's live data.
    page = client.get(url("report", elbasan, month))
    assert page.status_code == 200
    assert "Orë edukative 1" in page.content.decode()
    # Submitting without a summary is refused with a message; nothing changes.
    client.post(url("report", elbasan, month, "submit"))
    report.refresh_from_db()
    assert report.status == "draft"
    edit = client.get(url("report", elbasan, month, "edit"))
    revision = edit.context["form"].initial["revision"]
    response = client.post(
        url("report", elbasan, month, "edit"),
        {"summary": "U zhvilluan orët edukative.", "difficulties": "", "proposals": "", "revision": revision},
    )
    assert response.status_code == 302
    assert client.post(url("report", elbasan, month, "submit")).status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
    # The SKN cannot approve; the chair returns it with a comment.
    assert client.post(url("report", elbasan, month, "approve")).status_code == 403
    client.force_login(chair)
    response = client.post(url("report", elbasan, month, "return"), {"comment": ""})
    assert response.status_code == 200  # the form again, with its error
    assert (
        client.post(url("report", elbasan, month, "return"), {"comment": "Shtoni vështirësitë."}).status_code
        == 302
    )
    report.refresh_from_db()
    assert (report.status, report.returned_comment) == ("returned", "Shtoni vështirësitë.")
    client.force_login(skn)
    assert "Shtoni vështirësitë." in client.get(url("report", elbasan, month)).content.decode()
    revision = client.get(url("report", elbasan, month, "edit")).context["form"].initial["revision"]
    client.post(
        url("report", elbasan, month, "edit"),
        {
            "summary": "U zhvilluan orët edukative.",
            "difficulties": "Mungesë transporti.",
            "proposals": "",
            "revision": revision,
        },
    )
    client.post(url("report", elbasan, month, "submit"))
    client.force_login(chair)
    scan = SimpleUploadedFile("nenshkruar.pdf", PDF, content_type="application/pdf")
    assert client.post(url("report", elbasan, month, "approve"), {"signed_scan": scan}).status_code == 302
    report.refresh_from_db()
    assert report.status == "approved"
    stored = client.get(url("report", elbasan, month, "report.pdf"))
    body = b"".join(stored.streaming_content)
    assert hashlib.sha256(body).hexdigest() == report.sha256
    assert client.post(url("report", elbasan, month, "publish")).status_code == 302
    report.refresh_from_db()
    assert report.status == "published" and report.published_at is not None


@pytest.fixture
def approved_report(elbasan, officers, plan, month):
    skn, chair = officers["skn"], officers["chair"]
    services.update_record(
        activity=first_activity(plan), user=skn, status="in_progress", progress=40, date=date(*month, 10)
    )
    report = services.report_start(council=elbasan, year=month[0], month=month[1])
    services.report_update(report=report, summary="Përmbledhja.", difficulties="", proposals="")
    services.report_submit(report=report, user=skn)
    return services.report_approve(report=report, user=chair)


def test_a_later_update_leaves_the_approved_report_page_and_pdf_as_they_were(
    client,
    elbasan,
    officers,
    plan,
    month,
    approved_report,
):
    client.force_login(officers["member"])
    before = client.get(url("report", elbasan, month)).content.decode()
    pdf_before = b"".join(client.get(url("report", elbasan, month, "report.pdf")).streaming_content)
    services.update_record(
        activity=first_activity(plan),
        user=officers["skn"],
        status="done",
        progress=100,
        date=timezone.localdate(),
    )
    assert StatusUpdate.objects.filter(status="done").exists()
    after = client.get(url("report", elbasan, month)).content.decode()
    pdf_after = b"".join(client.get(url("report", elbasan, month, "report.pdf")).streaming_content)
    assert pdf_after == pdf_before
    assert hashlib.sha256(pdf_after).hexdigest() == approved_report.sha256
    # The page reads from the frozen content: the activity is still "in progress" at 40 %.
    with translation.override("sq"):
        done = gettext("done")
    assert after.count(">40%<") == before.count(">40%<") >= 1
    assert after.count(done.capitalize()) == before.count(done.capitalize())


def test_steps_in_the_wrong_state_are_refused_and_change_nothing(
    client,
    elbasan,
    officers,
    month,
    approved_report,
):
    client.force_login(officers["skn"])
    response = client.post(url("report", elbasan, month, "edit"), {"summary": "Ndryshim", "revision": ""})
    assert response.status_code == 302
    assert client.post(url("report", elbasan, month, "submit")).status_code == 302
    client.force_login(officers["chair"])
    assert client.post(url("report", elbasan, month, "return"), {"comment": "Jo"}).status_code == 302
    assert client.post(url("report", elbasan, month, "approve")).status_code == 302
    approved_report.refresh_from_db()
    assert (approved_report.status, approved_report.summary) == ("approved", "Përmbledhja.")
    assert approved_report.returned_comment == ""


def test_the_observer_reads_approved_reports_but_not_drafts(
    client, elbasan, officers, month, approved_report
):
    observer = UserFactory(is_national_observer=True)
    client.force_login(observer)
    assert client.get(url("report", elbasan, month)).status_code == 200
    previous = (month[0], month[1] - 1) if month[1] > 1 else (month[0] - 1, 12)
    services.report_start(council=elbasan, year=previous[0], month=previous[1])
    assert client.get(url("report", elbasan, previous)).status_code == 403
    listing = client.get(f"/app/{elbasan.slug}/monitoring/reports/")
    assert [r.month for r in listing.context["reports"]] == [month[1]]


def test_the_platform_admin_may_not_approve(client, elbasan, officers, plan, month):
    report = services.report_start(council=elbasan, year=month[0], month=month[1])
    services.report_update(report=report, summary="Përmbledhja.", difficulties="", proposals="")
    services.report_submit(report=report, user=officers["skn"])
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.post(url("report", elbasan, month, "approve")).status_code == 403
    report.refresh_from_db()
    assert report.status == "submitted"


def test_starting_a_report_without_an_approved_plan_is_an_error_on_the_form(client, elbasan, officers, month):
    client.force_login(officers["secretary"])
    answer = client.post(f"/app/{elbasan.slug}/monitoring/reports/", {"month": f"{month[0]}-{month[1]:02d}"})
    with translation.override("sq"):  # the page answers in the default language, Albanian
        expected = gettext(
            "The council has no approved plan for %(year)s: a monthly report follows the plan "
            "in force, so approve the plan first."
        ) % {"year": month[0]}
    assert answer.status_code == 200 and answer.context["form"].errors["month"] == [expected]
    assert not MonthlyReport.objects.filter(council=elbasan).exists()


def test_starting_a_future_month_or_a_second_report_is_an_error_on_the_form(
    client, elbasan, officers, plan, month
):
    client.force_login(officers["secretary"])
    listing = f"/app/{elbasan.slug}/monitoring/reports/"
    assert client.post(listing, {"month": "2099-01"}).status_code == 200  # not a choice
    assert client.post(listing, {"month": "bad"}).status_code == 200
    assert client.post(listing, {"month": f"{month[0]}-{month[1]:02d}"}).status_code == 302
    again = client.post(listing, {"month": f"{month[0]}-{month[1]:02d}"})
    assert again.status_code == 200 and again.context["form"].errors
    assert MonthlyReport.objects.filter(council=elbasan).count() == 1


def test_a_stale_narrative_form_gets_a_conflict_and_keeps_the_text(client, elbasan, officers, plan, month):
    report = services.report_start(council=elbasan, year=month[0], month=month[1])
    client.force_login(officers["skn"])
    revision = client.get(url("report", elbasan, month, "edit")).context["form"].initial["revision"]
    services.report_update(report=report, summary="E shkruar nga sekretari.", difficulties="", proposals="")
    response = client.post(
        url("report", elbasan, month, "edit"),
        {"summary": "E shkruar nga SKN.", "difficulties": "", "proposals": "", "revision": revision},
    )
    assert response.status_code == 200
    assert "E shkruar nga SKN." in response.content.decode()
    report.refresh_from_db()
    assert report.summary == "E shkruar nga sekretari."


def test_the_report_list_keeps_its_query_count(client, elbasan, officers, plan, month):
    client.force_login(officers["skn"])
    listing = f"/app/{elbasan.slug}/monitoring/reports/"
    services.report_start(council=elbasan, year=month[0], month=month[1])
    client.get(listing)
    with CaptureQueriesContext(connection) as few:
        client.get(listing)
    start = date(month[0], month[1], 1)
    for back in range(1, 6):
        earlier = (start - timedelta(days=28 * back)).replace(day=1)
        MonthlyReport.objects.get_or_create(council=elbasan, year=earlier.year, month=earlier.month)
    client.get(listing)  # warm again: the new rows renewed the cached "waiting for you" count
    with CaptureQueriesContext(connection) as many:
        client.get(listing)
    assert MonthlyReport.objects.filter(council=elbasan).count() >= 5
    assert len(many) == len(few)
