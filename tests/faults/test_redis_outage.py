"""Redis stopped, then frozen (SIGSTOP), on a private redis-server the cache and the broker of
this test use: every request still answers (no 500), anonymous and signed-in pages and an
invitation alike, and the whole outage costs one call to Redis, the one that found it down: the
circuit breaker (kvsp/core/breaker.py) skips every later call, from the cache and from task
publishing, until its period ends. Once Redis answers again, the cache works again.

The breaker's period is long here (10 minutes) and its end is simulated (``expire()``): the test
counts calls, not seconds. Each case prints its figures (requests, errors, calls to Redis, time)."""

import itertools
import os
import signal
import time
from contextlib import contextmanager

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from councils.models import Role
from kvsp.core import ratelimit
from kvsp.core.breaker import breaker_for
from kvsp.notify.models import OutboxMessage
from tests.conftest import require
from tests.factories import UserFactory, council, give_role
from tests.fixtures.workers import broker, private_redis  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

TIMEOUT = 0.5  # the socket timeouts of production (KVSP_REDIS_TIMEOUT)


@pytest.fixture(autouse=True)
def _needs_redis_server():
    import shutil

    require(bool(shutil.which("redis-server")), "redis-server not found (apt-get install redis-server)")


@pytest.fixture
def redis_everywhere(settings, private_redis, broker):  # noqa: F811 (fixtures)
    """The cache and the broker on the private Redis, with production's timeouts and breaker."""
    settings.CACHES = {
        "default": {
            "BACKEND": "kvsp.core.resilient_cache.ResilientRedisCache",
            "LOCATION": private_redis.url,
            "KEY_PREFIX": "kvsp-faults",
            "OPTIONS": {"socket_connect_timeout": TIMEOUT, "socket_timeout": TIMEOUT},
        }
    }
    settings.KVSP_REDIS_BREAKER_SECONDS = 600
    broker.conf.broker_transport_options = {
        "socket_connect_timeout": TIMEOUT,
        "socket_timeout": 1.0,
        "max_retries": 0,
    }
    breaker = breaker_for(private_redis.url)
    breaker.reset()
    yield private_redis, breaker
    breaker.reset()


@pytest.fixture
def chair_client(redis_everywhere):
    """A signed-in secretary of Elbasan who may invite members, and a member to invite."""
    elbasan = council("elbasan")
    secretary = UserFactory()
    give_role(elbasan, Role.SECRETARY, user=secretary)
    client = Client()
    client.force_login(secretary)
    return client, elbasan


_invited = itertools.count(1)


def _invite_urls(elbasan, count: int) -> list[str]:
    """Members to invite, made beforehand (not during the outage being measured)."""
    return [_invite_url(elbasan, next(_invited)) for _ in range(count)]


def _invite_url(elbasan, n: int) -> str:
    membership = give_role(elbasan, Role.MEMBER, full_name=f"Anëtar Provë {n}", email=f"anetar{n}@example.al")
    return reverse(
        "councils:membership-invite", kwargs={"slug": elbasan.municipality.slug, "pk": membership.pk}
    )


def _requests(client, elbasan, capture, invite_urls: list[str]) -> list[tuple[str, int, float]]:
    """Anonymous pages, signed-in pages, the health check and invitations: (what, status, seconds)."""
    anonymous = Client()
    results = []

    def timed(what, call):
        started = time.monotonic()
        response = call()
        results.append((what, response.status_code, time.monotonic() - started))

    for path in ("/", "/elbasan/", "/elbasan/consultations/", "/"):
        timed(f"anonymous {path}", lambda path=path: anonymous.get(path))
    timed("healthz", lambda: anonymous.get("/healthz/"))
    for _ in range(2):
        timed("signed-in dashboard", lambda: client.get(reverse("councils:dashboard")))
        timed("signed-in council", lambda: client.get(f"/app/{elbasan.municipality.slug}/"))
    for url in invite_urls:
        with capture(execute=True):  # the commit's callbacks: the publish to the broker
            timed("invitation", lambda url=url: client.post(url))
    return results


_record = []  # the running test's record_property


@pytest.fixture(autouse=True)
def _fault_figures(record_property):
    """Each case's figures, printed and listed at the end of the run (tests/conftest.py)."""
    _record[:] = [record_property]
    yield
    _record.clear()


def _figure(line: str) -> None:
    print(f"\n{line}")
    _record[0]("fault figures", line)


def _report(case: str, results, breaker) -> None:
    errors = sum(1 for _what, status, _s in results if status >= 500)
    slowest = max(seconds for _w, _st, seconds in results)
    _figure(
        f"[fault: {case}] requests={len(results)} errors={errors} calls-to-redis={breaker.calls} "
        f"failed-calls={breaker.failures} skipped-calls={breaker.skipped} "
        f"total={sum(s for _w, _st, s in results):.2f}s slowest={slowest:.2f}s"
    )


def _assert_all_answered(results):
    for what, status, _seconds in results:
        assert status < 500, f"{what} answered {status}"
        expected = 302 if what == "invitation" else 200
        assert status == expected, f"{what} answered {status}"


def _assert_cache_works():
    cache.set("kvsp:faults:probe", "back", 30)
    assert cache.get("kvsp:faults:probe") == "back"


@contextmanager
def frozen(server):
    """SIGSTOP: the server keeps its port and accepts connections, and never answers."""
    os.kill(server.process.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(server.process.pid, signal.SIGCONT)


def _outage_case(case, client, elbasan, breaker, capture, invite_urls):
    breaker.reset()
    results = _requests(client, elbasan, capture, invite_urls)
    _report(case, results, breaker)
    _assert_all_answered(results)
    # At most one timeout for the whole outage: the first call found Redis away and opened the
    # breaker; every later cache read, write and task publish was skipped without touching it.
    assert breaker.calls == 1 and breaker.failures == 1
    assert breaker.skipped >= len(results)
    return results


def test_redis_stopped_costs_one_call_and_the_cache_comes_back(
    redis_everywhere, chair_client, django_capture_on_commit_callbacks
):
    server, breaker = redis_everywhere
    client, elbasan = chair_client
    before = _requests(client, elbasan, django_capture_on_commit_callbacks, _invite_urls(elbasan, 1))
    _report("redis up", before, breaker)
    _assert_all_answered(before)
    assert not breaker.is_open and breaker.failures == 0

    urls = _invite_urls(elbasan, 2)
    server.stop()
    _outage_case("redis stopped", client, elbasan, breaker, django_capture_on_commit_callbacks, urls)
    # The invitations' e-mails wait in the outbox for the beat's drain.
    assert OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).count() >= 2

    server.start()
    breaker.expire()  # the breaker's period is over: the next call is a trial
    after = _requests(client, elbasan, django_capture_on_commit_callbacks, _invite_urls(elbasan, 1))
    _report("redis back", after, breaker)
    _assert_all_answered(after)
    assert not breaker.is_open
    _assert_cache_works()


def test_redis_frozen_costs_one_timeout_and_the_cache_comes_back(
    redis_everywhere, chair_client, django_capture_on_commit_callbacks
):
    server, breaker = redis_everywhere
    client, elbasan = chair_client
    _assert_all_answered(_requests(client, elbasan, django_capture_on_commit_callbacks, []))
    urls = _invite_urls(elbasan, 2)
    with frozen(server):
        # The timings are printed, not asserted (machines are noisy): the call count is the proof.
        _outage_case("redis frozen", client, elbasan, breaker, django_capture_on_commit_callbacks, urls)
    breaker.expire()
    after = _requests(client, elbasan, django_capture_on_commit_callbacks, _invite_urls(elbasan, 1))
    _report("redis thawed", after, breaker)
    _assert_all_answered(after)
    assert not breaker.is_open
    _assert_cache_works()


def test_rate_limits_fail_open_and_lockouts_keep_counting_without_redis(redis_everywhere, user, password):
    """Decided: the concern form's rate limit lets citizens through while the cache is away (our
    outage must not silence them; kvsp/core/ratelimit.py); the login lockout is unaffected, since
    django-axes counts failures in the database, not in the cache."""
    server, breaker = redis_everywhere
    server.stop()
    assert all(ratelimit.allow("kvsp:rl:faults:1.2.3.4", limit=1, window=60) for _ in range(5))
    response = Client().post(reverse("accounts:login"), {"username": user.email, "password": "wrong"})
    assert response.status_code == 200
    assert AccessAttempt.objects.filter(username=user.email).get().failures_since_start == 1
    assert breaker.calls == 1 and breaker.skipped >= 4


def test_healthz_answers_with_redis_frozen_and_says_so_to_staff(redis_everywhere, platform_admin):
    """/healthz/ stays 200 (the database answers) with the public's bare "ok", and shows staff the
    cache and broker as failing; its Redis probes cost one call in all, then the breaker answers."""
    server, breaker = redis_everywhere
    staff = Client()
    staff.force_login(platform_admin)
    anonymous = Client()
    with frozen(server):
        started = time.monotonic()
        detail = staff.get("/healthz/")
        bare = anonymous.get("/healthz/")
        again = staff.get("/healthz/")
        _figure(
            f"[fault: healthz, redis frozen] requests=3 calls-to-redis={breaker.calls} "
            f"total={time.monotonic() - started:.2f}s"
        )
    assert bare.status_code == 200 and bare.content == b"ok"
    for response in (detail, again):
        body = response.json()
        assert response.status_code == 200 and body["database"]["state"] == "ok"
        assert body["cache"]["state"].startswith("error")
        assert body["broker"]["state"].startswith("error")
    assert breaker.calls <= 2  # the cache's probe and the broker's, in parallel, before it opened
