"""In Chromium, in Albanian: the chair calls a task force (regulation art. 7.3) and invites a
specialist from outside the council, who is e-mailed the invitation once and gets no account; a
bad date and a bad e-mail address come back with their errors and what was typed. Every page
visited is audited (axe-core, Nu HTML Checker, CSP)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from councils.meetings.models import Meeting, Specialist
from councils.models import Person, Role
from kvsp.core.models import User
from kvsp.notify.models import OutboxMessage
from tests.factories import UserFactory, council, give_role
from tests.fixtures.browser import field, log_in, sq

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sekret-i-forte-2026"


def test_the_chair_calls_a_task_force_with_an_outside_specialist(page, live_server, audit, reference_data):
    elbasan = council("elbasan")
    chair = UserFactory(email="kryetari@elbasan.gov.al", full_name="Gazmend Oketa", password=PASSWORD)
    give_role(elbasan, Role.CHAIR, user=chair)
    page.goto(live_server.url + "/accounts/login/")
    log_in(page, live_server, chair.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Këshillat e mi")

    page.goto(live_server.url + "/app/elbasan/meetings/")
    audit(page)
    page.get_by_role("link", name=sq("Call a task force")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sq("Call a task force"))
    audit(page)

    # A time already past: refused, with what was typed still there.
    issue = "Fëmijët që lypin pranë tregut të qytetit"
    field(page, sq("Issue")).fill(issue)
    past = timezone.localtime() - timedelta(days=1)
    field(page, sq("Date and time")).fill(past.strftime("%d.%m.%Y %H:%M"))
    field(page, sq("Place")).fill("Bashkia Elbasan, salla 2")
    page.get_by_role("button", name=sq("Call the task force")).click()
    expect(page.get_by_text(sq("A task force is called for a time still to come."))).to_be_visible()
    expect(field(page, sq("Issue"))).to_have_value(issue)
    audit(page)
    ahead = timezone.localtime() + timedelta(days=6)
    field(page, sq("Date and time")).fill(ahead.strftime("%d.%m.%Y 10:00"))
    page.get_by_role("button", name=sq("Call the task force")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sq("Outside specialists"))
    audit(page)

    # The specialist, with a mistyped address first.
    field(page, sq("Full name")).fill("Mirela Hoxha")
    field(page, sq("Function")).fill("punonjëse sociale")
    field(page, sq("Institution or organisation")).fill("Qendra “Të Drejtat e Fëmijëve” (OJF)")
    field(page, sq("E-mail")).fill("mirela.hoxha@")
    page.get_by_role("button", name=sq("Invite")).click()
    expect(page.locator(".invalid-feedback, .errorlist").first).to_be_visible()
    expect(field(page, sq("Full name"))).to_have_value("Mirela Hoxha")
    audit(page)
    field(page, sq("E-mail")).fill("mirela.hoxha@ojf-elbasan.al")
    page.get_by_role("button", name=sq("Invite")).click()
    done = sq("%(name)s is invited to this meeting: the invitation was e-mailed.") % {"name": "Mirela Hoxha"}
    expect(page.get_by_text(done)).to_be_visible()
    expect(page.get_by_role("cell", name="Mirela Hoxha")).to_be_visible()
    audit(page)

    # The meeting's page lists her among the outside specialists.
    meeting = Meeting.objects.get(council=elbasan, kind=Meeting.Kind.TASK_FORCE)
    page.goto(live_server.url + f"/app/elbasan/meetings/{meeting.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(issue)
    expect(page.get_by_role("cell", name="Mirela Hoxha")).to_be_visible()
    audit(page)

    # One invitation in the outbox, and no account or person made for her.
    assert OutboxMessage.objects.filter(email="mirela.hoxha@ojf-elbasan.al").count() == 1
    assert Specialist.objects.get().meeting == meeting
    assert not User.objects.filter(email="mirela.hoxha@ojf-elbasan.al").exists()
    assert not Person.objects.filter(email="mirela.hoxha@ojf-elbasan.al").exists()
    assert re.search("Mirela Hoxha", page.content())
