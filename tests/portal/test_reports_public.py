"""Monitoring at its public addresses: only published monthly reports are shown (an approved one not
yet published, a draft, a submitted or a returned one: 404), each from its frozen content with the
PDF stored at approval (bytes hashing to the SHA-256 shown) and its signed copy; a consultation's
progress report (statuses and progress, never the SKN's notes); the progress of each plan row on a
consultation's "what we did"; and each page in a fixed number of queries, with no per-request token."""

# ruff: noqa: F811 (the fixture of tests/fixtures/plan_files.py, imported by name)

import hashlib
from datetime import date, datetime, time, timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import ngettext

from consultations import lifecycle as consultation_lifecycle
from consultations import services as consultation_services
from councils.meetings import services as meeting_services
from monitoring import services
from monitoring.models import MonthlyReport
from plans import services as plan_services
from tests.builders import announce_consultation, approve_by_decision, approve_plan
from tests.fixtures.plan_files import people  # noqa: F401 (fixture)

# Query counts measure a render: the page cache is off, the compliance records cached as usual.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

# Last year: every month of it has begun, whatever day the suite runs.
YEAR = timezone.localdate().year - 1
NOTE = "Shënim pune i SKN-së: takimi me drejtorin e shkollës u shty"


def _approve(version, people, *, decided: date, number: str = "7"):
    """Approved at a council meeting held on ``decided`` (recorded today, as a plan entered from
    paper would be: its approved_at is now, its decision dated back then)."""
    meeting = meeting_services.meeting_create(
        council=people["council"],
        kind="council",
        starts_at=timezone.make_aware(datetime.combine(decided, time(10, 0))),
        place="Salla e Këshillit",
    )
    return approve_by_decision(
        version, chair=people["chair"], meeting=meeting, submitted_by=people["secretary"]
    )


def _plan(people, *, problems: int = 1, activities: int = 2, year: int = YEAR, decided: date | None = None):
    """An approved plan, decided on 10 January of its year: each activity due by the end of June,
    with one quarterly indicator."""
    version = plan_services.plan_start(council=people["council"], year=year)
    for p in range(problems):
        row = plan_services.problem_add(
            version=version,
            number=f"1.{p + 1}",
            title=f"Droga pranë shkollave {p + 1}",
            priority=("high", "moderate", "low")[p % 3],
        )
        for a in range(activities):
            activity = plan_services.activity_add(
                problem=row,
                text=f"Orë edukative ligjore {p + 1}.{a + 1}",
                lead=people["police"],
                deadline_kind="period",
                deadline_period="h1",
            )
            plan_services.indicator_add(
                activity=activity,
                name=f"Orë të zhvilluara {p + 1}.{a + 1}",
                unit="orë",
                baseline=2,
                target=20,
                frequency="quarterly",
            )
    return _approve(version, people, decided=decided or min(date(year, 1, 10), timezone.localdate()))


def _activities(version):
    return [a for row in version.problems.order_by("position") for a in row.activities.order_by("position")]


def _update(activity, people, *, status="in_progress", progress=40, day=None, note=NOTE):
    return services.update_record(
        activity=activity,
        user=people["skn"],
        status=status,
        progress=progress,
        date=day or date(YEAR, 3, 10),
        note=note,
    )


def _report(people, month: int, *, to: str = "published") -> MonthlyReport:
    """A report of ``month`` of YEAR taken through the workflow as far as ``to``."""
    report = services.report_start(council=people["council"], year=YEAR, month=month)
    if to == "draft":
        return report
    report = services.report_update(
        report=report,
        summary=f"U zhvilluan 4 seanca informuese në shkollat 9-vjeçare ({month}).",
        difficulties="Mungesë transporti për njësitë e largëta.",
        proposals="Të përfshihen edhe prindërit.",
    )
    report = services.report_submit(report=report, user=people["skn"])
    if to == "submitted":
        return report
    if to == "returned":
        return services.report_return(report=report, comment="Plotësoni treguesit.")
    report = services.report_approve(report=report, user=people["chair"])
    if to == "approved":
        return report
    return services.report_publish(report=report)


def _base(month: int) -> str:
    return f"/elbasan/reports/{YEAR}/{month}/"


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), response.content.decode()


# --- which reports are public ---------------------------------------------------------------------


def test_only_published_reports_are_public(client, people):
    version = _plan(people)
    _update(_activities(version)[0], people)
    published = _report(people, 1)
    _report(people, 2, to="approved")
    _report(people, 3, to="submitted")
    _report(people, 4, to="returned")
    _report(people, 5, to="draft")

    listing = client.get("/elbasan/reports/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert f'href="{_base(1)}"' in page and f'href="{_base(1)}report.pdf"' in page
    for month in (2, 3, 4, 5):
        assert f'href="{_base(month)}"' not in page
        for suffix in ("", "report.pdf", "signed.pdf"):
            assert client.get(_base(month) + suffix).status_code == 404, (month, suffix)
    assert [r.pk for _year, reports in listing.context["years"] for r in reports] == [published.pk]

    detail = client.get(_base(1))
    assert detail.status_code == 200
    assert published.sha256 in detail.content.decode()
    assert "U zhvilluan 4 seanca informuese në shkollat 9-vjeçare (1)." in detail.content.decode()
    assert client.get(_base(1) + "signed.pdf").status_code == 404  # no signed copy yet
    assert client.get(f"/elbasan/reports/{YEAR}/6/").status_code == 404  # no report at all
    assert client.get(f"/elbasan/reports/{YEAR}/13/").status_code == 404


def test_another_councils_address_does_not_show_the_report(client, people):
    _plan(people)
    _report(people, 1)
    for url in (
        f"/belsh/reports/{YEAR}/1/",
        f"/belsh/reports/{YEAR}/1/report.pdf",
        f"/belsh/reports/{YEAR}/1/signed.pdf",
        "/no-such-town/reports/",
    ):
        assert client.get(url).status_code == 404, url
    belsh = client.get("/belsh/reports/")
    assert belsh.status_code == 200 and belsh.context["years"] == []
    assert _base(1) not in belsh.content.decode()


def test_the_list_is_newest_first_and_grouped_by_year(client, people):
    _plan(people)
    for month in (1, 3, 2):
        _report(people, month)
    listing = client.get("/elbasan/reports/")
    ((year, reports),) = listing.context["years"]
    assert year == YEAR and [r.month for r in reports] == [3, 2, 1]
    page = listing.content.decode()
    assert (
        page.index(f'href="{_base(3)}"') < page.index(f'href="{_base(2)}"') < page.index(f'href="{_base(1)}"')
    )


def test_the_pdf_is_the_stored_file_whose_bytes_hash_to_the_published_sha256(client, people):
    _plan(people)
    report = _report(people, 1)
    response = client.get(_base(1) + "report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    assert hashlib.sha256(body).hexdigest() == report.sha256
    with report.pdf.open("rb") as stored:
        assert stored.read() == body
    assert response["ETag"] == f'"{report.sha256}"'


def test_the_signed_copy_is_served_as_an_attachment_once_attached(client, people):
    _plan(people)
    report = _report(people, 1)
    assert client.get(_base(1) + "signed.pdf").status_code == 404
    scan = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    services.report_attach_scan(report=report, signed_scan=ContentFile(scan, name="skanim.pdf"))
    response = client.get(_base(1) + "signed.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == scan
    assert f'href="{_base(1)}signed.pdf"' in client.get(_base(1)).content.decode()
    assert f'href="{_base(1)}signed.pdf"' in client.get("/elbasan/reports/").content.decode()


def test_an_update_after_approval_changes_neither_the_page_nor_the_pdf(client, people):
    version = _plan(people)
    activity = _activities(version)[0]
    _update(activity, people, progress=40, day=date(YEAR, 1, 20), note="Seanca e parë informuese")
    report = _report(people, 1)
    page = client.get(_base(1)).content.decode()
    pdf = b"".join(client.get(_base(1) + "report.pdf").streaming_content)
    assert "Seanca e parë informuese" in page  # the report's content, frozen at approval

    # Later, a correction dated inside the same month.
    _update(activity, people, status="done", progress=100, day=date(YEAR, 1, 25), note="Korrigjim i vonë")
    again = client.get(_base(1)).content.decode()
    assert again == page and "Korrigjim i vonë" not in again
    later_pdf = b"".join(client.get(_base(1) + "report.pdf").streaming_content)
    assert later_pdf == pdf and hashlib.sha256(later_pdf).hexdigest() == report.sha256
    # The live data did move on: the report is what was approved, not what is true now.
    assert (
        services.report_content(MonthlyReport(council=people["council"], year=YEAR, month=1))["activities"][
            0
        ]["progress"]
        == 100
    )


def test_the_council_page_links_to_the_reports_and_the_newest_one(client, people):
    page = client.get("/elbasan/").content.decode()
    assert 'href="/elbasan/reports/"' in page and f'href="{_base(1)}"' not in page
    _plan(people)
    _report(people, 1)
    _report(people, 2)
    _report(people, 3, to="approved")
    response = client.get("/elbasan/")
    assert response.context["newest_report"].month == 2
    assert f'href="{_base(2)}"' in response.content.decode()
    assert f'href="{_base(3)}"' not in response.content.decode()


# --- a consultation's progress report -------------------------------------------------------------


def _consultation(people, *, day: date, council=None):
    return announce_consultation(
        consultation_lifecycle.consultation_create(
            council=council or people["council"],
            starts_at=timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=17)),
            place="Shushicë",
        )
    )


def test_the_progress_page_shows_where_each_activity_stood_on_the_day_without_notes(client, people):
    version = _plan(people)
    first, second = _activities(version)
    _update(first, people, status="in_progress", progress=40, day=date(YEAR, 3, 10))
    _update(first, people, status="in_progress", progress=70, day=date(YEAR, 5, 12), note="Shënim i dytë")
    _update(second, people, status="done", progress=100, day=date(YEAR, 4, 2))
    _update(first, people, status="done", progress=100, day=date(YEAR, 10, 1), note="Pas konsultimit")
    indicator = first.indicators.get()
    services.value_record(indicator=indicator, user=people["skn"], period=f"{YEAR}-Q1", value=7)
    services.value_record(indicator=indicator, user=people["skn"], period=f"{YEAR}-Q3", value=15)
    consultation = _consultation(people, day=date(YEAR, 7, 15))

    url = f"/elbasan/consultations/{consultation.pk}/progress/"
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    board = response.context["board"]
    assert response.context["version"] == version and board.as_of == date(YEAR, 7, 15)
    standings = {a.pk: a.standing for a in board.activities}
    # As of the consultation: first in progress at 70 % and overdue (due 30 June), second done.
    assert (standings[first.pk].status, standings[first.pk].progress) == ("in_progress", 70)
    assert standings[first.pk].missed == [date(YEAR, 6, 30)] and not standings[second.pk].missed
    assert standings[second.pk].status == "done"
    assert response.context["totals"]["overdue"] == 1 and response.context["done"] == 1
    assert "70%" in page and "100%" in page and 'value="70"' in page
    assert "Orë edukative ligjore 1.1" in page
    # The indicator's latest value by the day: Q1's 7, not Q3's 15 (measured after it).
    assert {i.pk: i.latest.value for a in board.activities for i in a.indicators.all() if i.latest} == {
        indicator.pk: 7
    }
    # Working notes and their authors never reach the public page.
    for private in (NOTE, "Shënim i dytë", "Pas konsultimit", people["skn"].full_name):
        assert private not in page, private
    assert f'href="/elbasan/plan/{YEAR}/v1/"' in page
    assert "csrfmiddlewaretoken" not in page and "nonce" not in page


def test_the_progress_page_without_a_plan_says_so_and_a_draft_consultation_has_none(client, people):
    consultation = _consultation(people, day=date(YEAR, 7, 15))
    response = client.get(f"/elbasan/consultations/{consultation.pk}/progress/")
    assert response.status_code == 200 and response.context["version"] is None
    assert "board" not in response.context
    draft = consultation_lifecycle.consultation_create(
        council=people["council"], starts_at=timezone.now() - timedelta(days=3), place="Gjergjan"
    )
    assert client.get(f"/elbasan/consultations/{draft.pk}/progress/").status_code == 404
    assert client.get(f"/belsh/consultations/{consultation.pk}/progress/").status_code == 404


def test_a_consultation_ahead_reports_as_of_today(client, people):
    version = _plan(people, year=timezone.localdate().year)
    ahead = _consultation(people, day=timezone.localdate() + timedelta(days=20))
    response = client.get(f"/elbasan/consultations/{ahead.pk}/progress/")
    assert response.context["version"] == version
    assert response.context["as_of"] == timezone.localdate()


def test_the_previous_years_plan_is_reported_before_the_years_plan_is_approved(client, people):
    version = _plan(people, year=YEAR - 1)
    consultation = _consultation(people, day=date(YEAR, 1, 5))
    url = f"/elbasan/consultations/{consultation.pk}/progress/"
    assert client.get(url).context["version"] == version
    # The year's plan, decided after the consultation, is not what the consultation heard about.
    _plan(people, decided=date(YEAR, 1, 10))
    assert client.get(url).context["version"] == version


def test_a_plan_decided_after_the_consultation_is_not_reported(client, people):
    _plan(people, decided=date(YEAR, 3, 1))
    early = _consultation(people, day=date(YEAR, 2, 20))
    response = client.get(f"/elbasan/consultations/{early.pk}/progress/")
    assert response.status_code == 200 and response.context["version"] is None
    later = _consultation(people, day=date(YEAR, 3, 2))
    assert client.get(f"/elbasan/consultations/{later.pk}/progress/").context["version"] is not None


# --- what we heard and what we did ------------------------------------------------------------------


def test_what_we_did_shows_each_plan_rows_progress(client, people):
    consultation = _consultation(people, day=date(YEAR, 1, 15))
    concern = consultation_services.concern_submit(
        council=people["council"], consultation=consultation, text="Drogë te parku", category="hotspots"
    )
    consultation_services.concern_publish(concern=concern, public_text="Drogë te parku", user=people["skn"])
    taken = consultation_services.problem_create(
        consultation=consultation, title="Droga te parku", concerns=[concern]
    )
    taken = consultation_services.problem_assess(
        problem=taken,
        title="Droga te parku",
        intensity="high",
        institutions=[people["police"]],
        outcome="in_plan",
    )
    version = plan_services.plan_start(council=people["council"], year=YEAR)
    (row,) = plan_services.problems_pull(version=version, problems=[taken])
    for text in ("Patrullim te parku", "Ndriçim i parkut", "Takim me banorët"):
        plan_services.activity_add(
            problem=row, text=text, lead=people["police"], deadline_kind="period", deadline_period="h1"
        )
    approve_plan(version, people)
    patrol, light, _meeting = row.activities.order_by("position")
    _update(patrol, people, status="done", progress=100, day=date(YEAR, 3, 1))
    _update(light, people, status="in_progress", progress=50, day=date(YEAR, 9, 1))

    url = f"/elbasan/consultations/{consultation.pk}/"
    response = client.get(url)
    page = response.content.decode()
    (problem,) = response.context["in_plan"]
    # Today: one done, the others past their 30 June deadline and not done.
    assert problem.plan_progress == {"total": 3, "done": 1, "progress": 50, "overdue": 2}
    expected = ngettext(
        "%(done)s of %(total)s activity done · average progress %(progress)s%%",
        "%(done)s of %(total)s activities done · average progress %(progress)s%%",
        3,
    ) % {"done": 1, "total": 3, "progress": 50}
    assert expected in page
    assert ngettext("%(n)s overdue", "%(n)s overdue", 2) % {"n": 2} in page
    assert f'href="/elbasan/consultations/{consultation.pk}/progress/"' in page


# --- constant queries, no per-request token -------------------------------------------------------


def test_the_list_reads_in_the_same_number_of_queries_for_1_or_5_reports(client, people):
    _plan(people)
    _report(people, 1)
    one, _page = _queries(client, "/elbasan/reports/")
    for month in range(2, 6):
        _report(people, month)
    five, page = _queries(client, "/elbasan/reports/")
    assert one == five <= 4
    assert page.count('href="/elbasan/reports/') >= 10
    assert "csrfmiddlewaretoken" not in page and "nonce" not in page
    # The council's compliance record comes from the national overview's records: read once for
    # every council (a fixed 13 queries, tests/monitoring/test_compliance_views.py), then cached.
    cold, _page = _queries(client, "/elbasan/")
    council_page, _page = _queries(client, "/elbasan/")
    assert council_page <= 12 and cold <= council_page + 13


def test_the_report_page_reads_in_a_fixed_number_of_queries(client, people):
    few = _plan(people, problems=1, activities=1)
    _update(_activities(few)[0], people, day=date(YEAR, 1, 10))
    _report(people, 1)
    many = plan_services.version_revise(version=few)
    for p in range(2, 6):
        row = plan_services.problem_add(version=many, number=f"1.{p}", title=f"Problemi {p}", priority="low")
        for a in range(4):
            plan_services.activity_add(
                problem=row, text=f"Aktiviteti {p}.{a}", lead=people["police"], deadline_kind="all_year"
            )
    _approve(many, people, decided=date(YEAR, 2, 1), number="9")  # in force from February
    _report(people, 2)
    small, page = _queries(client, _base(1))
    large, _page = _queries(client, _base(2))
    assert small == large <= 4
    assert len(MonthlyReport.objects.get(month=2).content["activities"]) == 17
    assert "csrfmiddlewaretoken" not in page and "nonce" not in page
    assert not client.get(_base(1)).cookies  # nothing personal is set on a public page


def test_the_progress_page_reads_in_the_same_number_of_queries_for_few_or_many_activities(client, people):
    few = _plan(people, problems=1, activities=1)
    _update(_activities(few)[0], people)
    consultation = _consultation(people, day=date(YEAR, 7, 1))
    url = f"/elbasan/consultations/{consultation.pk}/progress/"
    small, _page = _queries(client, url)

    many = plan_services.version_revise(version=few)
    for p in range(2, 6):
        row = plan_services.problem_add(
            version=many, number=f"1.{p}", title=f"Problemi {p}", priority="moderate"
        )
        for a in range(4):
            activity = plan_services.activity_add(
                problem=row, text=f"Aktiviteti {p}.{a}", lead=people["police"], deadline_kind="all_year"
            )
            plan_services.indicator_add(
                activity=activity, name=f"Tregues {p}.{a}", unit="", frequency="quarterly"
            )
    _approve(many, people, decided=date(YEAR, 2, 1), number="9")
    for activity in _activities(many)[:6]:
        _update(activity, people, progress=30)
    large, page = _queries(client, url)
    assert page.count("<progress") == 17
    assert small == large
    # And the consultation page with its rows' progress: the same whatever the plan's size.
    consultation_page, _page = _queries(client, f"/elbasan/consultations/{consultation.pk}/")
    assert consultation_page <= 20
