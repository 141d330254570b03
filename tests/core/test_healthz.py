"""/healthz/: a bare "ok"/503 for anyone; the state and timing of the database, cache, broker and
worker for staff and for a monitor with the token."""

import os
import subprocess
import sys
import time

import pytest
from django.core.cache.backends.redis import RedisCache

from kvsp.core.tasks import HEARTBEAT_CACHE_KEY, record_heartbeat_task
from tests.conftest import require

pytestmark = pytest.mark.django_db


TOKEN = "health-token-for-tests-0123456789"


def test_healthz_tells_the_public_only_ok(client, user):
    """Anonymous and ordinary signed-in callers get a bare "ok": no component, no timing."""
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"ok"
    client.force_login(user)
    assert client.get("/healthz/").content == b"ok"


def test_healthz_detail_for_staff(client, platform_admin):
    client.force_login(platform_admin)
    response = client.get("/healthz/")
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["state"] == "ok" and body["database"]["ms"] >= 0
    assert body["cache"]["state"] == "ok"
    assert body["worker"] == {"state": "unknown", "last_seen": None}
    assert "state" in body["broker"]


def test_healthz_detail_with_the_token(client, settings):
    settings.KVSP_HEALTH_TOKEN = TOKEN
    body = client.get("/healthz/", headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert body["database"]["state"] == "ok"
    wrong = client.get("/healthz/", headers={"Authorization": f"Bearer {TOKEN}x"})
    assert wrong.content == b"ok"


def test_healthz_token_unset_opens_nothing(client, settings):
    """Without a configured token, an empty Bearer is not a key."""
    settings.KVSP_HEALTH_TOKEN = ""
    assert client.get("/healthz/", headers={"Authorization": "Bearer "}).content == b"ok"


def test_healthz_answers_503_without_the_database(client, settings, monkeypatch):
    from django.db import OperationalError
    from django.db.backends.base.base import BaseDatabaseWrapper

    settings.KVSP_HEALTH_TOKEN = TOKEN

    def refuse(self):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
    bare = client.get("/healthz/")
    assert bare.status_code == 503 and bare.content == b"unavailable"
    detail = client.get("/healthz/", headers={"Authorization": f"Bearer {TOKEN}"})
    assert detail.status_code == 503
    assert detail.json()["database"]["state"] == "error: OperationalError"


def test_healthz_reports_a_dead_broker_without_failing(client, settings):
    from kvsp.celery import app

    settings.KVSP_HEALTH_TOKEN = TOKEN
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/healthz/", headers={"Authorization": f"Bearer {TOKEN}"})
    finally:
        app.conf.broker_url = settings.CELERY_BROKER_URL
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["state"] == "ok"
    assert body["broker"]["state"].startswith("error")


def test_healthz_shows_the_worker_heartbeat(client, platform_admin):
    record_heartbeat_task.delay()  # eager in tests: runs inline
    client.force_login(platform_admin)
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
