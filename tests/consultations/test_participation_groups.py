"""Consultation participation counts local institutions and minorities (issue 22 item 8): the
participation form asks for them, the service records them, and the staff and public pages of the
consultation show them."""

import pytest

from consultations import lifecycle, selectors
from consultations.models import ParticipantGroup, Participation
from tests.builders import announce_consultation

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_groups_include_local_institutions_and_minorities():
    assert ParticipantGroup.LOCAL_INSTITUTIONS == "local_institutions"
    assert ParticipantGroup.MINORITIES == "minorities"
    # "other citizens" stays last: the new groups come before it.
    assert ParticipantGroup.values[-1] == "other_citizens"


def test_participation_of_the_new_groups_is_recorded_and_shown(client, consultation, officers):
    consultation = announce_consultation(consultation)
    client.force_login(officers["secretary"])
    form = client.get(f"/app/elbasan/consultations/{consultation.pk}/participation/", **EN)
    assert form.status_code == 200
    for name in ("local_institutions_women", "local_institutions_men", "minorities_women", "minorities_men"):
        assert f'name="{name}"' in form.text, name
    assert "Local institutions" in form.text and "Minorities" in form.text

    saved = client.post(
        f"/app/elbasan/consultations/{consultation.pk}/participation/",
        {
            "local_institutions_women": "2",
            "local_institutions_men": "3",
            "minorities_women": "4",
            "minorities_men": "1",
        },
        **EN,
    )
    assert saved.status_code == 302
    counts = {p.group: (p.women, p.men) for p in Participation.objects.filter(consultation=consultation)}
    assert (counts["local_institutions"], counts["minorities"]) == ((2, 3), (4, 1))
    assert sum(women + men for women, men in counts.values()) == 10
    turnout = selectors.turnout(consultation)
    assert turnout.total == 10

    staff = client.get(f"/app/elbasan/consultations/{consultation.pk}/", **EN).text
    public = client.get(f"/elbasan/consultations/{consultation.pk}/", **EN).text
    for page in (staff, public):
        assert "Local institutions" in page and "Minorities" in page


def test_the_service_takes_the_new_groups(consultation):
    consultation = announce_consultation(consultation)
    lifecycle.participation_record(
        consultation=consultation, counts={"minorities": (5, 4, 0), "local_institutions": (1, 2, 0)}
    )
    assert Participation.objects.get(consultation=consultation, group="minorities").total == 9
    assert Participation.objects.get(consultation=consultation, group="local_institutions").total == 3
