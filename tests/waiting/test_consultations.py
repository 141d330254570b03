"""What consultations put in "waiting for you" (consultations/waiting.py): a consultation's agenda
sent for agreement, for the SKN (``consultations.agree_agenda``) until one of them agrees it;
citizens' concerns waiting for moderation, for the council's moderators (the rule
``consultations.moderate``: the technical secretary and the SKN), one item per council; moderated
concerns leave it."""

from datetime import timedelta

import pytest
import rules
from django.utils import timezone

from consultations import lifecycle
from consultations import services as consultation_services
from councils.waiting import waiting_for

pytestmark = pytest.mark.django_db

EVERYONE = ("chair", "secretary", "skn", "skn2", "member", "guest")


def kinds(user, kind) -> list:
    return [item for item in waiting_for(user) if item.kind == kind]


def who_sees(people, kind) -> set[str]:
    return {key for key in EVERYONE if kinds(people[key], kind)}


def _concern(people, text="Drogë te parku"):
    return consultation_services.concern_submit(council=people["council"], text=text, category="hotspots")


def test_concerns_wait_for_the_moderators_until_moderated(seat):
    elbasan = seat("elbasan")
    first, second = _concern(elbasan), _concern(elbasan, "Ndriçimi në rrugë")
    assert who_sees(elbasan, "concerns_to_moderate") == {"secretary", "skn", "skn2"}
    moderators = {
        k for k in EVERYONE if rules.test_rule("consultations.moderate", elbasan[k], elbasan["council"])
    }
    assert moderators == {"secretary", "skn", "skn2"}
    [item] = kinds(elbasan["skn"], "concerns_to_moderate")
    assert item.url == "/app/elbasan/concerns/"
    assert item.since == first.created_at
    assert "2 citizens' concerns wait" in item.text

    consultation_services.concern_publish(concern=first, public_text="Drogë te parku", user=elbasan["skn"])
    [item] = kinds(elbasan["skn"], "concerns_to_moderate")
    assert "1 citizen's concern waits" in item.text and item.since == second.created_at
    consultation_services.concern_reject(concern=second, reason="Rast individual.", user=elbasan["secretary"])
    assert who_sees(elbasan, "concerns_to_moderate") == set()


def test_another_councils_concerns_are_not_listed(seat):
    elbasan, belsh = seat("elbasan"), seat("belsh")
    _concern(belsh)
    assert who_sees(elbasan, "concerns_to_moderate") == set()
    assert who_sees(belsh, "concerns_to_moderate") == {"secretary", "skn", "skn2"}


def test_a_consultation_agenda_waits_for_the_skn_from_its_sending_until_agreed(seat):
    elbasan = seat("elbasan")
    consultation = lifecycle.consultation_create(
        council=elbasan["council"],
        starts_at=timezone.now() + timedelta(days=20),
        place="Papër",
        agenda="Siguria në shkolla\nDroga te të rinjtë",
    )
    assert who_sees(elbasan, "consultation_agenda") == set()  # still being prepared
    consultation = lifecycle.consultation_agenda_submit(consultation=consultation, user=elbasan["secretary"])
    assert who_sees(elbasan, "consultation_agenda") == {"skn", "skn2"}
    agreeing = {
        k for k in EVERYONE if rules.test_rule("consultations.agree_agenda", elbasan[k], consultation)
    }
    assert agreeing == {"skn", "skn2"}
    [item] = kinds(elbasan["skn2"], "consultation_agenda")
    assert item.url == f"/app/elbasan/consultations/{consultation.pk}/"
    assert item.since == consultation.agenda_submitted_at

    lifecycle.consultation_agenda_agree(consultation=consultation, user=elbasan["skn2"])
    assert who_sees(elbasan, "consultation_agenda") == set()
