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

import contextlib
import email
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from tests.conftest import require

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.needs_postgres]

BASE_DIR = Path(django_settings.BASE_DIR)
TIRANE = ZoneInfo("Europe/Tirane")
SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # the file backend's line after each message
WORKER_START_SECONDS = 45
DRAIN_SECONDS = 45


# --- helpers ---------------------------------------------------------------------------------------


def wait_for(predicate, *, timeout: float, what: str, interval: float = 0.05, log=None):
    """Poll ``predicate`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        found = predicate()
        if found:
            return found
        if time.monotonic() > deadline:
            tail = f"\n--- worker log ---\n{log()}" if log else ""
            pytest.fail(f"timed out after {timeout}s waiting for {what}{tail}")
        time.sleep(interval)


def free_port() -> int:
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port != 6379:  # never the shared one
            return port


def mail_by_key(maildir: Path) -> Counter:
    """How many complete messages the file backend wrote for each X-KVSP-Key."""
    counts = Counter()
    for path in sorted(maildir.glob("*.log")):
        chunks = path.read_bytes().split(SEPARATOR)
        for chunk in chunks[:-1]:  # the last piece follows the last separator: not a message
            message = email.message_from_bytes(chunk.lstrip(b"\n"))
            key = message["X-KVSP-Key"]
            if key:
                counts[" ".join(str(key).split())] += 1
    return counts


class PrivateRedis:
    """A redis-server of the test's own, on a free port, without persistence."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = workdir
        self.process = None
        self.starts = 0

    def client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5, socket_timeout=2)

    def answers(self) -> bool:
        try:
            return bool(self.client().ping())
        except Exception:
            return False

    def start(self) -> None:
        assert self.process is None, "the private redis-server is already running"
        self.starts += 1
        log = open(self.workdir / f"redis-{self.starts}.log", "wb")  # noqa: SIM115 (the process keeps it)
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
                "--daemonize",
                "no",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        wait_for(self.answers, timeout=10, what=f"redis-server on port {self.port} to answer PING")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None
        assert not self.answers()

    def idle(self) -> bool:
        """No task waiting in the queue. (A task a killed worker took stays unacknowledged
        until the visibility timeout, an hour: the beat's next drain does its work.)"""
        return self.client().llen("celery") == 0


class Worker:
    """A real ``celery worker`` subprocess (solo pool, no beat)."""

    def __init__(self, env: dict, logdir: Path):
        self.env = env
        self.logdir = logdir
        self.process = None
        self.starts = 0
        self.log_path = None

    def text(self) -> str:
        """The log of the worker's current life."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")

    def log(self) -> str:
        """Its tail, for a failure's message."""
        return self.text()[-6000:]

    def start(self) -> None:
        assert self.process is None, "the worker is already running"
        self.starts += 1
        self.log_path = self.logdir / f"worker-{self.starts}.log"
        log = open(self.log_path, "wb")  # noqa: SIM115 (the process keeps it)
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("celery")),
                "-A",
                "kvsp",
                "worker",
                "--pool",
                "solo",
                "--concurrency",
                "1",
                "-Q",
                "celery",
                "--loglevel",
                "INFO",
                "-n",
                f"faults-{uuid.uuid4().hex[:8]}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

        def ready():
            if self.process.poll() is not None:
                pytest.fail(f"the worker exited with {self.process.returncode}:\n{self.log()}")
            return " ready." in self.text()

        wait_for(ready, timeout=WORKER_START_SECONDS, what="the worker to be ready", interval=0.1)

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no chance to finish or to give its task back."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        """A cold shutdown (SIGQUIT): the tests stop it once it is idle."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGQUIT)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def tasks_settled(self) -> bool:
        """Every task this worker (in its current life) received has finished (a retried task
        is received again: it counts once more on each side)."""
        received, finished = Counter(), Counter()
        for line in self.text().splitlines():
            if "deliver_outbox_task[" not in line:
                continue
            task_id = line.split("deliver_outbox_task[", 1)[1].split("]", 1)[0]
            if "] received" in line:
                received[task_id] += 1
            elif any(word in line for word in ("] succeeded in", "] raised", "] retry")):
                finished[task_id] += 1
        return all(finished[task_id] >= count for task_id, count in received.items())


WORKER_APPLICATION = "kvsp-fault-test-worker"


def worker_database_url() -> str:
    """The database pytest-django created, as a DATABASE_URL for the worker."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{quote(s['NAME'], safe='')}?application_name={WORKER_APPLICATION}"


def settled(redis: PrivateRedis, worker: Worker) -> bool:
    """The queue empty and every received task finished, twice in a row 0.3 s apart."""
    if not (redis.idle() and worker.tasks_settled()):
        return False
    time.sleep(0.3)
    return redis.idle() and worker.tasks_settled()


def other_sessions_gone() -> bool:
    """No worker's session on the test database: a killed worker's last statement is over. (Only
    the workers' sessions: other tests of the run may keep idle connections of their own.)"""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND application_name = %s",
            [WORKER_APPLICATION],
        )
        return cursor.fetchone()[0] == 0


def outbox_all_sent() -> bool:
    from kvsp.notify.models import OutboxMessage

    return not OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists()


# --- fixtures --------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _needs_postgres_and_redis_server():
    require("postgresql", "a separate worker process shares the test database")
    require(bool(shutil.which("redis-server")), "redis-server not found (apt-get install redis-server)")


@pytest.fixture
def private_redis(tmp_path):
    """A running private redis-server; ``.stop()`` / ``.start()`` it mid-test."""
    workdir = tmp_path / "redis"
    workdir.mkdir()
    server = PrivateRedis(workdir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def maildir(tmp_path) -> Path:
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def broker(private_redis):
    """The test process's Celery app publishes to the private Redis, not eagerly, with the
    transport options production has (kvsp/settings/base.py, REDIS_URL set)."""
    from kvsp.celery import app

    names = ("broker_url", "task_always_eager", "broker_transport_options")
    saved = {name: app.conf[name] for name in names}

    def reset_pools():
        if app._pool is not None:
            with contextlib.suppress(Exception):  # a dead broker: nothing to close cleanly
                app._pool.force_close_all()
        app._pool = None
        if "amqp" in app.__dict__:
            app.amqp._producer_pool = None

    reset_pools()
    app.conf.broker_url = private_redis.url
    app.conf.task_always_eager = False
    app.conf.broker_transport_options = {"socket_connect_timeout": 2, "socket_timeout": 2}
    yield app
    reset_pools()
    for name, value in saved.items():
        app.conf[name] = value


@pytest.fixture
def worker(transactional_db, private_redis, maildir, tmp_path):
    """A worker process, not started: ``.start()``, ``.kill()`` (SIGKILL), ``.start()`` again.
    It is stopped before the test database is flushed."""
    logdir = tmp_path / "worker"
    logdir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kvsp.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": worker_database_url(),
        "DJANGO_CONN_MAX_AGE": "0",
        "REDIS_URL": private_redis.url,
        "CELERY_BROKER_URL": private_redis.url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        # django-environ: four slashes for an absolute path.
        "EMAIL_URL": f"filemail:///{maildir}",
        "DJANGO_LOG_LEVEL": "INFO",
    }
    process = Worker(env, logdir)
    yield process
    process.stop()


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
    from councils.meetings import services as meeting_services
    from councils.meetings.services import MEETING_INVITATION
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
    meeting_services.invitations_send(
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

    people = officers(elbasan)
    today = timezone.localdate()
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
    plan_services.version_submit(version=version, user=people["skn_police"])
    plan_services.version_approve(
        version=version,
        user=people["chair"],
        meeting=meeting,
        decision_number="12",
        decision_date=timezone.localdate(),
    )
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
            # They did go to the cache, and did without it.
            assert "kvsp:compliance:generation: the cache is not answering" in caplog.text
            assert "kvsp:public-pages:generation: the cache is not answering" in caplog.text
            assert "plan page: the cache is not answering" in caplog.text
        finally:
            plan_views.fresh_pages.clear()
