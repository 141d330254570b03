"""A council's year, in Chromium, in Albanian, on PostgreSQL with a real Celery worker.

Set-up only: Elbasan's council, established, with its people (factories and services). Every
step after that goes through the browser: the consultation is planned and announced; citizens
raise concerns and get their reference codes; the secretary moderates and records who came
(which marks the consultation held); the SKN prioritises them
into problems; the plan is drafted; a council meeting is held (invitations, attendance, minutes
approved by the chair); the chair approves the plan; its public page, PDF, CSV, JSON and DOCX agree;
the SKN records status updates; the month's report is submitted, returned, approved and published;
the reminder sweep runs in the worker (the admin's periodic task "Run selected tasks") and its
e-mails are delivered by the worker; the next consultation shows what we did; the plan is revised
and compared; the compliance overview reflects the year.

Dates: the whole year runs on one day, Monday 11 January 2027 (the test and the live server's
thread travel there with time-machine; the worker keeps the real clock, and the reminder sweep
gets the day as its ``as_of``): the first consultation at 08:00, announced before it, its
attendance recorded after it; the plan sent to the chair, then the council meeting at 10:00
(invitations before it, its attendance, decision and minutes after it); the next consultation
tonight. The months really pass (time-machine) in tests/e2e/test_months_pass.py: status updates in
January, the report due and late, overdue activities, the next consultation due six months on.

The worker is the one of tests/fixtures/workers.py (production settings, the test
database, a private redis-server, the file e-mail backend), with the test's media folder, so the
plan's PDF it renders on approval is the one the live server serves. Every page visited is audited
(axe-core, Nu HTML Checker, CSP) and each step is saved as a screenshot under $KVSP_ARTEFACTS
(default: pytest's tmp_path; the folder is printed)."""

# ruff: noqa: F811 (the fixtures of tests/fixtures/workers.py, imported by name)

import csv
import email
import io
import json
import os
import re
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.text import capfirst
from playwright.sync_api import expect

from councils.models import Council, Institution, Role
from monitoring.progress import month_label
from tests.conftest import require
from tests.factories import UserFactory, council, give_role
from tests.fixtures.browser import field, log_in, sq

# The fault tests' worker and fixtures: a private redis-server, the broker pointed at it, the mail folder.
from tests.fixtures.workers import (  # noqa: F401 (fixtures)
    DRAIN_SECONDS,
    SEPARATOR,
    Worker,
    _needs_postgres_and_redis_server,
    broker,
    maildir,
    outbox_all_sent,
    private_redis,
    settled,
    wait_for,
    worker_database_url,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.needs_postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("celery_worker"),  # with the fault tests, on one xdist worker
]
PASSWORD = "sekret-i-forte-2026"
TIRANE = ZoneInfo("Europe/Tirane")
DAY = (2027, 1, 11)  # a Monday in January: the plan of 2027 is approved on time
CODE = re.compile(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}")

CONCERN_DRUGS = "Te stacioni i autobusit pranë shkollës 9-vjeçare u shitet drogë të rinjve çdo mbrëmje."
CONCERN_LIGHTS = "Rruga e lagjes Kristoforidhi është pa ndriçim dhe gratë kanë frikë të kthehen natën."
CONCERN_OTHER = "Më shiten bileta të rreme të autobusit."
PROBLEM_DRUGS = "Shitja e drogës pranë shkollave"
PROBLEM_LIGHTS = "Pasiguria në rrugë gjatë natës"
LESSONS = "Orë edukative ligjore nga prokuroria për të rinjtë"
PATROLS = "Patrullime të përbashkëta pranë shkollave në orët e daljes"
LIGHTS = "Ndriçimi i rrugëve në lagjen Kristoforidhi"
CAMERAS = "Vendosja e kamerave pranë stacionit të autobusit"
MINUTES = "Këshilli shqyrtoi projektplanin e sigurisë dhe e miratoi njëzëri."
SUMMARY = "Në muajin e raportimit u zhvilluan orët edukative dhe patrullimet pranë shkollave."
CHAIR_COMMENT = "Shtoni numrin e nxënësve që morën pjesë."
ANSWER = " Morën pjesë 240 nxënës."


@pytest.fixture
def artefacts(tmp_path):
    folder = Path(os.environ.get("KVSP_ARTEFACTS") or tmp_path / "artefacts")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nKVSP whole-year screenshots: {folder}")
    return folder


@pytest.fixture
def year_worker(transactional_db, private_redis, maildir, tmp_path, settings):
    """A real worker (tests/fixtures/workers.py's), with the test's media folder."""
    logdir = tmp_path / "worker"
    logdir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kvsp.settings.production",
        "DJANGO_SECRET_KEY": "whole-year-" + "x" * 60,
        "DATABASE_URL": worker_database_url(),
        "DJANGO_CONN_MAX_AGE": "0",
        "REDIS_URL": private_redis.url,
        "CELERY_BROKER_URL": private_redis.url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": f"filemail:///{maildir}",
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DJANGO_LOG_LEVEL": "INFO",
    }
    process = Worker(env, logdir)
    process.start()
    yield process
    process.stop()


class Year:
    """The browser, the audit and the screenshots, shared by the steps."""

    def __init__(self, page, live_server, audit, folder):
        self.page = page
        self.url = live_server.url
        self.live_server = live_server
        self.audit = audit
        self.folder = folder
        self.shots = 0

    def shot(self, name: str) -> None:
        self.shots += 1
        self.page.screenshot(path=str(self.folder / f"{self.shots:02d}-{name}.png"), full_page=True)

    def check(self, name: str | None = None) -> None:
        """Audit the page shown now (and screenshot it, when named). The mouse leaves the button
        it last clicked first: axe-core would otherwise measure a hover colour mid-transition."""
        self.page.mouse.move(0, 0)
        self.page.wait_for_timeout(250)
        self.audit(self.page)
        if name:
            self.shot(name)

    def login(self, email: str) -> None:
        self.page.context.clear_cookies()
        self.page.goto(self.url + "/accounts/login/")
        log_in(self.page, self.live_server, email, PASSWORD)
        expect(self.page.get_by_role("heading", level=1)).to_have_text(sq("My councils"))

    def logout(self) -> None:
        self.page.context.clear_cookies()


def _mail_in(folder: Path) -> list[email.message.Message]:
    """Every message the worker handed to the file backend."""
    messages = []
    for path in sorted(folder.glob("*.log")):
        for chunk in path.read_bytes().split(SEPARATOR):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk))
    return messages


def _text_of(message) -> str:
    parts = message.walk() if message.is_multipart() else [message]
    return "\n".join(
        part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8", "replace")
        for part in parts
        if part.get_content_type() == "text/plain"
    )


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(*DAY, hour, minute, tzinfo=TIRANE)


def test_a_councils_whole_year(
    page,
    live_server,
    audit,
    reference_data,
    broker,
    private_redis,
    year_worker,
    maildir,
    artefacts,
    tmp_path,
    request,
):
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    travel = time_machine.travel(at(7), tick=True)
    clock = travel.start()
    request.addfinalizer(travel.stop)
    # --- set-up: Elbasan established, with its people -----------------------------------------
    today = timezone.localdate()
    year, month = today.year, today.month
    Council.objects.filter(municipality__slug="elbasan").update(status=Council.Status.ACTIVE)
    elbasan = council("elbasan")
    municipality = Institution.objects.create(name="Bashkia Elbasan", category="a")
    police = Institution.objects.create(name="Drejtoria Vendore e Policisë Elbasan", category="c")
    prosecution = Institution.objects.create(name="Prokuroria e Rrethit Gjyqësor Elbasan", category="d")
    since = today.replace(month=1, day=1)
    secretary = UserFactory(email="sekretari@elbasan.gov.al", full_name="Dorina Cela", password=PASSWORD)
    skn = UserFactory(email="skn@policia.gov.al", full_name="Arben Hoxha", password=PASSWORD)
    chair = UserFactory(email="kryetari@elbasan.gov.al", full_name="Gazmend Oketa", password=PASSWORD)
    member = UserFactory(email="ilir.basha@prokuroria.gov.al", full_name="Ilir Basha", password=PASSWORD)
    admin = UserFactory(
        email="admin@kvsp.gov.al", full_name="Admin KVSP", password=PASSWORD, is_staff=True, is_superuser=True
    )
    give_role(elbasan, Role.SECRETARY, user=secretary, institution=municipality, start_date=since)
    give_role(elbasan, Role.SKN_POLICE, user=skn, institution=police, start_date=since)
    give_role(elbasan, Role.CHAIR, user=chair, institution=municipality, start_date=since)
    give_role(elbasan, Role.MEMBER, user=member, institution=prosecution, start_date=since)
    # What the beat's DatabaseScheduler keeps in the database: the reminder sweep, for today.
    PeriodicTask.objects.create(
        name="send-reminders",
        task="monitoring.tasks.send_reminders_task",
        crontab=CrontabSchedule.objects.create(minute="0", hour="7,12", timezone="Europe/Tirane"),
        kwargs=json.dumps({"as_of": today.isoformat()}),
    )
    y = Year(page, live_server, audit, artefacts)
    morning = f"{today:%d.%m.%Y} 08:00"
    app = f"{y.url}/app/elbasan/"

    def agree_and_announce():
        """The secretary sends the consultation's agenda to the SKN; the SKN member agrees it from
        their "waiting for you" list; the secretary announces it from theirs."""
        page.get_by_role("button", name=sq("Send the agenda to the SKN for agreement")).click()
        expect(page.get_by_text(sq("The agenda was sent to the SKN for agreement."))).to_be_visible()
        y.check()
        y.login(skn.email)
        page.locator("section#waiting a", has_text=f"{today:%d.%m.%Y}").first.click()
        page.get_by_role("button", name=sq("Agree the agenda on behalf of the SKN")).click()
        expect(page.get_by_text(sq("The agenda was agreed."))).to_be_visible()
        y.check()
        y.login(secretary.email)
        page.locator("section#waiting a", has_text=f"{today:%d.%m.%Y}").first.click()
        page.get_by_role("button", name=sq("Announce publicly")).click()

    # --- 1. the secretary plans and announces the consultation --------------------------------
    y.login(secretary.email)
    page.goto(app)
    y.check()
    page.get_by_role("link", name=sq("Consultations"), exact=True).click()
    y.check()
    page.get_by_role("link", name=sq("Plan an open consultation")).click()
    y.check()
    page.locator("#id_title").fill("Takimi i pranverës")
    page.locator("#id_starts_at").fill(morning)
    page.locator("#id_place").fill("Salla e Këshillit Bashkiak")
    page.get_by_label(police.name).check()
    page.get_by_label(prosecution.name).check()
    page.locator("#id_mayor_name").fill(chair.full_name)
    page.locator("#id_police_chief_name").fill("Arben Hoxha")
    page.locator("#id_prosecutor_name").fill("Fatmir Lleshi")
    page.locator("#id_agenda").fill("Siguria pranë shkollave\nNdriçimi i rrugëve")
    page.locator("main form button[type=submit]").last.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Takimi i pranverës")
    agree_and_announce()
    expect(page.get_by_role("link", name=sq("Public page"))).to_be_visible()
    y.check("consultation-announced")
    consultation_url = page.url
    y.logout()

    # --- 2. citizens raise concerns and keep their codes --------------------------------------
    codes = {}
    for key, text, category in (
        ("drugs", CONCERN_DRUGS, "drugs_alcohol_youth"),
        ("lights", CONCERN_LIGHTS, None),
        ("other", CONCERN_OTHER, None),
    ):
        page.goto(y.url + "/elbasan/concerns/new/")
        if key == "drugs":
            y.check()
        page.get_by_label(sq("Your concern")).fill(text)
        if category:
            page.get_by_label(sq("Category")).select_option(category)
        else:
            page.get_by_label(sq("Category")).select_option(index=1)
        page.get_by_role("button", name=sq("Send the concern")).click()
        code = page.locator(".kvsp-code").inner_text().strip()
        assert CODE.fullmatch(code), code
        expect(page).to_have_url(f"{y.url}/elbasan/concerns/{code}/")
        codes[key] = code
        if key == "drugs":
            y.check("concern-code")
    assert len(set(codes.values())) == 3

    # --- 3. moderation: two published, one set aside (after the consultation began) ------------
    clock.move_to(at(9, 30))
    y.login(secretary.email)
    page.goto(app + "concerns/")
    y.check("moderation-queue")
    for key in ("drugs", "lights"):
        page.goto(app + "concerns/")
        page.get_by_role("link", name=codes[key]).click()
        if key == "drugs":
            y.check()
        page.get_by_role("button", name=sq("Publish")).click()
        expect(page.get_by_text(sq("The concern was published."))).to_be_visible()
    y.check("concern-published")
    page.goto(app + "concerns/")
    page.get_by_role("link", name=codes["other"]).click()
    page.get_by_label(sq("Why it is not published")).fill("Nuk është çështje e sigurisë publike.")
    page.get_by_role("button", name=sq("Do not publish")).click()
    y.check("concern-set-aside")
    # The meeting was this morning: who came, which marks it held.
    page.goto(consultation_url)
    page.get_by_role("link", name="Regjistroni pjesëmarrjen").click()
    y.check()
    page.get_by_label("të rinjtë: gra").fill("12")
    page.get_by_label("të rinjtë: burra").fill("9")
    page.get_by_label("Përmbledhje e diskutimit").fill("U diskutua droga pranë shkollave dhe ndriçimi.")
    page.get_by_role("button", name="Ruaj pjesëmarrjen").click()
    expect(page.get_by_text("Pjesëmarrja u regjistrua.")).to_be_visible()
    expect(page.locator("tfoot")).to_contain_text("21")
    y.check("consultation-held")
    y.logout()

    # --- 4. the SKN prioritises the concerns into problems -------------------------------------
    y.login(skn.email)
    page.goto(consultation_url)
    page.get_by_role("link", name=sq("Prioritise the concerns")).click()
    y.check("prioritisation")
    for key, title, intensity, institution in (
        ("drugs", PROBLEM_DRUGS, "high", police),
        ("lights", PROBLEM_LIGHTS, "moderate", municipality),
    ):
        page.get_by_role("checkbox", name=re.compile(codes[key])).check()
        page.get_by_label(sq("Name of the new problem")).fill(title)
        page.get_by_role("button", name=sq("Group the ticked concerns")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(sq("Assess the problem"))
        page.get_by_label(sq("Risk intensity")).select_option(intensity)
        page.get_by_label(sq("Reasons for this assessment")).fill("Ndodh çdo ditë dhe prek të rinjtë.")
        page.get_by_label(sq("Statistics")).fill("38 raste në vitin e kaluar.")
        page.get_by_label(sq("Source of the statistics")).fill(police.name)
        page.get_by_label(institution.name, exact=True).check()
        page.get_by_label(re.compile(sq("Decision"))).select_option("in_plan")
        page.get_by_role("button", name=sq("Save"), exact=True).click()
        expect(page.get_by_text(sq("The problem was saved."))).to_be_visible()
    y.check("problems-prioritised")

    # --- 5. the plan is drafted and sent to the chair --------------------------------------------
    page.goto(app)
    page.get_by_role("link", name=sq("Plans"), exact=True).click()
    y.check()
    page.get_by_label(sq("Year of the plan")).fill(str(year))
    page.get_by_role("button", name=sq("Open the plan of this year")).click()
    base = f"/app/elbasan/plans/{year}/v1/"
    expect(page).to_have_url(y.url + base)
    page.locator(f"a[href='{base}pull/']").first.click()
    y.check()
    page.get_by_label(PROBLEM_DRUGS).check()
    page.get_by_label(PROBLEM_LIGHTS).check()
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("#plan-rows")).to_contain_text(PROBLEM_DRUGS)
    expect(page.locator("#plan-rows")).to_contain_text(PROBLEM_LIGHTS)
    rows = {
        title: page.locator("#plan-rows [id^=problem-]", has_text=title)
        .first.get_attribute("id")
        .split("-")[1]
        for title in (PROBLEM_DRUGS, PROBLEM_LIGHTS)
    }

    def add_activity(row_pk, text, lead, kind_index, extra):
        page.locator(f"a[href='{base}problems/{row_pk}/activities/add/']").click()
        slot = f"activity-new-{row_pk}"
        expect(page.locator(f"#{slot}_text")).to_be_visible()
        page.locator(f"#{slot}_text").fill(text)
        page.locator(f"#{slot}_lead").select_option(str(lead.pk))
        page.locator(f"#{slot}_deadline_kind_{kind_index}").check()
        extra(slot)
        page.locator(f"#form-{slot} button[type=submit]").click()
        expect(page.locator(f"#problem-{row_pk}")).to_contain_text(text)

    soon = today + timedelta(days=3)  # a deadline in three days: the sweep's reminder
    add_activity(
        rows[PROBLEM_DRUGS],
        LESSONS,
        prosecution,
        0,
        lambda slot: page.locator(f"#{slot}_deadline_date").fill(f"{soon:%d.%m.%Y}"),
    )
    add_activity(rows[PROBLEM_DRUGS], PATROLS, police, 3, lambda slot: None)
    add_activity(
        rows[PROBLEM_LIGHTS],
        LIGHTS,
        municipality,
        1,
        lambda slot: page.locator(f"#{slot}_deadline_period").select_option("h2"),
    )
    y.check("plan-draft")
    page.get_by_role("button", name=sq("Send to the chair for approval")).click()
    expect(page.get_by_text(sq("The plan was sent to the chair for approval."))).to_be_visible()
    y.check("plan-submitted")
    y.logout()

    # --- 6. the council meeting: planned, invitations, attendance, minutes ---------------------
    y.login(secretary.email)
    page.goto(app)
    page.get_by_role("link", name=sq("Meetings")).first.click()
    y.check()
    page.get_by_role("link", name=sq("Plan a meeting")).click()
    page.get_by_label(sq("Type")).select_option("council")
    page.get_by_label(sq("Title")).fill("Miratimi i planit vendor të sigurisë")
    page.get_by_label("Data dhe ora").fill(f"{today:%d.%m.%Y} 10:00")
    page.get_by_label(sq("Place")).fill("Salla e Këshillit Bashkiak")
    page.get_by_role("button", name=sq("Plan")).click()
    expect(page.get_by_text(sq("The meeting was planned."))).to_be_visible()
    meeting_url = page.url
    meeting_pk = re.search(r"/meetings/(\d+)/", meeting_url).group(1)
    page.get_by_role("link", name=sq("Add an agenda item")).click()
    page.get_by_label(sq("Item")).fill("Projektplani vendor i sigurisë")
    page.get_by_role("button", name=sq("Add")).click()
    # The guide's order: the SKN agrees the agenda, then the invitations go out.
    from councils.meetings import services as meeting_services
    from councils.meetings.models import Meeting

    meeting_services.agenda_agree(meeting=Meeting.objects.get(pk=meeting_pk), user=skn)
    page.reload()
    page.get_by_role("link", name=sq("Send invitations")).click()
    y.check()
    page.get_by_role("button", name=sq("Send")).click()
    expect(page.locator(".alert-success").first).to_be_visible()
    # Half an hour into the meeting: who came, the council's decision, the minutes.
    clock.move_to(at(10, 30))
    y.login(secretary.email)
    page.goto(meeting_url)
    page.get_by_role("link", name=sq("Record attendance")).click()
    y.check()
    page.get_by_role("button", name="Ruaj pjesëmarrjen").click()
    expect(page.get_by_text("Pjesëmarrja u regjistrua.")).to_be_visible()
    page.get_by_role("link", name=sq("Record a decision")).click()
    page.get_by_label(sq("Agenda item")).select_option(index=1)
    field(page, sq("Decision")).fill("Miratohet plani vendor i sigurisë për vitin 2027.")
    page.get_by_role("button", name=sq("Record")).click()
    expect(page.locator(".alert-success").filter(has_text=re.compile(r"1/2027"))).to_be_visible()
    y.check()
    page.get_by_role("link", name=sq("Write the minutes")).click()
    expect(page.get_by_label(sq("Minutes"))).to_have_value("1. Projektplani vendor i sigurisë")
    page.get_by_label(sq("Minutes")).fill(MINUTES)
    page.get_by_role("button", name=sq("Save and submit for approval")).click()
    expect(page.get_by_text(sq("The minutes were saved and submitted for approval."))).to_be_visible()
    y.check("meeting-held")
    y.logout()

    # --- 7. the chair approves the minutes and the plan ----------------------------------------
    y.login(chair.email)
    page.goto(meeting_url)
    page.get_by_role("link", name=sq("Approve the minutes")).click()
    y.check()  # the approval page: the minutes as they will read, approve or return side by side
    page.get_by_role("button", name=sq("Approve"), exact=True).click()
    expect(page.get_by_text(sq("The minutes were approved and are now locked."))).to_be_visible()
    y.check("minutes-approved")
    page.goto(y.url + base)
    page.get_by_role("link", name=sq("Approve"), exact=True).click()
    y.check()
    page.get_by_label(sq("Decision of the council that approved the plan")).select_option(index=1)
    page.get_by_role("button", name=sq("Approve and publish")).click()
    expect(page.get_by_text(sq("The plan was approved and published."))).to_be_visible()
    y.check("plan-approved")
    y.logout()

    # --- 8. the published plan: the page and its four files agree ------------------------------
    page.goto(y.url + "/elbasan/")
    y.check()
    page.goto(y.url + "/elbasan/plan/")
    expect(page).to_have_url(f"{y.url}/elbasan/plan/{year}/")
    for text in (PROBLEM_DRUGS, PROBLEM_LIGHTS, LESSONS, PATROLS, LIGHTS):
        expect(page.locator("main")).to_contain_text(text)
    y.check("plan-published")
    links = {}
    for kind in ("pdf", "csv", "json", "docx"):
        href = page.locator(f"main a[href$='plan.{kind}']").first.get_attribute("href")
        links[kind] = y.url + href if href.startswith("/") else href

    def pdf_ready():
        response = page.context.request.get(links["pdf"])
        return response if response.status == 200 and response.body().startswith(b"%PDF") else None

    pdf = wait_for(pdf_ready, timeout=60, what="the worker to render the plan's PDF", log=year_worker.log)
    files = {kind: page.context.request.get(links[kind]) for kind in ("csv", "json", "docx")}
    assert all(response.status == 200 for response in files.values())
    data = json.loads(files["json"].text())
    plan_rows = sorted((p["title"], a["text"]) for p in data["problems"] for a in p["activities"])
    assert plan_rows == sorted([(PROBLEM_DRUGS, LESSONS), (PROBLEM_DRUGS, PATROLS), (PROBLEM_LIGHTS, LIGHTS)])
    table = list(csv.reader(io.StringIO(files["csv"].body().decode("utf-8-sig"))))
    csv_rows = sorted(
        (title, activity)
        for line in table[1:]
        for title, activity in plan_rows
        if activity in line and title in line
    )
    assert csv_rows == plan_rows
    import docx

    document = docx.Document(io.BytesIO(files["docx"].body()))
    docx_text = "\n".join(cell.text for t in document.tables for line in t.rows for cell in line.cells)
    require(bool(shutil.which("pdftotext")), "pdftotext not found (apt-get install poppler-utils)")
    (tmp_path / "plan.pdf").write_bytes(pdf.body())
    pdf_text = " ".join(
        subprocess.run(
            ["pdftotext", "-layout", str(tmp_path / "plan.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    )
    for title, activity in plan_rows:
        assert title in docx_text and activity in docx_text
        for text in (title, activity):
            assert " ".join(text.split()[:3]) in pdf_text, text

    # --- 9. monthly status updates --------------------------------------------------------------
    y.login(skn.email)
    dashboard = app + "monitoring/"
    page.goto(dashboard)
    y.check("monitoring")
    for activity, status, progress in ((PATROLS, "in_progress", "60"), (LIGHTS, "in_progress", "30")):
        page.goto(dashboard)
        page.get_by_role("link", name=activity).click()
        field(page, sq("Status")).select_option(status)
        field(page, sq("Progress (%)")).fill(progress)
        field(page, sq("As of")).fill(f"{today:%d.%m.%Y}")
        field(page, sq("Note")).fill(f"Përditësim i muajit: {progress}%.")
        page.get_by_role("button", name=sq("Save the update")).click()
        expect(page.get_by_text(sq("The update was recorded."))).to_be_visible()
    y.check("status-update")
    page.goto(dashboard)
    expect(
        page.get_by_role("row", name=re.compile(re.escape(PATROLS))).get_by_role("cell", name="60%")
    ).to_be_visible()
    y.check()

    # --- 10. the monthly report: submitted, returned, approved, published ----------------------
    reports = dashboard + "reports/"
    report_url = f"{reports}{year}/{month}/"
    page.goto(reports)
    field(page, sq("Month")).select_option(f"{year}-{month:02d}")
    page.get_by_role("button", name=sq("Start the report of this month")).click()
    expect(page).to_have_url(report_url)
    page.get_by_role("link", name=sq("Write the narrative")).click()
    field(page, sq("Summary")).fill(SUMMARY)
    page.get_by_role("button", name=sq("Save"), exact=True).click()
    page.get_by_role("button", name=sq("Submit to the chair")).click()
    expect(page.get_by_text(sq("The report was sent to the chair for approval."))).to_be_visible()
    y.check("report-submitted")
    y.login(chair.email)
    page.goto(report_url)
    page.get_by_role("link", name=sq("Return with comments")).click()
    field(page, sq("What needs to change")).fill(CHAIR_COMMENT)
    page.get_by_role("button", name=sq("Return the report")).click()
    expect(page.get_by_text(sq("The report was returned with your comments."))).to_be_visible()
    y.check("report-returned")
    y.login(skn.email)
    page.goto(report_url)
    expect(page.get_by_text(CHAIR_COMMENT)).to_be_visible()
    page.get_by_role("link", name=sq("Write the narrative")).click()
    field(page, sq("Summary")).fill(SUMMARY + ANSWER)
    page.get_by_role("button", name=sq("Save"), exact=True).click()
    page.get_by_role("button", name=sq("Submit to the chair")).click()
    expect(page.get_by_text(sq("The report was sent to the chair for approval."))).to_be_visible()
    y.login(chair.email)
    page.goto(report_url)
    page.get_by_role("link", name=sq("Approve"), exact=True).click()
    y.check()
    page.get_by_role("button", name=sq("Approve"), exact=True).click()
    expect(
        page.get_by_text(sq("The report was approved. Publish it when the public should read it."))
    ).to_be_visible()
    page.get_by_role("button", name=sq("Publish"), exact=True).click()
    expect(page.get_by_text(sq("The report is published on the council's public page."))).to_be_visible()
    y.check("report-approved-published")
    y.logout()
    page.goto(f"{y.url}/elbasan/reports/")
    with translation.override("sq"):
        month_name = capfirst(month_label(year, month))
    page.get_by_role("link", name=month_name, exact=True).click()
    expect(page.locator("main")).to_contain_text(SUMMARY + ANSWER)
    y.check("report-public")
    report_pdf = page.context.request.get(page.url + "report.pdf")
    assert report_pdf.status == 200 and report_pdf.body().startswith(b"%PDF")

    # --- 11. reminders: the sweep runs in the worker, its e-mails are delivered by it ------------
    y.login(admin.email)
    page.goto(y.url + "/admin/django_celery_beat/periodictask/")
    y.check()
    page.locator("input[name=_selected_action]").first.check()
    page.locator("select[name=action]").select_option("run_tasks")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    y.shot("sweep-run-now")

    def reminder_mail():
        return [m for m in _mail_in(maildir) if LESSONS in _text_of(m)]

    wait_for(
        reminder_mail, timeout=DRAIN_SECONDS, what="the worker to send the reminders", log=year_worker.log
    )
    wait_for(outbox_all_sent, timeout=DRAIN_SECONDS, what="the outbox to be sent", log=year_worker.log)
    assert "send_reminders_task" in year_worker.text()
    # Each from the outbox, under its key (the sent-log's), once.
    keys = [m["X-KVSP-Key"] for m in reminder_mail()]
    assert all(keys) and len(keys) == len(set(keys)), keys
    recipients = {m["To"] for m in reminder_mail()}
    assert skn.email in recipients, recipients
    y.login(skn.email)
    page.get_by_role("link", name=sq("Notifications"), exact=False).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sq("Notifications"))
    expect(page.locator("main")).to_contain_text(LESSONS)
    y.check("notifications")

    # --- 12. the next consultation shows what we did ---------------------------------------------
    y.login(secretary.email)
    page.goto(app + "consultations/")
    page.get_by_role("link", name=sq("Plan an open consultation")).click()
    page.locator("#id_title").fill("Takimi i vjeshtës")
    page.locator("#id_starts_at").fill(f"{today:%d.%m.%Y} 23:00")
    page.locator("#id_place").fill("Shtëpia e kulturës, Shirgjan")
    page.locator("#id_mayor_name").fill(chair.full_name)
    page.locator("#id_police_chief_name").fill("Arben Hoxha")
    page.locator("#id_prosecutor_name").fill("Fatmir Lleshi")
    page.locator("#id_agenda").fill("Ecuria e planit\nShqetësimet e reja")
    page.locator("main form button[type=submit]").last.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Takimi i vjeshtës")
    agree_and_announce()
    page.get_by_role("link", name=sq("Public page")).click()
    y.check()
    page.get_by_role(
        "link", name=sq("Progress of the council's plan, as reported at this consultation")
    ).click()
    for text in (PATROLS, LIGHTS, "60%"):
        expect(page.locator("main")).to_contain_text(text)
    y.check("next-consultation-progress")
    page.goto(y.url + "/elbasan/consultations/")
    page.locator("li", has_text="Takimi i pranverës").get_by_role("link").first.click()
    card = page.locator("article", has=page.get_by_role("heading", name=PROBLEM_DRUGS))
    expect(card).to_contain_text("Në plan")
    expect(card.get_by_role("link", name=re.compile(re.escape(PROBLEM_DRUGS)))).to_have_attribute(
        "href", re.compile(rf"/elbasan/plan/{year}/v1/#row-")
    )  # the plan row the problem became
    # and where its activities are today: the patrols at 60 %, the lessons not started
    expect(page.locator("main li", has_text=PROBLEM_DRUGS)).to_contain_text("30%")
    y.check("what-we-did")

    # --- 13. the plan is revised and compared ----------------------------------------------------
    page.goto(f"{y.url}/app/elbasan/plans/{year}/v1/")
    page.get_by_role("button", name=sq("Revise: start a new draft from this version")).click()
    base = f"/app/elbasan/plans/{year}/v2/"
    expect(page).to_have_url(y.url + base)
    drugs_v2 = page.locator("#plan-rows [id^=problem-]", has_text=PROBLEM_DRUGS).first.get_attribute("id")
    add_activity(drugs_v2.split("-")[1], CAMERAS, municipality, 3, lambda slot: None)
    y.check("plan-revised")
    page.get_by_role("link", name=sq("Compare with version %(number)s") % {"number": 1}).click()
    expect(page).to_have_url(re.compile(r"/compare/\?a=1&b=2$"))
    expect(page.locator("main")).to_contain_text(CAMERAS)
    expect(page.locator("main")).to_contain_text(PROBLEM_LIGHTS)  # among the unchanged problems
    y.check("plan-compared")

    # --- 14. the compliance overview reflects the year --------------------------------------------
    y.logout()
    page.goto(y.url + "/")
    page.get_by_role("link", name=sq("The national overview")).click()
    y.check()
    page.goto(f"{y.url}/compliance/?year={year}&county=elbasan")
    page.locator("table.kvsp-overview tbody").get_by_role("link", name="Elbasan", exact=True).click()
    for check in ("plan", "consultations", "reports", "council_meetings"):
        expect(page.locator(f"#check-{check}")).to_be_visible()
    # The plan was approved on 11 January: on time.
    expect(page.locator("#check-plan")).to_contain_text(sq("met"))
    # January's report is due by the end of February: not yet due, with the approved report as
    # its evidence.
    expect(page.locator("#check-reports")).to_contain_text(sq("not yet due"))
    expect(page.locator("#check-reports")).to_contain_text(month_name.lower())
    expect(page.locator("#check-concerns")).to_be_visible()
    expect(page.locator("#check-consultations")).to_contain_text("1")  # the morning's, held
    y.check("compliance")
    wait_for(lambda: settled(private_redis, year_worker), timeout=DRAIN_SECONDS, what="the worker to settle")
    print(f"KVSP whole-year: {y.shots} screenshots in {artefacts}; {len(audit.pages)} pages audited")
