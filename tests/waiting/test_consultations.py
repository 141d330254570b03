"""What consultations put in "waiting for you" (consultations/waiting.py): citizens' concerns
waiting for moderation, for the council's moderators (the rule ``consultations.moderate``: the
technical secretary and the SKN), one item per council; moderated concerns leave it."""

import pytest
import rules

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
