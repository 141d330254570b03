"""Every domain model keeps an audit trail (django-simple-history); a new model can't be forgotten."""

import pytest
from django.apps import apps
from simple_history.models import HistoricalChanges

from tests.factories import UserFactory

PROJECT_APPS = {"core", "notify", "portal", "councils", "meetings", "consultations", "plans", "monitoring"}
# Models kept out of the audit trail on purpose. Add a name here only with the reason beside it.
WITHOUT_HISTORY: dict[str, str] = {
    # Law 124/2024 and DESIGN.md: a citizen's contact is never in history; deleting it must delete
    # every copy (tests/consultations/test_privacy.py).
    "consultations.ConcernContact": "citizens' contact details",
    # The same for a follower's address (kvsp/portal/models.py): unsubscribing deletes every copy.
    "portal.Subscription": "citizens' contact details",
    # The same for the e-mail left with a public comment on the plan (plans/comment_models.py).
    "plans.PlanCommentContact": "citizens' contact details",
    # Database triggers (monitoring/migrations/0002) refuse any change to a status update; a
    # correction is a new update, so the table is its own history.
    "monitoring.StatusUpdate": "append-only: never changes",
    # The delivery records are their own log (kvsp/notify/models.py): a notification is written
    # once and only marked read; the outbox and the sent-log record every message, its claims and
    # its sending; a person's e-mail preference is their own setting, not the council's record.
    "notify.Notification": "a delivery record: written once, then only marked read",
    "notify.OutboxMessage": "the delivery ledger itself",
    "notify.SentLog": "the delivery ledger itself",
    "notify.Preference": "a person's own e-mail setting",
}


def domain_models():
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label not in PROJECT_APPS or meta.auto_created:
            continue
        if issubclass(model, HistoricalChanges):
            continue
        yield model


def test_project_has_domain_models_to_check():
    assert any(m._meta.label == "core.User" for m in domain_models())


def test_every_domain_model_has_history():
    missing = [
        m._meta.label
        for m in domain_models()
        if m._meta.label not in WITHOUT_HISTORY and not hasattr(m, "history")
    ]
    assert missing == [], f"add `history = HistoricalRecords()` to: {missing}"


@pytest.mark.django_db
def test_history_records_who_changed_a_user_and_never_the_password(client, platform_admin):
    person = UserFactory(full_name="Ana Lika")
    client.force_login(platform_admin)
    response = client.post(
        f"/admin/core/user/{person.pk}/change/",
        {
            "email": person.email,
            "full_name": "Ana Lika-Prifti",
            "language": "sq",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = person.history.latest()
    assert latest.full_name == "Ana Lika-Prifti"
    assert latest.history_user == platform_admin
    assert not hasattr(latest, "password")
