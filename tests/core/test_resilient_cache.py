"""The Redis cache and task publishing behind the circuit breaker, against a port where nothing
listens (no redis-server needed): misses instead of errors, one call to Redis per outage."""

import socket

import pytest
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from kombu import pools as kombu_pools
from kombu.exceptions import OperationalError as KombuOperationalError

from kvsp.core.breaker import RedisUnavailable, breaker_for
from kvsp.core.resilient_cache import ResilientRedisCache


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def dead_url(settings):
    settings.KVSP_REDIS_BREAKER_SECONDS = 600
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    breaker_for(url).reset()
    yield url
    breaker_for(url).reset()


def test_a_dead_cache_answers_like_an_empty_one_after_one_call(dead_url):
    cache = ResilientRedisCache(dead_url, {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}})
    assert cache.get("k", "default") == "default"  # the one call: refused, the breaker opens
    assert cache.breaker.is_open and cache.breaker.calls == 1
    assert cache.set("k", "v", 30) is None
    assert cache.set("k", "v") is None and cache.touch("k", DEFAULT_TIMEOUT) is False
    assert cache.get_many(["a", "b"]) == {} and cache.has_key("k") is False
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]  # nothing stored: every key failed
    assert cache.delete("k") is False and cache.delete_many(["a"]) is None
    computed = []
    assert cache.get_or_set("k", lambda: computed.append(1) or 42, 30) == 42
    assert computed == [1]  # computed once, returned uncached
    # Answers that mean something ("the lock is mine", "the 11th hit") are not faked.
    with pytest.raises(RedisUnavailable):
        cache.add("lock", 1, 30)
    with pytest.raises(RedisUnavailable):
        cache.incr("counter")
    assert cache.breaker.calls == 1 and cache.breaker.failures == 1 and cache.breaker.skipped >= 10


def test_the_breaker_tries_again_after_its_period(dead_url):
    breaker = breaker_for(dead_url)
    breaker.failure(ConnectionError("refused"))
    assert not breaker.allow()
    breaker.expire()
    assert breaker.allow()  # the one trial call of the new period
    assert not breaker.allow()  # the others keep skipping while it is tried
    breaker.success()
    assert not breaker.is_open and breaker.allow()


def test_cache_and_broker_of_one_server_share_a_breaker(dead_url):
    cache = ResilientRedisCache(dead_url, {})
    assert cache.breaker is breaker_for(dead_url.replace("/0", "/5"))


def _fresh_pools(app):
    """Forget the connection pools, so the next publish connects to the broker now configured."""
    kombu_pools.reset()  # kombu's own registry too: the app's pool is the one kept there
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


def test_publishing_to_a_dead_broker_fails_fast_once_then_skips(dead_url, settings):
    from kvsp.celery import app
    from kvsp.core.tasks import record_heartbeat_task

    names = ("broker_url", "task_always_eager", "broker_transport_options")
    saved = {name: app.conf[name] for name in names}
    app.conf.update(
        broker_url=dead_url,
        task_always_eager=False,
        broker_transport_options={"socket_connect_timeout": 0.2, "socket_timeout": 0.2, "max_retries": 0},
    )
    _fresh_pools(app)
    try:
        with pytest.raises((KombuOperationalError, OSError)):
            record_heartbeat_task.delay()
        with pytest.raises(RedisUnavailable):
            record_heartbeat_task.delay()
    finally:
        app.conf.update(saved)
        _fresh_pools(app)
    breaker = breaker_for(dead_url)
    assert breaker.calls == 1 and breaker.failures == 1 and breaker.skipped == 1


def test_a_public_change_the_cache_did_not_take_moves_the_generation_at_the_next_read(monkeypatch):
    """A write while this process's breaker is open (or Redis away): the pages cached before it
    must not be served after Redis answers again, so the missed bump is made at the next read."""
    from django.core.cache import cache

    from kvsp.core import public_cache

    before = public_cache.generation()

    def away(*args, **kwargs):
        raise RedisUnavailable("redis://127.0.0.1:6379")

    with monkeypatch.context() as patch:
        patch.setattr(cache, "incr", away)
        public_cache.bump()  # not taken
        assert public_cache.generation() == before  # still away: tried again, not taken
    assert public_cache.generation() != before  # answered: the change is no longer hidden
    moved = public_cache.generation()
    assert public_cache.generation() == moved  # once: nothing more is pending
