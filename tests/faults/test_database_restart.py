"""PostgreSQL restarted or frozen while the web process holds its persistent connection
(CONN_MAX_AGE): the process recovers by itself and a request never waits without bound.

- A restart terminates every backend (a fast shutdown sends each one SIGTERM): the connection the
  process kept from its last request is dead. The health check at the start of the next request
  notices it and opens a new one, so the person sees the page, not an error.
- A frozen server (stopped with SIGSTOP, or a network that swallows packets) accepts the TCP
  connection and never answers: ``connect_timeout`` (DJANGO_DB_CONNECT_TIMEOUT, 5 s) bounds the
  wait, then the outage page (503, Retry-After) answers, and the next request after the server
  is back is served.

PostgreSQL only: SQLite has no server to restart (the outage page itself is tested on both in
test_database_outage.py)."""

import socket
import time
from contextlib import contextmanager

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import UserFactory
from tests.faults.test_database_outage import database_at

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"),
]


def _backend_pid() -> int:
    return connection.connection.info.backend_pid


def _terminate(pid: int) -> None:
    """What a restart does to a backend, from another connection of the server's superuser."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0] is True


def _served(handler: WSGIHandler, path: str, client: Client) -> int:
    """A GET through Django's WSGI handler, as gunicorn calls it: unlike the test client, it sends
    ``request_started`` to ``close_old_connections``, which arms the health check."""
    cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
    environ = RequestFactory().get(path, HTTP_COOKIE=cookies).environ
    status = []
    result = handler(environ, lambda line, headers, exc_info=None: status.append(line))
    try:
        b"".join(result)
    finally:
        result.close()  # request_finished: the connection is kept (CONN_MAX_AGE), not closed
    return int(status[0].split()[0])


@contextmanager
def persistent_connections():
    """The production setting (kvsp/settings/base.py): connections kept 60 s, health-checked."""
    saved = {key: connection.settings_dict[key] for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
    connection.settings_dict.update(CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True)
    try:
        yield
    finally:
        connection.settings_dict.update(saved)
        connection.close()


@contextmanager
def frozen_server():
    """A port that accepts TCP connections (the kernel completes the handshake into the backlog)
    and never answers, as a PostgreSQL stopped with SIGSTOP."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        with database_at(listener.getsockname()[1]):  # the configured connect_timeout
            yield


def test_a_restart_that_killed_the_kept_connection_costs_the_next_request_nothing(record_property):
    from django.conf import settings

    # What production runs with on PostgreSQL: the kept connection is checked before its reuse.
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(password="correct-horse-battery-9"))
    dashboard = reverse("councils:dashboard")
    handler = WSGIHandler()
    codes = []
    with persistent_connections():
        assert _served(handler, dashboard, client) == 200
        before = _backend_pid()
        assert _served(handler, dashboard, client) == 200
        assert _backend_pid() == before  # kept between requests, as in production
        for _ in range(3):  # three restarts in a row
            _terminate(_backend_pid())
            codes.append(_served(handler, dashboard, client))
        after = _backend_pid()
    line = f"[fault: database restarted under a kept connection] requests={len(codes)} answers={codes}"
    print(f"\n{line}")
    record_property("fault figures", line)
    assert codes == [200, 200, 200]
    assert after != before


def test_a_frozen_server_costs_a_request_at_most_the_connect_timeout_then_the_outage_page(record_property):
    from django.conf import settings

    timeout = settings.DATABASES["default"]["OPTIONS"]["connect_timeout"]
    assert 0 < timeout <= 10
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(password="correct-horse-battery-9"))
    dashboard = reverse("councils:dashboard")
    assert client.get(dashboard).status_code == 200
    with frozen_server():
        started = time.monotonic()
        response = client.get(dashboard)
        waited = time.monotonic() - started
    recovered = client.get(dashboard).status_code
    line = (
        f"[fault: database frozen] answer={response.status_code} after {waited:.1f} s "
        f"(connect_timeout {timeout} s), after-recovery={recovered}"
    )
    print(f"\n{line}")
    record_property("fault figures", line)
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert waited < timeout + 3
    assert recovered == 200
