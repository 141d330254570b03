"""After the SKN agreed an agenda, the technical secretary's next step waits in the list: a council
meeting's invitations to send, an open consultation to announce."""

import pytest
from django.utils import timezone
from django.utils.translation import override

from consultations.models import Consultation
from councils.meetings import invitations
from councils.meetings import services as meeting_services
from councils.meetings.models import Meeting
from councils.waiting import waiting_for
from tests.waiting.conftest import person_of

pytestmark = pytest.mark.django_db

EVERYONE = ("chair", "secretary", "skn", "skn2", "member", "guest")


def kinds(user, kind) -> list:
    with override("en"):
        return [item for item in waiting_for(user) if item.kind == kind]


def who_sees(people, kind) -> set[str]:
    return {key for key in EVERYONE if kinds(people[key], kind)}


def test_an_agreed_agenda_asks_the_secretary_for_the_invitations(seat, make):
    elbasan = seat("elbasan")
    meeting = make.meeting(elbasan)
    meeting_services.agenda_item_add(meeting=meeting, title="Plani i sigurisë")
    assert who_sees(elbasan, "invitations_to_send") == set()
    meeting_services.agenda_agree(meeting=Meeting.objects.get(pk=meeting.pk), user=elbasan["skn"])
    assert who_sees(elbasan, "invitations_to_send") == {"secretary"}
    [item] = kinds(elbasan["secretary"], "invitations_to_send")
    assert item.url == f"/app/elbasan/meetings/{meeting.pk}/invitations/"
    assert "send the invitations" in item.text
    invitations.invitations_send(
        meeting=Meeting.objects.get(pk=meeting.pk),
        people=[person_of(elbasan["member"])],
        sent_by=elbasan["secretary"],
    )
    assert who_sees(elbasan, "invitations_to_send") == set()


def test_an_agreed_consultation_agenda_asks_the_secretary_to_announce_it(seat, make):
    elbasan = seat("elbasan")
    consultation = make.consultation_sent(elbasan)
    assert who_sees(elbasan, "consultation_to_announce") == set()
    Consultation.objects.filter(pk=consultation.pk).update(
        agenda_status=Consultation.AgendaStatus.AGREED, agenda_agreed_at=timezone.now()
    )
    assert who_sees(elbasan, "consultation_to_announce") == {"secretary"}
    [item] = kinds(elbasan["secretary"], "consultation_to_announce")
    assert item.url == f"/app/elbasan/consultations/{consultation.pk}/announce/"
    assert "announce it" in item.text
    Consultation.objects.filter(pk=consultation.pk).update(status=Consultation.Status.ANNOUNCED)
    assert who_sees(elbasan, "consultation_to_announce") == set()
