"""The outbox and the sent-log (kvsp/notify): a notification given twice is given once; an e-mail
is claimed, sent and marked sent; a claim left by a crash is taken over after the timeout, never
before; a refused e-mail is retried; digests; preferences; the broker being down never fails the
change that caused the message; the notification centre and its settings."""

from datetime import date, timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from kvsp.notify import kinds
from kvsp.notify import services as notify
from kvsp.notify.models import CLAIM_TIMEOUT, Mode, Notification, OutboxMessage, Preference, SentLog
from monitoring.reminder_kinds import Reminder
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _item(user, key="plan_not_approved:1:2026", kind=Reminder.PLAN_NOT_APPROVED):
    from django.utils.translation import gettext as _

    return notify.Pending(
        user=user,
        kind=kind,
        key=key,
        render=lambda: {
            "subject": _("Notifications"),
            "lines": ["Rreshti i parë."],
            "url": "/app/elbasan/plans/",
        },
    )


def test_a_notification_given_twice_is_given_once(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert notify.notify([_item(user), _item(user)]) == 1
    assert notify.notify([_item(user)]) == 0
    assert Notification.objects.count() == 1 and OutboxMessage.objects.count() == 1
    # The commit kicked the (eager) worker: the e-mail went out once, with its key.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["X-KVSP-Key"] == f"plan_not_approved:1:2026:{user.pk}"
    assert notify.deliver_pending() == 0
    assert len(mail.outbox) == 1
    assert SentLog.objects.get().sent_at is not None
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


def test_the_message_is_written_in_the_persons_language():
    albanian, english = UserFactory(language="sq"), UserFactory(language="en")
    notify.notify([_item(albanian), _item(english)])
    subjects = dict(OutboxMessage.objects.values_list("user_id", "subject"))
    assert subjects[english.pk] == "KVSP: Notifications"
    assert subjects[albanian.pk] != subjects[english.pk]
    html = OutboxMessage.objects.get(user=english).html
    assert 'href="http' in html and "/app/elbasan/plans/" in html


def test_a_fresh_claim_is_not_sent_twice_a_stale_one_is_taken_over():
    user = UserFactory()
    notify.notify([_item(user)])
    key = OutboxMessage.objects.get().key
    # Another worker claimed it a minute ago and is sending it: this one leaves it.
    SentLog.objects.create(key=key, claimed_at=timezone.now() - timedelta(minutes=1))
    assert notify.deliver_pending() == 0 and mail.outbox == []
    # That worker died before marking it sent: after the timeout the message is sent.
    SentLog.objects.filter(key=key).update(claimed_at=timezone.now() - CLAIM_TIMEOUT - timedelta(seconds=1))
    assert notify.deliver_pending() == 1
    assert len(mail.outbox) == 1 and SentLog.objects.get().claims == 2


def test_a_message_already_sent_by_another_worker_is_only_marked():
    user = UserFactory()
    notify.notify([_item(user)])
    key = OutboxMessage.objects.get().key
    SentLog.objects.create(key=key, claimed_at=timezone.now(), sent_at=timezone.now())
    assert notify.deliver_pending() == 0 and mail.outbox == []
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


def test_a_refused_message_is_retried():
    user = UserFactory()
    notify.notify([_item(user)])
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("connection refused")
    ):
        assert notify.deliver_pending() == 0
    row = OutboxMessage.objects.get()
    assert row.status == OutboxMessage.Status.FAILED and row.attempts == 1 and "refused" in row.last_error
    # Not at once: after the back-off (a minute after the first refusal).
    assert row.next_attempt_at is not None and row.next_attempt_at > timezone.now()
    assert notify.deliver_pending() == 0 and mail.outbox == []
    with time_machine.travel(row.next_attempt_at + timedelta(seconds=1)):
        assert notify.deliver_pending() == 1
    assert len(mail.outbox) == 1 and OutboxMessage.objects.get().status == OutboxMessage.Status.SENT
    assert OutboxMessage.objects.get().next_attempt_at is None


def test_preferences_off_and_digest():
    quiet, digest = UserFactory(), UserFactory()
    notify.preferences_save(user=quiet, modes={Reminder.PLAN_NOT_APPROVED: Mode.OFF})
    notify.preferences_save(user=digest, modes={Reminder.PLAN_NOT_APPROVED: Mode.DIGEST})
    notify.notify([_item(quiet), _item(digest), _item(digest, key="plan_not_approved:2:2026")])
    # Off: in the centre, no e-mail.
    assert Notification.objects.filter(user=quiet).count() == 1
    assert not OutboxMessage.objects.filter(user=quiet).exists()
    # Digest: kept for the day's e-mail, not sent one by one.
    assert notify.deliver_pending() == 0
    assert notify.deliver_digests(as_of=date(2026, 7, 15)) == 1
    assert notify.deliver_digests(as_of=date(2026, 7, 15)) == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [digest.email]
    assert mail.outbox[0].body.count("- ") == 2
    assert not OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).exists()


def test_a_refused_digest_is_released_and_the_others_still_go():
    refused, fine = UserFactory(), UserFactory()
    for user in (refused, fine):
        notify.preferences_save(user=user, modes={Reminder.PLAN_NOT_APPROVED: Mode.DIGEST})
    notify.notify([_item(refused), _item(fine)])
    real_send = notify._send_one

    def flaky(*, to, **kwargs):
        if to == refused.email:
            raise OSError("connection refused")
        return real_send(to=to, **kwargs)

    with mock.patch.object(notify, "_send_one", side_effect=flaky), pytest.raises(notify.DeliveryFailed):
        notify.deliver_digests(as_of=date(2026, 7, 15))
    assert [message.to for message in mail.outbox] == [[fine.email]]
    row = OutboxMessage.objects.get(user=refused)
    assert row.status == OutboxMessage.Status.PENDING and row.attempts == 1 and "refused" in row.last_error
    # The claim was released: the task's retry, minutes later, sends it the same day, and only it.
    assert notify.deliver_digests(as_of=date(2026, 7, 15)) == 1
    assert [message.to for message in mail.outbox] == [[fine.email], [refused.email]]


def test_an_inactive_person_gets_nothing():
    gone = UserFactory(is_active=False)
    assert notify.notify([_item(gone)]) == 0
    assert not Notification.objects.exists()


def test_the_broker_down_never_fails_the_change(django_capture_on_commit_callbacks):
    user = UserFactory()
    with (
        mock.patch("kvsp.notify.tasks.deliver_outbox_task.delay", side_effect=ConnectionError("broker down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert notify.notify([_item(user)]) == 1
    # The message waits in the outbox for the next drain (the beat's, every minute).
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.PENDING
    assert notify.deliver_pending() == 1


def test_notify_reads_a_fixed_number_of_queries(django_assert_max_num_queries):
    users = [UserFactory() for _ in range(12)]
    # Notifications, outbox rows and preferences read; both tables written; one savepoint.
    with django_assert_max_num_queries(7):
        notify.notify([_item(user) for user in users])
    assert Notification.objects.count() == 12


# --- the notification centre ---------------------------------------------------------------------


def test_the_centre_shows_only_ones_own_and_marks_them_read(client):
    mine, theirs = UserFactory(language="en"), UserFactory()
    notify.notify([_item(mine), _item(theirs)])
    client.force_login(mine)
    page = client.get("/app/notifications/")
    assert [n.user_id for n in page.context["page"].object_list] == [mine.pk]
    assert "Notifications <span" in page.content.decode() or "1<span" in page.content.decode()
    other = Notification.objects.get(user=theirs)
    assert client.post(f"/app/notifications/{other.pk}/read/").status_code == 404
    assert Notification.objects.get(pk=other.pk).read_at is None
    own = Notification.objects.get(user=mine)
    assert client.get(f"/app/notifications/{own.pk}/read/").status_code == 405  # no change on GET
    opened = client.post(f"/app/notifications/{own.pk}/read/", {"open": "1"})
    assert opened.status_code == 302 and opened["Location"] == "/app/elbasan/plans/"
    assert Notification.objects.get(pk=own.pk).read_at is not None


def test_an_address_elsewhere_is_never_followed(client):
    user = UserFactory()
    notify.notify(
        [
            notify.Pending(
                user=user,
                kind=Reminder.REPORT_DUE,
                key="report_due:x",
                render=lambda: {"subject": "x", "url": "https://evil.example/"},
            )
        ]
    )
    client.force_login(user)
    notification = Notification.objects.get()
    response = client.post(f"/app/notifications/{notification.pk}/read/", {"open": "1"})
    assert response["Location"] == "/app/notifications/"


def test_mark_all_read_and_the_navbar_count(client):
    user = UserFactory(language="en")
    notify.notify([_item(user), _item(user, key="plan_not_approved:2:2026")])
    client.force_login(user)
    assert client.get("/app/").context["unread_notifications"] == 2
    client.post("/app/notifications/read/")
    assert client.get("/app/").context["unread_notifications"] == 0


def test_preferences_are_saved_and_bad_values_refused(client):
    user = UserFactory(language="en")
    client.force_login(user)
    every_kind = [kind.code for kind in (*kinds.reminders(), *kinds.handoffs())]
    data = dict.fromkeys(every_kind, Mode.IMMEDIATE) | {
        Reminder.ACTIVITY_OVERDUE: Mode.DIGEST,
        "minutes_submitted": Mode.OFF,  # a hand-off notice: the person chooses too
    }
    assert client.post("/app/notifications/preferences/", data).status_code == 302
    assert Preference.objects.get(user=user, kind=Reminder.ACTIVITY_OVERDUE).mode == Mode.DIGEST
    assert Preference.objects.get(user=user, kind="minutes_submitted").mode == Mode.OFF
    bad = client.post("/app/notifications/preferences/", data | {Reminder.REPORT_DUE: "sometimes"})
    assert bad.status_code == 200 and bad.context["form"].errors[Reminder.REPORT_DUE]
    assert Preference.objects.get(user=user, kind=Reminder.REPORT_DUE).mode == Mode.IMMEDIATE
    page = client.get("/app/notifications/preferences/")
    assert page.context["form"][Reminder.ACTIVITY_OVERDUE].initial == Mode.DIGEST
