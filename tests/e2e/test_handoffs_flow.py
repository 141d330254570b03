"""The cycle carries its people, in Chromium, in Albanian: a council meeting and a monthly report
from agenda to publication, where every person reaches their next step only by following their
"waiting for you" list (top of /app/, with its count in the top bar) or a notice (the notification
centre) — no address is typed after signing in — and each list empties as its step is done.

The test and the live server's thread travel together (``time_machine.travel(..., tick=True)``):

- set-up, Monday 14 December 2026 (factories and services): Elbasan's council with a technical
  secretary, an SKN member (the police's seat), the chair and a member; the plan of 2027 with two
  activities, approved that morning by the council's decision 1/2026;
- Monday 18 January 2027: the secretary plans a council meeting for Friday with two agenda items
  and sends the agenda to the SKN; the SKN member follows "the agenda waits for the SKN's
  agreement" from the list and agrees it; the secretary follows the notice "agenda agreed" and
  sends the invitations (one e-mail each); the chair answers the invitation from the list;
- Friday 22 January: the secretary opens the meeting from the list before it starts; once it has
  started, records attendance, writes the minutes (pre-filled with the agenda's headings), records
  "Vendimi nr. 1/2027" and submits; the chair follows "minutes to approve" (the top bar counts it)
  to the approval page (minutes, attendance, decision) and returns them with a comment; the
  secretary follows "minutes returned", reads the comment, corrects and submits again; the chair
  follows the notice and approves: both lists are empty, the public meeting page shows the
  decision. The SKN member follows "activities wait for this month's status update" until none does;
- Tuesday 2 February: the beat's sweep says January's report is due; the SKN member follows the
  notice, writes and submits it; the chair follows the list to the approval page, which shows the
  report, approves and publishes it; the public reports page lists it; the chair's list is empty.

Every page visited is audited (axe-core, Nu HTML Checker, CSP). Texts come from the catalogue
(``sq``), so the test holds while the Albanian translation is completed."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import ngettext
from playwright.sync_api import expect

from councils.meetings import services as meeting_services
from councils.models import Council, Institution, Role
from monitoring.progress import month_label
from monitoring.tasks import send_reminders_task
from plans import services as plan_services
from tests.builders import approve_by_decision
from tests.factories import UserFactory, council, give_role
from tests.fixtures.browser import field, log_in, sq

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2027
TIRANE = ZoneInfo("Europe/Tirane")
PASSWORD = "sekret-i-forte-2027"
MEETING_TITLE = "Mbledhja e parë e vitit"
PLACE = "Salla e Këshillit Bashkiak"
ITEM_REPORT = "Raporti i zbatimit të planit për vitin 2026"
ITEM_SCHOOLS = "Siguria pranë shkollave"
DISCUSSED = "Drejtoria e Policisë paraqiti patrullimet e përbashkëta pranë shkollave."
DECISION = "Shtohen patrullimet pranë shkollave në orët e daljes, nga shkurti."
COMMENT = "Shënoni edhe numrin e shkollave ku nisin patrullimet."
CORRECTED = "Patrullimet nisin në katër shkolla të mesme."
PATROLS = "Patrullime të përbashkëta pranë shkollave në orët e daljes"
LESSONS = "Orë edukative ligjore nga prokuroria për të rinjtë"
SUMMARY = "Në janar nisën patrullimet pranë shkollave; orët edukative u planifikuan për shkurt."


@pytest.fixture(autouse=True)
def patient_expect():
    """The machine running the suite may be busy: each expectation waits up to 20 s (instead of
    5 s) for its page, and the default comes back for the other tests."""
    expect.set_options(timeout=20_000)
    yield
    expect.set_options(timeout=5_000)


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A moment in Albania."""
    return datetime(year, month, day, hour, minute, tzinfo=TIRANE)


def sq_n(singular: str, plural: str, n: int) -> str:
    with translation.override("sq"):
        return ngettext(singular, plural, n)


def sq_month(month: int) -> str:
    """A month of YEAR as the Albanian interface names it ("janar 2027")."""
    with translation.override("sq"):
        return month_label(YEAR, month)


class Browser:
    """One browser, each person signing in on it in turn; the audit of every page."""

    def __init__(self, page, live_server, audit):
        self.page = page
        self.url = live_server.url
        self.live_server = live_server
        self.audit = audit

    def check(self) -> None:
        """Audit the page shown now (the mouse off the last button: axe-core would otherwise
        measure a hover colour mid-transition)."""
        self.page.mouse.move(0, 0)
        self.page.wait_for_timeout(250)
        self.audit(self.page)

    def login(self, email: str) -> None:
        """Sign in (second factor included): the only address typed is the login page's. The
        person lands on /app/, "My councils", with what waits for them at the top."""
        self.page.context.clear_cookies()
        self.page.goto(self.url + "/accounts/login/")
        log_in(self.page, self.live_server, email, PASSWORD)
        expect(self.page.get_by_role("heading", level=1)).to_have_text(sq("My councils"))
        self.check()

    # --- "Në pritje të jush" -------------------------------------------------------------------

    def waiting_link(self):
        """The top bar's "waiting for you" link (with the count when something waits)."""
        return self.page.locator('nav a.nav-link[href$="#waiting"]')

    def waiting(self):
        """Open the list from the top bar; its section on /app/."""
        self.waiting_link().click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text(sq("My councils"))
        return self.page.locator("section#waiting")

    def item(self, kind: str):
        return self.page.locator(f"section#waiting li.kvsp-waiting-{kind}")

    def expect_count(self, n: int) -> None:
        """The top bar says how many things wait (no badge when nothing does)."""
        badge = self.waiting_link().locator(".badge")
        if n:
            expect(badge).to_have_text(f"{n} {sq_n('thing waits for you', 'things wait for you', n)}")
        else:
            expect(badge).to_have_count(0)

    def expect_nothing_waits(self) -> None:
        section = self.page.locator("section#waiting")
        expect(section).to_contain_text(sq("Nothing waits for you."))
        expect(section.locator("li")).to_have_count(0)
        self.expect_count(0)

    def follow(self, kind: str) -> None:
        """Follow the one item of ``kind`` in the list."""
        item = self.item(kind)
        expect(item).to_have_count(1)
        item.get_by_role("link").click()

    # --- the notification centre -----------------------------------------------------------------

    def notices(self):
        """Open the notification centre from the top bar."""
        self.page.locator('nav a.nav-link[href$="/notifications/"]').click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text(sq("Notifications"))
        self.check()
        return self.page.locator("main li.list-group-item")

    def open_notice(self, kind_label: str) -> None:
        """Open the one notice of this kind (its label is shown with each notice)."""
        notice = self.notices().filter(has_text=kind_label)
        expect(notice).to_have_count(1)
        notice.get_by_role("button", name=sq("Open")).click()

    def message(self, text: str) -> None:
        expect(self.page.locator(".alert").filter(has_text=text).first).to_be_visible()


def _set_up() -> dict:
    """Monday 14 December 2026, by services: Elbasan's council with its people, and the plan of
    2027 (two activities) approved this morning at the council meeting by decision 1/2026."""
    Council.objects.filter(municipality__slug="elbasan").update(status=Council.Status.ACTIVE)
    elbasan = council("elbasan")
    municipality = Institution.objects.create(name="Bashkia Elbasan", category="a")
    police = Institution.objects.create(name="Drejtoria Vendore e Policisë Elbasan", category="c")
    prosecution = Institution.objects.create(name="Prokuroria e Rrethit Gjyqësor Elbasan", category="d")
    people = {
        "secretary": UserFactory(
            email="sekretari@elbasan.gov.al", full_name="Dorina Cela", password=PASSWORD
        ),
        "skn": UserFactory(email="skn@policia.gov.al", full_name="Arben Hoxha", password=PASSWORD),
        "chair": UserFactory(email="kryetari@elbasan.gov.al", full_name="Gazmend Oketa", password=PASSWORD),
        "member": UserFactory(
            email="ilir.basha@prokuroria.gov.al", full_name="Ilir Basha", password=PASSWORD
        ),
    }
    since = date(2026, 12, 1)
    for key, role, institution in (
        ("secretary", Role.SECRETARY, municipality),
        ("skn", Role.SKN_POLICE, police),
        ("chair", Role.CHAIR, municipality),
        ("member", Role.MEMBER, prosecution),
    ):
        give_role(elbasan, role, user=people[key], institution=institution, start_date=since)

    meeting = meeting_services.meeting_create(
        council=elbasan,
        kind="council",
        starts_at=at(2026, 12, 14, 10),
        place=PLACE,
        title="Plani i vitit 2027",
    )
    version = plan_services.plan_start(council=elbasan, year=YEAR)
    drugs = plan_services.problem_add(
        version=version, number="1.1", title="Shitja e drogës pranë shkollave", priority="high"
    )
    plan_services.activity_add(problem=drugs, text=PATROLS, lead=police, deadline_kind="all_year")
    plan_services.activity_add(
        problem=drugs, text=LESSONS, lead=prosecution, deadline_kind="period", deadline_period="h1"
    )
    approve_by_decision(version, chair=people["chair"], meeting=meeting, submitted_by=people["skn"])
    return people


def _calendar_mails(address: str) -> list:
    """The meeting invitations (with their calendar file) e-mailed to ``address``."""
    return [
        m
        for m in mail.outbox
        if address in m.to and any(attachment[2] == "text/calendar" for attachment in m.attachments)
    ]


def test_a_meeting_and_a_report_carry_their_people(page, live_server, audit, reference_data):
    b = Browser(page, live_server, audit)

    with time_machine.travel(at(2026, 12, 14, 11), tick=True) as clock:
        people = _set_up()
        secretary, skn, chair, member = (people[k] for k in ("secretary", "skn", "chair", "member"))

        # --- Monday 18 January, 09:00: the secretary plans the council meeting ----------------
        clock.move_to(at(YEAR, 1, 18, 9))
        b.login(secretary.email)
        page.locator('main a[href="/app/elbasan/"]').first.click()
        page.get_by_role("link", name=sq("Meetings"), exact=True).first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(sq("Meetings"))
        b.check()
        page.get_by_role("link", name=sq("Plan a meeting")).click()
        b.check()
        page.locator("#id_kind").select_option("council")
        page.locator("#id_title").fill(MEETING_TITLE)
        page.locator("#id_starts_at").fill(f"22.01.{YEAR} 10:00")
        page.locator("#id_place").fill(PLACE)
        page.get_by_role("button", name=sq("Plan"), exact=True).click()
        b.message(sq("The meeting was planned."))
        expect(page.get_by_role("heading", level=1)).to_contain_text(MEETING_TITLE)
        meeting_page = page.url
        for item in (ITEM_REPORT, ITEM_SCHOOLS):
            page.get_by_role("link", name=sq("Add an agenda item")).click()
            b.check()
            field(page, sq("Item")).fill(item)
            page.get_by_role("button", name=sq("Add"), exact=True).click()
            b.message(sq("The item was added to the agenda."))
        # The guide's order: no invitation before the SKN agreed the agenda.
        expect(page.get_by_role("button", name=sq("Send invitations"))).to_be_disabled()
        page.get_by_role("button", name=sq("Send the agenda to the SKN for agreement")).click()
        b.message(sq("The agenda was sent to the SKN for agreement. Its members have been told."))
        b.check()

        # --- 10:00: the SKN member agrees the agenda from the list ---------------------------
        clock.move_to(at(YEAR, 1, 18, 10))
        b.login(skn.email)
        expect(b.item("agenda_to_agree")).to_contain_text(MEETING_TITLE)
        b.follow("agenda_to_agree")
        expect(page).to_have_url(meeting_page)
        main = page.locator("main")
        expect(main).to_contain_text(ITEM_REPORT)
        expect(main).to_contain_text(ITEM_SCHOOLS)
        b.check()
        page.get_by_role("button", name=sq("Agree the agenda")).click()
        b.message(sq("The agenda was agreed."))
        b.check()
        b.waiting()
        expect(b.item("agenda_to_agree")).to_have_count(0)
        # ... and its notice is handled: it left the notification centre.
        expect(b.notices().filter(has_text=sq("Agenda waiting for the SKN's agreement"))).to_have_count(0)

        # --- 11:00: the secretary follows "agenda agreed" and sends the invitations ------------
        clock.move_to(at(YEAR, 1, 18, 11))
        b.login(secretary.email)
        b.open_notice(sq("Agenda agreed by the SKN"))
        expect(page).to_have_url(meeting_page)
        b.check()
        page.get_by_role("link", name=sq("Send invitations")).click()
        b.check()
        page.get_by_role("button", name=sq("Send"), exact=True).click()
        b.message(
            sq_n("%(count)d invitation was sent.", "%(count)d invitations were sent.", 4) % {"count": 4}
        )
        b.check()
        for person in (secretary, skn, chair, member):
            assert len(_calendar_mails(person.email)) == 1, [(m.to, m.subject) for m in mail.outbox]

        # --- 12:00: the chair answers the invitation from the list ---------------------------
        clock.move_to(at(YEAR, 1, 18, 12))
        b.login(chair.email)
        b.expect_count(2)  # the invitation to answer and the meeting of this week
        expect(b.item("meeting_ahead")).to_contain_text(MEETING_TITLE)
        b.follow("invitation_to_answer")
        b.check()
        page.locator("#id_response").select_option("attending")
        page.get_by_role("button", name=sq("Send the answer")).click()
        b.check()
        b.waiting()
        expect(b.item("invitation_to_answer")).to_have_count(0)
        b.expect_count(1)

        # --- Friday 22 January, 09:50: the secretary opens the meeting from the list -----------
        clock.move_to(at(YEAR, 1, 22, 9, 50))
        b.login(secretary.email)
        b.follow("meeting_ahead")
        expect(page).to_have_url(meeting_page)
        # Nothing is recorded before the meeting has started.
        expect(page.get_by_role("link", name=sq("Record attendance"))).to_have_count(0)
        b.check()
        # The meeting starts at 10:00; at 10:10 the page, reloaded, lets the secretary record it.
        clock.move_to(at(YEAR, 1, 22, 10, 10))
        page.reload()
        page.get_by_role("link", name=sq("Record attendance")).click()
        b.check()
        page.get_by_role("button", name=sq("Save the attendance")).click()
        b.message(sq("The attendance was recorded."))
        b.check()
        page.get_by_role("link", name=sq("Write the minutes")).click()
        minutes = field(page, sq("Minutes"))
        expect(minutes).to_have_value(f"1. {ITEM_REPORT}\n\n2. {ITEM_SCHOOLS}")
        b.check()
        minutes.fill(f"1. {ITEM_REPORT}\n\nU miratua raporti.\n\n2. {ITEM_SCHOOLS}\n\n{DISCUSSED}")
        page.get_by_role("button", name=sq("Save the minutes")).click()
        b.message(sq("The minutes were saved."))
        page.get_by_role("link", name=sq("Record a decision")).click()
        b.check()
        field(page, sq("Agenda item")).select_option(label=f"2. {ITEM_SCHOOLS}")
        field(page, sq("Decision")).fill(DECISION)
        page.get_by_role("button", name=sq("Record"), exact=True).click()
        decision_label = sq("Decision no. %(number)s") % {"number": f"1/{YEAR}"}
        b.message(sq("%(decision)s was recorded.") % {"decision": decision_label})
        b.check()
        page.get_by_role("button", name=sq("Submit for approval")).click()
        b.message(sq("The minutes were submitted for approval. The approver has been told."))
        b.check()

        # --- 10:40: the chair reads the minutes from the list and returns them ------------------
        clock.move_to(at(YEAR, 1, 22, 10, 40))
        b.login(chair.email)
        b.expect_count(1)
        b.follow("minutes_to_approve")
        expect(page.get_by_role("heading", level=1)).to_have_text(sq("Approve the minutes"))
        main = page.locator("main")
        for text in (DISCUSSED, DECISION, decision_label, secretary.full_name, member.full_name):
            expect(main).to_contain_text(text)
        b.check()
        field(page, sq("Comments for the writer")).fill(COMMENT)
        page.get_by_role("button", name=sq("Return with comments")).click()
        b.message(sq("The minutes were returned with your comments. The technical secretary has been told."))
        b.check()
        b.waiting()
        b.expect_nothing_waits()
        b.check()

        # --- 11:00: the secretary follows "minutes returned", corrects and submits again --------
        clock.move_to(at(YEAR, 1, 22, 11))
        b.login(secretary.email)
        expect(b.item("minutes_returned")).to_contain_text(MEETING_TITLE)
        b.follow("minutes_returned")
        expect(page.locator("main")).to_contain_text(COMMENT)
        b.check()
        minutes = field(page, sq("Minutes"))
        minutes.fill(minutes.input_value() + f" {CORRECTED}")
        page.get_by_role("button", name=sq("Save and submit for approval")).click()
        b.message(sq("The minutes were saved and submitted for approval."))
        b.check()
        b.waiting()
        expect(b.item("minutes_returned")).to_have_count(0)
        # The notice of the return is handled too.
        expect(b.notices().filter(has_text=sq("Minutes returned with comments"))).to_have_count(0)

        # --- 11:20: the chair follows the notice and approves --------------------------------
        clock.move_to(at(YEAR, 1, 22, 11, 20))
        b.login(chair.email)
        b.expect_count(1)
        b.open_notice(sq("Minutes waiting for your approval"))
        expect(page.get_by_role("heading", level=1)).to_have_text(sq("Approve the minutes"))
        main = page.locator("main")
        expect(main).to_contain_text(CORRECTED)
        expect(main).to_contain_text(COMMENT)  # the earlier comments, which this version answers
        b.check()
        page.get_by_role("button", name=sq("Approve"), exact=True).click()
        b.message(sq("The minutes were approved and are now locked."))
        b.check()
        b.waiting()
        b.expect_nothing_waits()
        expect(b.notices().filter(has_text=sq("Minutes waiting for your approval"))).to_have_count(0)

        # The public reads the decision on the meeting's page.
        b.waiting()
        page.locator('main a[href="/app/elbasan/"]').first.click()
        page.get_by_role("link", name=sq("Public page")).click()
        b.check()
        page.locator("main a", has_text="22.01.2027").first.click()
        main = page.locator("main")
        expect(main).to_contain_text(DECISION)
        expect(main).to_contain_text(decision_label)
        b.check()

        # --- 11:40: the SKN member records January's status updates from the list -----------
        clock.move_to(at(YEAR, 1, 22, 11, 40))
        b.login(skn.email)
        for left, (activity, progress) in ((2, (PATROLS, "30")), (1, (LESSONS, "10"))):
            item = b.item("updates_due")
            expect(item).to_contain_text(
                sq_n(
                    "%(count)d activity waits for this month's status update.",
                    "%(count)d activities wait for this month's status update.",
                    left,
                )
                % {"count": left}
            )
            b.follow("updates_due")
            b.check()
            page.get_by_role("link", name=activity).click()
            field(page, sq("Status")).select_option("in_progress")
            field(page, sq("Progress (%)")).fill(progress)
            field(page, sq("Note")).fill(f"Përditësim i janarit: {progress}%.")
            page.get_by_role("button", name=sq("Save the update")).click()
            b.message(sq("The update was recorded."))
            b.check()
            b.waiting()
        expect(b.item("updates_due")).to_have_count(0)

        # --- Tuesday 2 February: January's report is due ------------------------------------
        clock.move_to(at(YEAR, 2, 2, 7))
        assert send_reminders_task.apply().get() > 0
        clock.move_to(at(YEAR, 2, 2, 9))
        b.login(skn.email)
        b.open_notice(sq("The monitoring report of %(month)s is due") % {"month": sq_month(1)})
        expect(page.get_by_role("heading", level=1)).to_have_text(sq("Monthly monitoring reports"))
        b.check()
        field(page, sq("Month")).select_option(f"{YEAR}-01")
        page.get_by_role("button", name=sq("Start the report of this month")).click()
        expect(page.locator("#report-table-progress")).to_contain_text(PATROLS)
        b.check()
        page.get_by_role("link", name=sq("Write the narrative")).click()
        b.check()
        field(page, sq("Summary")).fill(SUMMARY)
        page.get_by_role("button", name=sq("Save"), exact=True).click()
        b.message(sq("The report was saved."))
        page.get_by_role("button", name=sq("Submit to the chair")).click()
        b.message(sq("The report was sent to the chair for approval."))
        b.check()

        # --- 10:00: the chair approves and publishes it from the list -------------------------
        clock.move_to(at(YEAR, 2, 2, 10))
        b.login(chair.email)
        b.expect_count(1)
        expect(b.item("report_to_approve")).to_contain_text(
            sq("The monitoring report of %(month)s waits for your approval.") % {"month": sq_month(1)}
        )
        b.follow("report_to_approve")
        expect(page.get_by_role("heading", level=1)).to_have_text(sq("Approve the report"))
        main = page.locator("main")
        expect(main).to_contain_text(SUMMARY)
        expect(main).to_contain_text(PATROLS)
        expect(main).to_contain_text("30%")
        b.check()
        page.get_by_role("button", name=sq("Approve"), exact=True).click()
        b.message(sq("The report was approved. Publish it when the public should read it."))
        page.get_by_role("button", name=sq("Publish"), exact=True).click()
        b.message(sq("The report is published on the council's public page."))
        b.check()
        b.waiting()
        b.expect_nothing_waits()
        waited = sq("The monitoring report of %(month)s waits for your approval") % {"month": sq_month(1)}
        expect(b.notices().filter(has_text=waited)).to_have_count(0)

        # The public reports page lists it.
        b.waiting()
        page.locator('main a[href="/app/elbasan/"]').first.click()
        page.get_by_role("link", name=sq("Public page")).click()
        page.get_by_role("link", name=sq("All monthly monitoring reports")).click()
        entry = page.locator("main li", has_text=capfirst(sq_month(1)))
        expect(entry).to_contain_text("02.02.2027")  # approved on
        b.check()
        entry.get_by_role("link", name=capfirst(sq_month(1)), exact=True).click()
        expect(page.locator("main")).to_contain_text(SUMMARY)
        b.check()
