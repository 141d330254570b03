"""A process dying between two writes of a reminder sweep or of a send, and the task run again:
every e-mail arrives, and none shows twice. The death is simulated by raising ``Crash`` (not an
``Exception``: nothing on the way catches it, as nothing survives a SIGKILL) from a patched
function between the writes; the database keeps what was committed before it, as after a kill.
Each case counts the messages expected, delivered and visibly duplicated on a local SMTP sink
(tests/faults/mail_sink.py), prints them, and fails on any loss or visible duplicate."""

# ruff: noqa: F811 (the sink fixture, imported by name)

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.db.models import QuerySet
from django.utils import timezone

from kvsp.notify import services as notify
from kvsp.notify.models import CLAIM_TIMEOUT, Notification, OutboxMessage, SentLog
from monitoring import reminders
from monitoring.reminder_kinds import Reminder
from tests.factories import UserFactory
from tests.faults.mail_sink import smtp_sink  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
COUNT = 6


class Crash(BaseException):
    """The process died here."""


def _due(count: int = COUNT) -> list:
    users = [UserFactory() for _ in range(count)]
    return [
        notify.Pending(
            user=user,
            kind=Reminder.REPORT_DUE,
            key=f"faults:crash:{n}",
            render=lambda: {"subject": "Njoftim", "lines": ["Rreshti i parë."], "url": "/app/"},
        )
        for n, user in enumerate(users)
    ]


def _sweep(due: list) -> int:
    """monitoring.reminders.send, on these reminders (the worker not asked: the test drains)."""
    with mock.patch.object(reminders, "due", return_value=due), mock.patch.object(notify, "queue_delivery"):
        return reminders.send()


def _expected(due: list) -> set[str]:
    return {f"{item.key}:{item.user.pk}" for item in due}


def _check(case: str, sink, expected: set[str]) -> None:
    figures = sink.figures(expected)
    sink.report(case, figures)
    assert figures["lost"] == 0 and figures["unexpected"] == 0, figures
    assert figures["duplicated"] == 0, figures
    assert set(OutboxMessage.objects.values_list("key", flat=True)) == expected
    assert not OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists()
    assert Notification.objects.count() == len(expected)


# --- the sweep: notifications, then outbox rows, then the drain asked for --------------------------


def test_a_sweep_dying_between_the_notifications_and_the_outbox_leaves_neither(smtp_sink):
    due = _due()
    with mock.patch.object(OutboxMessage.objects, "bulk_create", side_effect=Crash), pytest.raises(Crash):
        _sweep(due)
    # One transaction: the notifications went with the outbox rows.
    assert Notification.objects.count() == 0 and OutboxMessage.objects.count() == 0
    assert _sweep(due) == COUNT  # the noon sweep
    notify.deliver_pending()
    _check("sweep: between notifications and outbox", smtp_sink, _expected(due))


def test_notifications_left_without_their_outbox_rows_get_them_at_the_next_sweep(smtp_sink):
    """The state the two separate commits used to leave: the notifications committed, the process
    killed before the outbox rows. The next sweep looks at the outbox, not at the notifications."""
    due = _due()
    _sweep(due)
    OutboxMessage.objects.all().delete()
    assert _sweep(due) == 0  # no notification is given twice ...
    assert OutboxMessage.objects.count() == COUNT  # ... and each e-mail is back
    notify.deliver_pending()
    _check("sweep: notifications without outbox rows", smtp_sink, _expected(due))


def test_a_sweep_dying_after_its_commit_before_asking_for_a_drain(smtp_sink):
    due = _due()
    _sweep(due)  # committed; the drain was never asked for (the kick is patched away)
    assert _sweep(due) == 0
    notify.deliver_pending()  # the beat's drain, a minute later
    _check("sweep: after the commit, before the kick", smtp_sink, _expected(due))


# --- the send: claim, SMTP, mark sent (sent-log and outbox row in one commit) ----------------------


def _after_claim_timeout():
    return time_machine.travel(timezone.now() + CLAIM_TIMEOUT + timedelta(seconds=1))


def test_a_send_dying_after_its_claim_before_the_server(smtp_sink):
    due = _due()
    _sweep(due)
    with mock.patch.object(notify, "_send_one", side_effect=Crash), pytest.raises(Crash):
        notify.deliver_pending()
    claimed = SentLog.objects.get()
    # The claim is fresh: another drain leaves it (it may be a live send) ...
    assert notify.deliver_pending() == COUNT - 1
    assert OutboxMessage.objects.get(key=claimed.key).status == OutboxMessage.Status.PENDING
    # ... until the claim timeout, longer than any task may live: then it is taken over.
    with _after_claim_timeout():
        assert notify.deliver_pending() == 1
    _check("send: after the claim, before the server", smtp_sink, _expected(due))


def test_a_send_dying_after_the_server_accepted_before_it_was_recorded(smtp_sink):
    due = _due()
    _sweep(due)
    with mock.patch.object(notify, "_mark_sent", side_effect=Crash), pytest.raises(Crash):
        notify.deliver_pending()
    first = smtp_sink.received[0].key
    assert SentLog.objects.get(key=first).sent_at is None
    notify.deliver_pending()
    with _after_claim_timeout():
        assert notify.deliver_pending() == 1
    # The server got it twice, under one Message-ID: the person sees one message.
    copies, ids = smtp_sink.counts()
    assert copies[first] == 2 and len(ids[first]) == 1
    _check("send: accepted, not recorded", smtp_sink, _expected(due))


def test_a_send_dying_between_the_sent_log_and_the_outbox_row(smtp_sink):
    due = _due()
    _sweep(due)
    real_update = QuerySet.update

    def update(self, **kwargs):
        if self.model is OutboxMessage and kwargs.get("status") == OutboxMessage.Status.SENT:
            raise Crash
        return real_update(self, **kwargs)

    with mock.patch.object(QuerySet, "update", update), pytest.raises(Crash):
        notify.deliver_pending()
    # One commit: the sent-log's mark went with the outbox row's.
    assert not SentLog.objects.filter(sent_at__isnull=False).exists()
    notify.deliver_pending()
    with _after_claim_timeout():
        notify.deliver_pending()
    _check("send: between sent-log and outbox", smtp_sink, _expected(due))


def test_two_sweeps_and_two_drains_send_each_email_once(smtp_sink):
    due = _due()
    assert (_sweep(due), _sweep(due)) == (COUNT, 0)
    assert notify.deliver_pending() + notify.deliver_pending() == COUNT
    figures = smtp_sink.figures(_expected(due))
    assert figures["copies_merged_by_message_id"] == 0
    _check("two sweeps, two drains", smtp_sink, _expected(due))
