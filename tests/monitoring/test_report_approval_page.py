"""The chair's approval page of a monthly report (/…/reports/<year>/<month>/approve/): the report as
its PDF will read, "Approve" and "Return with comments" side by side; a return without comments is
refused on the page; opened for a report no longer submitted (an old notice), it says where the
report stands with a 200; its queries do not grow with the month's data. Today is 15 July 2026
(tests/monitoring/conftest.py): June's report, of the ``monitored`` plan, is the one approved."""

import re
from datetime import date
from decimal import Decimal
from unittest import mock

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kvsp.notify.models import Notification
from monitoring import services
from monitoring.models import MonthlyReport
from monitoring.reminder_kinds import Reminder
from tests.monitoring.conftest import record

PAGE = "/app/elbasan/monitoring/reports/2026/{month}/"


@pytest.fixture
def chair(people, client):
    """The chair, reading in English."""
    people["chair"].language = "en"
    people["chair"].save(update_fields=["language"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return people["chair"]


def _submitted(elbasan, people, month=6) -> MonthlyReport:
    report = services.report_start(council=elbasan, year=2026, month=month)
    services.report_update(
        report=report,
        summary="U zhvilluan orët edukative në shkolla.",
        difficulties="Mungesë transporti.",
        proposals="Të përfshihen prindërit.",
    )
    return services.report_submit(report=report, user=people["skn_police"])


def _report_text(html: str) -> str:
    """The text of the report's standard template (the part the PDF and the pages share)."""
    (body,) = lxml.html.fromstring(html).find_class("kvsp-report")
    return " ".join(body.text_content().split())


def _pdf_html(report: MonthlyReport) -> str:
    """The HTML the report's PDF is rendered from (services.render_report_pdf), caught before
    WeasyPrint turns it into a PDF."""
    caught = []
    with mock.patch("kvsp.core.pdf.html_to_pdf", side_effect=lambda html, **kw: caught.append(html) or b""):
        services.render_report_pdf(report, services.report_content(report))
    return caught[0]


def test_the_page_shows_the_report_as_its_pdf_will_read(client, monitored, people, elbasan, chair):
    report = _submitted(elbasan, people)
    # In the PDF's language: the two texts are compared word for word.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "sq"
    client.force_login(chair)
    page = client.get(PAGE.format(month=6) + "approve/")
    assert page.status_code == 200
    html = page.content.decode()
    shown = _report_text(html)
    assert shown == _report_text(_pdf_html(report))
    # The month's figures: the activity completed in June, the delayed one, the values measured.
    for expected in (
        "Orë edukative në shkolla",
        "Takime me prindërit",
        "Patrullime",
        "Orë të zhvilluara",
        "U zhvilluan orët edukative në shkolla.",
        "Mungesë transporti.",
        "Të përfshihen prindërit.",
    ):
        assert expected in shown
    assert re.search(r"4[.,]5", shown)  # lessons in June
    # Both decisions on the page, each form to its own address.
    assert 'action="/app/elbasan/monitoring/reports/2026/6/approve/"' in html
    assert 'action="/app/elbasan/monitoring/reports/2026/6/return/"' in html


def test_approve_and_return_side_by_side_in_english(client, monitored, people, elbasan, chair):
    _submitted(elbasan, people)
    client.force_login(chair)
    html = client.get(PAGE.format(month=6) + "approve/").content.decode()
    for text in ("Approve the report", "Return with comments", "The report as its PDF will read"):
        assert text in html
    assert ">Approve</button>" in html and ">Return the report</button>" in html
    # The return address shows the same page.
    assert client.get(PAGE.format(month=6) + "return/").status_code == 200


def test_a_return_without_comments_is_refused_on_the_page_and_the_chair_can_go_on(
    client, monitored, people, elbasan, chair
):
    report = _submitted(elbasan, people)
    client.force_login(chair)
    refused = client.post(PAGE.format(month=6) + "return/", {"comment": "   "})
    assert refused.status_code == 200
    assert refused.context["return_form"].errors["comment"] == ["Say what needs to change."]
    html = refused.content.decode()
    assert "Say what needs to change." in html and "The report as its PDF will read" in html
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.SUBMITTED
    # With the comments, it goes back to the SKN; the chair's notice is done.
    done = client.post(PAGE.format(month=6) + "return/", {"comment": "Shtoni treguesit."})
    assert done.status_code == 302 and done["Location"] == PAGE.format(month=6)
    report.refresh_from_db()
    assert (report.status, report.returned_comment, report.returned_by) == (
        MonthlyReport.Status.RETURNED,
        "Shtoni treguesit.",
        chair,
    )
    assert not Notification.objects.filter(kind=Reminder.REPORT_WAITING, read_at__isnull=True).exists()


def test_an_old_notice_leads_to_where_the_report_stands_never_to_an_error(
    client, monitored, people, elbasan, chair
):
    report = _submitted(elbasan, people)
    waiting = Notification.objects.get(kind=Reminder.REPORT_WAITING, user=chair)
    client.force_login(chair)
    assert client.post(waiting.url, {}).status_code == 302
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.APPROVED
    # The notice is done; its link now says who approved the report, with a 200.
    waiting.refresh_from_db()
    assert waiting.read_at is not None
    page = client.get(waiting.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "This report was approved by Gazmend Oketa on" in html
    assert 'href="/app/elbasan/monitoring/reports/2026/6/"' in html
    assert 'href="/app/elbasan/monitoring/reports/2026/6/report.pdf"' in html
    assert "Only a submitted report is approved" not in html
    services.report_publish(report=report)
    assert "It was published on" in client.get(waiting.url).content.decode()
    # A form sent again (a second tab) changes nothing and comes back to the page, with a message.
    again = client.post(waiting.url, {}, follow=True)
    assert again.redirect_chain == [(waiting.url, 302)]
    assert "Only a submitted report is approved." in again.content.decode()
    assert client.post(PAGE.format(month=6) + "return/", {"comment": "Vonë."}).status_code == 302
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.PUBLISHED and report.returned_comment == ""


def test_a_returned_or_draft_report_says_so_on_the_page(client, monitored, people, elbasan, chair):
    report = _submitted(elbasan, people)
    services.report_return(report=report, comment="Shtoni treguesit e qershorit.", user=chair)
    services.report_start(council=elbasan, year=2026, month=5)
    client.force_login(chair)
    returned = client.get(PAGE.format(month=6) + "approve/")
    assert returned.status_code == 200
    html = returned.content.decode()
    assert "This report was returned by Gazmend Oketa on" in html
    assert "Shtoni treguesit e qershorit." in html
    draft = client.get(PAGE.format(month=5) + "approve/")
    assert draft.status_code == 200
    assert "This report has not been submitted to the chair yet." in draft.content.decode()


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_months_data(
    client, monitored, people, elbasan, chair
):
    _submitted(elbasan, people)
    client.force_login(chair)
    url = PAGE.format(month=6) + "approve/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    # More updates and values in June: the same queries.
    for key, progress in (("q3", 10), ("all_year", 20), ("every2", 30)):
        record(monitored.activities[key], people["skn_police"], "in_progress", progress, date(2026, 6, 20))
    services.value_record(
        indicator=monitored.indicators["lessons"],
        user=people["skn_police"],
        period="2026-05",
        value=Decimal(3),
    )
    client.get(url)  # warm again (cached counts renewed by the new rows)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few) <= 30
