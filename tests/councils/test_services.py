"""Composition and membership services: the rules a secretary meets, with clear messages."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from councils import services
from councils.models import Council, CouncilInstitution, Institution, Membership, Person, Role
from tests.factories import InstitutionFactory, UserFactory, council, give_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def elbasan():
    return council("elbasan")


def test_seat_add_creates_a_new_institution_in_the_councils_county(elbasan):
    seat = services.seat_add(council=elbasan, name="  Zyra  Vendore Arsimore Elbasan ", category="f")
    assert seat.institution.name == "Zyra Vendore Arsimore Elbasan"
    assert seat.institution.county == elbasan.municipality.county
    # The same name again reuses the institution, and a second open seat is refused.
    with pytest.raises(ValidationError, match="është tashmë anëtar"):
        services.seat_add(council=elbasan, name="zyra vendore arsimore elbasan", category="f")


def test_one_institution_serves_several_councils(elbasan):
    prosecution = InstitutionFactory(name="Prokuroria Elbasan", category="d")
    for slug in ("elbasan", "belsh", "librazhd", "gramsh", "peqin", "prrenjas"):
        services.seat_add(council=council(slug), institution=prosecution)
    assert CouncilInstitution.objects.filter(institution=prosecution).count() == 6


def test_seat_end_keeps_the_record_and_refuses_bad_dates(elbasan):
    seat = services.seat_add(council=elbasan, institution=InstitutionFactory(), start_date=date(2025, 1, 10))
    with pytest.raises(ValidationError, match="pas datës së fillimit"):
        services.seat_end(seat=seat, end_date=date(2025, 1, 1))
    services.seat_end(seat=seat, end_date=date(2025, 6, 1))
    seat.refresh_from_db()
    assert seat.end_date == date(2025, 6, 1)
    assert seat.history.count() == 2


def test_membership_needs_an_institution_of_the_composition(elbasan):
    with pytest.raises(ValidationError) as error:
        services.membership_add(
            council=elbasan, institution=InstitutionFactory(), role=Role.MEMBER, full_name="Ana Lika"
        )
    assert "institution" in error.value.error_dict


def test_a_second_active_holder_of_an_skn_seat_is_refused(elbasan):
    give_role(elbasan, Role.SKN_POLICE, full_name="Artan Dervishi")
    with pytest.raises(ValidationError) as error:
        give_role(elbasan, Role.SKN_POLICE, full_name="Besa Kola")
    assert "role" in error.value.error_dict
    assert Membership.objects.filter(council=elbasan, role=Role.SKN_POLICE).count() == 1


def test_the_database_holds_the_one_holder_rule(elbasan):
    first = give_role(elbasan, Role.CHAIR, full_name="Kryetari")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            council=elbasan, person=first.person, role=Role.CHAIR, start_date=date(2020, 1, 1)
        )
    # Another council's chair is a different seat.
    give_role(council("belsh"), Role.CHAIR, full_name="Kryetari i Belshit")


def test_the_database_refuses_an_end_before_the_start(elbasan):
    membership = give_role(elbasan, Role.MEMBER)
    membership.end_date = membership.start_date - timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


def test_a_successor_takes_the_seat_after_the_predecessor_ends(elbasan):
    old = give_role(elbasan, Role.SKN_PROSECUTION, full_name="Old", start_date=date(2024, 1, 1))
    services.membership_end(membership=old, end_date=date(2025, 3, 1))
    with pytest.raises(ValidationError):  # overlapping the predecessor's last days
        give_role(elbasan, Role.SKN_PROSECUTION, full_name="New", start_date=date(2025, 2, 1))
    new = give_role(elbasan, Role.SKN_PROSECUTION, full_name="New", start_date=date(2025, 3, 1))
    assert new.pk and Membership.objects.filter(council=elbasan, role=Role.SKN_PROSECUTION).count() == 2


def test_access_ends_on_the_end_day(elbasan):
    user = UserFactory()
    membership = give_role(elbasan, Role.MEMBER, user=user, start_date=date(2024, 1, 1))
    assert list(Council.objects.for_user(user)) == [elbasan]
    services.membership_end(membership=membership, end_date=date.today())
    user = type(user).objects.get(pk=user.pk)  # a new request: no cached roles
    assert list(Council.objects.for_user(user)) == []
    assert Membership.objects.filter(pk=membership.pk).exists()  # the record stays


def test_the_same_person_sits_in_several_councils(elbasan):
    prosecution = InstitutionFactory(category="d")
    first = give_role(
        elbasan,
        Role.SKN_PROSECUTION,
        institution=prosecution,
        full_name="Mirela Shehu",
        email="Mirela@Example.al",
    )
    second = give_role(
        council("belsh"),
        Role.SKN_PROSECUTION,
        institution=prosecution,
        full_name="Mirela Shehu",
        email="mirela@example.al",
    )
    assert first.person == second.person
    assert Person.objects.filter(email="mirela@example.al").count() == 1


def test_invite_creates_an_account_links_it_and_mails_the_link(
    elbasan, platform_admin, django_capture_on_commit_callbacks
):
    membership = give_role(elbasan, Role.MEMBER, full_name="Ilir Basha", email="ilir@example.al")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.membership_invite(membership=membership, invited_by=platform_admin) is True
    membership.person.refresh_from_db()
    assert membership.person.user.email == "ilir@example.al"
    assert len(mail.outbox) == 1 and "/accounts/invitation/" in mail.outbox[0].body
    assert list(Council.objects.for_user(membership.person.user)) == [elbasan]


def test_invite_links_an_existing_account_without_mail(elbasan, user, platform_admin):
    membership = give_role(elbasan, Role.MEMBER, full_name=user.full_name, email=user.email.upper())
    assert services.membership_invite(membership=membership, invited_by=platform_admin) is False
    membership.person.refresh_from_db()
    assert membership.person.user == user
    assert mail.outbox == []


def test_invite_without_email_is_refused(elbasan, platform_admin):
    membership = give_role(elbasan, Role.MEMBER, full_name="Pa Email")
    with pytest.raises(ValidationError, match="adresë e-maili"):
        services.membership_invite(membership=membership, invited_by=platform_admin)


def test_institution_categories_cover_the_regulation():
    codes = {c.value for c in Institution.Category}
    assert set("abcdefghijklmno") <= codes
    assert {"prefect", "court", "other"} <= codes


def test_an_e_mail_recorded_for_someone_else_is_refused(elbasan):
    give_role(elbasan, Role.MEMBER, full_name="Mirela Shehu", email="mirela@example.al")
    with pytest.raises(ValidationError) as error:
        give_role(council("belsh"), Role.MEMBER, full_name="Dikush Tjetër", email="mirela@example.al")
    assert "email" in error.value.error_dict
    assert "Mirela" not in " ".join(error.value.messages)  # the other person's name is never shown


def test_a_person_can_represent_another_institution_in_another_council(elbasan):
    first = give_role(elbasan, Role.MEMBER, full_name="Mirela Shehu", email="mirela@example.al")
    other_office = InstitutionFactory(name="Prokuroria Librazhd", category="d")
    second = give_role(
        council("librazhd"),
        Role.MEMBER,
        institution=other_office,
        full_name="Mirela Shehu",
        email="mirela@example.al",
    )
    assert first.person == second.person and second.institution == other_office


def test_ending_a_seat_with_active_roles_is_refused(elbasan):
    membership = give_role(elbasan, Role.MEMBER, full_name="Ana Lika")
    seat = elbasan.seats.get(institution=membership.institution)
    with pytest.raises(ValidationError, match="Ana Lika"):
        services.seat_end(seat=seat, end_date=date.today() + timedelta(days=30))
    services.membership_end(membership=membership, end_date=date.today() + timedelta(days=10))
    services.seat_end(seat=seat, end_date=date.today() + timedelta(days=30))


def test_a_scheduled_end_tells_when_the_seat_frees(elbasan):
    holder = give_role(elbasan, Role.CHAIR, full_name="Kryetari", start_date=date(2024, 1, 1))
    services.membership_end(membership=holder, end_date=date(2030, 6, 1))
    with pytest.raises(ValidationError, match=r"01\.06\.2030"):
        give_role(elbasan, Role.CHAIR, full_name="Pasardhësi", start_date=date(2030, 1, 1))
