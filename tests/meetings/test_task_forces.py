"""Task forces (regulation art. 7.3; councils/meetings/task_forces.py): who may call one (the chair
and the technical secretary), the outside specialists invited to that meeting only (one invitation
e-mail, through the outbox, and nothing else: no account, no person, no access), their attendance
and place in the minutes, and no field that could hold case data."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from councils.meetings import invitations, services, task_forces
from councils.meetings.models import Meeting, Specialist
from councils.meetings.selectors import expected_memberships
from councils.models import Person, Role
from kvsp.core.models import User
from kvsp.notify import services as notify
from kvsp.notify.models import Notification, OutboxMessage
from tests.factories import UserFactory, council, give_role

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def elbasan():
    return council("elbasan")


def _user(the_council, role):
    user = UserFactory(language="en")
    give_role(the_council, role, user=user)
    return user


def _task_force(the_council, days=5):
    return task_forces.task_force_call(
        council=the_council,
        title="Familjet e kthyera nga zonat e konfliktit",
        starts_at=timezone.now() + timedelta(days=days),
        place="Bashkia Elbasan, salla 2",
    )


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.CHAIR, True),
        (Role.SECRETARY, True),
        (Role.SKN_MUNICIPALITY, False),
        (Role.SKN_POLICE, False),
        (Role.MEMBER, False),
        (Role.GUEST, False),
    ],
)
def test_the_chair_and_the_secretary_call_a_task_force_and_invite_specialists(elbasan, role, allowed):
    user = _user(elbasan, role)
    meeting = _task_force(elbasan)
    assert user.has_perm("meetings.call_task_force", elbasan) is allowed
    assert user.has_perm("meetings.invite_specialists", meeting) is allowed


def test_the_observer_and_another_councils_chair_may_not(elbasan):
    observer = UserFactory(is_national_observer=True)
    other_chair = _user(council("belsh"), Role.CHAIR)
    meeting = _task_force(elbasan)
    for user in (observer, other_chair):
        assert not user.has_perm("meetings.call_task_force", elbasan)
        assert not user.has_perm("meetings.invite_specialists", meeting)


def test_specialists_are_invited_to_task_forces_only(elbasan):
    chair = _user(elbasan, Role.CHAIR)
    council_meeting = services.meeting_create(
        council=elbasan, kind="council", starts_at=timezone.now() + timedelta(days=3), place="Salla"
    )
    assert not chair.has_perm("meetings.invite_specialists", council_meeting)
    with pytest.raises(ValidationError):
        task_forces.specialist_invite(
            meeting=council_meeting, full_name="Ana Dema", function="psikologe", institution="DRAP"
        )


def test_the_chair_calls_a_task_force_through_the_page(client, elbasan):
    chair = _user(elbasan, Role.CHAIR)
    client.force_login(chair)
    when = (timezone.localtime() + timedelta(days=4)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        "/app/elbasan/task-forces/new/",
        {"title": "Fëmijët në rrugë në lagjen Shkozë", "starts_at": when, "place": "Salla 2"},
        **EN,
    )
    meeting = Meeting.objects.get(council=elbasan, kind=Meeting.Kind.TASK_FORCE)
    assert response.status_code == 302
    assert response["Location"] == f"/app/elbasan/meetings/{meeting.pk}/specialists/"
    assert meeting.restricted and not meeting.is_public


def test_bad_input_comes_back_with_errors_and_what_was_typed(client, elbasan):
    chair = _user(elbasan, Role.CHAIR)
    client.force_login(chair)
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        "/app/elbasan/task-forces/new/", {"title": "Çështja e lagjes", "starts_at": past, "place": ""}, **EN
    )
    assert response.status_code == 200
    assert "Çështja e lagjes" in response.content.decode()
    assert not Meeting.objects.filter(council=elbasan, kind=Meeting.Kind.TASK_FORCE).exists()
    meeting = _task_force(elbasan)
    page = f"/app/elbasan/meetings/{meeting.pk}/specialists/"
    response = client.post(
        page, {"full_name": "Ana Dema", "function": "", "institution": "x", "email": "nope"}, **EN
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Ana Dema" in content and "Enter a valid email address." in content
    assert not Specialist.objects.exists()


def test_an_outside_specialist_gets_one_invitation_and_nothing_else(
    client, elbasan, django_capture_on_commit_callbacks
):
    chair = _user(elbasan, Role.CHAIR)
    users, people = User.objects.count(), Person.objects.count()
    meeting = _task_force(elbasan)
    client.force_login(chair)
    page = f"/app/elbasan/meetings/{meeting.pk}/specialists/"
    data = {
        "full_name": "Mirela Shehu",
        "function": "punonjëse sociale",
        "institution": "Drejtoria Rajonale e Shërbimit Social Shtetëror",
        "email": "Mirela.Shehu@example.al",
    }
    assert client.post(page, data, **EN).status_code == 302
    # The same person again (a double click, a second tab): refused, nothing sent twice.
    response = client.post(page, data, **EN)
    assert response.status_code == 200 and "already invited" in response.content.decode()
    specialist = Specialist.objects.get()
    assert specialist.email == "mirela.shehu@example.al"
    assert OutboxMessage.objects.filter(email="mirela.shehu@example.al").count() == 1
    notify.deliver_pending()
    notify.deliver_pending()
    sent = [m for m in mail.outbox if m.to == ["mirela.shehu@example.al"]]
    assert len(sent) == 1
    assert "Familjet e kthyera" in sent[0].body and sent[0].attachments
    assert "/app/" not in sent[0].body  # no link to a page they could not open
    # No account, no person on any council, no notice, and no meeting to read.
    assert (User.objects.count(), Person.objects.count()) == (users, people)
    assert not Notification.objects.exists()
    assert not Meeting.objects.filter(invitations__person__email="mirela.shehu@example.al").exists()


def test_a_specialist_without_email_is_recorded_and_sent_nothing(elbasan):
    meeting = _task_force(elbasan)
    specialist = task_forces.specialist_invite(
        meeting=meeting, full_name="Gjon Marku", function="mësues", institution="Shkolla 'Naim Frashëri'"
    )
    assert specialist.sent_at is None
    assert not OutboxMessage.objects.exists()


def test_a_moved_or_cancelled_task_force_reaches_the_specialist_once_each(elbasan):
    meeting = _task_force(elbasan)
    task_forces.specialist_invite(
        meeting=meeting,
        full_name="Ana Dema",
        function="psikologe",
        institution="DRAP",
        email="ana@example.al",
    )
    invitations.meeting_move(meeting=meeting, starts_at=timezone.now() + timedelta(days=6), place="Salla 3")
    services.meeting_cancel(meeting=Meeting.objects.get(pk=meeting.pk), reason="Çështja u trajtua nga GTN.")
    rows = OutboxMessage.objects.filter(email="ana@example.al").order_by("id")
    # The first invitation and the move's revision were not yet sent: only the cancellation goes.
    assert [row.status for row in rows] == ["withdrawn", "withdrawn", "pending"]
    assert rows.last().attachment_name == "anulim.ics"


def test_a_started_or_cancelled_task_force_takes_no_new_specialist(elbasan):
    meeting = _task_force(elbasan)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError):
        task_forces.specialist_invite(meeting=meeting, full_name="A B", function="f", institution="i")


def test_specialists_attendance_is_recorded_and_shown_in_the_minutes(client, elbasan):
    secretary = _user(elbasan, Role.SECRETARY)
    meeting = _task_force(elbasan)
    specialist = task_forces.specialist_invite(
        meeting=meeting, full_name="Ana Dema", function="psikologe", institution="DRAP"
    )
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    client.force_login(secretary)
    data = {f"status_{m.pk}": "present" for m in expected_memberships(meeting)}
    data[f"specialist_{specialist.pk}"] = "present"
    response = client.post(f"/app/elbasan/meetings/{meeting.pk}/attendance/", data, **EN)
    assert response.status_code == 302
    specialist.refresh_from_db()
    assert specialist.attendance == "present"
    page = client.get(f"/app/elbasan/meetings/{meeting.pk}/", **EN).content.decode()
    assert "Outside specialists (invited to this meeting only)" in page and "Ana Dema" in page


def test_an_invited_guest_does_not_see_the_specialists(client, elbasan):
    meeting = _task_force(elbasan)
    task_forces.specialist_invite(
        meeting=meeting, full_name="Ana Dema", function="psikologe", institution="DRAP"
    )
    guest = UserFactory(language="en")
    person = give_role(elbasan, Role.GUEST, user=guest).person
    invitations.invitations_send(meeting=meeting, people=[person], sent_by=None)
    client.force_login(guest)
    page = client.get(f"/app/elbasan/meetings/{meeting.pk}/", **EN)
    assert page.status_code == 200 and "Ana Dema" not in page.content.decode()
    assert client.get(f"/app/elbasan/meetings/{meeting.pk}/specialists/", **EN).status_code == 403


def test_no_field_can_hold_case_data():
    """A task force records who came, never whom it is about (DESIGN.md "Privacy")."""
    forbidden = (
        "victim",
        "viktim",
        "perpetrator",
        "autor",
        "suspect",
        "case",
        "rast",
        "child",
        "birth",
        "address",
    )
    for model in (Specialist, Meeting):
        for field in model._meta.concrete_fields:
            name = field.name.lower()
            assert not any(word in name for word in forbidden), f"{model.__name__}.{field.name}"
    assert {f.name for f in Specialist._meta.concrete_fields} == {
        "id",
        "created_at",
        "updated_at",
        "meeting",
        "full_name",
        "function",
        "institution",
        "email",
        "sent_sequence",
        "sent_at",
        "attendance",
    }


def test_the_specialists_page_reads_a_bounded_number_of_queries(
    client, elbasan, django_assert_max_num_queries
):
    chair = _user(elbasan, Role.CHAIR)
    meeting = _task_force(elbasan)
    client.force_login(chair)
    page = f"/app/elbasan/meetings/{meeting.pk}/specialists/"
    client.get(page, **EN)  # the session and the caches warm
    for n in range(8):
        task_forces.specialist_invite(
            meeting=meeting,
            full_name=f"Specialist {n}",
            function="f",
            institution="i",
            email=f"s{n}@example.al",
        )
    with django_assert_max_num_queries(16):
        response = client.get(page, **EN)
    assert response.status_code == 200 and response.content.decode().count("Specialist ") >= 8
