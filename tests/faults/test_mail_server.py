"""The mail server misbehaving, on real SMTP conversations with a local sink
(tests/faults/mail_sink.py): refusing, stalling and dropping its answer after the data. Each case
counts the messages expected, delivered and visibly duplicated (a second Message-ID for one key),
prints them, and fails on any loss or visible duplicate."""

# ruff: noqa: F811 (the sink fixture, imported by name)

import threading
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.utils import timezone

from kvsp.notify import services as notify
from kvsp.notify.models import MAYBE_SENT_DELAY, OutboxMessage
from monitoring.reminder_kinds import Reminder
from tests.factories import UserFactory
from tests.faults.mail_sink import smtp_sink  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _outbox(count: int) -> set[str]:
    """``count`` reminders written to the outbox, as a sweep writes them (the worker not asked:
    each test drains when it chooses); their keys."""
    users = [UserFactory() for _ in range(count)]
    with mock.patch.object(notify, "queue_delivery"):
        notify.notify(
            [
                notify.Pending(
                    user=user,
                    kind=Reminder.REPORT_DUE,
                    key=f"faults:mail:{n}",
                    render=lambda: {"subject": "Njoftim", "lines": ["Rreshti i parë."], "url": "/app/"},
                )
                for n, user in enumerate(users)
            ]
        )
    return set(OutboxMessage.objects.values_list("key", flat=True))


def _drain_later(minutes: float) -> int:
    with time_machine.travel(timezone.now() + timedelta(minutes=minutes)):
        return notify.deliver_pending()


def _assert_whole(case: str, sink, expected: set[str]) -> dict:
    figures = sink.figures(expected)
    sink.report(case, figures)
    assert figures["lost"] == 0 and figures["unexpected"] == 0, figures
    assert figures["duplicated"] == 0, figures
    assert not OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists()
    return figures


def test_a_working_server_gets_every_message_once_with_its_stable_message_id(smtp_sink):
    expected = _outbox(3)
    assert notify.deliver_pending() == 3
    figures = _assert_whole("accepting", smtp_sink, expected)
    assert figures["copies_merged_by_message_id"] == 0
    ids = {item.key: item.message_id for item in smtp_sink.received}
    assert ids == {key: notify.message_id(key) for key in expected}


@pytest.mark.parametrize("behaviour", ["refuse_rcpt", "refuse_data"])
def test_a_refusal_stays_failed_and_is_retried_after_the_back_off(smtp_sink, behaviour):
    expected = _outbox(2)
    smtp_sink.script = [behaviour]  # the first message's connection is refused
    assert notify.deliver_pending() == 1
    refused = OutboxMessage.objects.get(status=OutboxMessage.Status.FAILED)
    assert refused.attempts == 1 and refused.next_attempt_at > timezone.now()
    assert smtp_sink.figures(expected)["delivered"] == 1
    # The next drain (a minute later, the beat's) leaves it: its back-off is not over.
    assert notify.deliver_pending() == 0
    assert _drain_later(2) == 1
    _assert_whole(f"refusing ({behaviour})", smtp_sink, expected)


def test_no_server_listening_is_a_clear_failure(smtp_sink, settings):
    expected = _outbox(1)
    smtp_sink.stop()  # nothing listens on the port: connection refused
    assert notify.deliver_pending() == 0
    row = OutboxMessage.objects.get()
    assert row.status == OutboxMessage.Status.FAILED and row.next_attempt_at is not None
    sink = type(smtp_sink)(node=smtp_sink.node).start()  # the server is back, on a new port
    try:
        settings.EMAIL_PORT = sink.port
        assert _drain_later(2) == 1
        _assert_whole("connection refused", sink, expected)
    finally:
        sink.stop()


def _drain_in_thread() -> threading.Thread:
    """Drain from another thread, so that a drain that never returns fails the test, not hangs it.
    (The thread uses its own database connection: the test's rows must be committed.)"""
    result = {}

    def run():
        from django.db import connection

        try:
            result["sent"] = notify.deliver_pending()
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.result = result
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("behaviour", ["stall_greeting", "stall_after_data"])
def test_a_stalled_server_is_given_up_after_email_timeout(smtp_sink, behaviour):
    expected = _outbox(1)
    smtp_sink.script = [behaviour]
    drain = _drain_in_thread()
    drain.join(60)  # EMAIL_TIMEOUT is 1 s: without it the drain would wait for ever
    assert not drain.is_alive(), "the drain still waits on a silent server: EMAIL_TIMEOUT not honoured"
    row = OutboxMessage.objects.get()
    if behaviour == "stall_greeting":
        # Nothing was handed over: a clear failure, retried after the back-off.
        assert row.status == OutboxMessage.Status.FAILED
        assert smtp_sink.received == []
    else:
        # The data went out and no answer came: maybe delivered (the sink has it).
        assert row.status == OutboxMessage.Status.MAYBE_SENT
        assert len(smtp_sink.received) == 1
    assert row.next_attempt_at > timezone.now()
    smtp_sink.release.set()
    assert _drain_later(MAYBE_SENT_DELAY.total_seconds() / 60 + 1) == 1
    figures = _assert_whole(f"stalling ({behaviour})", smtp_sink, expected)
    assert figures["copies_merged_by_message_id"] == (1 if behaviour == "stall_after_data" else 0)


def test_an_answer_lost_after_the_data_is_maybe_sent_and_retried_later_with_the_same_id(smtp_sink):
    expected = _outbox(2)
    smtp_sink.script = ["drop_after_data"]
    assert notify.deliver_pending() == 1
    maybe = OutboxMessage.objects.get(status=OutboxMessage.Status.MAYBE_SENT)
    assert maybe.attempts == 1 and "no answer after the data" in maybe.last_error
    assert maybe.next_attempt_at >= timezone.now() + MAYBE_SENT_DELAY - timedelta(seconds=5)
    # Not retried by the next drains, nor after a refusal's back-off: only after the delay.
    assert notify.deliver_pending() == 0
    assert _drain_later(10) == 0
    assert _drain_later(MAYBE_SENT_DELAY.total_seconds() / 60 + 1) == 1
    copies, ids = smtp_sink.counts()
    assert copies[maybe.key] == 2 and ids[maybe.key] == {notify.message_id(maybe.key)}
    figures = _assert_whole("answer dropped after DATA", smtp_sink, expected)
    assert figures["copies_merged_by_message_id"] == 1
