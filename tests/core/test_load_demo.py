"""load_demo is idempotent: a second run changes nothing, history included."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from consultations.models import Concern, Consultation, Problem
from kvsp.core.demo import DEMO_PASSWORD, DEMO_USERS


def _row_counts():
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label
        in {"core", "councils", "meetings", "consultations", "plans", "monitoring", "notify"}
    }


@pytest.mark.django_db
def test_load_demo_twice_changes_nothing():
    call_command("load_demo", verbosity=0)
    first = _row_counts()
    call_command("load_demo", verbosity=0)
    assert _row_counts() == first
    User = get_user_model()
    for email, *_ in DEMO_USERS:
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)
    assert User.objects.get(email="admin@kvsp.demo").is_superuser
    assert first["core.HistoricalUser"] == len(DEMO_USERS)
    assert first["meetings.Meeting"] == 14 and first["meetings.Minutes"] == 14
    # Two held consultations and one announced ahead; 14 + 3 concerns; six problems, four in the plan.
    assert first["consultations.Consultation"] == 3
    assert first["consultations.Participation"] == 20
    assert first["consultations.Concern"] == 17
    assert first["consultations.Problem"] == 6
    assert first["consultations.ConcernContact"] >= 1
    assert Problem.objects.filter(outcome=Problem.Outcome.IN_PLAN).count() == 4
    assert Consultation.objects.filter(status=Consultation.Status.HELD).count() == 2
    upcoming = Consultation.objects.get(status=Consultation.Status.ANNOUNCED)
    assert upcoming.starts_at > timezone.now()
    assert upcoming.concerns.filter(status=Concern.Status.RECEIVED).count() == 3
    assert Concern.objects.filter(status=Concern.Status.REJECTED).count() == 1
    assert Concern.objects.filter(status=Concern.Status.MERGED).count() == 1
    assert Concern.objects.filter(redacted=True).count() == 2
