"""The annual report's pages: the staff workflow through the forms (a year not over is refused with
a message in the user's language, never a 500), the public page and PDF of an approved report with
its SHA-256, the public list and council page linking to it, and the public page's query count,
the same for a year with nothing and a year with much recorded.

Today is 15 July 2026 (tests/monitoring/conftest.py): 2025 is over, 2026 is not."""

import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from councils.meetings.models import Meeting
from monitoring.annual import services
from monitoring.annual.models import AnnualReport

pytestmark = pytest.mark.django_db
BASE = "/app/elbasan/monitoring/annual/"


def _english(client, user):
    client.force_login(user)
    client.cookies["kvsp_language"] = "en"
    return client


def _approved(elbasan, people, year=2025) -> AnnualReport:
    report = services.annual_start(council=elbasan, year=year, user=people["skn_police"])
    report = services.annual_update(report=report, texts={"summary": "Viti në përmbledhje."})
    report = services.annual_submit(report=report, user=people["skn_police"])
    seen = services.content_stamp(services.annual_content(report))
    return services.annual_approve(report=report, user=people["chair"], seen=seen)


def test_the_skn_opens_writes_and_is_told_the_year_is_not_over(client, elbasan, people, plan):
    _english(client, people["skn_police"])
    response = client.post(BASE, {"year": "2026"})
    assert response.status_code == 302 and response["Location"] == BASE + "2026/"
    page = client.get(BASE + "2026/")
    assert page.status_code == 200
    assert b"The year 2026 has not ended" in page.content
    response = client.post(
        BASE + "2026/edit/",
        {"summary": "Gjysma e parë e vitit.", "achievements": "", "difficulties": "", "priorities": ""},
    )
    assert response.status_code == 302
    response = client.post(BASE + "2026/submit/", follow=True)
    assert response.status_code == 200
    assert b"The year 2026 has not ended: the annual report can be drafted now" in response.content
    report = AnnualReport.objects.get(year=2026)
    assert report.status == AnnualReport.Status.DRAFT and report.summary == "Gjysma e parë e vitit."


def test_the_chair_returns_then_approves_on_the_approval_page(client, elbasan, people):
    report = services.annual_start(council=elbasan, year=2025, user=people["skn_police"])
    services.annual_update(report=report, texts={"summary": "Viti 2025."})
    services.annual_submit(report=report, user=people["skn_police"])
    _english(client, people["chair"])
    page = client.get(BASE + "2025/approve/")
    assert page.status_code == 200 and b"Viti 2025." in page.content
    assert client.post(BASE + "2025/return/", {"comment": ""}).status_code == 200  # comment required
    assert client.post(BASE + "2025/return/", {"comment": "Shtoni arritjet."}).status_code == 302
    assert AnnualReport.objects.get(pk=report.pk).status == AnnualReport.Status.RETURNED
    services.annual_submit(report=report, user=people["skn_police"])
    seen = client.get(BASE + "2025/approve/").context["approve_form"].initial["seen"]
    assert client.post(BASE + "2025/approve/", {"seen": seen}).status_code == 302
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.APPROVED
    pdf = client.get(BASE + "2025/annual.pdf")
    assert hashlib.sha256(b"".join(pdf.streaming_content)).hexdigest() == report.sha256
    # The approved report is never edited: back to it with a message.
    _english(client, people["skn_police"])
    response = client.post(BASE + "2025/edit/", {"summary": "Tjetër"}, follow=True)
    assert b"An approved report never changes." in response.content
    assert AnnualReport.objects.get(pk=report.pk).summary == "Viti 2025."


def test_content_changed_since_reading_is_shown_again_with_its_new_fingerprint(client, elbasan, people):
    report = services.annual_start(council=elbasan, year=2025, user=people["skn_police"])
    services.annual_update(report=report, texts={"summary": "Viti 2025."})
    services.annual_submit(report=report, user=people["skn_police"])
    _english(client, people["chair"])
    stale = client.get(BASE + "2025/approve/").context["approve_form"].initial["seen"]
    Meeting.objects.create(
        council=elbasan,
        kind=Meeting.Kind.COUNCIL,
        starts_at=datetime(2025, 6, 1, 10, tzinfo=ZoneInfo("Europe/Tirane")),
        place="Salla",
        status="held",
    )
    page = client.post(BASE + "2025/approve/", {"seen": stale})
    assert page.status_code == 200
    assert b"The report changed while you were reading it" in page.content
    current = services.content_stamp(services.annual_content(AnnualReport.objects.get(pk=report.pk)))
    assert current != stale
    assert page.context["approve_form"]["seen"].value() == current
    assert f'value="{current}"'.encode() in page.content
    # Having read it again, the chair approves from the page as shown.
    assert client.post(BASE + "2025/approve/", {"seen": current}).status_code == 302
    assert AnnualReport.objects.get(pk=report.pk).status == AnnualReport.Status.APPROVED


def test_an_approval_without_a_fingerprint_is_refused(client, elbasan, people):
    report = services.annual_start(council=elbasan, year=2025, user=people["skn_police"])
    services.annual_update(report=report, texts={"summary": "Viti 2025."})
    services.annual_submit(report=report, user=people["skn_police"])
    _english(client, people["chair"])
    page = client.post(BASE + "2025/approve/", {})
    assert page.status_code == 200
    assert b"Read the report on this page, then approve it." in page.content
    assert AnnualReport.objects.get(pk=report.pk).status == AnnualReport.Status.SUBMITTED


def test_the_public_reads_the_approved_report_and_its_pdf(client, elbasan, people):
    report = _approved(elbasan, people)
    client.cookies["kvsp_language"] = "en"
    page = client.get("/elbasan/reports/2025/")
    assert page.status_code == 200
    assert report.sha256.encode() in page.content
    assert b"Nothing was recorded here for 2025" in page.content  # a year with no data says so
    pdf = client.get("/elbasan/reports/2025/annual.pdf")
    assert hashlib.sha256(b"".join(pdf.streaming_content)).hexdigest() == report.sha256
    listing = client.get("/elbasan/reports/")
    assert b'href="/elbasan/reports/2025/"' in listing.content
    assert b'href="/elbasan/reports/2025/"' in client.get("/elbasan/").content


def test_a_report_not_approved_is_not_public(client, elbasan, people):
    report = services.annual_start(council=elbasan, year=2025, user=people["skn_police"])
    services.annual_update(report=report, texts={"summary": "Viti 2025."})
    services.annual_submit(report=report, user=people["skn_police"])
    assert client.get("/elbasan/reports/2025/").status_code == 404
    assert client.get("/elbasan/reports/2025/annual.pdf").status_code == 404
    assert b"/elbasan/reports/2025/" not in client.get("/elbasan/reports/").content


def _queries(client, django_assert_max_num_queries, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_public_page_reads_in_a_fixed_number_of_queries(
    client, elbasan, people, monitored, django_assert_max_num_queries
):
    _approved(elbasan, people, year=2025)  # nothing recorded in 2025
    few = _queries(client, django_assert_max_num_queries, "/elbasan/reports/2025/")
    # 2026 with the plan, its updates and values: approved as if the year were over.
    report = services.annual_start(council=elbasan, year=2026, user=people["skn_police"])
    services.annual_update(report=report, texts={"summary": "Viti 2026."})
    content = services.annual_content(report)
    assert content["plan"] is not None and content["indicators"]
    AnnualReport.objects.filter(pk=report.pk).update(
        status="approved", content=content, sha256="0" * 64, approved_at=report.created_at
    )
    many = _queries(client, django_assert_max_num_queries, "/elbasan/reports/2026/")
    assert many == few
    with django_assert_max_num_queries(few):
        client.get("/elbasan/reports/2026/")
