"""Fixtures for consultations: Elbasan with its officers, a consultation and concerns."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations import services
from councils.models import Institution, Role
from tests.factories import UserFactory, council, give_role


@pytest.fixture
def elbasan(db):
    return council("elbasan")


@pytest.fixture
def officers(elbasan):
    """The triangle's institutions, the secretary, an SKN member, the chair and a plain member."""
    municipality = Institution.objects.create(name="Bashkia Elbasan", category="a")
    police = Institution.objects.create(name="Drejtoria Vendore e Policisë Elbasan", category="c")
    prosecution = Institution.objects.create(name="Prokuroria e Rrethit Gjyqësor Elbasan", category="d")
    people = {
        "secretary": UserFactory(full_name="Dorina Cela"),
        "skn": UserFactory(full_name="Arben Hoxha"),
        "chair": UserFactory(full_name="Gazmend Oketa"),
        "member": UserFactory(full_name="Ilir Basha"),
    }
    give_role(elbasan, Role.SECRETARY, user=people["secretary"], institution=municipality)
    give_role(elbasan, Role.SKN_POLICE, user=people["skn"], institution=police)
    give_role(elbasan, Role.CHAIR, user=people["chair"], institution=municipality)
    give_role(elbasan, Role.MEMBER, user=people["member"], institution=prosecution)
    return {**people, "municipality": municipality, "police": police, "prosecution": prosecution}


@pytest.fixture
def consultation(elbasan, officers):
    return services.consultation_create(
        council=elbasan,
        starts_at=timezone.now() - timedelta(days=2),
        place="Salla e bashkisë, Shushicë",
        co_leads=[officers["municipality"], officers["police"], officers["prosecution"]],
        agenda="Siguria në shkolla\nDroga te të rinjtë",
    )
