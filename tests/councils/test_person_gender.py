"""A person's gender (only so that Albanian agrees: "e pranishme") is recorded where the person is
added, by hand or from a CSV file, not only in the platform admin (issue 25 review)."""

import pytest

from councils import services
from councils.models import Person, PersonGender, Role
from tests.factories import InstitutionFactory, UserFactory, council, give_role

pytestmark = pytest.mark.django_db

HEADER = "emri,email,institucioni,roli,gjinia\n"
POLICE = "Komisariati i Policisë Elbasan"


@pytest.fixture
def elbasan():
    the_council = council("elbasan")
    services.seat_add(council=the_council, institution=InstitutionFactory(name=POLICE, category="c"))
    return the_council


def test_the_membership_form_records_the_gender(client, elbasan):
    secretary = UserFactory()
    give_role(elbasan, Role.SECRETARY, user=secretary)
    client.force_login(secretary)
    client.cookies["kvsp_language"] = "en"
    page = client.get("/app/elbasan/members/add/").content.decode()
    assert 'name="gender"' in page and "not recorded" in page
    institution = elbasan.seats.active().get(institution__name=POLICE).institution_id
    for name, gender in (("Entela Gjoni", "f"), ("Pa Gjini", "")):
        response = client.post(
            "/app/elbasan/members/add/",
            {
                "full_name": name,
                "gender": gender,
                "institution": institution,
                "role": "member",
                "start_date": "01.03.2026",
            },
        )
        assert response.status_code == 302, response.context["form"].errors
    assert Person.objects.get(full_name="Entela Gjoni").gender == PersonGender.WOMAN
    assert Person.objects.get(full_name="Pa Gjini").gender == ""


def test_a_known_person_gets_the_gender_given_and_keeps_it_when_blank(elbasan):
    institution = elbasan.seats.active().get().institution
    first = services.membership_add(
        council=elbasan,
        institution=institution,
        role=Role.MEMBER,
        full_name="Ilir Basha",
        email="ilir@example.al",
    )
    assert first.person.gender == ""
    services.membership_add(
        council=elbasan,
        institution=institution,
        role=Role.GUEST,
        full_name="Ilir Basha",
        email="ilir@example.al",
        gender=PersonGender.MAN,
    )
    first.person.refresh_from_db()
    assert first.person.gender == PersonGender.MAN


@pytest.mark.parametrize(
    ("written", "recorded"),
    [("f", "f"), ("F", "f"), ("femër", "f"), ("Femër", "f"), ("m", "m"), ("mashkull", "m"), ("", "")],
)
def test_the_csv_reads_the_gender_column(elbasan, platform_admin, written, recorded):
    content = (HEADER + f"Besa Hoxha,besa@example.al,{POLICE},anëtar,{written}\n").encode()
    rows, errors = services.import_parse(council=elbasan, content=content)
    assert errors == [] and rows[0].errors == [] and rows[0].gender == recorded
    (membership,) = services.import_apply(council=elbasan, rows=rows, invited_by=platform_admin, invite=False)
    assert membership.person.gender == recorded


def test_an_unknown_gender_is_a_row_error_and_the_column_is_optional(elbasan):
    content = (HEADER + f"Besa Hoxha,,{POLICE},anëtar,x\n").encode()
    rows, errors = services.import_parse(council=elbasan, content=content)
    assert errors == [] and len(rows[0].errors) == 1 and "“x”" in rows[0].errors[0]
    without = f"emri,institucioni,roli\nBesa Hoxha,{POLICE},anëtar\n".encode()
    rows, errors = services.import_parse(council=elbasan, content=without)
    assert errors == [] and rows[0].errors == [] and rows[0].gender == ""
