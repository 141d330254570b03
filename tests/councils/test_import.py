"""Inviting many at once from a CSV file: a preview with per-row errors, and all rows or none."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from councils import services
from councils.models import Membership, Role
from tests.factories import InstitutionFactory, council

pytestmark = pytest.mark.django_db

HEADER = "emri,email,institucioni,roli,nga_data\n"


@pytest.fixture
def elbasan():
    the_council = council("elbasan")
    for name, category in (("Komisariati i Policisë Elbasan", "c"), ("Zyra Vendore Arsimore Elbasan", "f")):
        services.seat_add(council=the_council, institution=InstitutionFactory(name=name, category=category))
    return the_council


def test_a_good_file_imports_every_row_and_invites(
    elbasan, platform_admin, django_capture_on_commit_callbacks
):
    content = (
        HEADER + "Arben Hysa,arben@example.al,Komisariati i Policisë Elbasan,anëtar,15.01.2025\n"
        "Artan Dervishi,artan@example.al,komisariati i policisë elbasan,skn_police,\n"
        "Ilir Basha,,Zyra Vendore Arsimore Elbasan,member,2025-01-15\n"
    ).encode()
    rows, errors = services.import_parse(council=elbasan, content=content)
    assert errors == [] and [r.errors for r in rows] == [[], [], []]
    with django_capture_on_commit_callbacks(execute=True):
        created = services.import_apply(council=elbasan, rows=rows, invited_by=platform_admin, invite=True)
    assert [m.role for m in created] == [Role.MEMBER, Role.SKN_POLICE, Role.MEMBER]
    assert len(mail.outbox) == 2  # the row without an e-mail is added but not invited


def test_the_albanian_role_names_are_understood(elbasan):
    content = (HEADER + 'Artan Dervishi,,Komisariati i Policisë Elbasan,"SKN, vendi i policisë",\n').encode()
    rows, errors = services.import_parse(council=elbasan, content=content)
    assert errors == [] and rows[0].role == Role.SKN_POLICE


def test_wrong_columns_are_named(elbasan):
    rows, errors = services.import_parse(council=elbasan, content=b"name;mail\nAna;ana@example.al\n")
    assert rows == [] and "emri" in errors[0] and "institucioni" in errors[0]


def test_wrong_encoding_is_explained(elbasan):
    content = (HEADER + "Artan Çela,,Komisariati i Policisë Elbasan,member,\n").encode("cp1250")
    rows, errors = services.import_parse(council=elbasan, content=content)
    assert rows == [] and "UTF-8" in errors[0]


def test_row_errors_are_listed_and_nothing_is_saved(elbasan, platform_admin):
    content = (
        HEADER + "Arben Hysa,arben@example.al,Komisariati i Policisë Elbasan,member,\n"
        ",not-an-email,Bashkia Tiranë,boss,31.02.2025\n"
        "A,,Komisariati i Policisë Elbasan,skn_police,\n"
        "B,,Komisariati i Policisë Elbasan,skn_police,\n"
    ).encode()
    rows, errors = services.import_parse(council=elbasan, content=content)
    assert errors == []
    assert rows[0].errors == []
    assert len(rows[1].errors) == 5  # name, e-mail, institution, role, date
    assert rows[3].errors and "dy mbajtës" in rows[3].errors[0]
    with pytest.raises(ValidationError):
        services.import_apply(council=elbasan, rows=rows, invited_by=platform_admin, invite=False)
    assert Membership.objects.filter(council=elbasan).count() == 0


def test_an_empty_file_is_refused(elbasan):
    assert services.import_parse(council=elbasan, content=HEADER.encode())[1]


@pytest.mark.parametrize("bad_date", ["30.02.2025", "1.1.²", "2025-02-30", "15.13.2025"])
def test_impossible_dates_are_row_errors_not_crashes(elbasan, bad_date):
    content = (HEADER + f"Ana,,Komisariati i Policisë Elbasan,member,{bad_date}\n").encode()
    rows, errors = services.import_parse(council=elbasan, content=content)
    assert errors == [] and "nuk është datë" in rows[0].errors[0]


def test_an_unreadable_csv_is_a_file_error(elbasan):
    content = (HEADER + 'Ana,,"' + "x" * 200_000 + '",member,\n').encode()
    rows, errors = services.import_parse(council=elbasan, content=content)
    assert rows == [] and "CSV" in errors[0]


def test_duplicates_and_existing_roles_show_on_the_check_page(elbasan):
    services.membership_add(
        council=elbasan,
        institution=elbasan.seats.first().institution,
        role=Role.MEMBER,
        full_name="Arben Hysa",
        email="arben@example.al",
    )
    content = (
        HEADER + "Arben Hysa,arben@example.al,Komisariati i Policisë Elbasan,member,\n"
        "Ilir Basha,ilir@example.al,Komisariati i Policisë Elbasan,member,\n"
        "Ilir Basha,ilir@example.al,Komisariati i Policisë Elbasan,member,\n"
    ).encode()
    rows, _ = services.import_parse(council=elbasan, content=content)
    assert "e mban tashmë" in rows[0].errors[0]
    assert rows[1].errors == []
    assert "dy herë" in rows[2].errors[0]


def test_officer_roles_need_the_chair(elbasan):
    content = (HEADER + "Artan Dervishi,,Komisariati i Policisë Elbasan,skn_police,\n").encode()
    member_roles = [Role.MEMBER, Role.GUEST]
    rows, _ = services.import_parse(council=elbasan, content=content, allowed_roles=member_roles)
    assert "Vetëm kryetari" in rows[0].errors[0]
