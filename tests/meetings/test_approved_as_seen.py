"""What the approver saw is what is approved, the agenda the SKN agrees is the one sent, and a
cancelled meeting leaves no step waiting (issue 20, review F2)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from councils.meetings import agenda, invitations, notices, services
from councils.meetings.forms import MinutesApproveForm
from councils.meetings.models import Meeting, Minutes
from councils.models import Role
from kvsp.notify.models import Notification
from tests.factories import UserFactory, council, give_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def elbasan():
    return council("elbasan")


def _person(the_council, role):
    user = UserFactory(language="en")
    give_role(the_council, role, user=user)
    return user


@pytest.fixture
def people(elbasan):
    return {
        "secretary": _person(elbasan, Role.SECRETARY),
        "chair": _person(elbasan, Role.CHAIR),
        "skn": _person(elbasan, Role.SKN_POLICE),
    }


def _waiting(kind):
    return Notification.objects.filter(kind=kind, handled_at__isnull=True).count()


def _held_with_minutes(elbasan, people):
    meeting = services.meeting_create(
        council=elbasan, kind="council", starts_at=timezone.now() - timedelta(hours=2), place="Salla"
    )
    services.agenda_item_add(meeting=meeting, title="Plani")
    meeting = services.attendance_record(meeting=meeting, entries=[])
    minutes = services.minutes_save(meeting=meeting, body="Hapja.", author=people["secretary"], version=None)
    return meeting, minutes


def test_attendance_and_decisions_change_the_version_and_wait_while_submitted(elbasan, people):
    meeting, minutes = _held_with_minutes(elbasan, people)
    before = Minutes.objects.get(pk=minutes.pk).version
    services.attendance_record(meeting=meeting, entries=[])
    assert Minutes.objects.get(pk=minutes.pk).version == before + 1
    services.decision_add(meeting=meeting, text="Miratohet plani.")
    assert Minutes.objects.get(pk=minutes.pk).version == before + 2
    services.minutes_submit(minutes=Minutes.objects.get(pk=minutes.pk), user=people["secretary"])
    with pytest.raises(ValidationError, match="wait for approval"):
        services.attendance_record(meeting=meeting, entries=[])
    submitted = Minutes.objects.get(pk=minutes.pk)
    with pytest.raises(ValidationError, match="changed since you opened them"):
        services.minutes_approve(minutes=submitted, user=people["chair"], version=before)
    services.minutes_approve(minutes=submitted, user=people["chair"], version=submitted.version)
    with pytest.raises(ValidationError, match="approved"):
        services.attendance_record(meeting=meeting, entries=[])


def test_the_approval_form_requires_the_version_read():
    assert not MinutesApproveForm(data={}).is_valid()
    assert MinutesApproveForm(data={"version": "3"}).is_valid()


def _planned(elbasan, days=10):
    meeting = services.meeting_create(
        council=elbasan, kind="council", starts_at=timezone.now() + timedelta(days=days), place="Salla"
    )
    services.agenda_item_add(meeting=meeting, title="Plani")
    return Meeting.objects.get(pk=meeting.pk)


def test_an_agenda_is_sent_once_and_again_after_each_change(elbasan, people):
    meeting = _planned(elbasan)
    services.agenda_submit(meeting=meeting, user=people["secretary"])
    assert _waiting(notices.AGENDA_TO_AGREE) == 1
    with pytest.raises(ValidationError, match="already been sent"):
        services.agenda_submit(meeting=meeting, user=people["secretary"])
    assert Notification.objects.filter(kind=notices.AGENDA_TO_AGREE).count() == 1
    changes = [
        lambda: services.agenda_item_add(meeting=meeting, title="Raporti"),
        lambda: agenda.agenda_item_update(item=meeting.agenda_items.first(), title="Plani 2027"),
        lambda: agenda.agenda_item_move(item=meeting.agenda_items.first(), direction=agenda.DOWN),
        lambda: agenda.agenda_item_remove(item=meeting.agenda_items.last()),
    ]
    for change in changes:
        change()
        meeting.refresh_from_db()
        assert meeting.agenda_submitted_at is None and meeting.agenda_submitted_by is None
        assert _waiting(notices.AGENDA_TO_AGREE) == 0
        services.agenda_submit(meeting=meeting, user=people["secretary"])
        assert _waiting(notices.AGENDA_TO_AGREE) == 1


def test_a_cancelled_meeting_leaves_nothing_waiting(elbasan, people):
    meeting = _planned(elbasan)
    services.agenda_submit(meeting=meeting, user=people["secretary"])
    assert _waiting(notices.AGENDA_TO_AGREE) == 1
    services.meeting_cancel(meeting=meeting, reason="Mungon kuorumi")
    assert _waiting(notices.AGENDA_TO_AGREE) == 0


def test_sending_the_invitations_handles_the_agreed_agenda_and_not_after_the_start(elbasan, people):
    meeting = _planned(elbasan)
    services.agenda_agree(meeting=meeting, user=people["skn"])
    assert _waiting(notices.AGENDA_AGREED) == 1
    person = give_role(elbasan, Role.MEMBER, full_name="Arben Hysa").person
    invitations.invitations_send(meeting=meeting, people=[person], sent_by=people["secretary"])
    assert _waiting(notices.AGENDA_AGREED) == 0
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(ValidationError, match="already started"):
        invitations.invitations_send(
            meeting=Meeting.objects.get(pk=meeting.pk), people=[person], sent_by=people["secretary"]
        )


def test_the_answer_page_shows_the_meeting_and_answers_in_the_first_person(client, elbasan, people):
    meeting = _planned(elbasan)
    services.agenda_agree(meeting=meeting, user=people["skn"])
    guest = UserFactory(language="en")
    person = give_role(elbasan, Role.GUEST, user=guest).person
    invitations.invitations_send(meeting=meeting, people=[person], sent_by=people["secretary"])
    client.force_login(guest)
    page = client.get(f"/app/elbasan/meetings/{meeting.pk}/answer/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    for shown in (
        "Salla",
        "Plani",
        str(elbasan),
        "I will attend",
        "I will not attend",
        "I will send a deputy",
    ):
        assert shown in text, shown
