"""In Chromium, in Albanian: the technical secretary adds an institution and a member, invites
them; the invited person sets a password and sees only their council; the public page lists the
composition without contacts. Every page visited is audited (axe-core, Nu HTML Checker, CSP)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from councils.models import Role
from tests.factories import UserFactory, council, give_role
from tests.fixtures.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_builds_the_composition_and_invites_a_member(page, live_server, audit, reference_data):
    elbasan = council("elbasan")
    secretary = UserFactory(
        email="dorina@elbasan.gov.al", full_name="Dorina Cela", password="sekret-i-forte-2026"
    )
    give_role(elbasan, Role.SECRETARY, user=secretary)
    give_role(council("belsh"), Role.MEMBER, full_name="Someone Else")  # another council exists

    page.goto(live_server.url + "/accounts/login/")
    log_in(page, live_server, secretary.email, "sekret-i-forte-2026", audit=audit)
    expect(page.get_by_role("heading", level=1)).to_have_text("Këshillat e mi")
    audit(page)

    page.get_by_role("link", name="KVSP Elbasan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("KVSP Elbasan")
    audit(page)

    # Add an institution that is new to the platform.
    page.get_by_role("link", name="Shto një institucion").click()
    audit(page)
    page.get_by_role("button", name="Shto").click()  # nothing chosen: a clear error, no 500
    expect(page.get_by_text("Zgjidhni një institucion ekzistues ose jepni emrin")).to_be_visible()
    audit(page)
    page.get_by_label("Ose emri i një institucioni të ri").fill("Zyra Vendore Arsimore Elbasan")
    page.get_by_label("Kategoria e institucionit të ri").select_option(label="(f) Zyra Vendore Arsimore")
    page.get_by_role("button", name="Shto").click()
    expect(page.get_by_text("Zyra Vendore Arsimore Elbasan u shtua në këshill.")).to_be_visible()
    audit(page)

    # Add a member; a bad e-mail is refused and what was typed stays.
    page.get_by_role("link", name="Shto një anëtar").click()
    page.get_by_label("Emri i plotë").fill("Ilir Basha")
    page.get_by_label("Institucioni").select_option(label="Zyra Vendore Arsimore Elbasan")
    page.get_by_label("E-mail").fill("ilir.basha@")
    page.get_by_role("button", name="Shto").click()
    expect(page.locator(".invalid-feedback, .errorlist").first).to_be_visible()
    expect(page.get_by_label("Emri i plotë")).to_have_value("Ilir Basha")
    audit(page)
    page.get_by_label("E-mail").fill("ilir.basha@arsimi-elbasan.al")
    page.get_by_role("button", name="Shto").click()
    expect(page.get_by_text("Ilir Basha u shtua si anëtar.")).to_be_visible()

    page.get_by_role("button", name=re.compile(r"^Fto në llogari\W+Ilir Basha$")).click()
    expect(page.get_by_text("U dërgua një ftesë te ilir.basha@arsimi-elbasan.al.")).to_be_visible()
    audit(page)

    page.get_by_role("button", name="Dorina").click()
    page.get_by_role("button", name="Dilni").click()

    # The invited member opens the link from the e-mail and chooses a password.
    assert len(mail.outbox) == 1
    link = re.search(r"/accounts/invitation/[^/\s]+/", mail.outbox[0].body).group(0)
    page.goto(live_server.url + link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Konfiguroni llogarinë tuaj")
    audit(page)
    page.get_by_label(re.compile(r"Fjalëkalim i ri")).fill("nje-fjalekalim-i-mire-7")
    page.get_by_label(re.compile(r"Ripohim fjalëkalimi")).fill("nje-fjalekalim-i-mire-7")
    page.get_by_role("button", name="Ruaj fjalëkalimin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Këshillat e mi")
    councils = page.locator("main .list-group-item")
    expect(councils).to_have_count(1)
    expect(councils.first).to_contain_text("KVSP Elbasan")
    expect(councils.first).to_contain_text("Anëtar")
    audit(page)

    # The public page lists the composition, without any contact.
    page.goto(live_server.url + "/elbasan/")
    expect(page.get_by_role("cell", name="Zyra Vendore Arsimore Elbasan")).to_be_visible()
    expect(page.get_by_text("Ilir Basha")).to_be_visible()
    assert "ilir.basha@" not in page.content()
    audit(page)


def test_portal_search_ignores_diacritics(page, live_server, audit, reference_data):
    page.goto(live_server.url + "/")
    page.get_by_label("Gjeni një bashki ose qark").fill("kucove")
    page.get_by_role("button", name="Kërko").click()
    expect(page.get_by_role("link", name="Kuçovë")).to_be_visible()
    expect(page.get_by_text("1 këshill përputhet me “kucove”.")).to_be_visible()
    audit(page)
    page.get_by_role("link", name="Kuçovë").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kuçovë")
    audit(page)
