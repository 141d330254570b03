"""In Chromium, in Albanian: the technical secretary plans a council meeting, sets its agenda,
records attendance, writes minutes with a decision; the chair approves them; the PDF holds the
Albanian text. Every page visited is audited (axe-core, Nu HTML Checker, CSP)."""

import re
import shutil
import subprocess
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import expect

from councils.models import Role
from tests.conftest import require
from tests.factories import UserFactory, council, give_role
from tests.fixtures.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sekret-i-forte-2026"
TIRANE = ZoneInfo("Europe/Tirane")


def sq(text: str) -> str:
    """A phrase as the Albanian interface shows it (English until it is translated)."""
    from django.utils import translation

    with translation.override("sq"):
        return translation.gettext(text)


def _login(page, live_server, email):
    page.goto(live_server.url + "/accounts/login/")
    log_in(page, live_server, email, PASSWORD)  # and the second factor, for officers
    expect(page.get_by_role("heading", level=1)).to_have_text("Këshillat e mi")


def test_a_council_meeting_from_plan_to_approved_minutes(
    page, live_server, audit, reference_data, tmp_path, request
):
    # The test and the live server's thread travel together: the meeting is planned and its
    # invitations sent the day before it; its attendance, minutes and decision come once it began.
    travel = time_machine.travel(datetime(2026, 3, 9, 9, tzinfo=TIRANE), tick=True)
    clock = travel.start()
    request.addfinalizer(travel.stop)
    elbasan = council("elbasan")
    since = date(2025, 1, 15)
    secretary = UserFactory(email="sekretari@elbasan.gov.al", full_name="Dorina Cela", password=PASSWORD)
    chair = UserFactory(email="kryetari@elbasan.gov.al", full_name="Gazmend Oketa", password=PASSWORD)
    give_role(elbasan, Role.SECRETARY, user=secretary, start_date=since)
    give_role(elbasan, Role.CHAIR, user=chair, start_date=since)
    give_role(elbasan, Role.MEMBER, full_name="Ilir Basha", start_date=since)
    day = date(2026, 3, 10)

    _login(page, live_server, secretary.email)
    page.goto(live_server.url + "/app/elbasan/")
    page.get_by_role("link", name="Mbledhjet").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mbledhjet")
    audit(page)

    page.get_by_role("link", name="Planifiko një mbledhje").click()
    audit(page)
    page.get_by_role("button", name="Planifiko").click()  # empty: errors, no 500
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    page.get_by_label("Lloji").select_option(label="mbledhje e KVSP-së")
    page.get_by_label("Titulli").fill("Mbledhja e parë e vitit")
    page.get_by_label("Data dhe ora").fill(f"{day:%d.%m.%Y} 10:00")
    page.get_by_label("Vendi").fill("Salla e Këshillit Bashkiak")
    page.get_by_role("button", name="Planifiko").click()
    expect(page.get_by_text("Mbledhja u planifikua.")).to_be_visible()
    audit(page)

    page.get_by_role("link", name="Shto një pikë në rendin e ditës").click()
    audit(page)
    page.get_by_label("Pika").fill("Përdorimi i drogës dhe alkoolit nga të rinjtë")
    page.get_by_role("button", name="Shto").click()
    expect(page.get_by_text("Pika u shtua në rendin e ditës.")).to_be_visible()

    # The guide's order: the invitations to a council meeting wait for the SKN's agreement.
    expect(page.get_by_role("button", name="Dërgo ftesat")).to_be_disabled()
    from councils.meetings import services
    from councils.meetings.models import Meeting

    services.agenda_agree(meeting=Meeting.objects.get(title="Mbledhja e parë e vitit"), user=chair)
    page.reload()
    meeting_page = page.url
    page.get_by_role("link", name="Dërgo ftesat").click()
    audit(page)
    page.get_by_role("button", name="Dërgo").click()
    expect(page.get_by_text(re.compile(r"U dërguan \d+ ftesa"))).to_be_visible()
    invitations = [m for m in mail.outbox if m.attachments and m.attachments[0][2] == "text/calendar"]
    assert len(invitations) == 2
    # Ilir Basha has no e-mail address: the invitation step lists him, with his letter.
    expect(page.locator('a[href$="/invitations/letters.pdf"]')).to_be_visible()
    audit(page)

    # The next day, half an hour into the meeting, the secretary signs in again.
    clock.move_to(datetime(2026, 3, 10, 10, 30, tzinfo=TIRANE))
    page.context.clear_cookies()
    _login(page, live_server, secretary.email)
    page.goto(meeting_page)
    page.get_by_role("link", name="Regjistro pjesëmarrjen").click()
    audit(page)
    page.get_by_role("button", name="Ruaj pjesëmarrjen").click()
    expect(page.get_by_text("Pjesëmarrja u regjistrua.")).to_be_visible()
    expect(page.get_by_role("cell", name="Ilir Basha").last).to_be_visible()  # the attendance

    page.get_by_role("link", name="Shkruaj procesverbalin").click()
    audit(page)
    page.get_by_label("Procesverbali").fill(
        "Çështjet e sigurisë në lagjen Kristoforidhi u diskutuan gjerësisht."
    )
    page.get_by_role("button", name="Ruaj procesverbalin").click()
    expect(page.get_by_text("Procesverbali u ruajt.")).to_be_visible()

    page.get_by_role("link", name="Regjistro një vendim").click()
    audit(page)
    page.get_by_label("Pika e rendit të ditës").select_option(index=1)
    page.get_by_label("Vendimi").fill("Miratohet plani shumaktorial vendor për vitin 2026.")
    page.get_by_role("button", name="Regjistro").click()
    expect(page.locator(".alert-success").filter(has_text=re.compile(r"1/\d{4}"))).to_be_visible()
    audit(page)
    meeting_url = page.url

    # A scanned annex, public, attached to the meeting; the archive finds it without accents.
    page.get_by_role("link", name="Shto një dokument").click()
    audit(page)
    scan = tmp_path / "aneks.pdf"
    scan.write_bytes(b"%PDF-1.4\n% aneksi\n")
    page.get_by_label("Titulli").fill("Aneksi: statistikat e Policisë për vitin 2025")
    page.get_by_label("Skedari").set_input_files(str(scan))
    page.get_by_label("Kush mund ta shohë").select_option("public")
    page.get_by_role("button", name="Arkivo dokumentin").click()
    expect(page.get_by_text("Dokumenti u arkivua.")).to_be_visible()
    page.goto(live_server.url + "/app/elbasan/documents/?q=policise")
    expect(page.get_by_role("link", name="Aneksi: statistikat e Policisë për vitin 2025")).to_be_visible()
    audit(page)

    # The secretary submits the minutes for approval; the chair reads them on the approval page,
    # where a return without a comment is refused, and approves them.
    page.goto(meeting_url)
    page.get_by_role("button", name=sq("Submit for approval")).click()
    expect(page.locator(".alert-success")).to_contain_text(
        sq("The minutes were submitted for approval. The approver has been told.")
    )
    audit(page)
    page.get_by_role("button", name="Dorina").click()
    page.get_by_role("button", name="Dilni").click()
    _login(page, live_server, chair.email)
    page.goto(meeting_url)
    page.get_by_role("link", name="Mirato procesverbalin").click()
    expect(page.get_by_text("Çështjet e sigurisë në lagjen Kristoforidhi")).to_be_visible()
    audit(page)
    page.get_by_role("button", name=sq("Return with comments")).click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    audit(page)
    page.get_by_role("button", name=sq("Approve"), exact=True).click()
    expect(page.get_by_text("Procesverbali u miratua dhe tani është i kyçur.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Miratuar nga Gazmend Oketa"))).to_be_visible()
    audit(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Shkarko procesverbalin (PDF)").click()
    path = tmp_path / "procesverbal.pdf"
    download.value.save_as(path)
    require(bool(shutil.which("pdftotext")), "pdftotext not found (apt-get install poppler-utils)")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("Përdorimi i drogës", "Çështjet e sigurisë", "Vendimi nr. 1", "Ilir Basha"):
        assert expected in text

    # The chair's private calendar address.
    page.get_by_role("button", name="Gazmend").click()
    page.get_by_role("link", name="Kalendari im").click()
    audit(page)
    page.get_by_role("button", name="Krijo adresën e kalendarit tim").click()
    expect(page.get_by_label("Adresa e kalendarit tuaj")).to_have_value(re.compile(r"/app/calendar/.+\.ics$"))
    audit(page)
    page.goto(live_server.url + "/app/elbasan/meetings/")
    expect(page.get_by_role("cell", name="1 / 1").first).to_be_visible()
    audit(page)

    # The public sees the meeting and, now that they are approved, its minutes and decision.
    page.goto(live_server.url + "/elbasan/")
    audit(page)
    page.get_by_role("link", name=re.compile(r"mbledhje e KVSP-së")).click()
    expect(page.get_by_text("Miratohet plani shumaktorial vendor për vitin 2026.")).to_be_visible()
    expect(page.get_by_role("link", name="Aneksi: statistikat e Policisë për vitin 2025")).to_be_visible()
    audit(page)


def test_the_other_meeting_pages_are_accessible_and_valid(page, live_server, audit, reference_data):
    """Pages the main flow does not reach: cancel, answer an invitation, a writing conflict,
    a correction to approved minutes; in Albanian and in English."""
    from django.utils import timezone

    from councils.meetings import invitations, services
    from councils.meetings.models import Minutes

    elbasan = council("elbasan")
    secretary = UserFactory(email="sekretari@elbasan.gov.al", full_name="Dorina Cela", password=PASSWORD)
    give_role(elbasan, Role.SECRETARY, user=secretary, start_date=date(2025, 1, 15))
    planned = services.meeting_create(
        council=elbasan,
        kind="council",
        starts_at=timezone.now() + timedelta(days=5),
        place="Salla e Këshillit",
    )
    secretary_person = secretary.person
    services.agenda_item_add(meeting=planned, title="Plani i vitit")
    services.agenda_item_add(meeting=planned, title="Siguria pranë shkollave")
    services.agenda_agree(meeting=planned, user=secretary)
    without_email = give_role(elbasan, Role.MEMBER, full_name="Arben Hysa", email="").person
    invitations.invitations_send(meeting=planned, people=[secretary_person, without_email], sent_by=secretary)
    skn = services.meeting_create(
        council=elbasan, kind="skn", starts_at=timezone.now() + timedelta(days=3), place="Zyra e SKN"
    )
    first_item = services.agenda_item_add(meeting=skn, title="Raporti mujor")
    services.agenda_item_add(meeting=skn, title="Aktivitetet e vonuara")
    held = services.attendance_record(
        meeting=services.meeting_create(
            council=elbasan, kind="skn", starts_at=timezone.now(), place="Zyra e SKN"
        ),
        entries=[],
    )
    minutes = services.minutes_save(meeting=held, body="Versioni i parë.", author=secretary, version=None)

    _login(page, live_server, secretary.email)
    base = f"{live_server.url}/app/elbasan/meetings"
    # The invitation step, how the people without e-mail were reached, moving, the draft agenda.
    for address in (
        f"{planned.pk}/invitations/",
        f"{planned.pk}/invitations/reached/",
        f"{planned.pk}/move/",
        f"{skn.pk}/agenda/",
        f"{planned.pk}/",
    ):
        page.goto(f"{base}/{address}")
        audit(page)
    page.goto(f"{base}/{skn.pk}/agenda/")
    page.locator(f'form[action$="/agenda/{first_item.pk}/move/"] button').click()  # down
    expect(page.locator(".alert-success")).to_be_visible()
    first_item.refresh_from_db()
    assert first_item.position == 2
    audit(page)
    page.goto(f"{base}/{planned.pk}/cancel/")
    page.get_by_role("button", name="Anulo mbledhjen").click()  # no reason: a clear error
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    audit(page)
    page.goto(f"{base}/{planned.pk}/answer/")
    audit(page)
    page.get_by_label("Përgjigjja").select_option("deputy")
    page.get_by_role("button", name="Dërgo përgjigjen").click()  # a deputy without a name
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    audit(page)

    # Someone else saves the minutes while this page is open: both texts are shown, nothing is lost.
    page.goto(f"{base}/{held.pk}/minutes/")
    services.minutes_save(meeting=held, body="Teksti i kolegut.", author=secretary, version=minutes.version)
    page.get_by_label("Procesverbali").fill("Teksti im.")
    page.get_by_role("button", name="Ruaj procesverbalin").click()
    expect(page.get_by_text("Teksti i kolegut.")).to_be_visible()
    expect(page.get_by_label("Procesverbali")).to_have_value("Teksti im.")
    audit(page)

    submitted = services.minutes_submit(minutes=Minutes.objects.get(meeting=held), user=secretary)
    services.minutes_approve(minutes=submitted, user=secretary)
    page.goto(f"{base}/{held.pk}/amendments/add/")
    audit(page)
    page.goto(live_server.url + "/accounts/language/en/?next=" + f"/app/elbasan/meetings/{held.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("SKN meeting")
    audit(page)
