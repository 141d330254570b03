"""In Chromium, in Albanian: a citizen raises a concern without an account and gets a code; the
technical secretary redacts and publishes it and types in a concern raised at the meeting from a
phone; the SKN groups it into a problem and assesses its risk; the public sees the redacted text,
the priority and the outcome, and never the citizen's name or contact. Every page visited is
audited (axe-core, Nu HTML Checker, CSP)."""

import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from consultations import lifecycle
from councils.models import Institution, Role
from tests.builders import announce_consultation
from tests.factories import UserFactory, council, give_role
from tests.fixtures.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sekret-i-forte-2026"
CODE = re.compile(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}")

# What the citizen writes: a name that must never be published, and markup that must stay text.
NAME_IN_TEXT = "Artan Gjoni"
SCRIPT = "<script>alert(1)</script>"
CITIZEN_TEXT = (
    f"Çdo mbrëmje {NAME_IN_TEXT} shet drogë të rinjve te stacioni i autobusit pranë shkollës "
    f"9-vjeçare. {SCRIPT}"
)
REDACTED_TEXT = (
    f"Çdo mbrëmje dikush shet drogë të rinjve te stacioni i autobusit pranë shkollës 9-vjeçare. {SCRIPT}"
)
CONTACT_NAME = "Blerina Duka"
CONTACT_EMAIL = "blerina.duka@example.al"
PROBLEM = "Shitja e drogës pranë shkollave"
PRIVATE = (NAME_IN_TEXT, CONTACT_NAME, CONTACT_EMAIL)


def _login(page, live_server, email):
    page.goto(live_server.url + "/accounts/login/")
    log_in(page, live_server, email, PASSWORD)  # and the second factor, for officers
    expect(page.get_by_role("heading", level=1)).to_have_text("Këshillat e mi")


def _logout(page, short_name):
    page.get_by_role("button", name=short_name).click()
    page.get_by_role("button", name="Dilni").click()
    expect(page.get_by_role("link", name="Hyni")).to_be_visible()


def _nothing_private(page):
    """Neither the page as shown nor its source holds the citizen's name or contact."""
    shown = page.content()
    source = page.context.request.get(page.url).text()
    for private in PRIVATE:
        assert private not in shown, f"{private!r} shown on {page.url}"
        assert private not in source, f"{private!r} in the source of {page.url}"


def _no_script_ran(page, dialogs):
    assert not dialogs, f"a dialog opened: {dialogs}"
    assert not page.evaluate("() => [...document.scripts].some(s => s.textContent.includes('alert(1)'))"), (
        f"the citizen's <script> became a script on {page.url}"
    )


def test_a_concern_from_the_citizen_to_the_plan(page, live_server, audit, reference_data):
    # --- set-up: Elbasan, its officers and the triangle's institutions, two consultations ------
    elbasan = council("elbasan")
    municipality = Institution.objects.create(name="Bashkia Elbasan", category="a")
    police = Institution.objects.create(name="Drejtoria Vendore e Policisë Elbasan", category="c")
    prosecution = Institution.objects.create(name="Prokuroria e Rrethit Gjyqësor Elbasan", category="d")
    secretary = UserFactory(email="sekretari@elbasan.gov.al", full_name="Dorina Cela", password=PASSWORD)
    skn = UserFactory(email="skn@policia.gov.al", full_name="Arben Hoxha", password=PASSWORD)
    chair = UserFactory(email="kryetari@elbasan.gov.al", full_name="Gazmend Oketa", password=PASSWORD)
    give_role(elbasan, Role.SECRETARY, user=secretary, institution=municipality)
    give_role(elbasan, Role.SKN_POLICE, user=skn, institution=police)
    give_role(elbasan, Role.CHAIR, user=chair, institution=municipality)
    give_role(elbasan, Role.MEMBER, full_name="Ilir Basha", institution=prosecution)
    spring = lifecycle.consultation_create(
        council=elbasan,
        title="Takimi i pranverës",
        starts_at=timezone.now() + timedelta(days=4),
        place="Salla e Këshillit Bashkiak",
        co_leads=[municipality, police, prosecution],
        agenda="Siguria pranë shkollave\nDroga te të rinjtë",
    )
    announce_consultation(spring)
    # Held three weeks ago and never announced here: the secretary records who came.
    lifecycle.consultation_create(
        council=elbasan,
        title="Takimi i vjeshtës",
        starts_at=timezone.now() - timedelta(days=21),
        place="Shtëpia e kulturës, Shirgjan",
        co_leads=[municipality, police, prosecution],
    )
    mail.outbox.clear()  # the announcement told the council's members: the citizen's mail follows
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    # --- the citizen, without an account ------------------------------------------------------
    page.goto(live_server.url + "/elbasan/")
    audit(page)
    page.get_by_role("link", name="Ngrini një shqetësim").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ngrini një shqetësim")
    expect(page.get_by_text("Shqetësimi juaj shkon në takimin e hapur konsultues")).to_be_visible()
    audit(page)
    form_url = page.url

    page.get_by_role("button", name="Dërgoni shqetësimin").click()  # empty: an error, no 500
    expect(page.locator(".invalid-feedback").first).to_contain_text("Kjo fushë është e domosdoshme.")
    audit(page)
    assert len(mail.outbox) == 0

    # Twenty thousand characters (pasted from somewhere): refused with the limit, nothing lost.
    page.get_by_label("Kategoria").select_option(label="droga dhe alkooli te të rinjtë")
    page.get_by_label("Lagjja, rruga ose fshati").fill("Lagjja Kristoforidhi")
    page.get_by_label("Shqetësimi juaj").evaluate("(el, text) => { el.value = text; }", "a" * 20000)
    page.get_by_role("button", name="Dërgoni shqetësimin").click()
    expect(page.locator(".invalid-feedback").first).to_contain_text(
        re.compile(r"të shumtën 5000 shenja \(ka 20000\)")
    )
    expect(page.get_by_label("Kategoria")).to_have_value("drugs_alcohol_youth")
    expect(page.get_by_label("Lagjja, rruga ose fshati")).to_have_value("Lagjja Kristoforidhi")
    assert len(page.get_by_label("Shqetësimi juaj").input_value()) == 20000
    assert page.url == form_url and len(mail.outbox) == 0

    page.get_by_label("Shqetësimi juaj").fill(CITIZEN_TEXT)
    page.get_by_label("Njësia administrative").select_option(label="Shirgjan")
    page.get_by_label("Emri juaj").fill(CONTACT_NAME)
    page.get_by_label("E-mail").fill(CONTACT_EMAIL)
    page.get_by_role("button", name="Dërgoni shqetësimin").click()
    expect(page.get_by_text("Faleminderit. Shqetësimi juaj u mor.")).to_be_visible()
    code = page.locator(".kvsp-code").inner_text().strip()
    assert CODE.fullmatch(code), code
    assert page.url == f"{live_server.url}/elbasan/concerns/{code}/"
    expect(page.get_by_text("Marrë: një moderator do ta lexojë para se të publikohet.")).to_be_visible()
    _nothing_private(page)
    assert CITIZEN_TEXT not in page.content()  # not published yet: not even the wording
    audit(page)
    assert len(mail.outbox) == 1
    receipt = mail.outbox[0]
    assert receipt.to == [CONTACT_EMAIL]
    assert code in receipt.subject and f"/elbasan/concerns/{code}/" in receipt.body
    assert NAME_IN_TEXT not in receipt.body

    # Back later with the code typed in lowercase.
    page.goto(live_server.url + "/elbasan/")
    page.get_by_label("Ndiqni shqetësimin tuaj: kodi i referencës").fill(code.lower())
    page.get_by_role("button", name="Ndiqe").click()
    expect(page).to_have_url(f"{live_server.url}/elbasan/concerns/{code}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)

    # --- the technical secretary: moderation, a concern raised at the meeting, participation --
    page.goto(live_server.url + "/accounts/login/")
    audit(page)
    _login(page, live_server, secretary.email)
    audit(page)
    page.goto(live_server.url + "/app/elbasan/")
    audit(page)
    page.get_by_role("link", name="Konsultimet", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Takimet e hapura konsultuese")
    audit(page)
    page.get_by_role("row", name=re.compile("Takimi i pranverës")).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Takimi i pranverës")
    audit(page)
    page.get_by_role("link", name="Moderoni shqetësimet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Shqetësimet e qytetarëve")
    audit(page)
    page.get_by_role("link", name=code).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)
    # The moderators read the original, markup as text, and the contact.
    expect(page.locator(".kvsp-citizen-text")).to_contain_text(SCRIPT)
    expect(page.locator(".kvsp-citizen-text")).to_contain_text(NAME_IN_TEXT)
    expect(page.get_by_role("link", name=CONTACT_EMAIL)).to_be_visible()
    _no_script_ran(page, dialogs)
    audit(page)
    publish = page.get_by_label("Teksti për publikim")
    expect(publish).to_have_value(CITIZEN_TEXT)
    publish.fill(REDACTED_TEXT)
    page.get_by_role("button", name="Publikoje").click()
    expect(page.get_by_text("Shqetësimi u publikua.")).to_be_visible()
    expect(page.get_by_text("Redaktuar para publikimit.")).to_be_visible()
    public_card = page.locator("section", has=page.locator("#public-heading"))
    expect(public_card).to_contain_text(REDACTED_TEXT)
    expect(public_card).not_to_contain_text(NAME_IN_TEXT)
    _no_script_ran(page, dialogs)
    audit(page)

    # At the meeting, on a phone: a concern raised aloud.
    page.get_by_role("link", name=re.compile("Takimi i pranverës")).click()
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="Regjistroni shqetësimet e ngritura në takim").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Regjistroni një shqetësim të ngritur në takim")
    audit(page)
    expect(page.get_by_label("Si u ngrit")).to_have_value("oral")
    page.get_by_label("Shqetësimi", exact=False).first.fill(
        "Në fshatin Papër dhuna në familje nuk denoncohet nga frika."
    )
    page.get_by_label("Kategoria").select_option(label="dhuna në familje")
    page.get_by_label("Njësia administrative").select_option(label="Papër")
    page.get_by_role("button", name="Ruaje shqetësimin").click()
    saved = page.get_by_text(re.compile(r"U ruajt me kodin e referencës [2-9A-Z]{4}-[2-9A-Z]{4}\."))
    expect(saved).to_be_visible()
    oral_code = CODE.search(saved.inner_text()).group(0)
    assert oral_code != code
    expect(page.get_by_label("Shqetësimi", exact=False).first).to_have_value("")  # ready for the next
    audit(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Participation, for the consultation held three weeks ago.
    page.get_by_role("navigation", name="Gjurma e navigimit").get_by_role(
        "link", name="Konsultimet", exact=True
    ).click()
    page.get_by_role("row", name=re.compile("Takimi i vjeshtës")).get_by_role("link").click()
    page.get_by_role("link", name="Regjistroni pjesëmarrjen").click()
    audit(page)
    page.get_by_label("të rinjtë: gra").fill("12")
    page.get_by_label("të rinjtë: burra").fill("9")
    page.get_by_label("kryeplakët e fshatrave: burra").fill("4")
    page.get_by_label("Përmbledhje e diskutimit").fill(
        "U diskutua ndriçimi i rrugëve dhe siguria në shkolla."
    )
    page.get_by_role("button", name="Ruaj pjesëmarrjen").click()
    expect(page.get_by_text("Pjesëmarrja u regjistrua.")).to_be_visible()
    expect(page.locator("tfoot")).to_contain_text("25")
    audit(page)
    _logout(page, "Dorina")

    # --- the SKN: from concerns to a prioritised risk --------------------------------------------
    _login(page, live_server, skn.email)
    page.goto(live_server.url + "/app/elbasan/")
    page.get_by_role("link", name="Konsultimet", exact=True).click()
    page.get_by_role("row", name=re.compile("Takimi i pranverës")).get_by_role("link").click()
    audit(page)
    page.get_by_role("link", name="Prioritizoni shqetësimet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nga shqetësimet te rreziqet e prioritizuara")
    expect(page.get_by_role("checkbox", name=re.compile(oral_code))).to_be_visible()
    _no_script_ran(page, dialogs)
    audit(page)
    page.get_by_role("checkbox", name=re.compile(code)).check()
    page.get_by_label("Emri i problematikës së re").fill(PROBLEM)
    page.get_by_role("button", name="Gruponi shqetësimet e shënuara").click()
    expect(page.get_by_text("Problematika u krijua. Tani vlerësoni rrezikun e saj.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vlerësoni problematikën")
    audit(page)
    page.get_by_label("Intensiteti i rrezikut").select_option(label="prioritet i lartë")
    page.get_by_label("Arsyet e këtij vlerësimi").fill(
        "Ndodh çdo ditë pranë dy shkollave; prek fëmijë të moshës 12–15 vjeç."
    )
    page.get_by_label("Statistikat").fill(
        "38 raste të kapura me lëndë narkotike pranë shkollave në vitin 2025."
    )
    page.get_by_label("Burimi i statistikave").fill("Drejtoria Vendore e Policisë Elbasan")
    page.get_by_label("Drejtoria Vendore e Policisë Elbasan").check()
    page.get_by_label(re.compile("Vendimi")).select_option(label="në plan")
    page.get_by_role("button", name="Ruaj", exact=True).click()
    expect(page.get_by_text("Problematika u ruajt.")).to_be_visible()
    card = page.locator("article", has=page.get_by_role("heading", name=PROBLEM))
    expect(card).to_contain_text("Prioritet i lartë")
    expect(card).to_contain_text("Në plan")
    audit(page)
    # The citizen who left an address hears the decision, in the language they wrote in.
    assert len(mail.outbox) == 2
    outcome = mail.outbox[1]
    assert outcome.to == receipt.to and code in outcome.subject
    assert PROBLEM in outcome.body and "Në plan" in outcome.body
    _logout(page, "Arben")

    # --- the public: what we heard and what we did ------------------------------------------------
    page.goto(live_server.url + "/elbasan/")
    page.get_by_role("link", name=re.compile("Salla e Këshillit Bashkiak")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Takimi i pranverës")
    card = page.locator("article", has=page.get_by_role("heading", name=PROBLEM))
    expect(card).to_contain_text("Prioritet i lartë")
    expect(card).to_contain_text("Në plan")
    expect(card).to_contain_text("Drejtoria Vendore e Policisë Elbasan")
    card.get_by_text("1 shqetësim nga qytetarët").click()
    expect(card.get_by_text(REDACTED_TEXT)).to_be_visible()
    assert "dhuna në familje nuk denoncohet" not in page.content()  # not moderated: not public
    _nothing_private(page)
    _no_script_ran(page, dialogs)
    audit(page)
    opened = page.context.request.get(page.url + "concerns.json")
    data = json.loads(opened.text())
    assert [row["text"] for row in data["concerns"]] == [REDACTED_TEXT]
    assert data["concerns"][0]["priority"] == "high" and data["concerns"][0]["outcome"] == "in_plan"
    assert not any(private in opened.text() for private in PRIVATE)
    assert code not in opened.text()  # the open data never links a concern to its citizen
    csv_text = page.context.request.get(page.url + "concerns.csv").text()
    assert REDACTED_TEXT in csv_text and not any(private in csv_text for private in PRIVATE)

    # All consultations; the one held in the autumn shows who came.
    page.get_by_role("navigation", name="Gjurma e navigimit").get_by_role(
        "link", name="Takimet e hapura konsultuese"
    ).click()
    audit(page)
    page.locator("li", has_text="Takimi i vjeshtës").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Takimi i vjeshtës")
    expect(page.get_by_role("heading", name="Kush mori pjesë")).to_be_visible()
    expect(page.get_by_text("U diskutua ndriçimi i rrugëve")).to_be_visible()
    _nothing_private(page)
    audit(page)

    # The citizen follows the code: the outcome, with the published text only.
    page.get_by_label("Ndiqni shqetësimin tuaj: kodi i referencës").fill(code)
    page.get_by_role("button", name="Ndiqe").click()
    expect(page).to_have_url(f"{live_server.url}/elbasan/concerns/{code}/")
    expect(page.get_by_text(f"Grupuar nën problematikën “{PROBLEM}”.", exact=False)).to_be_visible()
    expect(page.get_by_text("Në plan.")).to_be_visible()
    expect(page.get_by_text(REDACTED_TEXT)).to_be_visible()
    _nothing_private(page)
    _no_script_ran(page, dialogs)
    audit(page)

    # Once in English.
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Concern {code}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("In the plan.")).to_be_visible()
    expect(page.get_by_text(REDACTED_TEXT)).to_be_visible()
    _nothing_private(page)
    audit(page)
    _no_script_ran(page, dialogs)
    assert len(mail.outbox) == 2  # the receipt and the outcome; the oral concern had no e-mail


def test_a_wrong_code_is_answered_clearly(page, live_server, audit, reference_data):
    """The lookup page the main flow never shows: an unknown code, then one that cannot be a
    code, both answered on the page with what was typed kept."""
    page.goto(live_server.url + "/elbasan/consultations/")
    expect(page.get_by_text("Ende nuk është njoftuar asnjë konsultim.")).to_be_visible()
    audit(page)
    page.get_by_label("Ndiqni shqetësimin tuaj: kodi i referencës").fill("k7m4-9qxr")
    page.get_by_role("button", name="Ndiqe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ndiqni shqetësimin tuaj")
    expect(page.locator(".invalid-feedback")).to_contain_text(
        "Asnjë shqetësim i këtij këshilli nuk ka këtë kod."
    )
    expect(page.get_by_label("Kodi i referencës")).to_have_value("k7m4-9qxr")
    audit(page)
    page.get_by_label("Kodi i referencës").fill("O0O0")
    page.get_by_role("button", name="Ndiqe").click()
    expect(page.locator(".invalid-feedback")).to_contain_text(
        "Asnjë shqetësim i këtij këshilli nuk ka këtë kod."
    )
    audit(page)
