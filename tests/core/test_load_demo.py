"""load_demo is idempotent: a second run changes nothing, history included."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

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
