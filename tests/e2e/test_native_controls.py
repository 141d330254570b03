"""In Chromium, in Albanian (issue 25, item 5): the native controls speak the form's language. An SKN
member opens the cooperation agreement form: its date boxes show the form a date is typed in
(dd.mm.vvvv) and take it as typed; its file control is a button and a line in Albanian, reachable
by keyboard; an incomplete form goes to the server (no browser bubble) and comes back with the
form's own Albanian messages and everything typed kept. Every page visited is audited (axe-core,
Nu HTML Checker, CSP)."""

import re
from datetime import date

import pytest
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import pgettext
from playwright.sync_api import expect

from councils.models import Role
from councils.registers.demo import signed_pdf
from councils.registers.models import CooperationAgreement
from tests.factories import InstitutionFactory, UserFactory, council, give_role
from tests.fixtures.browser import field, log_in, sq

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sekret-i-forte-2026"
TITLE = "Memorandum bashkëpunimi për sigurinë pranë shkollave"


def _hint() -> str:
    with translation.override("sq"):
        return pgettext("date format typed in a form", "dd.mm.yyyy")


def test_dates_files_and_errors_in_albanian(page, live_server, audit, reference_data, tmp_path):
    elbasan = council("elbasan")
    bashkia = InstitutionFactory(name="Bashkia Elbasan", category="a")
    skn = UserFactory(email="skn.bashkia@elbasan.gov.al", full_name="Elira Muça", password=PASSWORD)
    give_role(elbasan, Role.SKN_MUNICIPALITY, user=skn, institution=bashkia)
    page.goto(live_server.url + "/accounts/login/")
    log_in(page, live_server, skn.email, PASSWORD)

    page.goto(live_server.url + "/app/elbasan/registers/")
    page.get_by_role("link", name=sq("Add an agreement")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sq("Add a cooperation agreement"))
    audit(page)

    # The date boxes are text boxes that say how to type the date.
    signed = field(page, capfirst(sq("date signed")))
    expect(signed).to_have_attribute("type", "text")
    expect(signed).to_have_attribute("placeholder", _hint())
    assert signed.get_attribute("inputmode") is None  # iOS: "numeric" has no '.'
    hint = page.locator("#" + signed.get_attribute("aria-describedby").split()[-1])
    expect(hint).to_have_text(_hint())

    # The file control: a button and a line in the page's language; the native input (with the
    # browser's own "Choose file") is hidden from sight but still reached with the keyboard.
    control = page.locator("[data-kvsp-file]")
    expect(control).to_have_class(re.compile(r"\bkvsp-file-ready\b"))
    expect(control.locator("[data-kvsp-file-button]")).to_have_text(sq("Choose a file"))
    expect(control.locator("[data-kvsp-file-name]")).to_have_text(sq("No file chosen"))
    document = field(page, capfirst(sq("signed document (PDF)")))
    # Its name holds the visible words, the field's label and the button's (WCAG 2.5.3).
    label, button = re.escape(capfirst(sq("signed document (PDF)"))), re.escape(sq("Choose a file"))
    expect(document).to_have_accessible_name(re.compile(rf"^{label}\s*\*?\s*{button}$"))
    box = document.bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1
    document.focus()
    assert page.evaluate("document.activeElement.type") == "file"

    # Nothing filled in: the form goes to the server anyway (no browser bubble), which answers in
    # Albanian.
    page.get_by_role("button", name=sq("Save")).click()
    errors = page.locator(".invalid-feedback")
    expect(errors.first).to_be_visible()
    expect(errors.filter(has_text=sq("This field is required.")).first).to_be_visible()
    audit(page)

    # A day that does not exist, typed as a person types it: the form's own message, the text kept.
    field(page, capfirst(sq("title"))).fill(TITLE)
    field(page, capfirst(sq("scope"))).fill("Patrullime pranë shkollave.")
    page.get_by_label("Bashkia Elbasan").check()
    field(page, capfirst(sq("date signed"))).type("31.02.2025")
    scan = tmp_path / "memorandum.pdf"
    scan.write_bytes(signed_pdf(TITLE))
    field(page, capfirst(sq("signed document (PDF)"))).set_input_files(str(scan))
    expect(control.locator("[data-kvsp-file-name]")).to_have_text("memorandum.pdf")
    page.get_by_role("button", name=sq("Save")).click()
    expect(page.get_by_text(sq("Enter a valid date."))).to_be_visible()
    expect(field(page, capfirst(sq("date signed")))).to_have_value("31.02.2025")
    expect(field(page, capfirst(sq("title")))).to_have_value(TITLE)
    audit(page)

    # Typed again as dd.mm.vvvv (and d.m.vvvv): saved.
    field(page, capfirst(sq("date signed"))).fill("")
    field(page, capfirst(sq("date signed"))).type("14.02.2025")
    field(page, capfirst(sq("valid until"))).type("14.2.2027")
    field(page, capfirst(sq("signed document (PDF)"))).set_input_files(str(scan))
    page.get_by_role("button", name=sq("Save")).click()
    expect(page.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    audit(page)
    agreement = CooperationAgreement.objects.get()
    assert (agreement.signed_on, agreement.valid_until) == (date(2025, 2, 14), date(2027, 2, 14))
