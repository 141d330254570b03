"""The answer lost after the data, with a real Celery worker (tests/fixtures/workers.py) talking
SMTP to the local sink (tests/faults/mail_sink.py) through the production settings' EMAIL_URL:
the message is recorded "maybe sent", not sent again by the next drains, and once its delay is
over sent again with the same Message-ID; the others go out once. Needs PostgreSQL and
redis-server (the worker shares the test database)."""

# ruff: noqa: F811 (the fixtures, imported by name)

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.faults.mail_sink import MailSink
from tests.fixtures.workers import (  # noqa: F401 (fixtures)
    DRAIN_SECONDS,
    _needs_postgres_and_redis_server,
    broker,
    maildir,
    outbox_all_sent,
    private_redis,
    settled,
    wait_for,
    worker,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.needs_postgres,
    pytest.mark.xdist_group("celery_worker"),
]
MESSAGES = 5


@pytest.fixture
def sink(request):
    server = MailSink(node=request.node).start()
    try:
        yield server
    finally:
        server.stop()


def test_a_lost_answer_after_data_on_a_real_worker_shows_one_copy(broker, private_redis, worker, sink):
    from kvsp.notify import services as notify
    from kvsp.notify import tasks
    from kvsp.notify.models import OutboxMessage
    from monitoring.reminder_kinds import Reminder
    from tests.factories import UserFactory

    users = [UserFactory() for _ in range(MESSAGES)]
    notify.notify(
        [
            notify.Pending(
                user=user,
                kind=Reminder.REPORT_DUE,
                key=f"faults:worker:{n}",
                render=lambda: {"subject": "Njoftim", "lines": ["Rreshti i parë."], "url": "/app/"},
            )
            for n, user in enumerate(users)
        ]
    )
    expected = set(OutboxMessage.objects.values_list("key", flat=True))
    sink.script = ["drop_after_data"]
    worker.env["EMAIL_URL"] = f"smtp://127.0.0.1:{sink.port}?timeout=2"
    worker.start()
    tasks.deliver_outbox_task.delay()

    def one_left_maybe_sent():
        rows = dict(OutboxMessage.objects.values_list("key", "status"))
        return sorted(rows.values()).count(OutboxMessage.Status.SENT) == MESSAGES - 1 and (
            OutboxMessage.Status.MAYBE_SENT in rows.values()
        )

    wait_for(one_left_maybe_sent, timeout=DRAIN_SECONDS, what="one message maybe sent", log=worker.log)
    maybe = OutboxMessage.objects.get(status=OutboxMessage.Status.MAYBE_SENT)
    # The beat's next drain leaves it: its delay is not over.
    tasks.deliver_outbox_task.delay()
    wait_for(lambda: settled(private_redis, worker), timeout=DRAIN_SECONDS, what="the worker to settle")
    assert OutboxMessage.objects.get(pk=maybe.pk).status == OutboxMessage.Status.MAYBE_SENT
    # The delay is over: sent again, with the same Message-ID.
    OutboxMessage.objects.filter(pk=maybe.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    tasks.deliver_outbox_task.delay()
    wait_for(outbox_all_sent, timeout=DRAIN_SECONDS, what="the whole outbox to be sent", log=worker.log)
    wait_for(lambda: settled(private_redis, worker), timeout=DRAIN_SECONDS, what="the worker to settle")

    copies, ids = sink.counts()
    assert copies[maybe.key] == 2 and ids[maybe.key] == {notify.message_id(maybe.key)}
    figures = sink.figures(expected)
    sink.report("real worker: answer dropped after DATA", figures)
    assert figures["lost"] == 0 and figures["duplicated"] == 0 and figures["unexpected"] == 0, figures
    assert figures["copies_merged_by_message_id"] == 1
