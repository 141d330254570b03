"""Every message through the outbox, written in the request's transaction, and forms that send
idempotent: a password reset, an account invitation and a citizen's receipt are written to the
outbox (the page answers when the mail server is down, the worker sends them later, links still
working); the same form sent twice (a double click, two tabs) e-mails each person once: meeting
invitations, consultation announcements, account invitations, password resets."""

# ruff: noqa: F811 (the fixtures of tests/fixtures/plans.py, imported by name)

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from councils.meetings import services as meeting_services
from councils.meetings.invitations import MEETING_INVITATION
from councils.models import Role
from kvsp.core import services as core_services
from kvsp.notify import kinds
from kvsp.notify import services as notify
from kvsp.notify.models import OutboxMessage
from tests.factories import UserFactory, give_role
from tests.fixtures.plans import elbasan, officers  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _mail_server_down():
    return mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=ConnectionRefusedError("connection refused"),
    )


def _later(minutes: float = 90):
    """The worker's drain once the mail server is back and the back-off is over."""
    with time_machine.travel(timezone.now() + timedelta(minutes=minutes)):
        return notify.deliver_pending()


def _link(message, prefix: str) -> str:
    for word in message.body.split():
        if word.startswith(settings.SITE_URL + prefix):
            return word[len(settings.SITE_URL) :]
    raise AssertionError(f"no {prefix} link in {message.body!r}")


def _assert_link_removed(row, message, prefix: str) -> None:
    """Sent: the e-mail held the sign-in link, the outbox row no longer does (the admin and a
    backup read the outbox; whoever holds the link sets the password)."""
    link = _link(message, prefix)
    row.refresh_from_db()
    assert row.status == OutboxMessage.Status.SENT
    assert link not in row.text and link not in row.html and prefix not in row.text + row.html
    assert row.text == notify.REMOVED_TEXT and row.html == ""


# --- password reset ---------------------------------------------------------------------------------


def test_a_password_reset_with_the_mail_server_down_answers_and_its_link_works_later(
    client, password, django_capture_on_commit_callbacks
):
    person = UserFactory(password=password, language="en")
    with _mail_server_down(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password-reset"), {"email": person.email}, **EN)
    assert response.status_code == 302 and mail.outbox == []
    row = OutboxMessage.objects.get(kind=kinds.PASSWORD_RESET)
    assert row.status == OutboxMessage.Status.FAILED and row.user == person
    assert "/accounts/password/reset/" in row.text  # kept while it waits to be sent
    assert _later() == 1
    (message,) = mail.outbox
    assert message.to == [person.email] and message.subject == "Reset your KVSP password"
    _assert_link_removed(row, message, "/accounts/password/reset/")
    # Delivered an hour and a half later, its link still holds (PASSWORD_RESET_TIMEOUT).
    with time_machine.travel(timezone.now() + timedelta(minutes=95)):
        form_page = client.get(_link(message, "/accounts/password/reset/"), follow=True)
        assert form_page.context["validlink"] is True
        done = client.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": "brand-new-pass-42", "new_password2": "brand-new-pass-42"},
        )
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.check_password("brand-new-pass-42")


def test_a_password_reset_sent_twice_at_once_is_one_email(client, password):
    person = UserFactory(password=password)
    with time_machine.travel(timezone.now(), tick=False):  # a double click: the same second
        for _click in range(2):
            client.post(reverse("accounts:password-reset"), {"email": person.email})
    assert OutboxMessage.objects.filter(kind=kinds.PASSWORD_RESET).count() == 1


# --- the account invitation -----------------------------------------------------------------------


def test_an_account_invitation_with_the_mail_server_down_goes_out_later(
    client, platform_admin, django_capture_on_commit_callbacks
):
    with _mail_server_down(), django_capture_on_commit_callbacks(execute=True):
        invited = core_services.user_invite(
            email="ana@example.al", full_name="Ana Hoxha", invited_by=platform_admin
        )
    row = OutboxMessage.objects.get(kind=kinds.ACCOUNT_INVITATION)
    assert row.status == OutboxMessage.Status.FAILED and row.user == invited
    assert "/accounts/invitation/" in row.text and "/accounts/invitation/" in row.html
    assert _later() == 1
    _assert_link_removed(row, mail.outbox[0], "/accounts/invitation/")
    page = client.get(_link(mail.outbox[0], "/accounts/invitation/"))
    assert page.status_code == 200 and page.context["invitee"] == invited


def test_an_account_invitation_sent_twice_is_one_email(platform_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _click in range(2):
            core_services.user_invite(
                email="ana@example.al", full_name="Ana Hoxha", invited_by=platform_admin
            )
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get().text == notify.REMOVED_TEXT  # sent at once: removed at once
    # Sent again later (the first was lost, or its link expired): a new e-mail, a new link.
    later = timezone.now() + core_services.INVITATION_REPEAT_AFTER + timedelta(seconds=1)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        core_services.user_invite(email="ana@example.al", full_name="Ana Hoxha", invited_by=platform_admin)
    assert len(mail.outbox) == 2
    assert mail.outbox[0].extra_headers["Message-ID"] != mail.outbox[1].extra_headers["Message-ID"]


# --- the citizen's receipt ------------------------------------------------------------------------


def test_a_concern_receipt_with_the_mail_server_down_goes_out_later(
    client, elbasan, django_capture_on_commit_callbacks
):
    with _mail_server_down(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/elbasan/concerns/new/",
            {"text": "Rruga pa ndriçim", "category": "other", "contact_email": "qytetar@example.al"},
        )
    assert response.status_code == 302
    row = OutboxMessage.objects.get(kind="concern_receipt")
    assert row.status == OutboxMessage.Status.FAILED
    assert _later() == 1
    (message,) = mail.outbox
    code = response["Location"].rstrip("/").rsplit("/", 1)[1]
    assert message.to == ["qytetar@example.al"] and code in message.body
    # Delivered once: later drains send nothing more.
    assert _later(180) == 0 and len(mail.outbox) == 1


# --- forms sent twice -----------------------------------------------------------------------------


def test_meeting_invitations_posted_twice_email_each_person_once(client, elbasan, officers):
    meeting = meeting_services.meeting_create(
        council=elbasan, kind="council", starts_at=timezone.now() + timedelta(days=7), place="Salla"
    )
    meeting_services.agenda_item_add(meeting=meeting, title="Plani 2026")
    meeting_services.agenda_agree(meeting=meeting, user=UserFactory())
    people = [
        give_role(elbasan, Role.MEMBER, full_name="Drita Kola", email="drita@example.al").person,
        give_role(elbasan, Role.MEMBER, user=UserFactory()).person,
    ]
    client.force_login(officers["secretary"])
    url = f"/app/elbasan/meetings/{meeting.pk}/invitations/"
    for _tab in range(2):
        response = client.post(url, {"people": [str(person.pk) for person in people]}, **EN)
        assert response.status_code == 302
    assert notify.deliver_pending() == 2
    assert notify.deliver_pending() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert OutboxMessage.objects.filter(kind=MEETING_INVITATION).count() == 2


def test_a_consultation_announced_twice_emails_each_member_once(client, elbasan, officers):
    from consultations import lifecycle, notices

    consultation = lifecycle.consultation_create(
        council=elbasan,
        starts_at=timezone.now() + timedelta(days=10),
        place="Shkolla Papër",
        agenda="Siguria në shkolla\nDroga te të rinjtë",
    )
    lifecycle.consultation_agenda_agree(consultation=consultation, user=officers["skn"])
    client.force_login(officers["secretary"])
    url = f"/app/elbasan/consultations/{consultation.pk}/announce/"
    for _tab in range(2):
        response = client.post(url, {"without_heads": "on"}, **EN)
        assert response.status_code in (200, 302)
    announced = OutboxMessage.objects.filter(kind=notices.ANNOUNCED)
    assert announced.count() == 3  # the council's members but the secretary who announced it
    notify.deliver_pending()
    notify.deliver_pending()
    recipients = [m.to[0] for m in mail.outbox if m.extra_headers["X-KVSP-Key"].startswith(notices.ANNOUNCED)]
    assert len(recipients) == len(set(recipients)) == announced.count()


def test_only_e_mails_with_a_sign_in_link_lose_their_text_and_a_withdrawn_one_too(
    client, password, elbasan, django_capture_on_commit_callbacks
):
    """A receipt keeps its text once sent (the citizen may ask for it again; it is forgotten with
    the contact); a password reset withdrawn before it went (no longer needed) loses its link."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/elbasan/concerns/new/",
            {"text": "Rruga pa ndriçim", "category": "other", "contact_email": "qytetar@example.al"},
        )
    receipt = OutboxMessage.objects.get(kind="concern_receipt")
    assert receipt.status == OutboxMessage.Status.SENT and receipt.text != notify.REMOVED_TEXT
    person = UserFactory(password=password)
    with _mail_server_down(), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password-reset"), {"email": person.email})
    reset = OutboxMessage.objects.get(kind=kinds.PASSWORD_RESET)
    assert "/accounts/password/reset/" in reset.text
    assert notify.withdraw(reset.key) == 1
    reset.refresh_from_db()
    assert reset.status == OutboxMessage.Status.WITHDRAWN and reset.text == notify.REMOVED_TEXT


def test_the_admin_never_shows_a_waiting_sign_in_link(client, password, platform_admin):
    person = UserFactory(password=password)
    client.post(reverse("accounts:password-reset"), {"email": person.email})  # not sent yet
    reset = OutboxMessage.objects.get(kind=kinds.PASSWORD_RESET)
    assert reset.status == OutboxMessage.Status.PENDING and "/accounts/password/reset/" in reset.text
    client.force_login(platform_admin)
    page = client.get(reverse("admin:notify_outboxmessage_change", args=[reset.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert person.email in body and "/accounts/password/reset/" not in body
    # Another kind's text is shown, as before.
    other = OutboxMessage.objects.create(
        key="test:other", kind="concern_receipt", email="a@example.al", subject="S", text="Teksti X", html=""
    )
    assert (
        "Teksti X"
        in client.get(reverse("admin:notify_outboxmessage_change", args=[other.pk])).content.decode()
    )
