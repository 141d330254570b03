"""Fixtures for consultations: Elbasan with its officers, a consultation and concerns."""
# ruff: noqa: F811 (fixtures of tests/fixtures/plans.py, imported by name)

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations import lifecycle
from tests.fixtures.plans import elbasan, officers  # noqa: F401 (the same council and officers)


@pytest.fixture
def consultation(elbasan, officers):
    return lifecycle.consultation_create(
        council=elbasan,
        starts_at=timezone.now() - timedelta(days=2),
        place="Salla e bashkisë, Shushicë",
        co_leads=[officers["municipality"], officers["police"], officers["prosecution"]],
        agenda="Siguria në shkolla\nDroga te të rinjtë",
    )
