"""Issue 21, finding 5: a moderation decision taken on a concern whose state another moderator
has just changed is neither dropped silently nor applied blindly: the moderator is told, in their
language, what the concern is now, and what they typed is still in the form."""
# ruff: noqa: F811 (fixtures of tests/fixtures/plans.py, imported by name)

import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from consultations import lifecycle, services
from consultations.models import Concern
from tests.fixtures.plans import elbasan, officers  # noqa: F401

pytestmark = pytest.mark.django_db

REASON = "Ka të bëjë me një rast individual: drejtojuni policisë së lagjes."


@pytest.fixture
def concern(elbasan, officers):
    consultation = lifecycle.consultation_create(
        council=elbasan,
        starts_at=timezone.now() - timedelta(days=2),
        place="Salla e bashkisë",
        co_leads=[officers["municipality"], officers["police"], officers["prosecution"]],
        agenda="Siguria në shkolla",
    )
    return services.concern_submit(
        council=elbasan, consultation=consultation, text="Ndriçimi te shkolla nuk punon.", category="other"
    )


def _url(concern) -> str:
    return f"/app/elbasan/concerns/{concern.code}/"


def _seen(html: str, action: str) -> str:
    match = re.search(rf'name="{action}-seen" value="([^"]*)"', html)
    assert match, f"no {action}-seen field"
    return unescape(match.group(1))


def test_a_decision_on_a_state_changed_meanwhile_is_refused_and_keeps_the_text(client, concern, officers):
    client.force_login(officers["secretary"])
    seen = _seen(client.get(_url(concern)).text, "reject")
    # Meanwhile the SKN member publishes it.
    services.concern_publish(concern=concern, public_text="Ndriçimi te shkolla.", user=officers["skn"])

    response = client.post(_url(concern), {"action": "reject", "reject-reason": REASON, "reject-seen": seen})
    assert response.status_code == 409
    page = response.text
    assert "Një moderator tjetër e ndryshoi këtë shqetësim" in page
    assert REASON in page  # the typed reason is still in the form
    concern.refresh_from_db()
    assert concern.status == Concern.Status.PUBLISHED and concern.status_reason == ""
    assert concern.moderated_by == officers["skn"]

    # Sent again knowingly (the form now carries the new state), the decision is taken.
    again = client.post(
        _url(concern), {"action": "reject", "reject-reason": REASON, "reject-seen": _seen(page, "reject")}
    )
    assert again.status_code == 302
    concern.refresh_from_db()
    assert concern.status == Concern.Status.REJECTED and concern.status_reason == REASON


def test_the_form_stays_even_when_the_action_is_no_longer_offered(client, concern, officers):
    client.force_login(officers["secretary"])
    seen = _seen(client.get(_url(concern)).text, "merge")
    other = services.concern_submit(
        council=concern.council, consultation=concern.consultation, text="Tjetër", category="other"
    )
    services.concern_merge(concern=concern, into=other, user=officers["skn"])  # merged: nothing is offered

    response = client.post(_url(concern), {"action": "merge", "merge-into": other.code, "merge-seen": seen})
    assert response.status_code == 409
    assert f'value="{other.code}"' in response.text
    assert "Një moderator tjetër e ndryshoi këtë shqetësim" in response.text


def test_the_conflict_is_told_in_the_moderators_language(client, concern, officers):
    secretary = officers["secretary"]
    client.force_login(secretary)
    client.cookies["kvsp_language"] = "en"
    seen = _seen(client.get(_url(concern)).text, "publish")
    services.concern_reject(concern=concern, reason="Jashtë teme.", user=officers["skn"])
    response = client.post(
        _url(concern),
        {"action": "publish", "publish-public_text": "Teksti i redaktuar me kujdes.", "publish-seen": seen},
    )
    assert response.status_code == 409
    assert "Another moderator changed this concern while you were working on it" in response.text
    assert "Teksti i redaktuar me kujdes." in response.text
    concern.refresh_from_db()
    assert concern.status == Concern.Status.REJECTED


def test_without_a_change_meanwhile_the_decision_is_taken(client, concern, officers):
    client.force_login(officers["secretary"])
    seen = _seen(client.get(_url(concern)).text, "reject")
    response = client.post(_url(concern), {"action": "reject", "reject-reason": REASON, "reject-seen": seen})
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == Concern.Status.REJECTED
