"""/healthz/ reports the database, cache, broker and worker honestly."""

import os
import subprocess
import sys
import time

import pytest
from django.core.cache.backends.redis import RedisCache

from kvsp.core.tasks import HEARTBEAT_CACHE_KEY, record_heartbeat_task
from tests.conftest import require

pytestmark = pytest.mark.django_db


def test_healthz_reports_each_part(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["cache"] == "ok"
    assert body["worker"] == {"state": "unknown", "last_seen": None}
    assert "broker" in body


def test_healthz_reports_a_dead_broker_without_failing(client, settings):
    from kvsp.celery import app

    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        body = client.get("/healthz/").json()
    finally:
        app.conf.broker_url = settings.CELERY_BROKER_URL
    assert body["database"] == "ok"
    assert body["broker"].startswith("error")


def test_healthz_shows_the_worker_heartbeat(client):
    record_heartbeat_task.delay()  # eager in tests: runs inline
    worker = client.get("/healthz/").json()["worker"]
    assert worker["state"] == "ok" and worker["last_seen"]


def test_healthz_refuses_writes(client):
    assert client.post("/healthz/").status_code == 405


@pytest.mark.needs_redis
def test_real_worker_runs_a_task_through_redis(client):
    """A real Celery worker on the real Redis broker runs the heartbeat task it receives."""
    redis_url = os.environ.get("REDIS_URL")
    require("redis")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kvsp.settings.dev",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kvsp",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "-n",
            "ci-test@%h",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    cache = RedisCache(redis_url, {"KEY_PREFIX": "kvsp"})
    cache.delete(HEARTBEAT_CACHE_KEY)
    try:
        from kvsp.celery import app

        app.conf.broker_url = redis_url
        app.conf.task_always_eager = False
        record_heartbeat_task.delay()
        deadline = time.monotonic() + 60
        while cache.get(HEARTBEAT_CACHE_KEY) is None and time.monotonic() < deadline:
            assert worker.poll() is None, worker.stdout.read().decode()
            time.sleep(0.5)
        assert cache.get(HEARTBEAT_CACHE_KEY) is not None, "the worker never ran the task"
    finally:
        from django.conf import settings

        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
        app.conf.broker_url = settings.CELERY_BROKER_URL
        worker.terminate()
        worker.wait(timeout=20)
