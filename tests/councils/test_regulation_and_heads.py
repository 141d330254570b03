"""The regulation's approval by the municipal council (number and date, beside the regulation file,
on the council's public page) and the heads of the member institutions (who receive the SKN's
summaries; never public)."""

from datetime import date, timedelta

import pytest

from councils.models import CouncilInstitution, Institution, Role
from tests.factories import UserFactory, council, give_role

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def elbasan():
    return council("elbasan")


def _settings(elbasan, **changes):
    data = {
        "status": "active",
        "chair_holder": "mayor",
        "founding_decision_number": "",
        "founding_decision_date": "",
        "founding_decision_body": "",
        "contact_email": "",
        "regulation_approval_number": "",
        "regulation_approval_date": "",
    }
    return {**data, **changes}


def _secretary(elbasan):
    user = UserFactory(language="en")
    give_role(elbasan, Role.SECRETARY, user=user)
    return user


def test_the_approval_is_recorded_and_shown_on_the_public_page(client, elbasan):
    client.force_login(_secretary(elbasan))
    response = client.post(
        "/app/elbasan/settings/",
        _settings(elbasan, regulation_approval_number="45", regulation_approval_date="2021-03-25"),
        **EN,
    )
    assert response.status_code == 302
    elbasan.refresh_from_db()
    assert (elbasan.regulation_approval_number, elbasan.regulation_approval_date) == ("45", date(2021, 3, 25))
    client.logout()
    page = client.get("/elbasan/", HTTP_ACCEPT_LANGUAGE="sq").content.decode()
    assert "45" in page and "25.03.2021" in page


@pytest.mark.parametrize(
    ("number", "day", "field"),
    [
        ("45", "", "regulation_approval_date"),
        ("", "2021-03-25", "regulation_approval_number"),
        ("45", "2999-01-01", "regulation_approval_date"),
        ("45", "not a date", "regulation_approval_date"),
    ],
)
def test_bad_input_is_refused_with_what_was_typed(client, elbasan, number, day, field):
    client.force_login(_secretary(elbasan))
    response = client.post(
        "/app/elbasan/settings/",
        _settings(elbasan, regulation_approval_number=number, regulation_approval_date=day),
        **EN,
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    if number:
        assert 'value="45"' in response.content.decode()
    elbasan.refresh_from_db()
    assert not elbasan.regulation_approved


def test_the_secretary_records_an_institutions_head(client, elbasan):
    client.force_login(_secretary(elbasan))
    police = Institution.objects.create(name="Komisariati i Policisë Elbasan", category="c")
    give_role(elbasan, Role.MEMBER, institution=police, full_name="Arben Hoxha")
    seat = CouncilInstitution.objects.active().get(council=elbasan, institution=police)
    url = f"/app/elbasan/institutions/{seat.pk}/head/"
    response = client.post(url, {"head_name": "", "head_email": "drejtori@example.al"}, **EN)
    assert response.status_code == 200 and "drejtori@example.al" in response.content.decode()
    response = client.post(url, {"head_name": "Ilir  Doda", "head_email": "i.doda@example.al"}, **EN)
    assert response.status_code == 302
    police.refresh_from_db()
    assert (police.head_name, police.head_email) == ("Ilir Doda", "i.doda@example.al")
    # Never public: neither the composition nor the API shows the head.
    client.logout()
    for page in ("/elbasan/", "/api/v1/councils/elbasan/"):
        content = client.get(page).content.decode()
        assert "i.doda@example.al" not in content and "Ilir Doda" not in content


def test_an_ended_seat_or_another_councils_seat_is_not_found(client, elbasan):
    client.force_login(_secretary(elbasan))
    other = Institution.objects.create(name="Prokuroria Belsh", category="d")
    give_role(council("belsh"), Role.MEMBER, institution=other)
    seat = CouncilInstitution.objects.get(council__municipality__slug="belsh", institution=other)
    assert client.get(f"/app/elbasan/institutions/{seat.pk}/head/", **EN).status_code == 404
    mine = Institution.objects.create(name="Shkolla", category="o")
    give_role(elbasan, Role.MEMBER, institution=mine)
    ended = CouncilInstitution.objects.get(council=elbasan, institution=mine)
    CouncilInstitution.objects.filter(pk=ended.pk).update(
        start_date=date.today() - timedelta(days=10), end_date=date.today() - timedelta(days=1)
    )
    assert client.get(f"/app/elbasan/institutions/{ended.pk}/head/", **EN).status_code == 404
