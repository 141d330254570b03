"""Meetings: the workflow rules, who approves which minutes, locking, conflicts and sanitising."""

from datetime import datetime, timedelta

import pytest
import rules
from django.core.exceptions import ValidationError
from django.utils import timezone

from councils.meetings import invitations, services
from councils.meetings.models import Meeting, Minutes
from councils.models import Role
from tests.factories import UserFactory, council, give_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def elbasan():
    return council("elbasan")


def _held(the_council, kind="council"):
    meeting = services.meeting_create(
        council=the_council,
        kind=kind,
        starts_at=timezone.now() - timedelta(hours=2),
        place="Salla e Këshillit",
    )
    return services.attendance_record(meeting=meeting, entries=[])


def _person(the_council, role):
    user = UserFactory()
    give_role(the_council, role, user=user)
    return user


def test_skn_and_task_force_meetings_are_never_public(elbasan):
    for kind in ("skn", "task_force"):
        meeting = services.meeting_create(council=elbasan, kind=kind, starts_at=timezone.now(), place="x")
        assert meeting.restricted and not meeting.is_public
    council_meeting = services.meeting_create(
        council=elbasan, kind="council", starts_at=timezone.now(), place="x"
    )
    assert council_meeting.is_public


def test_a_cancelled_meeting_needs_a_reason(elbasan):
    meeting = services.meeting_create(council=elbasan, kind="council", starts_at=timezone.now(), place="x")
    with pytest.raises(ValidationError):
        services.meeting_cancel(meeting=meeting, reason="  ")
    services.meeting_cancel(meeting=meeting, reason="Mungesë kuorumi")
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.CANCELLED


def test_an_agreed_agenda_is_fixed(elbasan):
    meeting = services.meeting_create(council=elbasan, kind="council", starts_at=timezone.now(), place="x")
    with pytest.raises(ValidationError):
        services.agenda_agree(meeting=meeting, user=UserFactory())
    first = services.agenda_item_add(meeting=meeting, title="Plani 2026")
    second = services.agenda_item_add(meeting=meeting, title="Raporti i monitorimit")
    assert (first.position, second.position) == (1, 2)
    services.agenda_agree(meeting=meeting, user=UserFactory())
    with pytest.raises(ValidationError):
        services.agenda_item_add(meeting=meeting, title="Pikë e vonë")


def test_minutes_are_shown_as_written_and_never_run():
    html = services.clean_minutes('<p onclick="x()">Mirë</p><script>alert(1)</script><img src=x onerror=y>')
    assert "<script" not in html and "<img" not in html and "<p onclick" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text, inert
    assert services.clean_minutes("Nëse a<b dhe c>d") == "<p>Nëse a&lt;b dhe c&gt;d</p>"
    assert services.clean_minutes("Rreshti 1\n\nRreshti 2") == "<p>Rreshti 1</p>\n\n<p>Rreshti 2</p>"


def test_editing_shows_the_text_as_written(client, elbasan):
    meeting = _held(elbasan)
    secretary = _person(elbasan, Role.SECRETARY)
    services.minutes_save(
        meeting=meeting, body="Paragrafi 1.\n\nParagrafi 2.", author=secretary, version=None
    )
    client.force_login(secretary)
    form = client.get(f"/app/elbasan/meetings/{meeting.pk}/minutes/").context["form"]
    assert form.initial["body"] == "Paragrafi 1.\n\nParagrafi 2."


def test_a_second_writer_gets_a_conflict_and_nothing_is_lost(elbasan):
    meeting = _held(elbasan)
    author = UserFactory()
    minutes = services.minutes_save(meeting=meeting, body="Versioni i parë.", author=author, version=None)
    services.minutes_save(meeting=meeting, body="Teksti i Anës.", author=author, version=minutes.version)
    with pytest.raises(services.MinutesConflict) as conflict:
        services.minutes_save(meeting=meeting, body="Teksti i Benit.", author=author, version=minutes.version)
    assert "Teksti i Anës." in conflict.value.current.body
    assert "Teksti i Anës." in Minutes.objects.get(meeting=meeting).body


def test_approved_minutes_are_locked(elbasan):
    meeting = _held(elbasan)
    author = UserFactory()
    minutes = services.minutes_save(meeting=meeting, body="Tekst.", author=author, version=None)
    minutes = services.minutes_submit(minutes=minutes, user=author)
    services.minutes_approve(minutes=minutes, user=_person(elbasan, Role.CHAIR))
    for attempt in (
        lambda: services.minutes_save(meeting=meeting, body="Ndryshuar", author=author, version=1),
        lambda: services.decision_add(meeting=meeting, text="Vendim i vonë"),
        lambda: services.attendance_record(meeting=meeting, entries=[]),
        lambda: services.minutes_approve(minutes=minutes, user=author),
        lambda: services.minutes_submit(minutes=minutes, user=author),
        lambda: services.minutes_return(minutes=minutes, user=author, comment="Ndryshoni."),
    ):
        with pytest.raises(ValidationError):
            attempt()
    assert Minutes.objects.get(pk=minutes.pk).body == "<p>Tekst.</p>"
    amendment = services.amendment_add(
        minutes=Minutes.objects.get(pk=minutes.pk), text="Data e saktë: 04.03.", author=author
    )
    assert amendment.author == author


def test_decisions_are_numbered_in_order_and_belong_to_their_meeting(elbasan):
    meeting = _held(elbasan)
    item = services.agenda_item_add(
        meeting=services.meeting_create(council=elbasan, kind="council", starts_at=timezone.now(), place="x"),
        title="Tjetër",
    )
    assert services.decision_add(meeting=meeting, text="I parë").number == 1
    assert services.decision_add(meeting=meeting, text="I dytë").number == 2
    with pytest.raises(ValidationError):
        services.decision_add(meeting=meeting, text="Pika e gabuar", agenda_item=item)


def _can_approve(user, meeting):
    return rules.test_rule("meetings.approve_minutes", user, Meeting.objects.get(pk=meeting.pk))


def test_council_minutes_are_approved_by_the_chair_only(elbasan):
    meeting = _held(elbasan)
    secretary = _person(elbasan, Role.SECRETARY)
    services.minutes_save(meeting=meeting, body="Tekst.", author=secretary, version=None)
    assert _can_approve(_person(elbasan, Role.CHAIR), meeting)
    for role in (Role.SKN_POLICE, Role.SECRETARY, Role.MEMBER):
        assert not _can_approve(_person(elbasan, role), meeting)
    assert not _can_approve(UserFactory(is_superuser=True, is_staff=True), meeting)
    assert not _can_approve(_person(council("belsh"), Role.CHAIR), meeting)


def test_skn_minutes_by_another_skn_member_or_the_chair(elbasan):
    meeting = _held(elbasan, kind="skn")
    author = _person(elbasan, Role.SKN_POLICE)
    services.minutes_save(meeting=meeting, body="Tekst.", author=author, version=None)
    assert not _can_approve(author, meeting)
    assert _can_approve(_person(elbasan, Role.SKN_PROSECUTION), meeting)
    assert _can_approve(_person(elbasan, Role.CHAIR), meeting)
    assert not _can_approve(_person(elbasan, Role.SECRETARY), meeting)


def test_who_reads_which_meeting(elbasan):
    skn_meeting = _held(elbasan, kind="skn")
    council_meeting = _held(elbasan)
    member = _person(elbasan, Role.MEMBER)
    observer = UserFactory(is_national_observer=True)
    skn = _person(elbasan, Role.SKN_MUNICIPALITY)
    assert member.has_perm("meetings.view_meeting", council_meeting)
    assert not member.has_perm("meetings.view_meeting", skn_meeting)
    assert observer.has_perm("meetings.view_meeting", council_meeting)
    assert not observer.has_perm("meetings.view_meeting", skn_meeting)
    assert skn.has_perm("meetings.view_meeting", skn_meeting)


def test_a_post_against_approved_minutes_is_refused_and_changes_nothing(client, elbasan):
    meeting = _held(elbasan)
    secretary = _person(elbasan, Role.SECRETARY)
    minutes = services.minutes_save(meeting=meeting, body="Tekst.", author=secretary, version=None)
    minutes = services.minutes_submit(minutes=minutes, user=secretary)
    services.minutes_approve(minutes=minutes, user=_person(elbasan, Role.CHAIR))
    client.force_login(secretary)
    response = client.post(
        f"/app/elbasan/meetings/{meeting.pk}/minutes/", {"body": "Ndryshim", "version": "1"}
    )
    assert response.status_code == 200 and "kyçur" in response.content.decode()
    assert Minutes.objects.get(pk=minutes.pk).body == "<p>Tekst.</p>"


def test_minutes_pdf_holds_the_albanian_text(client, elbasan, tmp_path):
    import shutil
    import subprocess

    from tests.conftest import require

    planned = services.meeting_create(
        council=elbasan, kind="council", starts_at=timezone.now() - timedelta(hours=2), place="Salla"
    )
    services.agenda_item_add(meeting=planned, title="Përdorimi i drogës nga të rinjtë")
    meeting = services.attendance_record(meeting=planned, entries=[])
    secretary = _person(elbasan, Role.SECRETARY)
    services.minutes_save(
        meeting=meeting, body="Çështjet e sigurisë u diskutuan.", author=secretary, version=None
    )
    services.decision_add(meeting=meeting, text="Miratohet plani shumaktorial.")
    client.force_login(secretary)
    response = client.get(f"/app/elbasan/meetings/{meeting.pk}/minutes.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    require(bool(shutil.which("pdftotext")), "pdftotext not found (apt-get install poppler-utils)")
    path = tmp_path / "minutes.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("Përdorimi i drogës", "Çështjet e sigurisë", "Vendimi nr. 1", "Miratohet plani"):
        assert expected in text


def test_public_pages_show_council_meetings_and_approved_minutes_only(client, elbasan):
    import icalendar

    public = _held(elbasan)
    secret = _held(elbasan, kind="skn")
    secretary = _person(elbasan, Role.SECRETARY)
    minutes = services.minutes_save(
        meeting=public, body="Teksti i procesverbalit.", author=secretary, version=None
    )
    services.decision_add(meeting=public, text="Vendim i fshehtë deri në miratim.")
    page = client.get("/elbasan/").content.decode()
    assert f"/elbasan/meetings/{public.pk}/" in page and f"/elbasan/meetings/{secret.pk}/" not in page
    assert client.get(f"/elbasan/meetings/{secret.pk}/").status_code == 404
    draft = client.get(f"/elbasan/meetings/{public.pk}/").content.decode()
    assert "Teksti i procesverbalit" not in draft and "Vendim i fshehtë" not in draft
    minutes = services.minutes_submit(minutes=minutes, user=secretary)
    services.minutes_approve(minutes=minutes, user=_person(elbasan, Role.CHAIR))
    approved = client.get(f"/elbasan/meetings/{public.pk}/").content.decode()
    assert "Teksti i procesverbalit" in approved and "Vendim i fshehtë" in approved
    calendar = icalendar.Calendar.from_ical(client.get("/elbasan/meetings.ics").content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1 and events[0]["location"] == "Salla e Këshillit"


def test_invitations_carry_the_ics_and_the_invited_answer(
    client, elbasan, django_capture_on_commit_callbacks
):
    import icalendar
    from django.core import mail

    meeting = services.meeting_create(
        council=elbasan,
        kind="council",
        starts_at=timezone.now() + timedelta(days=7),
        place="Salla e Këshillit",
    )
    services.agenda_item_add(meeting=meeting, title="Plani 2026")
    services.agenda_agree(meeting=meeting, user=UserFactory())
    invited_user = UserFactory(language="en")
    invited = give_role(elbasan, Role.MEMBER, user=invited_user).person
    no_mail = give_role(elbasan, Role.MEMBER, full_name="Pa Adresë", email="").person
    with django_capture_on_commit_callbacks(execute=True):
        sent = invitations.invitations_send(meeting=meeting, people=[invited, no_mail], sent_by=UserFactory())
    assert (sent.emailed, sent.without_email) == ([invited], [no_mail])
    message = next(m for m in mail.outbox if m.subject.startswith("Invitation:"))
    assert message.to == [invited_user.email] and message.subject.startswith("Invitation:")
    _name, content, mimetype = message.attachments[0]
    assert mimetype == "text/calendar"
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert event["location"] == "Salla e Këshillit"

    client.force_login(invited_user)
    page = client.get(f"/app/elbasan/meetings/{meeting.pk}/answer/")
    assert page.status_code == 200
    refused = client.post(
        f"/app/elbasan/meetings/{meeting.pk}/answer/", {"response": "deputy", "deputy_name": ""}
    )
    assert refused.status_code == 200 and refused.context["form"].errors
    done = client.post(
        f"/app/elbasan/meetings/{meeting.pk}/answer/", {"response": "deputy", "deputy_name": "Arben Hysa"}
    )
    assert done.status_code == 302
    invitation = meeting.invitations.get(person=invited)
    assert (invitation.response, invitation.deputy_name) == ("deputy", "Arben Hysa")


def test_invitations_go_through_the_outbox_and_a_refusal_is_retried(
    elbasan, django_capture_on_commit_callbacks
):
    """The request only writes the outbox; the worker sends, and a mail server that refuses costs
    nothing but a later try. Inviting again sends nothing again (tests/meetings/test_invitations.py)."""
    from unittest import mock

    import time_machine
    from django.core import mail

    from councils.meetings.invitations import MEETING_INVITATION
    from kvsp.notify import services as notify
    from kvsp.notify.models import OutboxMessage

    meeting = services.meeting_create(
        council=elbasan,
        kind="skn",
        starts_at=timezone.now() + timedelta(days=7),
        place="Salla e Këshillit",
    )
    by_mail = give_role(elbasan, Role.MEMBER, full_name="Drita Kola", email="drita.kola@example.al").person
    refused = mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("connection refused")
    )
    with refused, django_capture_on_commit_callbacks(execute=True):
        sent = invitations.invitations_send(meeting=meeting, people=[by_mail], sent_by=UserFactory())
    assert (sent.emailed, sent.without_email) == ([by_mail], [])
    row = OutboxMessage.objects.get()
    assert (row.kind, row.email, row.status, row.attempts) == (
        MEETING_INVITATION,
        "drita.kola@example.al",
        OutboxMessage.Status.FAILED,
        1,
    )
    assert row.subject.startswith("Ftesë:") and row.attachment_type == "text/calendar"
    assert meeting.invitations.get(person=by_mail).sent_at is not None
    assert mail.outbox == []
    assert notify.deliver_pending() == 0  # not before the back-off after a refusal
    with time_machine.travel(row.next_attempt_at + timedelta(seconds=1)):
        assert notify.deliver_pending() == 1
    assert [m.to for m in mail.outbox] == [["drita.kola@example.al"]]
    assert mail.outbox[0].attachments[0][0] == "mbledhja.ics"
    assert notify.deliver_pending() == 0  # sent once
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invitations_send(meeting=meeting, people=[by_mail], sent_by=UserFactory())
    assert len(mail.outbox) == 1 and OutboxMessage.objects.count() == 1


def test_an_invited_guest_reads_only_that_meeting(client, elbasan):
    guest_user = UserFactory()
    guest = give_role(elbasan, Role.GUEST, user=guest_user).person
    invited_to = services.meeting_create(
        council=elbasan, kind="council", starts_at=timezone.now() + timedelta(days=1), place="x"
    )
    services.agenda_item_add(meeting=invited_to, title="Plani")
    services.agenda_agree(meeting=invited_to, user=UserFactory())
    other = services.meeting_create(council=elbasan, kind="council", starts_at=timezone.now(), place="y")
    guest.email = "guest@example.al"
    guest.save()
    invitations.invitations_send(meeting=invited_to, people=[guest], sent_by=UserFactory())
    client.force_login(guest_user)
    page = client.get(f"/app/elbasan/meetings/{invited_to.pk}/")
    assert page.status_code == 200
    assert page.context["my_invitation"] is not None and page.context["invitations"] == []
    assert client.get(f"/app/elbasan/meetings/{other.pk}/").status_code == 403


def test_attendance_rates_per_institution(elbasan):
    from councils.meetings.models import Attendance
    from councils.meetings.selectors import attendance_rates

    police = give_role(elbasan, Role.MEMBER, full_name="Arben Hysa")
    school = give_role(elbasan, Role.MEMBER, full_name="Petrit Bregu")
    year = 2025
    statuses = [
        (Attendance.Status.PRESENT, Attendance.Status.ABSENT),
        (Attendance.Status.REPRESENTED, Attendance.Status.EXCUSED),
        (Attendance.Status.ABSENT, Attendance.Status.PRESENT),
    ]
    for days, (police_status, school_status) in enumerate(statuses, start=1):
        meeting = services.meeting_create(
            council=elbasan,
            kind="council",
            starts_at=timezone.make_aware(datetime(2025, 3, days, 10)),
            place="x",
        )
        services.attendance_record(
            meeting=meeting,
            entries=[
                (
                    police.person,
                    police.institution,
                    police_status,
                    "Zv. komandanti" if police_status == "represented" else "",
                ),
                (school.person, school.institution, school_status, ""),
            ],
        )
    skn = services.meeting_create(
        council=elbasan, kind="skn", starts_at=timezone.make_aware(datetime(2025, 4, 1)), place="x"
    )
    services.attendance_record(meeting=skn, entries=[(school.person, school.institution, "present", "")])
    rates = {
        row["institution__name"]: (row["attended"], row["recorded"], row["rate"])
        for row in attendance_rates(elbasan, year)
    }
    assert rates[police.institution.name] == (2, 3, 67)
    assert rates[school.institution.name] == (1, 3, 33)


def test_the_private_calendar_shows_what_the_person_may_read_and_can_be_revoked(client, elbasan):
    import icalendar

    from councils.meetings.models import CalendarFeed

    member = _person(elbasan, Role.MEMBER)
    council_meeting = services.meeting_create(
        council=elbasan, kind="council", starts_at=timezone.now(), place="A"
    )
    services.meeting_create(
        council=elbasan, kind="skn", starts_at=timezone.now(), place="B"
    )  # not for members
    services.meeting_create(council=council("belsh"), kind="council", starts_at=timezone.now(), place="C")
    client.force_login(member)
    assert client.post("/app/calendar/").status_code == 302
    token = CalendarFeed.objects.get(user=member).token
    client.logout()
    response = client.get(f"/app/calendar/{token}.ics")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["uid"]).split("@")[0] for e in events] == [f"meeting-{council_meeting.pk}"]
    client.force_login(member)
    client.post("/app/calendar/")  # a new secret revokes the old address
    client.logout()
    assert client.get(f"/app/calendar/{token}.ics").status_code == 404
    assert client.get(f"/app/calendar/{CalendarFeed.objects.get(user=member).token}.ics").status_code == 200


def test_locked_and_cancelled_meetings_refuse_agenda_and_decision_changes(elbasan):
    cancelled = services.meeting_create(council=elbasan, kind="council", starts_at=timezone.now(), place="x")
    services.agenda_item_add(meeting=cancelled, title="Pika")
    services.meeting_cancel(meeting=cancelled, reason="Mungesë kuorumi")
    planned = services.meeting_create(council=elbasan, kind="council", starts_at=timezone.now(), place="x")
    held = _held(elbasan)
    for attempt in (
        lambda: services.agenda_item_add(meeting=cancelled, title="Vonë"),
        lambda: services.agenda_agree(meeting=cancelled, user=UserFactory()),
        lambda: services.decision_add(meeting=cancelled, text="X"),
        lambda: services.decision_add(meeting=planned, text="X"),
        lambda: services.agenda_item_add(meeting=held, title="Pas mbledhjes"),
        lambda: services.meeting_cancel(meeting=held, reason="Vonë"),
    ):
        with pytest.raises(ValidationError):
            attempt()


def test_drafts_stay_with_the_council(client, elbasan):
    meeting = _held(elbasan)
    secretary = _person(elbasan, Role.SECRETARY)
    services.minutes_save(meeting=meeting, body="Teksti në hartim.", author=secretary, version=None)
    services.decision_add(meeting=meeting, text="Vendim në hartim.")
    observer = UserFactory(is_national_observer=True)
    client.force_login(observer)
    page = client.get(f"/app/elbasan/meetings/{meeting.pk}/").content.decode()
    assert "Teksti në hartim" not in page and "Vendim në hartim" not in page
    assert client.get(f"/app/elbasan/meetings/{meeting.pk}/minutes.pdf").status_code == 403
    client.force_login(_person(elbasan, Role.MEMBER))
    assert "Teksti në hartim" in client.get(f"/app/elbasan/meetings/{meeting.pk}/").content.decode()


def test_documents_of_closed_meetings_never_go_further_than_the_meeting(client, elbasan):
    from django.core.files.uploadedfile import SimpleUploadedFile

    skn = _held(elbasan, kind="skn")
    with pytest.raises(ValidationError):
        services.document_add(
            council=elbasan,
            title="Analiza",
            file=SimpleUploadedFile("a.pdf", b"%PDF-1 a"),
            visibility="public",
            uploaded_by=UserFactory(),
            meeting=skn,
        )
    document = services.document_add(
        council=elbasan,
        title="Analiza",
        file=SimpleUploadedFile("a.pdf", b"%PDF-1 a"),
        visibility="council",
        uploaded_by=UserFactory(),
        meeting=skn,
    )
    member, observer = _person(elbasan, Role.MEMBER), UserFactory(is_national_observer=True)
    assert not member.has_perm("meetings.view_document", document)
    assert not observer.has_perm("meetings.view_document", document)
    assert _person(elbasan, Role.SKN_POLICE).has_perm("meetings.view_document", document)


def test_bad_years_and_dates_are_handled(client, elbasan):
    secretary = _person(elbasan, Role.SECRETARY)
    client.force_login(secretary)
    for year in ("0", "-5", "99999", "99999999999999999999", "abc"):
        assert client.get("/app/elbasan/meetings/", {"year": year}).status_code == 200
    response = client.post(
        "/app/elbasan/meetings/new/", {"kind": "council", "starts_at": "9999-12-31T23:30", "place": "Salla"}
    )
    assert response.status_code == 200 and "2000" in response.content.decode()


def test_the_meeting_list_reads_meetings_in_constant_queries(client, elbasan, django_assert_max_num_queries):
    member = _person(elbasan, Role.MEMBER)
    for n in range(12):
        services.meeting_create(
            council=elbasan, kind="skn" if n % 2 else "council", starts_at=timezone.now(), place="x"
        )
    client.force_login(member)
    client.get("/app/elbasan/meetings/")
    with django_assert_max_num_queries(12):
        response = client.get("/app/elbasan/meetings/")
    assert len(response.context["meetings"]) == 6  # the council meetings only
