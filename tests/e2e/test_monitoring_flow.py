"""In Chromium, in Albanian: an SKN member updates two activities from the dashboard (a bad input
first, then "done" below 100 % confirmed), records an indicator's value and drafts the month's
report; the chair returns it with a comment; the SKN member answers and resubmits; the chair
approves it with the signed scan and publishes it; anyone reads it at /<municipality>/reports/ and
downloads a PDF whose SHA-256 is the one stored and shown. A status update made afterwards changes
neither the public page nor the PDF. Every page visited is audited (axe-core, Nu HTML Checker, CSP);
the dashboard is audited in English too."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from playwright.sync_api import expect

from councils.meetings import services as meeting_services
from councils.models import Institution, Role
from monitoring.models import ActivityStatus, IndicatorValue, MonthlyReport, StatusUpdate
from monitoring.progress import month_label, period_label
from plans import services as plan_services
from tests.builders import approve_by_decision
from tests.factories import UserFactory, council, give_role
from tests.fixtures.browser import field, log_in, sq

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sekret-i-forte-2026"
LESSONS = "Orë edukative ligjore nga prokuroria për të rinjtë e shkollave të mesme"
PATROLS = "Patrullime të përbashkëta pranë shkollave në orët e daljes"
LIGHTS = "Ndriçimi i rrugëve në lagjen Kristoforidhi"
INDICATOR = "Numri i orëve edukative të zhvilluara"
SUMMARY = "Në muajin e raportimit u zhvilluan orët edukative dhe patrullimet pranë shkollave."
DIFFICULTIES = "Mungesa e automjeteve për patrullimet e mbrëmjes."
PROPOSALS = "Të shtohen patrullimet në fundjavë."
CHAIR_COMMENT = "Shtoni numrin e nxënësve që morën pjesë në orët edukative."
ANSWER = " Morën pjesë 240 nxënës nga katër shkolla."


def sq_month(year: int, month: int) -> str:
    """The month as the Albanian interface names it ("Nëntor 2026")."""
    with translation.override("sq"):
        return capfirst(month_label(year, month))


def _login(page, live_server, email):
    page.goto(live_server.url + "/accounts/login/")
    log_in(page, live_server, email, PASSWORD)  # and the second factor, for officers
    expect(page.get_by_role("heading", level=1)).to_have_text("Këshillat e mi")


@pytest.fixture
def new_page(browser, browser_context_args, audit):
    """Another person's browser (its own cookies), its console watched for CSP violations too."""
    contexts = []

    def make():
        context = browser.new_context(**browser_context_args)
        contexts.append(context)
        other = context.new_page()
        audit.watch(other)
        return other

    yield make
    for context in contexts:
        context.close()


def _approved_plan(elbasan, *, skn, chair, police, municipality, prosecution):
    """This year's plan, approved by the chair against a council decision: two problems, three
    activities, a monthly indicator."""
    year = timezone.localdate().year
    meeting = meeting_services.meeting_create(
        council=elbasan,
        kind="council",
        starts_at=timezone.now() - timedelta(minutes=30),
        place="Salla e Këshillit Bashkiak",
        title="Miratimi i planit",
    )
    meeting_services.attendance_record(meeting=meeting, entries=[])
    version = plan_services.plan_start(council=elbasan, year=year)
    youth = plan_services.problem_add(
        version=version, number="1.1", title="Konsumi i lëndëve narkotike nga të rinjtë", priority="high"
    )
    streets = plan_services.problem_add(
        version=version, number="1.2", title="Pasiguria në rrugë gjatë natës", priority="moderate"
    )
    lessons = plan_services.activity_add(
        problem=youth, text=LESSONS, lead=prosecution, deadline_kind="all_year", partners=[municipality]
    )
    patrols = plan_services.activity_add(problem=youth, text=PATROLS, lead=police, deadline_kind="all_year")
    plan_services.activity_add(problem=streets, text=LIGHTS, lead=municipality, deadline_kind="all_year")
    indicator = plan_services.indicator_add(
        activity=lessons, name=INDICATOR, unit="orë", baseline=4, target=20, frequency="monthly"
    )
    approve_by_decision(version, chair=chair, meeting=meeting, submitted_by=skn)
    return lessons, patrols, indicator


def _save_update(page, *, status, progress, note, day):
    """Fill in the activity's update form and save it."""
    field(page, sq("Status")).select_option(status)
    field(page, sq("Progress (%)")).fill(progress)
    field(page, sq("As of")).fill(f"{day:%d.%m.%Y}")
    field(page, sq("Note")).fill(note)
    page.get_by_role("button", name=sq("Save the update")).click()


def test_a_month_of_monitoring_from_updates_to_the_published_report(
    page, new_page, live_server, audit, reference_data, tmp_path
):
    today = timezone.localdate()
    year, month = today.year, today.month
    elbasan = council("elbasan")
    municipality = Institution.objects.create(name="Bashkia Elbasan", category="a")
    police = Institution.objects.create(name="Drejtoria Vendore e Policisë Elbasan", category="c")
    prosecution = Institution.objects.create(name="Prokuroria e Rrethit Gjyqësor Elbasan", category="d")
    skn = UserFactory(email="skn@policia.gov.al", full_name="Arben Hoxha", password=PASSWORD)
    chair = UserFactory(email="kryetari@elbasan.gov.al", full_name="Gazmend Oketa", password=PASSWORD)
    give_role(elbasan, Role.SKN_POLICE, user=skn, institution=police)
    give_role(elbasan, Role.CHAIR, user=chair, institution=municipality)
    give_role(elbasan, Role.MEMBER, full_name="Alma Dervishi", institution=prosecution)
    lessons, patrols, indicator = _approved_plan(
        elbasan, skn=skn, chair=chair, police=police, municipality=municipality, prosecution=prosecution
    )
    dashboard = f"{live_server.url}/app/elbasan/monitoring/"
    reports = f"{dashboard}reports/"
    report_url = f"{reports}{year}/{month}/"
    recorded = sq("The update was recorded.")

    # --- the SKN member: two activities, reached from the dashboard ---------------------------
    page.goto(live_server.url + "/accounts/login/")
    audit(page)
    _login(page, live_server, skn.email)
    page.goto(dashboard)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        sq("Monitoring of the plan %(year)s") % {"year": year}
    )
    audit(page)

    page.get_by_role("link", name=PATROLS).click()
    expect(page).to_have_url(f"{dashboard}activities/{patrols.lineage}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(PATROLS)
    audit(page)
    # A progress of 150 %: an error on the form, nothing saved, everything typed kept.
    first_note = "Dy patrullime në javë pranë shkollës 9-vjeçare."
    _save_update(page, status=ActivityStatus.IN_PROGRESS, progress="150", note=first_note, day=today)
    expect(page.get_by_text(sq("Progress is a percentage: from 0 to 100."))).to_be_visible()
    expect(field(page, sq("Status"))).to_have_value(ActivityStatus.IN_PROGRESS)
    expect(field(page, sq("Progress (%)"))).to_have_value("150")
    expect(field(page, sq("As of"))).to_have_value(f"{today:%d.%m.%Y}")
    expect(field(page, sq("Note"))).to_have_value(first_note)
    audit(page)
    assert not StatusUpdate.objects.exists()
    field(page, sq("Progress (%)")).fill("60")
    page.get_by_role("button", name=sq("Save the update")).click()
    expect(page.get_by_text(recorded)).to_be_visible()
    expect(page.get_by_role("cell", name=first_note)).to_be_visible()
    audit(page)
    update = StatusUpdate.objects.get()
    assert (update.activity_lineage, update.status, update.progress, update.date, update.author) == (
        patrols.lineage,
        ActivityStatus.IN_PROGRESS,
        60,
        today,
        skn,
    )

    # "Done" at 90 %: the form asks for a confirmation, then records it so.
    page.get_by_role("link", name=sq("Monitoring"), exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(dashboard)))
    row = page.get_by_role("row", name=re.compile(re.escape(PATROLS)))
    expect(row.get_by_role("cell", name="60%", exact=True)).to_be_visible()
    audit(page)
    page.get_by_role("link", name=LESSONS).click()
    expect(page).to_have_url(f"{dashboard}activities/{lessons.lineage}/")
    audit(page)
    done_note = "U zhvilluan 18 nga 20 orët e planifikuara."
    _save_update(page, status=ActivityStatus.DONE, progress="90", note=done_note, day=today)
    asked = sq(
        "You marked the activity done at %(progress)s%%. Tick the confirmation to record it so, "
        "or correct the progress."
    ) % {"progress": 90}
    expect(page.get_by_text(asked)).to_be_visible()
    expect(field(page, sq("Progress (%)"))).to_have_value("90")
    expect(field(page, sq("Note"))).to_have_value(done_note)
    audit(page)
    assert StatusUpdate.objects.count() == 1
    field(page, sq("I confirm the activity is done although its progress is below 100%.")).check()
    page.get_by_role("button", name=sq("Save the update")).click()
    expect(page.get_by_text(recorded)).to_be_visible()
    expect(page.get_by_role("cell", name=done_note)).to_be_visible()
    audit(page)
    done = StatusUpdate.objects.get(activity_lineage=lessons.lineage)
    assert (done.status, done.progress) == (ActivityStatus.DONE, 90)

    # --- one indicator value, from the activity's page -----------------------------------------
    page.get_by_role("link", name=INDICATOR).click()
    expect(page).to_have_url(f"{dashboard}indicators/{indicator.lineage}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(INDICATOR)
    audit(page)
    period = f"{year}-{month:02d}"
    field(page, sq("Period")).select_option(period)
    field(page, sq("Value")).fill("18")
    page.get_by_role("button", name=sq("Save the value")).click()
    with translation.override("sq"):
        saved = gettext("The value for %(period)s was saved.") % {"period": period_label(period)}
    expect(page.get_by_text(saved)).to_be_visible()
    expect(page.locator(f"#value-{period}")).to_contain_text("18")
    audit(page)
    value = IndicatorValue.objects.get()
    assert (value.indicator_lineage, value.period, value.value) == (indicator.lineage, period, 18)

    # --- the month's report: started, written, submitted --------------------------------------
    page.goto(dashboard)
    page.get_by_role("link", name=sq("Monthly reports")).click()
    expect(page).to_have_url(reports)
    audit(page)
    field(page, sq("Month")).select_option(period)
    page.get_by_role("button", name=sq("Start the report of this month")).click()
    expect(page).to_have_url(report_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        sq("Monitoring report, %(month)s") % {"month": sq_month(year, month).lower()}, ignore_case=True
    )
    for text in (LESSONS, PATROLS, INDICATOR):
        expect(page.locator("main")).to_contain_text(text)
    audit(page)
    page.get_by_role("link", name=sq("Write the narrative")).click()
    expect(page).to_have_url(f"{report_url}edit/")
    audit(page)
    field(page, sq("Summary")).fill(SUMMARY)
    field(page, sq("Difficulties")).fill(DIFFICULTIES)
    field(page, sq("Proposals")).fill(PROPOSALS)
    page.get_by_role("button", name=sq("Save"), exact=True).click()
    expect(page).to_have_url(report_url)
    expect(page.get_by_text(sq("The report was saved."))).to_be_visible()
    for text in (SUMMARY, DIFFICULTIES, PROPOSALS):
        expect(page.locator("main")).to_contain_text(text)
    audit(page)
    page.get_by_role("button", name=sq("Submit to the chair")).click()
    expect(page.get_by_text(sq("The report was sent to the chair for approval."))).to_be_visible()
    audit(page)
    report = MonthlyReport.objects.get()
    assert report.status == MonthlyReport.Status.SUBMITTED and report.submitted_by == skn

    # --- the chair, in another browser, returns it with a comment -----------------------------
    chair_page = new_page()
    _login(chair_page, live_server, chair.email)
    chair_page.goto(report_url)
    expect(chair_page.locator("main")).to_contain_text(SUMMARY)
    audit(chair_page)
    chair_page.get_by_role("link", name=sq("Return with comments")).click()
    audit(chair_page)
    chair_page.get_by_role("button", name=sq("Return the report")).click()  # empty: an error
    expect(chair_page.locator(".invalid-feedback").first).to_be_visible()
    audit(chair_page)
    assert MonthlyReport.objects.get().status == MonthlyReport.Status.SUBMITTED
    field(chair_page, sq("What needs to change")).fill(CHAIR_COMMENT)
    chair_page.get_by_role("button", name=sq("Return the report")).click()
    expect(chair_page).to_have_url(report_url)
    expect(chair_page.get_by_text(sq("The report was returned with your comments."))).to_be_visible()
    audit(chair_page)
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.RETURNED and report.returned_comment == CHAIR_COMMENT

    # --- the SKN member reads the comment, answers it and submits again -----------------------
    page.goto(reports)
    page.get_by_role("link", name=f"{month:02d}.{year}").click()
    expect(page).to_have_url(report_url)
    expect(page.get_by_text(CHAIR_COMMENT)).to_be_visible()
    audit(page)
    page.get_by_role("link", name=sq("Write the narrative")).click()
    expect(page.get_by_text(CHAIR_COMMENT)).to_be_visible()
    expect(field(page, sq("Summary"))).to_have_value(SUMMARY)
    audit(page)
    field(page, sq("Summary")).fill(SUMMARY + ANSWER)
    page.get_by_role("button", name=sq("Save"), exact=True).click()
    expect(page.get_by_text(sq("The report was saved."))).to_be_visible()
    page.get_by_role("button", name=sq("Submit to the chair")).click()
    expect(page.get_by_text(sq("The report was sent to the chair for approval."))).to_be_visible()
    audit(page)
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.SUBMITTED and report.summary == SUMMARY + ANSWER

    # --- the chair approves it with the signed scan, then publishes it ------------------------
    chair_page.goto(report_url)
    expect(chair_page.locator("main")).to_contain_text(SUMMARY + ANSWER)
    audit(chair_page)
    chair_page.get_by_role("link", name=sq("Approve"), exact=True).click()
    audit(chair_page)
    scan = tmp_path / "raporti-i-nenshkruar.pdf"
    scan.write_bytes(b"%PDF-1.4\n% raporti i nenshkruar dhe vulosur\n")
    field(chair_page, sq("Signed and stamped report (PDF)")).set_input_files(str(scan))
    chair_page.get_by_role("button", name=sq("Approve"), exact=True).click()
    expect(chair_page).to_have_url(report_url)
    expect(
        chair_page.get_by_text(sq("The report was approved. Publish it when the public should read it."))
    ).to_be_visible()
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.APPROVED and report.approved_by == chair
    assert re.fullmatch(r"[0-9a-f]{64}", report.sha256) and report.signed_scan
    expect(chair_page.locator("main code")).to_have_text(report.sha256)
    audit(chair_page)
    chair_page.get_by_role("button", name=sq("Publish"), exact=True).click()
    expect(
        chair_page.get_by_text(sq("The report is published on the council's public page."))
    ).to_be_visible()
    audit(chair_page)
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.PUBLISHED

    # --- anyone, without an account: the published report and its PDF ------------------------
    public_page = new_page()
    public_page.goto(f"{live_server.url}/elbasan/reports/")
    audit(public_page)
    public_page.get_by_role("link", name=sq_month(year, month), exact=True).click()
    public_url = f"{live_server.url}/elbasan/reports/{year}/{month}/"
    expect(public_page).to_have_url(public_url)
    main = public_page.locator("main")
    for text in (SUMMARY + ANSWER, DIFFICULTIES, PROPOSALS, LESSONS, PATROLS, INDICATOR):
        expect(main).to_contain_text(text)
    expect(main.locator("code")).to_have_text(report.sha256)
    audit(public_page)
    shown = main.inner_text()
    pdf_link = public_page.get_by_role("link", name=sq("Download the approved report (PDF)"))
    assert pdf_link.get_attribute("href") == f"/elbasan/reports/{year}/{month}/report.pdf"
    pdf = public_page.request.get(f"{public_url}report.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    body = pdf.body()
    assert body.startswith(b"%PDF")
    assert hashlib.sha256(body).hexdigest() == report.sha256 == main.locator("code").inner_text().strip()
    signed = public_page.request.get(f"{public_url}signed.pdf")
    assert signed.status == 200 and signed.body() == scan.read_bytes()

    # --- later: another update changes neither the published page nor its PDF ----------------
    page.goto(dashboard)
    page.get_by_role("link", name=PATROLS).click()
    later_note = "Patrullimet u kryen gjatë gjithë muajit."
    _save_update(page, status=ActivityStatus.DONE, progress="100", note=later_note, day=today)
    expect(page.get_by_text(recorded)).to_be_visible()
    expect(page.get_by_role("cell", name=later_note)).to_be_visible()
    audit(page)
    assert StatusUpdate.objects.count() == 3
    public_page.reload()
    expect(public_page.locator("main code")).to_have_text(report.sha256)
    assert public_page.locator("main").inner_text() == shown
    assert later_note not in public_page.content()
    audit(public_page)
    assert public_page.request.get(f"{public_url}report.pdf").body() == body
    report.refresh_from_db()
    assert report.sha256 == hashlib.sha256(body).hexdigest()

    # --- the dashboard, once in English --------------------------------------------------------
    page.goto(dashboard)
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(dashboard)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Monitoring of the plan {year}")
    expect(page.get_by_role("cell", name=re.compile(re.escape(PATROLS)))).to_be_visible()
    audit(page)
