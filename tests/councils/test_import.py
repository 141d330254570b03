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
