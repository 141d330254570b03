"""The referral and agreement registers (issue 22 item 7; councils/registers/): counts only, never a
person; who keeps and reads them (DESIGN.md "Visibility": SKN and chair, the national observer
counts only); duplicates and months to come refused with the form kept; bounded queries."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from councils.models import Council, Role, today
from councils.registers import services
from councils.registers.models import CooperationAgreement, ReferralCount
from tests.factories import InstitutionFactory, UserFactory, council, give_role

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
NAME = "Arta Hoxha"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def elbasan():
    return council("elbasan")


def _user(the_council, role, **extra):
    user = UserFactory(language="en", **extra)
    give_role(the_council, role, user=user)
    return user


def _count(the_council, **values):
    base = {
        "year": 2025,
        "month": 3,
        "issue_type": "domestic_violence",
        "body": "referral_mechanism",
        "outcome": "assisted",
        "cases": 4,
    }
    return services.referral_add(council=the_council, **{**base, **values})


# --- no field can hold a name -------------------------------------------------------------------


def test_no_field_of_a_referral_figure_can_hold_a_name():
    """Every field is a choice, a number, a date-time stamp or the link to the council: there is
    no free text anywhere (a name, a note, a case) — and every text column is a closed list."""
    for field in ReferralCount._meta.get_fields():
        if field.auto_created and not field.concrete:
            continue  # reverse relations (the history's rows)
        if isinstance(field, models.ForeignKey):
            assert field.related_model is Council, field.name
        elif isinstance(field, (models.CharField, models.TextField)):
            assert field.choices, f"{field.name} is free text"
            assert NAME not in {value for value, _label in field.choices}
        else:
            assert isinstance(
                field,
                (
                    models.AutoField,
                    models.BigAutoField,
                    models.PositiveSmallIntegerField,
                    models.DateTimeField,
                ),
            ), f"{field.name} is a {type(field).__name__}"
    assert not isinstance(ReferralCount._meta.get_field("cases"), models.CharField)


def test_the_database_refuses_a_name_in_a_choice_and_the_model_validation_too(elbasan):
    row = ReferralCount(
        council=elbasan, year=2025, month=1, issue_type=NAME, body="police", outcome="closed", cases=1
    )
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    assert "issue_type" in refused.value.message_dict


def test_posting_a_name_anywhere_in_the_referral_form_stores_nothing_of_it(client, elbasan):
    client.force_login(_user(elbasan, Role.SKN_POLICE))
    url = f"/app/{elbasan.slug}/registers/referrals/new/"
    valid = {
        "year": "2025",
        "month": "3",
        "issue_type": "drugs",
        "body": "police",
        "outcome": "assisted",
        "cases": "2",
    }
    for field in ("issue_type", "body", "outcome", "cases", "month", "year"):
        response = client.post(url, {**valid, field: NAME}, **EN)
        assert response.status_code == 200, field
        assert field in response.context["form"].errors, field
    assert not ReferralCount.objects.exists()
    # Fields the form does not have (a note, a name) are ignored: the figure is stored, the name not.
    response = client.post(url, {**valid, "name": NAME, "note": NAME, "full_name": NAME}, **EN)
    assert response.status_code == 302
    (row,) = ReferralCount.objects.values()
    assert NAME not in " ".join(str(value) for value in row.values())
    assert NAME not in " ".join(str(value) for value in ReferralCount.history.values_list())


# --- services ------------------------------------------------------------------------------------


def test_a_figure_is_recorded_and_corrected_by_editing_it(elbasan):
    row = _count(elbasan)
    assert (row.year, row.month, row.cases) == (2025, 3, 4)
    row = services.referral_update(
        count=row,
        year=2025,
        month=3,
        issue_type="domestic_violence",
        body="referral_mechanism",
        outcome="assisted",
        cases=6,
    )
    row.refresh_from_db()
    assert row.cases == 6 and ReferralCount.objects.count() == 1
    assert row.history.count() == 2


def test_a_second_figure_for_the_same_key_is_refused_and_names_the_existing_one(elbasan):
    first = _count(elbasan)
    with pytest.raises(ValidationError) as refused:
        _count(elbasan, cases=9)
    assert refused.value.code == "duplicate" and refused.value.params["existing"] == first.pk
    # Another outcome, body or month is another figure; another council's is its own.
    _count(elbasan, outcome="pending")
    _count(council("belsh"))
    other = _count(elbasan, month=4)
    with pytest.raises(ValidationError):
        services.referral_update(
            count=other,
            year=2025,
            month=3,
            issue_type="domestic_violence",
            body="referral_mechanism",
            outcome="assisted",
            cases=1,
        )
    assert ReferralCount.objects.filter(council=elbasan).count() == 3


def test_a_month_to_come_and_a_zero_count_are_refused(elbasan):
    ahead = today().replace(day=1) + timedelta(days=40)
    with pytest.raises(ValidationError) as refused:
        _count(elbasan, year=ahead.year, month=ahead.month)
    assert "month" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _count(elbasan, cases=0)
    assert "cases" in refused.value.message_dict
    _count(elbasan, year=today().year, month=today().month)  # the current month is fine


def test_an_agreement_needs_a_party_and_ends_after_it_was_signed(elbasan):
    member = give_role(elbasan, Role.MEMBER).institution
    stranger = InstitutionFactory()
    base = {
        "council": elbasan,
        "title": "Memorandum",
        "scope": "Siguria në shkolla",
        "signed_on": date(2025, 3, 1),
    }
    with pytest.raises(ValidationError) as refused:
        services.agreement_add(**base)
    assert "other_parties" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.agreement_add(**base, institutions=[stranger])
    assert "institutions" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.agreement_add(**base, institutions=[member], valid_until=date(2025, 2, 1))
    assert "valid_until" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.agreement_add(**{**base, "signed_on": today() + timedelta(days=1)}, other_parties="OJF")
    assert "signed_on" in refused.value.message_dict
    agreement = services.agreement_add(
        **base,
        institutions=[member],
        other_parties="  Qendra  'Sot për të Ardhmen' ",
        document=ContentFile(PDF, name="memo.pdf"),
    )
    assert list(agreement.institutions.all()) == [member]
    assert agreement.other_parties == "Qendra 'Sot për të Ardhmen'"
    agreement = services.agreement_update(
        agreement=agreement,
        title="Memorandum i ri",
        scope="Siguria",
        signed_on=date(2025, 3, 1),
        other_parties="DRAP Elbasan",
    )
    assert agreement.title == "Memorandum i ri" and not agreement.institutions.exists()
    assert agreement.document.name.endswith(".pdf")  # kept when no new file is given


# --- rules and for_user --------------------------------------------------------------------------

PERMISSIONS = {
    # role: (view_referrals, change_referrals, view_referral_totals, view_agreements, change_agreements)
    Role.CHAIR: (True, True, True, True, True),
    Role.SKN_MUNICIPALITY: (True, True, True, True, True),
    Role.SKN_POLICE: (True, True, True, True, True),
    Role.SKN_PROSECUTION: (True, True, True, True, True),
    Role.SECRETARY: (False, False, False, True, True),
    Role.MEMBER: (False, False, False, False, False),
    Role.GUEST: (False, False, False, False, False),
}
NAMES = ("view_referrals", "change_referrals", "view_referral_totals", "view_agreements", "change_agreements")


@pytest.mark.parametrize("role", list(PERMISSIONS))
def test_who_keeps_the_registers(elbasan, role):
    user = _user(elbasan, role)
    found = tuple(user.has_perm(f"councils.{name}", elbasan) for name in NAMES)
    assert found == PERMISSIONS[role]
    # Nothing in another council.
    assert not any(user.has_perm(f"councils.{name}", council("belsh")) for name in NAMES)


def test_the_observer_reads_totals_only_and_the_admin_everything(elbasan):
    observer = UserFactory(is_national_observer=True)
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert [observer.has_perm(f"councils.{name}", elbasan) for name in NAMES] == [
        False,
        False,
        True,
        False,
        False,
    ]
    assert all(admin.has_perm(f"councils.{name}", elbasan) for name in NAMES)
    row = _count(elbasan)
    agreement = services.agreement_add(
        council=elbasan, title="M", scope="S", other_parties="OJF", signed_on=date(2025, 1, 1)
    )
    assert list(ReferralCount.objects.for_user(observer)) == [row]
    assert not CooperationAgreement.objects.for_user(observer).exists()
    secretary = _user(elbasan, Role.SECRETARY)
    assert not ReferralCount.objects.for_user(secretary).exists()
    assert list(CooperationAgreement.objects.for_user(secretary)) == [agreement]


# --- pages ---------------------------------------------------------------------------------------


def _year_of_figures(the_council):
    for month in range(1, 13):
        for issue, body in (("domestic_violence", "referral_mechanism"), ("drugs", "health_centre")):
            _count(the_council, month=month, issue_type=issue, body=body, cases=month)


def test_the_register_shows_months_and_totals_to_the_skn(client, elbasan):
    _year_of_figures(elbasan)
    client.force_login(_user(elbasan, Role.SKN_MUNICIPALITY))
    response = client.get(f"/app/{elbasan.slug}/registers/?year=2025", **EN)
    page = response.content.decode()
    referrals = response.context["referrals"]
    assert referrals.total == 2 * sum(range(1, 13)) == 156
    assert referrals.by_issue == [("domestic violence", 78), ("drugs and addiction", 78)]
    assert [month.number for month in referrals.months] == list(range(12, 0, -1))
    assert referrals.months[0].total == 24
    assert 'id="month-12"' in page and "156 cases referred in the year." in page
    assert f"/app/{elbasan.slug}/registers/referrals/" in page  # edit links


def test_the_observer_sees_totals_and_how_many_agreements_but_no_month_and_no_agreement(client, elbasan):
    _year_of_figures(elbasan)
    services.agreement_add(
        council=elbasan,
        title="Memorandum me DRAP",
        scope="Siguria",
        other_parties="DRAP",
        signed_on=date(2025, 1, 1),
        document=ContentFile(PDF, name="m.pdf"),
    )
    client.force_login(UserFactory(is_national_observer=True, language="en"))
    response = client.get(f"/app/{elbasan.slug}/registers/?year=2025", **EN)
    page = response.content.decode()
    assert response.status_code == 200
    assert "156 cases referred in the year." in page and 'id="totals-by-body"' in page
    assert 'id="month-' not in page and "Memorandum me DRAP" not in page
    assert "1 cooperation agreement is recorded." in page
    assert "registers/agreements/" not in page and "registers/referrals/" not in page
    agreement = CooperationAgreement.objects.get()
    assert client.get(f"/app/{elbasan.slug}/registers/agreements/{agreement.pk}/document/").status_code == 403


def test_a_plain_member_and_anonymous_are_kept_out(client, elbasan):
    url = f"/app/{elbasan.slug}/registers/"
    assert client.get(url).status_code == 302
    client.force_login(_user(elbasan, Role.MEMBER))
    assert client.get(url).status_code == 403
    assert "registers/" not in client.get(f"/app/{elbasan.slug}/").content.decode()


def test_the_council_page_links_the_registers_for_the_chair(client, elbasan):
    client.force_login(_user(elbasan, Role.CHAIR))
    assert f'href="/app/{elbasan.slug}/registers/"' in client.get(f"/app/{elbasan.slug}/").content.decode()


def test_a_duplicate_figure_keeps_the_form_and_offers_the_existing_one(client, elbasan):
    first = _count(elbasan)
    client.force_login(_user(elbasan, Role.SKN_POLICE))
    data = {
        "year": "2025",
        "month": "3",
        "issue_type": "domestic_violence",
        "body": "referral_mechanism",
        "outcome": "assisted",
        "cases": "11",
    }
    response = client.post(f"/app/{elbasan.slug}/registers/referrals/new/", data, **EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert "already has a figure" in page and f"/registers/referrals/{first.pk}/" in page
    assert 'value="11"' in page  # nothing typed is lost
    first.refresh_from_db()
    assert first.cases == 4
    ahead = today().replace(day=1) + timedelta(days=40)
    response = client.post(
        f"/app/{elbasan.slug}/registers/referrals/new/",
        {**data, "year": str(ahead.year), "month": str(ahead.month)},
        **EN,
    )
    assert response.status_code == 200 and "has not begun yet" in response.content.decode()


def test_an_agreement_with_its_pdf_is_added_edited_and_downloaded(client, elbasan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    member = give_role(elbasan, Role.MEMBER).institution
    client.force_login(_user(elbasan, Role.SECRETARY))
    url = f"/app/{elbasan.slug}/registers/agreements/new/"
    data = {
        "title": "Memorandum bashkëpunimi",
        "scope": "Siguria në shkolla",
        "institutions": [member.pk],
        "other_parties": "DRAP Elbasan",
        "signed_on": "2025-03-10",
        "valid_until": "2027-03-10",
    }
    bad = client.post(url, {**data, "document": SimpleUploadedFile("x.pdf", b"not a pdf")}, **EN)
    assert bad.status_code == 200 and "document" in bad.context["form"].errors
    assert 'value="Memorandum bashkëpunimi"' in bad.content.decode()
    response = client.post(url, {**data, "document": SimpleUploadedFile("m.pdf", PDF)}, **EN)
    assert response.status_code == 302
    agreement = CooperationAgreement.objects.get()
    download = client.get(f"/app/{elbasan.slug}/registers/agreements/{agreement.pk}/document/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    edit = f"/app/{elbasan.slug}/registers/agreements/{agreement.pk}/"
    assert client.get(edit).status_code == 200
    response = client.post(
        edit, {**data, "title": "Memorandum i përditësuar", "valid_until": "2020-01-01"}, **EN
    )
    assert response.status_code == 200 and "valid_until" in response.context["form"].errors
    response = client.post(edit, {**data, "title": "Memorandum i përditësuar"}, **EN)
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.title == "Memorandum i përditësuar" and agreement.document


def test_the_register_reads_in_constant_queries(client, elbasan, django_assert_max_num_queries):
    client.force_login(_user(elbasan, Role.CHAIR))
    members = [give_role(elbasan, Role.MEMBER).institution for _ in range(3)]
    url = f"/app/{elbasan.slug}/registers/?year=2025"
    client.get(url)
    _year_of_figures(elbasan)
    for n in range(6):
        services.agreement_add(
            council=elbasan,
            title=f"Marrëveshje {n}",
            scope="S",
            institutions=members,
            signed_on=date(2025, 1, 1 + n),
        )
    with django_assert_max_num_queries(18):  # 9 of them: the session, the roles and the top bar
        response = client.get(url)
    assert response.context["referrals"].total == 156 and len(response.context["agreements"]) == 6
    observer = UserFactory(is_national_observer=True)
    client.force_login(observer)
    with django_assert_max_num_queries(18):
        assert client.get(url).status_code == 200


def test_the_demo_gives_elbasan_a_year_of_figures_and_two_agreements_once(settings, tmp_path):
    from councils.registers import demo

    settings.MEDIA_ROOT = tmp_path
    elbasan = council("elbasan")
    first = demo.load()
    assert demo.load() == 0  # a second run changes nothing
    year = ReferralCount.objects.filter(council=elbasan, year=demo.YEAR)
    assert first == year.count() + 2
    assert {row.month for row in year} == set(range(1, 13))
    assert sum(row.cases for row in year) == 121
    titles = set(CooperationAgreement.objects.filter(council=elbasan).values_list("title", flat=True))
    assert any("Sot për të Ardhmen" in title for title in titles) and len(titles) == 2
    for agreement in CooperationAgreement.objects.filter(council=elbasan):
        assert agreement.document.read(5) == b"%PDF-"
