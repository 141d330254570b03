"""Invitations (councils/meetings/invitations.py, agenda.py, invitation_views.py): the guide's order
(a council meeting's invitations wait for the SKN's agreement of the agenda), one e-mail per person
per revision, the people without e-mail (letters, how each was reached), the agenda's changes, a
moved or cancelled meeting with its iCalendar, and no attendance before the start."""

import shutil
import subprocess
import threading
from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone, translation

from councils.meetings import agenda, invitations, services
from councils.meetings.invitations import MEETING_CANCELLED, MEETING_INVITATION, MEETING_MOVED
from councils.meetings.models import AgendaItem, Invitation, Meeting
from councils.models import Role
from kvsp.notify import services as notify
from kvsp.notify.models import Notification, OutboxMessage
from tests.conftest import require
from tests.factories import UserFactory, council, give_role

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def elbasan():
    return council("elbasan")


@pytest.fixture
def secretary(elbasan):
    user = UserFactory(language="en")
    give_role(elbasan, Role.SECRETARY, user=user, full_name="Dorina Cela")
    return user


def _planned(the_council, kind="council", days=7, items=("Plani 2026",), agreed=True):
    meeting = services.meeting_create(
        council=the_council,
        kind=kind,
        starts_at=timezone.now() + timedelta(days=days),
        place="Salla e Këshillit",
    )
    for title in items:
        services.agenda_item_add(meeting=meeting, title=title)
    if agreed:
        services.agenda_agree(meeting=meeting, user=UserFactory())
    return Meeting.objects.get(pk=meeting.pk)


def _people(the_council):
    """One member with an account, one with only an e-mail address, two without e-mail."""
    account = UserFactory(language="en")
    with_account = give_role(the_council, Role.MEMBER, user=account).person
    by_mail = give_role(
        the_council, Role.MEMBER, full_name="Drita Kola", email="drita.kola@example.al"
    ).person
    first = give_role(the_council, Role.MEMBER, full_name="Arben Hysa", email="").person
    second = give_role(the_council, Role.MEMBER, full_name="Vera Leka", email="").person
    return account, with_account, by_mail, first, second


def _ics_event(content: bytes):
    calendar = icalendar.Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def _page(client, user, path, data=None):
    client.force_login(user)
    url = f"/app/elbasan/meetings/{path}"
    return client.post(url, data, **EN) if data is not None else client.get(url, **EN)


# --- the guide's order ----------------------------------------------------------------------------


def test_a_council_meeting_is_invited_only_once_the_skn_agreed_its_agenda(client, elbasan, secretary):
    meeting = _planned(elbasan, agreed=False)
    person = give_role(elbasan, Role.MEMBER, full_name="Drita Kola", email="drita@example.al").person
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        invitations.invitations_send(meeting=meeting, people=[person], sent_by=secretary)
    assert "The SKN must agree the agenda first" in " ".join(refused.value.messages)
    assert not Invitation.objects.exists() and not OutboxMessage.objects.exists()

    page = _page(client, secretary, f"{meeting.pk}/")
    content = page.content.decode()
    assert 'disabled aria-describedby="invitations-wait"' in content
    assert "The SKN must agree the agenda first" in content
    # The form answers with the reason (no 500) and keeps the choice.
    answer = _page(client, secretary, f"{meeting.pk}/invitations/", {"people": [str(person.pk)]})
    assert answer.status_code == 200
    assert "The SKN must agree the agenda first" in " ".join(answer.context["form"].non_field_errors())
    assert answer.context["form"]["people"].value() == [str(person.pk)]
    assert not Invitation.objects.exists()

    services.agenda_agree(meeting=meeting, user=UserFactory())
    assert (
        _page(client, secretary, f"{meeting.pk}/invitations/", {"people": [str(person.pk)]}).status_code
        == 302
    )
    assert Invitation.objects.get().sent_sequence == 0


def test_skn_and_task_force_meetings_do_not_wait_for_an_agreed_agenda(elbasan, secretary):
    person = give_role(elbasan, Role.MEMBER, full_name="Drita Kola", email="drita@example.al").person
    for kind in ("skn", "task_force"):
        meeting = _planned(elbasan, kind=kind, agreed=False)
        sent = invitations.invitations_send(meeting=meeting, people=[person], sent_by=secretary)
        assert sent.emailed == [person]


# --- one e-mail per person -------------------------------------------------------------------------


def test_sending_twice_sends_each_person_one_email(elbasan, secretary, django_capture_on_commit_callbacks):
    meeting = _planned(elbasan)
    account, with_account, by_mail, first, _second = _people(elbasan)
    with django_capture_on_commit_callbacks(execute=True):
        sent = invitations.invitations_send(
            meeting=meeting, people=[with_account, by_mail, first], sent_by=secretary
        )
        again = invitations.invitations_send(
            meeting=meeting, people=[with_account, by_mail, first], sent_by=secretary
        )
    assert (sent.emailed, sent.without_email, sent.already) == ([with_account, by_mail], [first], [])
    assert (again.emailed, again.already) == ([], [with_account, by_mail])
    assert OutboxMessage.objects.filter(kind=MEETING_INVITATION).count() == 2
    notify.deliver_pending()
    invited = [m for m in mail.outbox if m.attachments]  # the invitations carry the .ics
    assert sorted(m.to[0] for m in invited) == sorted([account.email, "drita.kola@example.al"])
    by_person = {i.person_id: i for i in Invitation.objects.filter(meeting=meeting)}
    assert by_person[by_mail.pk].reached_by == "email" and by_person[by_mail.pk].reached_at is not None
    assert by_person[first.pk].reached_by == "" and by_person[first.pk].sent_sequence is None
    message = next(m for m in mail.outbox if m.to == ["drita.kola@example.al"])
    calendar, event = _ics_event(message.attachments[0][1])
    assert calendar["method"] == "REQUEST" and event["sequence"] == 0
    assert str(event["uid"]).startswith(f"meeting-{meeting.pk}@")


def test_a_double_click_on_the_form_sends_one_email(client, elbasan, secretary):
    meeting = _planned(elbasan)
    person = give_role(elbasan, Role.MEMBER, full_name="Drita Kola", email="drita@example.al").person
    for _click in range(2):
        done = _page(client, secretary, f"{meeting.pk}/invitations/", {"people": [str(person.pk)]})
        assert done.status_code == 302
    assert OutboxMessage.objects.filter(kind=MEETING_INVITATION).count() == 1
    follow = client.get(f"/app/elbasan/meetings/{meeting.pk}/", **EN)
    assert "had already been sent this invitation" in follow.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_send_each_person_one_email(reference_data, elbasan):
    require("postgresql", "SQLite has no row locks")
    secretary = UserFactory()
    meeting = _planned(elbasan)
    people = [
        give_role(elbasan, Role.MEMBER, full_name=f"Anëtar {n}", email=f"anetar{n}@example.al").person
        for n in range(3)
    ]
    barrier, errors = threading.Barrier(4), []

    def send():
        try:
            barrier.wait(timeout=30)
            invitations.invitations_send(meeting=meeting, people=people, sent_by=secretary)
        except Exception as error:  # judged below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert OutboxMessage.objects.filter(kind=MEETING_INVITATION).count() == 3
    assert Invitation.objects.filter(meeting=meeting).count() == 3


# --- people without e-mail ----------------------------------------------------------------------


def test_the_letters_pdf_has_one_letter_per_person_without_email(client, elbasan, secretary, tmp_path):
    require(bool(shutil.which("pdftotext")), "pdftotext not found (apt-get install poppler-utils)")
    chair = give_role(elbasan, Role.CHAIR, full_name="Gazmend Oketa", email="kryetari@example.al")
    meeting = _planned(elbasan, items=("Plani 2026", "Siguria pranë shkollave"))
    _account, with_account, by_mail, first, second = _people(elbasan)
    invitations.invitations_send(
        meeting=meeting, people=[with_account, by_mail, first, second], sent_by=secretary
    )

    page = _page(client, secretary, f"{meeting.pk}/invitations/")
    assert [i.person for i in page.context["without_email"]] == [first, second]
    response = _page(client, secretary, f"{meeting.pk}/invitations/letters.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "letters.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) == 2  # one letter per page
    for name, letter in ((first.full_name, pages[0]), (second.full_name, pages[1])):
        assert name in letter
        for expected in ("Salla e Këshillit", "Plani 2026", "Siguria pranë shkollave", "Dorina Cela"):
            assert expected in letter
        assert chair.person.full_name in letter and "technical secretary" in letter
    assert "Drita Kola" not in text
    # Only the technical secretary (and the platform admin) prints them.
    member = UserFactory()
    give_role(elbasan, Role.MEMBER, user=member)
    assert _page(client, member, f"{meeting.pk}/invitations/letters.pdf").status_code == 403


def test_the_secretary_records_how_each_person_was_reached(client, elbasan, secretary):
    meeting = _planned(elbasan)
    _account, with_account, by_mail, first, second = _people(elbasan)
    invitations.invitations_send(
        meeting=meeting, people=[with_account, by_mail, first, second], sent_by=secretary
    )
    first_inv = Invitation.objects.get(meeting=meeting, person=first)
    second_inv = Invitation.objects.get(meeting=meeting, person=second)
    form = _page(client, secretary, f"{meeting.pk}/invitations/reached/")
    assert [row[0] for row in form.context["form"].rows] == [first_inv, second_inv]

    future = timezone.localtime() + timedelta(days=1)
    refused = _page(
        client,
        secretary,
        f"{meeting.pk}/invitations/reached/",
        {f"how_{first_inv.pk}": "phone", f"when_{first_inv.pk}": future.strftime("%Y-%m-%dT%H:%M")},
    )
    assert refused.status_code == 200
    assert "cannot have been reached in the future" in " ".join(refused.context["form"].non_field_errors())
    assert refused.context["form"][f"how_{first_inv.pk}"].value() == "phone"  # kept as typed
    first_inv.refresh_from_db()
    assert first_inv.reached_by == ""
    # E-mail is not a way the secretary records: it records itself.
    with pytest.raises(ValidationError):
        invitations.invitations_reached(meeting=meeting, entries=[(first_inv, "email", None)])

    done = _page(client, secretary, f"{meeting.pk}/invitations/reached/", {f"how_{first_inv.pk}": "phone"})
    assert done.status_code == 302
    first_inv.refresh_from_db()
    assert first_inv.reached_by == "phone" and first_inv.reached_at is not None
    detail = _page(client, secretary, f"{meeting.pk}/").content.decode()
    assert "reached by phone on" in detail and "sent by e-mail on" in detail and "not yet reached" in detail
    assert "No answer yet" in detail


# --- the agenda until agreement -----------------------------------------------------------------


def test_agenda_items_are_edited_removed_and_reordered_without_gaps(client, elbasan, secretary):
    meeting = _planned(elbasan, items=("A", "B", "C"), agreed=False)
    a, b, c = AgendaItem.objects.filter(meeting=meeting).order_by("position")

    def titles():
        return list(
            AgendaItem.objects.filter(meeting=meeting).order_by("position").values_list("position", "title")
        )

    assert (
        _page(client, secretary, f"{meeting.pk}/agenda/{c.pk}/move/", {"direction": "up"}).status_code == 302
    )
    assert titles() == [(1, "A"), (2, "C"), (3, "B")]
    agenda.agenda_item_move(item=a, direction="down")
    assert titles() == [(1, "C"), (2, "A"), (3, "B")]
    _page(client, secretary, f"{meeting.pk}/agenda/{c.pk}/move/", {"direction": "up"})  # already first
    assert titles() == [(1, "C"), (2, "A"), (3, "B")]
    assert "already the first" in _page(client, secretary, f"{meeting.pk}/agenda/").content.decode()
    edited = _page(client, secretary, f"{meeting.pk}/agenda/{a.pk}/edit/", {"title": "A, rishikuar"})
    assert edited.status_code == 302
    assert _page(client, secretary, f"{meeting.pk}/agenda/{c.pk}/remove/", {}).status_code == 302
    assert titles() == [(1, "A, rishikuar"), (2, "B")]
    empty = _page(client, secretary, f"{meeting.pk}/agenda/{a.pk}/edit/", {"title": "  "})
    assert empty.status_code == 200 and empty.context["form"].errors

    services.agenda_agree(meeting=meeting, user=UserFactory())
    refused = _page(client, secretary, f"{meeting.pk}/agenda/{b.pk}/remove/", {})
    assert refused.status_code == 302
    follow = client.get(refused["Location"], **EN).content.decode()
    assert "The agenda has been agreed and can no longer change." in follow
    assert titles() == [(1, "A, rishikuar"), (2, "B")]
    with pytest.raises(ValidationError):
        agenda.agenda_item_update(item=b, title="B2")
    # An item of another meeting is not found through this one.
    other = _planned(elbasan, items=("X",), agreed=False)
    x = AgendaItem.objects.get(meeting=other)
    assert _page(client, secretary, f"{meeting.pk}/agenda/{x.pk}/remove/", {}).status_code == 404


def test_an_agenda_changed_after_the_invitations_sends_the_update(
    elbasan, secretary, django_capture_on_commit_callbacks
):
    meeting = _planned(elbasan, kind="skn", items=("Raporti mujor", "Aktivitetet"), agreed=False)
    _account, with_account, by_mail, first, _second = _people(elbasan)
    invitations.invitations_send(meeting=meeting, people=[with_account, by_mail, first], sent_by=secretary)
    invitations.invitations_reached(
        meeting=meeting, entries=[(Invitation.objects.get(meeting=meeting, person=first), "phone", None)]
    )
    second = AgendaItem.objects.get(meeting=meeting, position=2)
    with django_capture_on_commit_callbacks(execute=True):
        agenda.agenda_item_move(item=second, direction="up")
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    notify.deliver_pending()
    updates = [m for m in mail.outbox if m.attachments]  # the updated invitations carry the .ics
    assert sorted(m.to[0] for m in updates) == sorted([with_account.email, by_mail.email])
    _calendar, event = _ics_event(updates[0].attachments[0][1])
    assert event["sequence"] == 1
    body = updates[0].body
    assert body.index("Aktivitetet") < body.index("Raporti mujor")
    # The person reached by phone must be reached again about the change.
    assert Invitation.objects.get(meeting=meeting, person=first).reached_by == ""
    services.agenda_item_add(meeting=meeting, title="Të ndryshme")  # adding an item too
    meeting.refresh_from_db()
    assert meeting.sequence == 2
    assert set(
        Invitation.objects.filter(meeting=meeting, person__email__gt="").values_list(
            "sent_sequence", flat=True
        )
    ) == {2}


# --- moved and cancelled ------------------------------------------------------------------------


def test_a_moved_meeting_sends_every_invitee_the_updated_event(
    client, elbasan, secretary, django_capture_on_commit_callbacks
):
    meeting = _planned(elbasan)
    account, with_account, by_mail, first, _second = _people(elbasan)
    invitations.invitations_send(meeting=meeting, people=[with_account, by_mail, first], sent_by=secretary)
    invitations.invitations_reached(
        meeting=meeting, entries=[(Invitation.objects.get(meeting=meeting, person=first), "letter", None)]
    )
    notify.deliver_pending()
    mail.outbox.clear()

    past = timezone.localtime() - timedelta(days=1)
    refused = _page(
        client,
        secretary,
        f"{meeting.pk}/move/",
        {"starts_at": past.strftime("%Y-%m-%dT%H:%M"), "place": "Salla 2"},
    )
    assert refused.status_code == 200 and "cannot be moved into the past" in str(
        refused.context["form"].errors
    )
    assert refused.context["form"]["place"].value() == "Salla 2"
    later = (timezone.localtime() + timedelta(days=10)).replace(second=0, microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        done = _page(
            client,
            secretary,
            f"{meeting.pk}/move/",
            {"starts_at": later.strftime("%Y-%m-%dT%H:%M"), "place": "Salla 2"},
        )
    assert done.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.sequence, meeting.place, meeting.starts_at) == (1, "Salla 2", later)
    notify.deliver_pending()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([account.email, by_mail.email])
    for message in mail.outbox:
        calendar, event = _ics_event(message.attachments[0][1])
        assert calendar["method"] == "REQUEST" and event["sequence"] == 1
        assert str(event["uid"]) == f"meeting-{meeting.pk}@" + str(event["uid"]).split("@", 1)[1]
        assert event["location"] == "Salla 2" and event.decoded("dtstart") == later
    notice = Notification.objects.get(user=account)
    assert notice.kind == MEETING_MOVED and "Salla 2" in notice.body
    assert OutboxMessage.objects.get(email=by_mail.email, kind=MEETING_MOVED).user is None
    assert Invitation.objects.get(meeting=meeting, person=first).reached_by == ""  # to reach again
    # Moving again to the same date and place is refused; a held meeting is not moved.
    with pytest.raises(ValidationError):
        invitations.meeting_move(meeting=meeting, starts_at=later, place="Salla 2")


def test_a_cancelled_meeting_sends_every_invitee_an_icalendar_cancel(
    elbasan, secretary, django_capture_on_commit_callbacks
):
    meeting = _planned(elbasan)
    account, with_account, by_mail, first, _second = _people(elbasan)
    invitations.invitations_send(meeting=meeting, people=[with_account, by_mail, first], sent_by=secretary)
    notify.deliver_pending()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting, reason="Mungesë kuorumi")
    notify.deliver_pending()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([account.email, by_mail.email])
    for message in mail.outbox:
        calendar, event = _ics_event(message.attachments[0][1])
        assert calendar["method"] == "CANCEL" and event["status"] == "CANCELLED" and event["sequence"] == 1
    assert Notification.objects.get(user=account).kind == MEETING_CANCELLED
    with pytest.raises(ValidationError):
        invitations.meeting_move(meeting=meeting, starts_at=timezone.now() + timedelta(days=3), place="x")


def test_the_calendar_feeds_carry_sequence_and_status(client, elbasan, secretary):
    meeting = _planned(elbasan)
    invitations.meeting_move(
        meeting=meeting, starts_at=meeting.starts_at + timedelta(days=1), place="Salla 2"
    )
    cancelled = _planned(elbasan, days=9)
    services.meeting_cancel(meeting=cancelled, reason="Moti i keq")
    events = {
        str(e["uid"]).split("@")[0]: e
        for e in icalendar.Calendar.from_ical(client.get("/elbasan/meetings.ics").content).walk("VEVENT")
    }
    assert events[f"meeting-{meeting.pk}"]["sequence"] == 1
    assert events[f"meeting-{meeting.pk}"]["status"] == "CONFIRMED"
    assert events[f"meeting-{cancelled.pk}"]["status"] == "CANCELLED"
    assert events[f"meeting-{cancelled.pk}"]["sequence"] == 1


# --- facts: nothing is held before its start ------------------------------------------------------


def test_attendance_is_refused_before_the_start(client, elbasan, secretary):
    meeting = _planned(elbasan, days=10)
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        services.attendance_record(meeting=meeting, entries=[])
    assert "has not started yet" in " ".join(refused.value.messages)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED
    page = _page(client, secretary, f"{meeting.pk}/")
    assert f"/meetings/{meeting.pk}/attendance/" not in page.content.decode()
    form = _page(client, secretary, f"{meeting.pk}/attendance/").context["form"]
    data = {name: field.initial or "" for name, field in form.fields.items()}
    answer = _page(client, secretary, f"{meeting.pk}/attendance/", data)
    assert answer.status_code == 200 and "has not started yet" in str(answer.context["form"].errors)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED
