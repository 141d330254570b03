"""In Chromium: the open consultation as the guide runs it. The technical secretary sends the draft
agenda to the SKN; the SKN member follows the notice and agrees it; the secretary announces it,
confirming the missing co-leading head on the second step; after a consultation has taken place,
the SKN members present are ticked with the participation and shown on its public page. Every
page visited is audited (axe-core, Nu HTML Checker, CSP). In English: the new wording awaits its
Albanian translation."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consultations import lifecycle
from consultations.models import Consultation
from councils.models import Institution, Role
from tests.factories import UserFactory, council, give_role
from tests.fixtures.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sekret-i-forte-2026"


def _as(page, live_server, user):
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "kvsp_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/accounts/login/")
    log_in(page, live_server, user.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("My councils")


def test_agenda_agreed_then_announced_then_the_skn_present(page, live_server, audit, reference_data):
    elbasan = council("elbasan")
    municipality = Institution.objects.create(name="Bashkia Elbasan", category="a")
    police = Institution.objects.create(name="Drejtoria Vendore e Policisë Elbasan", category="c")
    secretary = UserFactory(email="sekretari@elbasan.gov.al", full_name="Dorina Cela", password=PASSWORD)
    skn = UserFactory(email="skn@policia.gov.al", full_name="Arben Hoxha", password=PASSWORD)
    for user in (secretary, skn):
        user.language = "en"
        user.save(update_fields=["language"])
    give_role(elbasan, Role.SECRETARY, user=secretary, institution=municipality)
    give_role(elbasan, Role.SKN_POLICE, user=skn, institution=police)
    spring = lifecycle.consultation_create(
        council=elbasan,
        title="Takimi i pranverës",
        starts_at=timezone.now() + timedelta(days=9),
        place="Shkolla 9-vjeçare Papër",
        mayor_name="Gazmend Oketa",
        prosecutor_name="Fatmir Lleshi",
        agenda="Vjedhjet e bagëtive\nPatrullimi në fshat",
    )
    autumn = lifecycle.consultation_create(
        council=elbasan,
        title="Takimi i vjeshtës",
        starts_at=timezone.now() - timedelta(days=2),
        place="Gjinar",
    )

    # --- the secretary sends the agenda: the announcement waits, and the page says why --------
    _as(page, live_server, secretary)
    page.goto(f"{live_server.url}/app/elbasan/consultations/{spring.pk}/")
    expect(
        page.get_by_text("The consultation is announced once the SKN has agreed its agenda.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Announce publicly")).to_have_count(0)
    audit(page)
    page.get_by_role("button", name="Send the agenda to the SKN for agreement").click()
    expect(page.get_by_text("The agenda was sent to the SKN for agreement.")).to_be_visible()
    audit(page)

    # --- the SKN member follows the notice and agrees it --------------------------------------
    _as(page, live_server, skn)
    page.goto(live_server.url + "/app/notifications/")
    notice = page.locator("li.list-group-item", has_text="waits for the SKN's agreement")
    notice.get_by_role("button", name="Open").click()
    expect(page).to_have_url(f"{live_server.url}/app/elbasan/consultations/{spring.pk}/")
    page.get_by_role("button", name="Agree the agenda on behalf of the SKN").click()
    expect(page.get_by_text("The agenda was agreed.")).to_be_visible()
    audit(page)

    # --- the secretary announces it, confirming that the police chief is not recorded --------
    _as(page, live_server, secretary)
    page.goto(f"{live_server.url}/app/elbasan/consultations/{spring.pk}/")
    page.get_by_role("link", name="Announce publicly").click()
    expect(page.get_by_text("Announce it without the police chief?")).to_be_visible()
    audit(page)
    page.get_by_role("button", name="Announce publicly").click()  # not confirmed: asked again
    expect(page.get_by_text("Tick this box to announce without them")).to_be_visible()
    audit(page)
    page.get_by_label("Announce it without them").check()
    page.get_by_role("button", name="Announce publicly").click()
    expect(page.get_by_text("The consultation was announced on the council's public page.")).to_be_visible()
    spring.refresh_from_db()
    assert spring.status == Consultation.Status.ANNOUNCED and spring.agenda_agreed_by == skn

    # --- after a consultation: the SKN present, with the participation -------------------------
    page.goto(f"{live_server.url}/app/elbasan/consultations/{autumn.pk}/participation/")
    audit(page)
    page.get_by_label("Arben Hoxha").check()
    page.get_by_role("button", name="Save participation").click()
    expect(page.get_by_text("SKN members present:")).to_be_visible()
    assert list(autumn.skn_present.values_list("full_name", flat=True)) == ["Arben Hoxha"]
    page.goto(f"{live_server.url}/elbasan/consultations/{autumn.pk}/")
    expect(page.get_by_text("Arben Hoxha")).to_be_visible()
    audit(page)
