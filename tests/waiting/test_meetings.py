"""What meetings put in "waiting for you" (councils/meetings/waiting.py): agendas for the SKN,
minutes for whoever may approve them (the rule ``meetings.approve_minutes``), minutes returned to
the technical secretary, invitations to answer, meetings of the coming week. The right people see
each item, the others nothing, and a handled item leaves the list."""

from datetime import timedelta

import pytest
import rules
from django.utils import timezone

from councils.meetings import invitations
from councils.meetings import services as meeting_services
from councils.meetings.models import Invitation, Meeting, Minutes
from councils.waiting import waiting_for

pytestmark = pytest.mark.django_db

EVERYONE = ("chair", "secretary", "skn", "skn2", "member", "guest")


def kinds(user, kind) -> list:
    return [item for item in waiting_for(user) if item.kind == kind]


def who_sees(people, kind) -> set[str]:
    return {key for key in EVERYONE if kinds(people[key], kind)}


@pytest.fixture
def elbasan(seat):
    return seat("elbasan")


def test_an_agenda_waits_for_the_skn_from_its_sending_until_agreed(elbasan, make):
    meeting = make.meeting(elbasan)
    meeting_services.agenda_item_add(meeting=meeting, title="Plani i sigurisë")
    assert who_sees(elbasan, "agenda_to_agree") == set()  # the secretary is still writing it
    meeting = meeting_services.agenda_submit(meeting=meeting, user=elbasan["secretary"])
    assert who_sees(elbasan, "agenda_to_agree") == {"skn", "skn2"}
    item = kinds(elbasan["skn"], "agenda_to_agree")[0]
    assert item.council == elbasan["council"]
    assert item.url == f"/app/elbasan/meetings/{meeting.pk}/"
    assert "agenda" in item.text and "SKN" in item.text
    assert item.since == meeting.agenda_submitted_at
    assert {k for k in EVERYONE if rules.test_rule("meetings.agree_agenda", elbasan[k], meeting)} == {
        "skn",
        "skn2",
    }

    meeting_services.agenda_agree(meeting=meeting, user=elbasan["skn"])
    assert who_sees(elbasan, "agenda_to_agree") == set()


def test_no_agenda_waits_without_items_for_a_past_or_cancelled_meeting(elbasan, make):
    make.meeting(elbasan)  # no item yet
    past = make.agenda_sent(elbasan)
    Meeting.objects.filter(pk=past.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    cancelled = make.agenda_sent(elbasan)
    Meeting.objects.filter(pk=cancelled.pk).update(status=Meeting.Status.CANCELLED, cancel_reason="Shtyhet.")
    assert kinds(elbasan["skn"], "agenda_to_agree") == []


def test_council_minutes_wait_for_the_chair_alone(elbasan, make):
    minutes = make.minutes(elbasan, status=Minutes.Status.SUBMITTED)
    assert who_sees(elbasan, "minutes_to_approve") == {"chair"}
    item = kinds(elbasan["chair"], "minutes_to_approve")[0]
    assert item.url == f"/app/elbasan/meetings/{minutes.meeting_id}/minutes/approve/"
    assert item.since == minutes.submitted_at

    meeting_services.minutes_approve(minutes=minutes, user=elbasan["chair"])
    assert who_sees(elbasan, "minutes_to_approve") == set()


def test_skn_minutes_wait_for_the_chair_and_the_skn_but_not_their_author(elbasan, make):
    minutes = make.minutes(elbasan, status=Minutes.Status.SUBMITTED, kind="skn", author=elbasan["skn"])
    assert who_sees(elbasan, "minutes_to_approve") == {"chair", "skn2"}
    # Exactly those the rule lets approve them.
    allowed = {
        key for key in EVERYONE if rules.test_rule("meetings.approve_minutes", elbasan[key], minutes.meeting)
    }
    assert allowed == {"chair", "skn2"}


def test_returned_minutes_wait_for_the_technical_secretary(elbasan, make):
    minutes = make.minutes(elbasan, status=Minutes.Status.RETURNED)
    assert who_sees(elbasan, "minutes_returned") == {"secretary"}
    item = kinds(elbasan["secretary"], "minutes_returned")[0]
    assert item.url == f"/app/elbasan/meetings/{minutes.meeting_id}/minutes/"
    assert item.since == minutes.returned_at
    # Submitted again: it waits for the chair now, no longer for the secretary.
    Minutes.objects.filter(pk=minutes.pk).update(status=Minutes.Status.SUBMITTED)
    assert who_sees(elbasan, "minutes_returned") == set()
    assert who_sees(elbasan, "minutes_to_approve") == {"chair"}


def test_an_invitation_waits_for_its_answer(elbasan, make):
    invitation = make.invitation(elbasan, elbasan["guest"])
    assert who_sees(elbasan, "invitation_to_answer") == {"guest"}
    item = kinds(elbasan["guest"], "invitation_to_answer")[0]
    assert item.url == f"/app/elbasan/meetings/{invitation.meeting_id}/answer/"
    assert item.since == invitation.sent_at

    invitations.invitation_answer(invitation=invitation, response=Invitation.Response.ATTENDING)
    assert who_sees(elbasan, "invitation_to_answer") == set()


def test_no_invitation_waits_for_a_past_or_cancelled_meeting(elbasan, make):
    past = make.invitation(elbasan, elbasan["member"])
    Meeting.objects.filter(pk=past.meeting_id).update(starts_at=timezone.now() - timedelta(hours=1))
    cancelled = make.invitation(elbasan, elbasan["member"])
    Meeting.objects.filter(pk=cancelled.meeting_id).update(status=Meeting.Status.CANCELLED, cancel_reason="x")
    assert kinds(elbasan["member"], "invitation_to_answer") == []


def test_an_invitation_reached_by_phone_before_the_account_still_waits(elbasan, make):
    """Invited while without e-mail or account (reached by phone, or not yet marked reached), the
    person who later gets an account still finds the invitation to answer."""
    unsent = make.invitation(elbasan, elbasan["member"])
    Invitation.objects.filter(pk=unsent.pk).update(sent_at=None, reached_at=None)
    assert [item.url for item in kinds(elbasan["member"], "invitation_to_answer")] == [
        f"/app/elbasan/meetings/{unsent.meeting_id}/answer/"
    ]


def test_meetings_of_the_coming_week_for_the_officers_and_the_invited(elbasan, make):
    council_meeting = make.meeting(elbasan, days=2)
    make.meeting(elbasan, days=9)  # beyond the week
    assert who_sees(elbasan, "meeting_ahead") == {"chair", "secretary", "skn", "skn2"}
    make.invitation(elbasan, elbasan["guest"], meeting=council_meeting)
    declined = make.invitation(elbasan, elbasan["member"], meeting=council_meeting)
    assert who_sees(elbasan, "meeting_ahead") == {"chair", "secretary", "skn", "skn2", "guest", "member"}
    Invitation.objects.filter(pk=declined.pk).update(response=Invitation.Response.NOT_ATTENDING)
    assert "member" not in who_sees(elbasan, "meeting_ahead")
    item = kinds(elbasan["guest"], "meeting_ahead")[0]
    assert item.due == council_meeting.starts_at
    assert item.url == f"/app/elbasan/meetings/{council_meeting.pk}/"
    # Everyone who sees it may open it.
    for key in who_sees(elbasan, "meeting_ahead"):
        assert elbasan[key].has_perm("meetings.view_meeting", council_meeting)


def test_another_councils_meetings_are_not_listed(seat, make):
    elbasan, belsh = seat("elbasan"), seat("belsh")
    make.agenda_sent(belsh)
    make.minutes(belsh, status=Minutes.Status.SUBMITTED)
    make.meeting(belsh, days=1)
    for key in EVERYONE:
        assert waiting_for(elbasan[key]) == []


def test_a_meeting_that_has_begun_waits_for_the_secretary_until_its_minutes_are_submitted(elbasan, make):
    """Once its start has passed, a meeting asks the technical secretary for its attendance, then
    for its minutes; submitting them hands it to the approver. Nobody else is asked."""
    meeting = make.meeting(elbasan, days=1)
    assert who_sees(elbasan, "meeting_to_record") == set()  # not before it begins
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    assert who_sees(elbasan, "meeting_to_record") == {"secretary"}
    item = kinds(elbasan["secretary"], "meeting_to_record")[0]
    assert item.url == f"/app/elbasan/meetings/{meeting.pk}/attendance/" and "attended" in item.text

    meeting.refresh_from_db()
    meeting = meeting_services.attendance_record(meeting=meeting, entries=[])
    item = kinds(elbasan["secretary"], "meeting_to_record")[0]
    assert item.url == f"/app/elbasan/meetings/{meeting.pk}/minutes/" and "minutes" in item.text

    minutes = meeting_services.minutes_save(
        meeting=meeting, body="1. Plani\nU diskutua.", author=elbasan["secretary"], version=None
    )
    assert who_sees(elbasan, "meeting_to_record") == {"secretary"}  # a draft: still to submit
    meeting_services.minutes_submit(minutes=minutes, user=elbasan["secretary"])
    assert who_sees(elbasan, "meeting_to_record") == set()
    assert who_sees(elbasan, "minutes_to_approve") == {"chair"}


def test_a_cancelled_or_long_past_meeting_asks_nothing_more(elbasan, make):
    cancelled = make.meeting(elbasan)
    Meeting.objects.filter(pk=cancelled.pk).update(
        starts_at=timezone.now() - timedelta(days=1),
        status=Meeting.Status.CANCELLED,
        cancel_reason="Shtyhet.",
    )
    old = make.meeting(elbasan)
    Meeting.objects.filter(pk=old.pk).update(starts_at=timezone.now() - timedelta(days=61))
    assert kinds(elbasan["secretary"], "meeting_to_record") == []
