"""Months pass for Elbasan's council, in Chromium, in Albanian: the clock really moves (time-machine).

tests/e2e/test_whole_year.py runs the yearly cycle on one day. Here the same process — the test and
the live server's thread — travels through 2027 (``time_machine.travel(..., tick=True)``, moved on
with ``move_to``), and the browser is used on the days a council's people would use it:

- set-up, Friday 8 January (factories and services): the council with its people; the winter's open
  consultation, held that morning, whose problem the SKN took into the plan; the plan of 2027 with
  three activities — the prosecution's lessons due by 29 January, the police's patrols all year,
  the municipality's street lighting in the first six months — approved at the council meeting;
- Tuesday 12 January: the SKN member records two status updates; nothing is overdue yet;
- Wednesday 3 February, 07:00: the beat's reminder sweep (``send_reminders_task``, run eagerly with
  no date: it reads the travelled clock). The technical secretary finds "the report of January is
  due" in the notification centre, and its e-mail was sent; the SKN member finds it too, with the
  lessons now overdue, which the working board shows with the missed date;
- Wednesday 24 February: the January report, late in the month it is due in, is started, written
  and submitted by the SKN member; the chair opens it from the notification, approves and publishes
  it; the public reports page lists it, with the overdue lessons and the patrols in progress;
- Monday 5 July, six months on: the sweep says an open consultation is due; the secretary plans and
  announces the summer's one; its public progress page shows January's updates as of today, the
  lessons and now the street lighting (due 30 June) overdue; the winter consultation's "what we did"
  shows where its plan row stands; the national compliance overview lists Elbasan among the
  councils missing monthly reports, and its record names the one month reported and the four
  missing.

Every page visited is audited (axe-core, Nu HTML Checker, CSP). After each jump the session has
expired (the test checks it once), so each person signs in again, with the TOTP code of the travelled
clock. Cookies carry Max-Age, which the browser counts on its own (real) clock, so the fixed dates
work whatever today's date is."""

import os
import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import ngettext
from playwright.sync_api import expect

from consultations import lifecycle as consultation_lifecycle
from consultations import services as consultation_services
from consultations.models import Concern
from consultations.models import Problem as ConsultationProblem
from councils.meetings import services as meeting_services
from councils.models import Council, Institution, Role
from monitoring.progress import month_label
from monitoring.tasks import send_reminders_task
from plans import services as plan_services
from tests.builders import announce_consultation, approve_by_decision
from tests.factories import UserFactory, council, give_role
from tests.fixtures.browser import field, log_in, sq

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2027
TIRANE = ZoneInfo("Europe/Tirane")
PASSWORD = "sekret-i-forte-2027"
CONCERN = "Te stacioni i autobusit pranë shkollës 9-vjeçare u shitet drogë të rinjve çdo mbrëmje."
PROBLEM_DRUGS = "Shitja e drogës pranë shkollave"
PROBLEM_LIGHTS = "Pasiguria në rrugë gjatë natës"
LESSONS = "Orë edukative ligjore nga prokuroria për të rinjtë"
PATROLS = "Patrullime të përbashkëta pranë shkollave në orët e daljes"
LIGHTS = "Ndriçimi i rrugëve në lagjen Kristoforidhi"
LESSONS_DUE = date(YEAR, 1, 29)
SUMMARY = "Në janar nisën patrullimet pranë shkollave dhe punimet për ndriçimin; orët edukative mbetën pas."


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A moment of 2027 in Albania."""
    return datetime(YEAR, month, day, hour, minute, tzinfo=TIRANE)


def sq_n(singular: str, plural: str, n: int) -> str:
    with translation.override("sq"):
        return ngettext(singular, plural, n)


def sq_month(month: int) -> str:
    """A month of 2027 as the Albanian interface names it ("janar 2027")."""
    with translation.override("sq"):
        return month_label(YEAR, month)


def day(value: date) -> str:
    return f"{value:%d.%m.%Y}"


class Browser:
    """The browser and the audit, shared by the steps."""

    def __init__(self, page, live_server, audit):
        self.page = page
        self.url = live_server.url
        self.live_server = live_server
        self.audit = audit
        folder = os.environ.get("KVSP_ARTEFACTS")
        self.folder = Path(folder) if folder else None
        self.shots = 0

    def check(self, name: str | None = None) -> None:
        """Audit the page shown now (and, when named and $KVSP_ARTEFACTS is set, save a
        screenshot of it there). The mouse leaves the button it last clicked first: axe-core
        would otherwise measure a hover colour mid-transition."""
        self.page.mouse.move(0, 0)
        self.page.wait_for_timeout(250)
        self.audit(self.page)
        if name and self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.shots += 1
            self.page.screenshot(path=str(self.folder / f"{self.shots:02d}-{name}.png"), full_page=True)

    def login(self, email: str) -> None:
        """Sign in afresh (the session of a month ago has long expired), second factor included."""
        self.page.context.clear_cookies()
        self.page.goto(self.url + "/accounts/login/")
        log_in(self.page, self.live_server, email, PASSWORD)
        expect(self.page.get_by_role("heading", level=1)).to_have_text(sq("My councils"))

    def logout(self) -> None:
        self.page.context.clear_cookies()

    def waiting(self):
        """The "waiting for you" list at the top of /app/ (where signing in lands)."""
        self.check("waiting")
        return self.page.locator("section#waiting")

    def notifications(self):
        """Open the notification centre from the top bar ("Njoftimet", with the unread count)."""
        self.page.get_by_role("link", name=sq("Notifications"), exact=False).first.click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text(sq("Notifications"))
        self.check("notifications")
        return self.page.locator("main li.list-group-item")


def _set_up():
    """Friday 8 January 2027, by services: Elbasan's council with its people, the winter's open
    consultation (held this morning; its problem taken into the plan), and the plan of 2027
    approved at the council meeting that followed."""
    Council.objects.filter(municipality__slug="elbasan").update(status=Council.Status.ACTIVE)
    elbasan = council("elbasan")
    municipality = Institution.objects.create(name="Bashkia Elbasan", category="a")
    police = Institution.objects.create(name="Drejtoria Vendore e Policisë Elbasan", category="c")
    prosecution = Institution.objects.create(name="Prokuroria e Rrethit Gjyqësor Elbasan", category="d")
    since = date(YEAR, 1, 1)
    people = {
        "secretary": UserFactory(
            email="sekretari@elbasan.gov.al", full_name="Dorina Cela", password=PASSWORD
        ),
        "skn": UserFactory(email="skn@policia.gov.al", full_name="Arben Hoxha", password=PASSWORD),
        "chair": UserFactory(email="kryetari@elbasan.gov.al", full_name="Gazmend Oketa", password=PASSWORD),
        "prosecutor": UserFactory(
            email="ilir.basha@prokuroria.gov.al", full_name="Ilir Basha", password=PASSWORD
        ),
    }
    for key, role, institution in (
        ("secretary", Role.SECRETARY, municipality),
        ("skn", Role.SKN_POLICE, police),
        ("chair", Role.CHAIR, municipality),
        ("prosecutor", Role.MEMBER, prosecution),
    ):
        give_role(elbasan, role, user=people[key], institution=institution, start_date=since)

    winter = consultation_lifecycle.consultation_create(
        council=elbasan,
        starts_at=at(1, 8, 8),
        place="Salla e Këshillit Bashkiak",
        title="Takimi i dimrit",
        co_leads=[police, prosecution],
    )
    announce_consultation(winter)
    concern = consultation_services.concern_submit(
        council=elbasan,
        text=CONCERN,
        category="drugs_alcohol_youth",
        source=Concern.Source.ORAL,
        consultation=winter,
        entered_by=people["secretary"],
    )
    consultation_services.concern_publish(concern=concern, public_text=CONCERN, user=people["secretary"])
    consultation_lifecycle.participation_record(
        consultation=winter, counts={"youth": (12, 9, 0)}, summary="U diskutua droga pranë shkollave."
    )
    heard = consultation_services.problem_create(consultation=winter, title=PROBLEM_DRUGS, concerns=[concern])
    heard = consultation_services.problem_assess(
        problem=heard,
        title=PROBLEM_DRUGS,
        intensity="high",
        reasons="Ndodh çdo ditë dhe prek të rinjtë.",
        statistics="38 raste në vitin e kaluar.",
        statistics_source=police.name,
        institutions=[police],
        outcome=ConsultationProblem.Outcome.IN_PLAN,
    )

    meeting = meeting_services.meeting_create(
        council=elbasan,
        kind="council",
        starts_at=at(1, 8, 10),
        place="Salla e Këshillit Bashkiak",
        title="Miratimi i planit vendor të sigurisë",
    )
    meeting_services.attendance_record(meeting=meeting, entries=[])
    version = plan_services.plan_start(council=elbasan, year=YEAR)
    [drugs] = plan_services.problems_pull(version=version, problems=[heard])
    lights = plan_services.problem_add(
        version=version, number="1.2", title=PROBLEM_LIGHTS, priority="moderate"
    )
    plan_services.activity_add(
        problem=drugs, text=LESSONS, lead=prosecution, deadline_kind="date", deadline_date=LESSONS_DUE
    )
    plan_services.activity_add(problem=drugs, text=PATROLS, lead=police, deadline_kind="all_year")
    plan_services.activity_add(
        problem=lights, text=LIGHTS, lead=municipality, deadline_kind="period", deadline_period="h1"
    )
    approve_by_decision(version, chair=people["chair"], meeting=meeting, submitted_by=people["skn"])
    return people


def _sweep() -> int:
    """The beat's reminder sweep, run eagerly in this process, without a date: today's, as the
    travelled clock says."""
    return send_reminders_task.apply().get()


def _mail_to(address: str, text: str) -> list:
    return [m for m in mail.outbox if address in m.to and (text in m.subject or text in m.body)]


def test_the_months_pass(page, live_server, audit, reference_data):
    b = Browser(page, live_server, audit)
    app = f"{b.url}/app/elbasan/"
    dashboard = app + "monitoring/"

    with time_machine.travel(at(1, 8, 11), tick=True) as clock:
        people = _set_up()
        secretary, skn, chair = people["secretary"], people["skn"], people["chair"]

        # --- Tuesday 12 January: the SKN member records where two activities stand -----------
        clock.move_to(at(1, 12, 9))
        b.login(skn.email)
        page.goto(dashboard)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            sq("Monitoring of the plan %(year)s") % {"year": YEAR}
        )
        expect(page.locator("main")).to_contain_text(sq("No activity is overdue."))
        b.check()
        for activity, progress in ((PATROLS, "40"), (LIGHTS, "25")):
            page.goto(dashboard)
            page.get_by_role("link", name=activity).click()
            expect(page.get_by_role("heading", level=1)).to_contain_text(activity)
            # The form is dated today: the travelled clock's day.
            expect(field(page, sq("As of"))).to_have_value(f"12.01.{YEAR}")
            field(page, sq("Status")).select_option("in_progress")
            field(page, sq("Progress (%)")).fill(progress)
            field(page, sq("Note")).fill(f"Përditësim i janarit: {progress}%.")
            page.get_by_role("button", name=sq("Save the update")).click()
            expect(page.get_by_text(sq("The update was recorded."))).to_be_visible()
        b.check()
        page.goto(dashboard)
        for activity, progress in ((PATROLS, "40%"), (LIGHTS, "25%")):
            row = page.get_by_role("row", name=re.compile(re.escape(activity)))
            expect(row.get_by_role("cell", name=progress, exact=True)).to_be_visible()
            expect(row.get_by_role("cell", name="12.01.2027", exact=True)).to_be_visible()
        expect(page.locator("main")).to_contain_text(sq("No activity is overdue."))
        b.check("board-january")

        # --- Wednesday 3 February, 07:00: the sweep; January's report is due ---------------
        clock.move_to(at(2, 3, 7))
        assert _sweep() > 0
        report_due = sq("The monitoring report of %(month)s is due") % {"month": sq_month(1)}
        overdue_title = sq("Activity %(number)s is overdue") % {"number": "1.1.1"}
        # ... and their e-mails went out through the outbox: to the secretary, and to the
        # prosecution (the lessons' lead institution) about the overdue lessons.
        assert _mail_to(secretary.email, report_due), [m.subject for m in mail.outbox]
        assert _mail_to(people["prosecutor"].email, LESSONS), [m.subject for m in mail.outbox]

        clock.move_to(at(2, 3, 8, 30))
        # The SKN member's session of 12 January has expired: the working pages ask for a login.
        page.goto(dashboard)
        expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
        b.check()
        b.login(secretary.email)
        items = b.notifications()
        due_item = items.filter(has_text=report_due)
        expect(due_item).to_have_count(1)
        expect(due_item).to_contain_text(sq("Write it and send it to the chair by the end of this month."))
        expect(due_item).to_contain_text("03.02.2027")
        due_item.get_by_role("button", name=sq("Open")).click()
        expect(page).to_have_url(dashboard + "reports/")
        expect(page.get_by_role("heading", level=1)).to_have_text(sq("Monthly monitoring reports"))
        b.check("secretary-opens-report-due")

        b.login(skn.email)
        items = b.notifications()
        expect(items.filter(has_text=report_due)).to_have_count(1)
        overdue_item = items.filter(has_text=overdue_title)
        expect(overdue_item).to_contain_text(LESSONS)
        expect(overdue_item).to_contain_text(day(LESSONS_DUE))
        overdue_item.get_by_role("button", name=sq("Open")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(LESSONS)
        expect(page.locator("#standing-heading + p")).to_contain_text(sq("Overdue"))
        b.check()
        # The working board: the lessons are overdue, with the date they missed.
        page.get_by_role("link", name=sq("Monitoring"), exact=True).click()
        overdue = page.locator("section[aria-labelledby=overdue-heading]")
        expect(overdue.get_by_role("listitem")).to_have_count(1)
        expect(overdue).to_contain_text(LESSONS)
        expect(overdue).to_contain_text(f"{sq('Missed due dates:')} {day(LESSONS_DUE)}")
        lessons_row = page.get_by_role("row", name=re.compile(re.escape(LESSONS)))
        expect(lessons_row).to_contain_text(sq("Overdue"))
        for activity in (PATROLS, LIGHTS):
            expect(page.get_by_role("row", name=re.compile(re.escape(activity)))).not_to_contain_text(
                sq("Overdue")
            )
        b.check("board-february-overdue")

        # --- Wednesday 24 February: January's report, late in February ------------------------
        clock.move_to(at(2, 24, 10))
        b.login(skn.email)
        page.goto(dashboard + "reports/")
        field(page, sq("Month")).select_option(f"{YEAR}-01")
        page.get_by_role("button", name=sq("Start the report of this month")).click()
        report_url = f"{dashboard}reports/{YEAR}/1/"
        expect(page).to_have_url(report_url)
        # Filled in from the month's data, as the month ended: the lessons overdue since 29.01.
        expect(page.locator("#report-table-overdue")).to_contain_text(LESSONS)
        expect(page.locator("#report-table-progress")).to_contain_text(PATROLS)
        b.check("report-submitted")
        page.get_by_role("link", name=sq("Write the narrative")).click()
        field(page, sq("Summary")).fill(SUMMARY)
        page.get_by_role("button", name=sq("Save"), exact=True).click()
        expect(page.get_by_text(sq("The report was saved."))).to_be_visible()
        page.get_by_role("button", name=sq("Submit to the chair")).click()
        expect(page.get_by_text(sq("The report was sent to the chair for approval."))).to_be_visible()
        b.check()

        b.login(chair.email)
        waiting = sq("The monitoring report of %(month)s waits for your approval") % {"month": sq_month(1)}
        items = b.notifications()
        items.filter(has_text=waiting).get_by_role("button", name=sq("Open")).click()
        expect(page).to_have_url(report_url + "approve/")
        expect(page.get_by_role("heading", level=1)).to_have_text(sq("Approve the report"))
        b.check()
        page.get_by_role("button", name=sq("Approve"), exact=True).click()
        expect(
            page.get_by_text(sq("The report was approved. Publish it when the public should read it."))
        ).to_be_visible()
        page.get_by_role("button", name=sq("Publish"), exact=True).click()
        expect(page.get_by_text(sq("The report is published on the council's public page."))).to_be_visible()
        b.check("report-approved-published")
        b.logout()

        page.goto(f"{b.url}/elbasan/reports/")
        entry = page.locator("main li", has_text=capfirst(sq_month(1)))
        expect(entry).to_contain_text("24.02.2027")  # approved on
        b.check()
        entry.get_by_role("link", name=capfirst(sq_month(1)), exact=True).click()
        expect(page).to_have_url(f"{b.url}/elbasan/reports/{YEAR}/1/")
        main = page.locator("main")
        expect(main).to_contain_text(SUMMARY)
        expect(main).to_contain_text(sq("Data as of %(day)s") % {"day": "31.01.2027"})
        expect(page.locator("#report-table-overdue")).to_contain_text(LESSONS)
        expect(page.locator("#report-table-overdue")).to_contain_text(day(LESSONS_DUE))
        # numbered as on the board and in the reminder
        expect(page.locator("#report-table-overdue th[scope=row]")).to_have_text(["1.1.1"])
        progress_rows = page.locator("#report-table-progress")
        expect(progress_rows.get_by_role("row", name=re.compile(re.escape(PATROLS)))).to_contain_text("40%")
        expect(progress_rows.get_by_role("row", name=re.compile(re.escape(LIGHTS)))).to_contain_text("25%")
        b.check("public-report-january")

        # --- Monday 5 July, six months on: a consultation is due -------------------------------
        clock.move_to(at(7, 5, 7))
        assert _sweep() > 0
        clock.move_to(at(7, 5, 9))
        b.login(secretary.email)
        items = b.notifications()
        consultation_due = items.filter(has_text=sq("An open consultation with citizens is due"))
        expect(consultation_due).to_contain_text(
            sq("The last one was on %(date)s; the next should take place by %(limit)s.")
            % {"date": "08.01.2027", "limit": "22.07.2027"}
        )
        # June's report is due now, as January's was in February.
        june_due = sq("The monitoring report of %(month)s is due") % {"month": sq_month(6)}
        expect(items.filter(has_text=june_due)).to_have_count(1)
        consultation_due.get_by_role("button", name=sq("Open")).click()
        expect(page).to_have_url(app + "consultations/")
        b.check()
        page.get_by_role("link", name=sq("Plan an open consultation")).click()
        b.check()
        page.locator("#id_title").fill("Takimi i verës")
        page.locator("#id_starts_at").fill(f"15.07.{YEAR} 18:00")
        page.locator("#id_place").fill("Shtëpia e kulturës, Shirgjan")
        # The three co-leading heads, and the agenda the SKN agrees before it is announced.
        page.locator("#id_mayor_name").fill("Gazmend Oketa")
        page.locator("#id_police_chief_name").fill("Arben Hoxha")
        page.locator("#id_prosecutor_name").fill("Fatmir Lleshi")
        page.locator("#id_agenda").fill("Ecuria e planit të vitit\nShqetësimet e reja")
        page.locator("main form button[type=submit]").last.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Takimi i verës")
        page.get_by_role("button", name=sq("Send the agenda to the SKN for agreement")).click()
        expect(page.get_by_text(sq("The agenda was sent to the SKN for agreement."))).to_be_visible()
        b.logout()
        b.login(skn.email)
        b.waiting().locator("a", has_text="15.07.2027").first.click()
        page.get_by_role("button", name=sq("Agree the agenda on behalf of the SKN")).click()
        expect(page.get_by_text(sq("The agenda was agreed."))).to_be_visible()
        b.logout()
        b.login(secretary.email)
        b.waiting().locator("a", has_text="15.07.2027").first.click()
        page.get_by_role("button", name=sq("Announce publicly")).click()
        page.get_by_role("link", name=sq("Public page")).click()
        b.logout()
        page.reload()  # as a citizen reads it
        expect(page.get_by_role("heading", level=1)).to_contain_text("Takimi i verës")
        b.check()
        page.get_by_role(
            "link", name=sq("Progress of the council's plan, as reported at this consultation")
        ).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(sq("Progress of the plan"))
        main = page.locator("main")
        # As of today (the consultation is ahead): what the SKN recorded in January, and two
        # activities overdue — the lessons since January, the street lighting since 30 June.
        expect(main).to_contain_text("05.07.2027")
        with translation.override("sq"):
            overview = ngettext(
                "%(done)s of %(total)s activity done · average progress %(progress)s%%",
                "%(done)s of %(total)s activities done · average progress %(progress)s%%",
                3,
            ) % {"done": 0, "total": 3, "progress": 22}
        expect(main).to_contain_text(overview)
        expect(main).to_contain_text(sq_n("%(n)s overdue", "%(n)s overdue", 2) % {"n": 2})
        for activity, progress, updated, missed in (
            (PATROLS, "40%", "12.01.2027", None),
            (LIGHTS, "25%", "12.01.2027", "30.06.2027"),
            (LESSONS, "0%", "—", day(LESSONS_DUE)),
        ):
            row = page.get_by_role("row", name=re.compile(re.escape(activity)))
            expect(row).to_contain_text(progress)
            expect(row.get_by_role("cell").nth(3)).to_have_text(updated)
            if missed:
                expect(row).to_contain_text(sq("Overdue"))
                expect(row.get_by_role("cell").nth(4)).to_have_text(missed)
            else:
                expect(row).not_to_contain_text(sq("Overdue"))
        expect(main).not_to_contain_text("Përditësim i janarit")  # the SKN's notes stay internal
        b.check("summer-progress")

        # The winter consultation: what we did, where its plan row stands today.
        page.goto(f"{b.url}/elbasan/consultations/")
        b.check()
        page.locator("li", has_text="Takimi i dimrit").get_by_role("link").first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Takimi i dimrit")
        did = page.locator("main li", has_text=PROBLEM_DRUGS).filter(
            has=page.get_by_role("link", name=re.compile(re.escape(PROBLEM_DRUGS)))
        )
        with translation.override("sq"):
            row_progress = ngettext(
                "%(done)s of %(total)s activity done · average progress %(progress)s%%",
                "%(done)s of %(total)s activities done · average progress %(progress)s%%",
                2,
            ) % {"done": 0, "total": 2, "progress": 20}
        expect(did).to_contain_text(row_progress)
        expect(did).to_contain_text(sq_n("%(n)s overdue", "%(n)s overdue", 1) % {"n": 1})
        b.check("winter-what-we-did")

        # The national overview: Elbasan among the councils whose monthly reports are not met.
        page.goto(f"{b.url}/compliance/?year={YEAR}")
        b.check()
        page.locator("#overview-check").select_option("reports")
        page.locator("#overview-state").select_option("not_met")
        page.get_by_role("button", name=sq("Show")).click()
        expect(page).to_have_url(re.compile(r"check=reports&state=not_met"))
        overview = page.locator("table.kvsp-overview tbody")
        expect(overview.get_by_role("row")).to_have_count(1)
        b.check("compliance-overview-filtered")
        overview.get_by_role("link", name="Elbasan", exact=True).click()
        reports = page.locator("#check-reports")
        expect(reports).to_contain_text(sq("not met"))
        # Due by 5 July: January to May (June's is due by the end of July); January's approved.
        with translation.override("sq"):
            missing = ", ".join(date_format(date(YEAR, n, 1), "F") for n in (2, 3, 4, 5))
        expect(reports).to_contain_text(
            sq("%(approved)d of %(due)d monthly reports approved.") % {"approved": 1, "due": 5}
        )
        expect(reports).to_contain_text(sq("Missing: %(months)s.") % {"months": missing})
        expect(reports.get_by_role("link", name=sq_month(1))).to_have_attribute(
            "href", f"/elbasan/reports/{YEAR}/1/"
        )
        expect(page.locator("#check-plan")).to_contain_text(sq("met"))
        b.check("compliance-record")
