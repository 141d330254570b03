"""In Chromium, in Albanian: an SKN member records a month's referral figure (a month to come is
refused and a second figure for the same key is offered for editing, nothing typed lost), corrects
it, sees the year's totals, and records a cooperation agreement with its signed PDF, which
downloads. The national observer sees the totals only. Every page visited is audited (axe-core,
Nu HTML Checker, CSP)."""

import pytest
from django.utils.text import capfirst
from playwright.sync_api import expect

from councils.models import Role, today
from councils.registers.demo import signed_pdf
from councils.registers.models import CooperationAgreement, ReferralCount
from tests.factories import InstitutionFactory, UserFactory, council, give_role
from tests.fixtures.browser import field, log_in, sq

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sekret-i-forte-2026"
TITLE = (
    "Memorandum bashkëpunimi me Drejtorinë Rajonale të Arsimit Parauniversitar Elbasan për sigurinë në "
    "shkolla"
)


def _figure(page, *, year: int, month: int, cases: str) -> None:
    field(page, sq("Year")).fill(str(year))
    field(page, sq("Month")).select_option(str(month))
    field(page, sq("Issue")).select_option("domestic_violence")
    field(page, sq("Referred to")).select_option("referral_mechanism")
    field(page, sq("Outcome")).select_option("assisted")
    field(page, sq("Number of cases")).fill(cases)
    page.get_by_role("button", name=sq("Save")).click()


def test_the_skn_keeps_the_referral_figures_and_an_agreement(
    page, live_server, audit, reference_data, tmp_path
):
    elbasan = council("elbasan")
    bashkia = InstitutionFactory(name="Bashkia Elbasan", category="a")
    skn = UserFactory(email="skn.bashkia@elbasan.gov.al", full_name="Elira Muça", password=PASSWORD)
    give_role(elbasan, Role.SKN_MUNICIPALITY, user=skn, institution=bashkia)
    page.goto(live_server.url + "/accounts/login/")
    log_in(page, live_server, skn.email, PASSWORD)

    page.goto(live_server.url + "/app/elbasan/")
    page.get_by_role("link", name=sq("Referrals and agreements")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sq("Referrals and agreements"))
    audit(page)
    page.get_by_role("link", name=sq("Add a figure")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sq("Add a referral figure"))
    audit(page)

    # A month still to come: refused, the figure typed still there.
    now = today()
    _figure(page, year=now.year + 1, month=1, cases="5")
    expect(
        page.get_by_text(sq("This month has not begun yet: record its referrals once it has."))
    ).to_be_visible()
    expect(field(page, sq("Number of cases"))).to_have_value("5")
    audit(page)
    _figure(page, year=now.year, month=1, cases="5")
    expect(page.locator("#referral-total")).to_contain_text("5")
    expect(page.locator("#totals-by-issue")).to_contain_text(capfirst(sq("domestic violence")))
    audit(page)

    # The same month, issue, body and outcome again: offered for editing instead.
    page.get_by_role("link", name=sq("Add a figure")).click()
    _figure(page, year=now.year, month=1, cases="2")
    expect(page.locator(".invalid-feedback, .alert-danger, .errorlist").first).to_be_visible()
    expect(field(page, sq("Number of cases"))).to_have_value("2")
    audit(page)
    page.get_by_role("link", name=sq("Edit the figure already recorded")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sq("Correct a referral figure"))
    expect(field(page, sq("Number of cases"))).to_have_value("5")
    field(page, sq("Number of cases")).fill("7")
    page.get_by_role("button", name=sq("Save")).click()
    expect(page.locator("#totals-by-body")).to_contain_text("7")
    expect(page.locator("#month-1")).to_contain_text("7")
    audit(page)
    assert list(ReferralCount.objects.values_list("cases", flat=True)) == [7]

    # A cooperation agreement with its signed PDF.
    page.get_by_role("link", name=sq("Add an agreement")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sq("Add a cooperation agreement"))
    audit(page)
    field(page, capfirst(sq("title"))).fill(TITLE)
    field(page, capfirst(sq("scope"))).fill("Patrullime pranë shkollave dhe orë edukative ligjore.")
    page.get_by_label("Bashkia Elbasan").check()
    field(page, capfirst(sq("other parties"))).fill("Drejtoria Rajonale e Arsimit Parauniversitar Elbasan")
    field(page, capfirst(sq("date signed"))).fill("14.02.2025")
    field(page, capfirst(sq("valid until"))).fill("14.02.2024")  # before it was signed
    scan = tmp_path / "memorandum.pdf"
    scan.write_bytes(signed_pdf(TITLE))
    field(page, capfirst(sq("signed document (PDF)"))).set_input_files(str(scan))
    page.get_by_role("button", name=sq("Save")).click()
    expect(page.get_by_text(sq("An agreement cannot end before it was signed."))).to_be_visible()
    expect(field(page, capfirst(sq("title")))).to_have_value(TITLE)
    audit(page)
    field(page, capfirst(sq("valid until"))).fill("14.02.2027")
    field(page, capfirst(sq("signed document (PDF)"))).set_input_files(str(scan))
    page.get_by_role("button", name=sq("Save")).click()
    expect(page.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    audit(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=sq("PDF")).click()
    path = tmp_path / "shkarkuar.pdf"
    download.value.save_as(path)
    assert path.read_bytes() == signed_pdf(TITLE)
    agreement = CooperationAgreement.objects.get()
    assert list(agreement.institutions.all()) == [bashkia]


def test_the_observer_sees_the_totals_only(page, live_server, audit, reference_data):
    from councils.registers import services

    elbasan = council("elbasan")
    services.referral_add(
        council=elbasan,
        year=2025,
        month=3,
        issue_type="drugs",
        body="health_centre",
        outcome="assisted",
        cases=4,
    )
    observer = UserFactory(
        email="vezhguesi@example.al", full_name="Besnik Kola", password=PASSWORD, is_national_observer=True
    )
    page.goto(live_server.url + "/accounts/login/")
    log_in(page, live_server, observer.email, PASSWORD)
    page.goto(live_server.url + "/app/elbasan/registers/?year=2025")
    expect(page.locator("#totals-by-issue")).to_contain_text("4")
    expect(page.locator("#month-3")).to_have_count(0)
    expect(page.get_by_role("link", name=sq("Add a figure"))).to_have_count(0)
    audit(page)
