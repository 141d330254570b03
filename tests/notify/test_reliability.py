"""The delivery rules of kvsp/notify that keep a message from being lost or shown twice: a
Message-ID derived from the outbox key; notifications and their e-mails in one transaction, and a
retry that looks at the outbox; the SMTP backend telling a refusal from a lost answer; the
timeouts (EMAIL_TIMEOUT from the settings and EMAIL_URL, the tasks' time limits shorter than the
claim timeout, checked at start). Real SMTP conversations are in tests/faults/test_mail_*.py."""

import json
import os
import smtplib
import subprocess
import sys
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings

from kvsp.notify import checks, tasks
from kvsp.notify import services as notify
from kvsp.notify.models import CLAIM_TIMEOUT, Mode, Notification, OutboxMessage
from kvsp.notify.smtp import EmailBackend, MaybeSent, TrackingSMTP
from monitoring.reminder_kinds import Reminder
from tests.factories import UserFactory


def _item(user, key="report_due:7:2026-06"):
    return notify.Pending(
        user=user,
        kind=Reminder.REPORT_DUE,
        key=key,
        render=lambda: {"subject": "Njoftim", "lines": ["Rreshti i parë."], "url": "/app/"},
    )


# --- the Message-ID ---------------------------------------------------------------------------------


@override_settings(DEFAULT_FROM_EMAIL="KVSP <noreply@kvsp.gov.al>", SITE_URL="https://kvsp.example")
def test_the_message_id_is_derived_from_the_key_on_the_senders_domain():
    first = notify.message_id("report_due:7:2026-06:12")
    assert first == notify.message_id("report_due:7:2026-06:12")  # every attempt, every process
    assert first != notify.message_id("report_due:7:2026-06:13")
    assert first.startswith("<") and first.endswith("@kvsp.gov.al>") and len(first.split("@")[0]) == 33
    with override_settings(DEFAULT_FROM_EMAIL="KVSP"):  # no address: the site's host
        assert notify.message_id("x").endswith("@kvsp.example>")


@pytest.mark.django_db
def test_every_message_carries_its_message_id_and_key():
    user = UserFactory()
    notify.notify([_item(user)])
    assert notify.deliver_pending() == 1
    key = OutboxMessage.objects.get().key
    sent = mail.outbox[0].message()
    assert sent["Message-ID"] == notify.message_id(key) and sent["X-KVSP-Key"] == key


# --- notifications and e-mails: one transaction, the outbox looked at -------------------------------


class Crash(BaseException):
    pass


@pytest.mark.django_db
def test_notifications_and_their_emails_are_written_together_or_not_at_all():
    user = UserFactory()
    with mock.patch.object(OutboxMessage.objects, "bulk_create", side_effect=Crash), pytest.raises(Crash):
        notify.notify([_item(user)])
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_a_notification_without_its_email_gets_it_as_the_persons_preference_asks():
    wants, quiet, done = UserFactory(), UserFactory(), UserFactory()
    notify.preferences_save(user=quiet, modes={Reminder.REPORT_DUE: Mode.OFF})
    notify.notify([_item(wants), _item(quiet), _item(done)])
    OutboxMessage.objects.all().delete()  # what a process killed between two commits used to leave
    Notification.objects.filter(user=done).update(handled_at=notify.timezone.now())
    assert notify.notify([_item(wants), _item(quiet), _item(done)]) == 0
    # Only the open notification of the person who wants e-mail gets its row back.
    assert list(OutboxMessage.objects.values_list("user_id", flat=True)) == [wants.pk]
    assert Notification.objects.count() == 3
    # Given and mailed: a third call writes nothing.
    assert notify.notify([_item(wants), _item(quiet), _item(done)]) == 0
    assert OutboxMessage.objects.count() == 1


# --- the SMTP backend: refusal or maybe sent ----------------------------------------------------------


class _Server(TrackingSMTP):
    """smtplib's client on a fake socket: ``answers`` after the data, or the connection lost."""

    def __init__(self, after_data):
        super().__init__()
        self.after_data = after_data
        self.sock = mock.Mock()

    def getreply(self):
        if self.data_sent:
            return self.after_data()
        return (354, b"go ahead") if self._in_data else (250, b"OK")


def _backend_sending(after_data) -> EmailBackend:
    backend = EmailBackend(fail_silently=False)
    backend.connection = _Server(after_data)
    return backend


def _lost():
    raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed: timed out")


def test_an_answer_lost_after_the_data_is_maybe_sent_a_refusal_is_not():
    message = mail.EmailMessage("S", "T", "a@kvsp.test", ["b@kvsp.test"])
    with pytest.raises(MaybeSent):
        _backend_sending(_lost)._send(message)
    with pytest.raises(smtplib.SMTPDataError):
        _backend_sending(lambda: (554, b"refused"))._send(message)
    assert _backend_sending(lambda: (250, b"queued"))._send(message) is True


def test_a_connection_lost_before_the_data_is_a_failure():
    backend = EmailBackend(fail_silently=False)
    backend.connection = TrackingSMTP()  # not connected: the first command fails
    with pytest.raises(smtplib.SMTPServerDisconnected):
        backend._send(mail.EmailMessage("S", "T", "a@kvsp.test", ["b@kvsp.test"]))


# --- timeouts and time limits ---------------------------------------------------------------------


def _settings_with(**env) -> dict:
    """EMAIL_* as the settings read them from this environment (a fresh process)."""
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.EMAIL_TIMEOUT, s.EMAIL_BACKEND, s.EMAIL_HOST]))"
    )
    environ = {k: v for k, v in os.environ.items() if k not in ("EMAIL_URL", "EMAIL_TIMEOUT")}
    environ.update(DJANGO_SETTINGS_MODULE="kvsp.settings.dev", **env)
    out = subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, cwd=settings.BASE_DIR
    )
    assert out.returncode == 0, out.stderr
    timeout, backend, host = json.loads(out.stdout.strip().splitlines()[-1])
    return {"timeout": timeout, "backend": backend, "host": host}


def test_email_timeout_comes_from_the_url_else_the_setting_else_ten_seconds():
    from_url = _settings_with(EMAIL_URL="smtp://mail.kvsp.test:25?timeout=3")
    assert from_url == {"timeout": 3, "backend": "kvsp.notify.smtp.EmailBackend", "host": "mail.kvsp.test"}
    assert _settings_with(EMAIL_URL="smtp://mail.kvsp.test:25", EMAIL_TIMEOUT="7")["timeout"] == 7
    assert _settings_with(EMAIL_URL="smtp://mail.kvsp.test:25")["timeout"] == 10


def test_the_time_limits_keep_a_live_claim_from_being_taken_over():
    # The project's defaults: the hard limit kills a task before its claim could be taken over,
    # the soft one comes first, and one message's SMTP operations fit in it.
    assert CLAIM_TIMEOUT.total_seconds() > settings.CELERY_TASK_TIME_LIMIT
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
    assert checks.delivery_limits_check() == []
    with override_settings(CELERY_TASK_TIME_LIMIT=CLAIM_TIMEOUT.total_seconds()):
        assert [e.id for e in checks.delivery_limits_check()] == ["notify.E001"]
    with override_settings(CELERY_TASK_TIME_LIMIT=None):
        assert "notify.E001" in [e.id for e in checks.delivery_limits_check()]
    with override_settings(CELERY_TASK_SOFT_TIME_LIMIT=settings.CELERY_TASK_TIME_LIMIT):
        assert [e.id for e in checks.delivery_limits_check()] == ["notify.E002"]
    with override_settings(EMAIL_TIMEOUT=None):
        assert [e.id for e in checks.delivery_limits_check()] == ["notify.E003"]
    with override_settings(EMAIL_TIMEOUT=settings.CELERY_TASK_SOFT_TIME_LIMIT / notify.SEND_OPERATIONS):
        assert [e.id for e in checks.delivery_limits_check()] == ["notify.E003"]


@override_settings(CELERY_TASK_SOFT_TIME_LIMIT=240, EMAIL_TIMEOUT=10)
def test_a_drain_stops_taking_messages_in_time_for_the_last_one_to_end():
    # 240 s, less nine SMTP operations of 10 s for the message being sent when the time is up.
    assert tasks.drain_budget() == 150


@pytest.mark.django_db
def test_a_drain_out_of_time_leaves_the_rest_for_the_next():
    users = [UserFactory() for _ in range(3)]
    notify.notify([_item(user) for user in users])
    clock = iter([0.0, 1.0, 2.0, 99.0, 99.0])
    with mock.patch.object(notify.time, "monotonic", lambda: next(clock)):
        assert notify.deliver_pending(budget=5) == 2
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count() == 1
    assert notify.deliver_pending() == 1


@pytest.mark.django_db
def test_a_digest_maybe_sent_waits_for_its_delay_then_goes_with_the_same_message_id():
    import time_machine
    from django.utils import timezone

    from kvsp.notify.models import MAYBE_SENT_DELAY

    person = UserFactory()
    notify.preferences_save(user=person, modes={Reminder.REPORT_DUE: Mode.DIGEST})
    notify.notify([_item(person)])
    real_send = notify._send_one

    def answer_lost(**kwargs):
        real_send(**kwargs)  # the server has it ...
        raise MaybeSent("no answer after the data")  # ... and its answer is lost

    day = notify.timezone.localdate()
    with (
        mock.patch.object(notify, "_send_one", side_effect=answer_lost),
        pytest.raises(notify.DeliveryFailed),
    ):
        notify.deliver_digests(as_of=day)
    # Not again at the task's retry, minutes later, nor once a claim could be taken over ...
    later = timezone.now() + CLAIM_TIMEOUT + timedelta(minutes=1)
    with time_machine.travel(later):
        assert notify.deliver_digests(as_of=day) == 0
    # ... only after the delay, with the same Message-ID: one message in the person's mailbox.
    with time_machine.travel(timezone.now() + MAYBE_SENT_DELAY + timedelta(minutes=1)):
        assert notify.deliver_digests(as_of=day) == 1
    assert len(mail.outbox) == 2
    assert len({message.extra_headers["Message-ID"] for message in mail.outbox}) == 1


# --- two drains at once ----------------------------------------------------------------------------


def _waiting_row(user) -> OutboxMessage:
    notify.notify([_item(user)])
    return OutboxMessage.objects.get(user=user)


@pytest.mark.django_db
def test_a_drain_that_read_a_row_before_another_drain_tried_it_leaves_it_to_its_delay():
    """Drain B read the row as pending; drain A then got an ambiguous end (maybe sent, 30 minutes'
    delay) and gave the claim back. B reaching the row must not send it at once."""
    user = UserFactory(email="kryetari@elbasan.gov.al")
    read_by_b = _waiting_row(user)
    mail.outbox.clear()
    OutboxMessage.objects.filter(pk=read_by_b.pk).update(
        status=OutboxMessage.Status.MAYBE_SENT, next_attempt_at=read_by_b.created_at + timedelta(days=1)
    )
    assert notify._deliver(read_by_b) == 0
    assert mail.outbox == []
    assert notify._claim(read_by_b.key, read_by_b.created_at + timedelta(days=1, minutes=1))  # given back


@pytest.mark.django_db
@pytest.mark.parametrize("gone", ["withdrawn", "forgotten"])
def test_a_drain_that_read_a_row_then_withdrawn_or_forgotten_sends_nothing_and_keeps_no_claim(gone):
    from kvsp.notify.models import SentLog

    user = UserFactory(email="kryetari@elbasan.gov.al")
    read = _waiting_row(user)
    mail.outbox.clear()
    if gone == "withdrawn":
        notify.withdraw(read.key)
    else:
        notify.forget(read.key)
    assert notify._deliver(read) == 0
    assert mail.outbox == []
    assert not SentLog.objects.filter(key=read.key).exists()
