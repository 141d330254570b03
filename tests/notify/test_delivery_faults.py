"""Delivery under faults, on a real Redis and a real Celery worker (not eager mode), never the
shared Redis: each test starts its own ``redis-server`` on a free port (no persistence) and stops
it at the end.

- the same reminder sweep run twice: one e-mail for each key;
- the worker killed (SIGKILL) at two points of a drain and restarted: every e-mail sent, at most
  one duplicate for each kill (the documented instant between the mail server's answer and the
  commit that records it);
- Redis stopped during a request that causes a notification: the request succeeds, the e-mail
  goes out once Redis and the worker are back;
- the pages that read the cache answer 200 with Redis down.

The worker is a separate process: it runs with the production settings on the test database
(``transaction=True``, so it sees committed rows), the private Redis as its broker and Django's
file-based e-mail backend, so that every message it hands to the "mail server" is on disk; each
carries its outbox key in ``X-KVSP-Key``. Needs PostgreSQL (the worker and the test share one
database) and ``redis-server``; without them the tests skip and say why (with CI=true a skip
fails the run).
"""

# ruff: noqa: F811 (the fixtures of tests/fixtures/workers.py, imported by name)

import time
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from tests.builders import approve_by_decision
from tests.fixtures.workers import (  # noqa: F401 (fixtures)
    DRAIN_SECONDS,
    _needs_postgres_and_redis_server,
    broker,
    mail_by_key,
    maildir,
    other_sessions_gone,
    outbox_all_sent,
    private_redis,
    settled,
    wait_for,
    worker,
)

# One xdist worker runs the tests that start a Celery worker process of tests/fixtures/workers.py
# (and the whole year's): all transactional, so the group keeps its place after the database tests.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.needs_postgres,
    pytest.mark.xdist_group("celery_worker"),
]

TIRANE = ZoneInfo("Europe/Tirane")


@pytest.fixture
def elbasan(reference_data):
    """Elbasan's council, established (the reference data starts every council as not yet)."""
    from councils.models import Council
    from tests.factories import council

    Council.objects.filter(municipality__slug="elbasan").update(status=Council.Status.ACTIVE)
    return council("elbasan")


def officers(elbasan, *, start_date=None) -> dict:
    """A user in each officer role of the council, and a member, through the services; and
    their institutions (``municipality``, ``police``, ``prosecution``, ``school``)."""
    from councils.models import Institution, Role
    from tests.factories import UserFactory, give_role

    municipality = Institution.objects.create(name="Bashkia Elbasan", category="a")
    police = Institution.objects.create(name="Drejtoria Vendore e Policisë Elbasan", category="c")
    prosecution = Institution.objects.create(name="Prokuroria e Rrethit Gjyqësor Elbasan", category="d")
    school = Institution.objects.create(name="Drejtoria Arsimore Rajonale Elbasan", category="e")
    roles = [
        ("chair", Role.CHAIR, municipality),
        ("secretary", Role.SECRETARY, municipality),
        ("skn_municipality", Role.SKN_MUNICIPALITY, municipality),
        ("skn_police", Role.SKN_POLICE, police),
        ("skn_prosecution", Role.SKN_PROSECUTION, prosecution),
        ("member", Role.MEMBER, school),
    ]
    people = {"municipality": municipality, "police": police, "prosecution": prosecution, "school": school}
    for key, role, institution in roles:
        people[key] = UserFactory()
        give_role(elbasan, role, user=people[key], institution=institution, start_date=start_date)
    return people


# --- the tests -------------------------------------------------------------------------------------

SWEEP_DAY = date(2025, 7, 20)


def test_the_same_sweep_run_twice_sends_one_email_each(elbasan, broker, private_redis, worker, maildir):
    from councils.meetings import invitations
    from councils.meetings import services as meeting_services
    from councils.meetings.invitations import MEETING_INVITATION
    from kvsp.notify import tasks
    from kvsp.notify.models import OutboxMessage
    from monitoring import reminders
    from monitoring.reminder_kinds import Reminder

    people = officers(elbasan, start_date=date(2025, 1, 1))
    # The council met in January (so its plan was due by 31 January and is not approved), and a
    # council meeting is planned a week after the sweep's day, with two people invited.
    meeting_services.attendance_record(
        meeting=meeting_services.meeting_create(
            council=elbasan, kind="council", starts_at=datetime(2025, 1, 20, 10, tzinfo=TIRANE), place="Salla"
        ),
        entries=[],
    )
    planned = meeting_services.meeting_create(
        council=elbasan, kind="council", starts_at=datetime(2025, 7, 27, 10, tzinfo=TIRANE), place="Salla"
    )
    planned.agenda_status = "agreed"  # the invitations of a council meeting wait for its agenda
    planned.save(update_fields=["agenda_status"])
    # Sent before the meeting, on the sweep's day: invitations are no longer sent once it started.
    with time_machine.travel(datetime(2025, 7, 20, 9, tzinfo=TIRANE), tick=False):
        invitations.invitations_send(
            meeting=planned,
            people=[people["member"].person, people["chair"].person],
            sent_by=people["secretary"],
        )
    due = reminders.due(SWEEP_DAY)
    expected = {f"{item.key}:{item.user.pk}" for item in due}
    kinds = {item.kind for item in due}
    assert {Reminder.PLAN_NOT_APPROVED, Reminder.MEETING_SOON, Reminder.SKN_NOT_SCHEDULED} <= kinds
    assert len({item.user.pk for item in due}) >= 5
    # The invitations wait in the outbox too (the worker was not running): they go with the rest.
    invitations = set(OutboxMessage.objects.filter(kind=MEETING_INVITATION).values_list("key", flat=True))
    assert len(invitations) == 2

    worker.start()
    # Two sweeps one after the other (the second while the worker drains the first), then two
    # more drains as the beat would ask for.
    first = reminders.send(SWEEP_DAY)
    second = reminders.send(SWEEP_DAY)
    assert (first, second) == (len(expected), 0)
    tasks.deliver_outbox_task.delay()
    tasks.deliver_outbox_task.delay()
    wait_for(outbox_all_sent, timeout=DRAIN_SECONDS, what="the outbox to be sent", log=worker.log)
    wait_for(lambda: settled(private_redis, worker), timeout=DRAIN_SECONDS, what="the worker to settle")

    sent = mail_by_key(maildir)
    assert set(sent) == expected | invitations
    assert all(count == 1 for count in sent.values()), {k: c for k, c in sent.items() if c != 1}
    assert sum(sent.values()) == len(expected) + len(invitations) == OutboxMessage.objects.count()


MESSAGES = 300


def test_the_worker_killed_mid_drain_and_restarted_sends_everything(broker, private_redis, worker, maildir):
    from django.db.models import Q

    from kvsp.notify import services as notify
    from kvsp.notify import tasks
    from kvsp.notify.models import CLAIM_TIMEOUT, OutboxMessage, SentLog
    from monitoring.reminder_kinds import Reminder
    from tests.factories import UserFactory

    users = [UserFactory() for _ in range(3)]

    def render():
        return {"subject": "Njoftim", "lines": ["Rreshti i parë."], "url": "/app/"}

    items = [
        notify.Pending(user=users[n % 3], kind=Reminder.REPORT_DUE, key=f"faults:{n}", render=render)
        for n in range(MESSAGES)
    ]
    # Written (and the drain asked for) before the worker runs: it finds the task waiting.
    assert notify.notify(items) == MESSAGES
    keys = set(OutboxMessage.objects.values_list("key", flat=True))
    assert len(keys) == MESSAGES

    def sent_count() -> int:
        return SentLog.objects.filter(sent_at__isnull=False).count()

    kills, taken_over = 0, 0
    for fraction in (0.15, 0.55):  # two kill points: early and past the middle
        worker.start()
        if kills:  # the killed worker's task is unacknowledged: the beat asks for a drain again
            tasks.deliver_outbox_task.delay()
        wait_for(
            lambda f=fraction: sent_count() >= f * MESSAGES,
            timeout=DRAIN_SECONDS,
            what=f"{fraction:.0%} of the outbox to be sent",
            interval=0.01,
            log=worker.log,
        )
        assert not other_sessions_gone(), "the worker's session is not seen by its application_name"
        worker.kill()
        kills += 1
        wait_for(other_sessions_gone, timeout=10, what="the killed worker's database session to end")
        done = sent_count()
        assert 0 < done < MESSAGES, "the drain ended before the kill: it did not land mid-drain"
        # At most the one message the worker was sending is left claimed and unrecorded; it may
        # have reached the mail server (the file) already: the only one there not recorded.
        stale = SentLog.objects.filter(sent_at__isnull=True)
        left = set(stale.values_list("key", flat=True))
        recorded = set(SentLog.objects.filter(sent_at__isnull=False).values_list("key", flat=True))
        unrecorded = set(mail_by_key(maildir)) - recorded
        assert len(left) <= 1 and unrecorded <= left, (left, unrecorded)
        # That claim is taken over after CLAIM_TIMEOUT: let the time pass for it.
        taken_over += len(left)
        stale.update(claimed_at=timezone.now() - CLAIM_TIMEOUT - timedelta(seconds=1))

    worker.start()
    tasks.deliver_outbox_task.delay()
    wait_for(outbox_all_sent, timeout=DRAIN_SECONDS, what="the whole outbox to be sent", log=worker.log)
    wait_for(lambda: settled(private_redis, worker), timeout=DRAIN_SECONDS, what="the worker to settle")

    sent = mail_by_key(maildir)
    missing = keys - set(sent)
    assert not missing, f"never sent: {sorted(missing)[:10]}"
    assert set(sent) == keys
    duplicates = {key: count for key, count in sent.items() if count > 1}
    # A duplicate only where a claim was left between the mail server's answer and the commit:
    # at most one for each kill, each a claim taken over.
    assert sum(sent.values()) - MESSAGES <= kills, duplicates
    assert all(count == 2 for count in duplicates.values()), duplicates
    assert len(duplicates) <= taken_over
    for key in duplicates:
        assert SentLog.objects.get(key=key).claims == 2
    assert SentLog.objects.filter(Q(sent_at__isnull=True) | Q(claims__gt=2)).count() == 0
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count() == MESSAGES


def test_redis_down_during_a_request_that_notifies(
    client, elbasan, broker, private_redis, worker, maildir, caplog
):
    from kvsp.notify import tasks
    from kvsp.notify.models import OutboxMessage
    from monitoring import services
    from monitoring.models import MonthlyReport
    from monitoring.reminder_kinds import Reminder
    from tests.builders import published_plan

    people = officers(elbasan)
    today = timezone.localdate()
    published_plan(people | {"council": elbasan}, year=today.year, problems=1, activities=1)
    # The plan is only what a report needs (one in force): its own notices are not this test's
    # subject, which counts the e-mails of the report's hand-off alone.
    OutboxMessage.objects.all().delete()
    report = services.report_start(council=elbasan, year=today.year, month=today.month)
    services.report_update(
        report=report, summary="U zhvilluan orët edukative.", difficulties="", proposals=""
    )

    private_redis.stop()
    client.force_login(people["skn_police"])
    started = time.monotonic()
    response = client.post(f"/app/{elbasan.slug}/monitoring/reports/{today.year}/{today.month}/submit/")
    elapsed = time.monotonic() - started
    # The broker not answering costs the request a moment, never the change, never a 500.
    assert elapsed < 30, f"the request hung {elapsed:.1f}s on the broker being down"
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.SUBMITTED
    waiting = OutboxMessage.objects.get(kind=Reminder.REPORT_WAITING)
    assert waiting.user == people["chair"] and waiting.status == OutboxMessage.Status.PENDING
    assert "the broker is not answering" in caplog.text

    # Redis is back, and a worker: the beat's next drain sends the chair's e-mail, once.
    private_redis.start()
    worker.start()
    assert mail_by_key(maildir) == Counter()
    tasks.deliver_outbox_task.delay()
    wait_for(outbox_all_sent, timeout=DRAIN_SECONDS, what="the chair's e-mail to be sent", log=worker.log)
    wait_for(lambda: settled(private_redis, worker), timeout=DRAIN_SECONDS, what="the worker to settle")
    assert mail_by_key(maildir) == Counter({waiting.key: 1})


def test_pages_that_read_the_cache_answer_with_redis_down(client, elbasan, broker, private_redis, caplog):
    from councils.meetings import services as meeting_services
    from kvsp.portal import plan_views
    from plans import services as plan_services

    people = officers(elbasan)
    year = timezone.localdate().year
    meeting = meeting_services.meeting_create(
        council=elbasan, kind="council", starts_at=timezone.now() - timedelta(days=1), place="Salla"
    )
    version = plan_services.plan_start(council=elbasan, year=year)
    problem = plan_services.problem_add(version=version, number="1.1", title="Trafiku", priority="low")
    plan_services.activity_add(
        problem=problem,
        text="Kontrolle të shpejtësisë",
        lead=people["police"],
        deadline_kind="all_year",
    )
    approve_by_decision(version, chair=people["chair"], meeting=meeting, submitted_by=people["skn_police"])
    pages = ["/", "/compliance/", f"/{elbasan.slug}/", f"/{elbasan.slug}/plan/{year}/"]
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": private_redis.url,
            "KEY_PREFIX": "kvsp",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    with override_settings(CACHES=redis_cache):  # the cache handler is reset on the change
        try:
            # With Redis up the pages fill the cache (and the pool holds connections to it) ...
            for page in pages:
                assert client.get(page).status_code == 200, page
            assert private_redis.client().dbsize() > 0
            # ... then Redis goes away: every page still answers, promptly; first with the pool's
            # connections gone dead, then with every connection refused.
            private_redis.stop()
            caplog.clear()
            for attempt in range(2):
                # Not the plan page from this process's memory (kept FRESH_SECONDS without reading
                # the shared cache): through the shared cache that is down.
                plan_views.fresh_pages.clear()
                for page in pages:
                    started = time.monotonic()
                    response = client.get(page)
                    elapsed = time.monotonic() - started
                    assert response.status_code == 200, (attempt, page, response.status_code)
                    assert elapsed < 10, f"{page} took {elapsed:.1f}s with Redis down"
            # They did go to the cache, and did without it (the one public generation,
            # kvsp/core/public_cache.py, for the page cache and the compliance overview alike).
            assert "public cache: the cache is not answering" in caplog.text
            assert "plan page: the cache is not answering" in caplog.text
        finally:
            plan_views.fresh_pages.clear()
