"""The database goes away and comes back: every request meanwhile answers the Albanian 503 page
with Retry-After (never a 500 with a stack), and the first request after it returns is served
normally, without restarting anything (kvsp/core/middleware.py DatabaseOutageMiddleware).

On PostgreSQL the outage is real: the connection is closed and its settings point at a port where
nothing listens, so every query of the session, the user, the middleware and the view fails as in
a restart; then the settings are put back. On SQLite (an in-memory test database that cannot be
closed) opening a cursor fails instead."""

import socket
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import UserFactory

ALBANIAN = "Shërbimi nuk është i disponueshëm për momentin"
ENGLISH = "The service is temporarily unavailable"


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # free once the socket closes: nothing listens there


@contextmanager
def database_down(monkeypatch):
    """The default database unreachable for the block, as during a restart. On PostgreSQL for
    real: the connection closed and its port one where nothing listens. SQLite's test database
    lives in memory and cannot be closed: opening a connection fails instead."""
    if connection.vendor != "postgresql":

        def refuse(self):
            raise OperationalError("unable to open database file")

        with monkeypatch.context() as patch:
            patch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
            yield
        return
    with database_at(_closed_port(), connect_timeout=2):
        yield


@contextmanager
def database_at(port: int, **options):
    """The default connection closed and pointed at ``port`` on loopback for the block (with
    ``options`` added to its connection options), then put back as it was."""
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(port))
    connection.settings_dict["OPTIONS"] = {**saved.get("OPTIONS", {}), **options}
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def _assert_outage_page(response):
    body = response.content.decode()
    assert response.status_code == 503, body[:500]
    assert response["Retry-After"].isdigit() and int(response["Retry-After"]) > 0
    assert ALBANIAN in body and ENGLISH in body
    assert body.index(ALBANIAN) < body.index(ENGLISH)  # Albanian first
    assert "Traceback" not in body and "OperationalError" not in body
    # Served above the CSP middleware: it carries its own policy, which loads and runs nothing.
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


@pytest.mark.django_db(transaction=True)
def test_signed_in_pages_answer_503_during_a_database_outage_and_recover(
    monkeypatch, caplog, record_property
):
    user = UserFactory(password="correct-horse-battery-9")
    # The test client re-raises what Django logs as an uncaught exception; a browser never sees
    # it. The session and the user are loaded by middleware below the outage middleware, where
    # Django has already turned the error into a 500 that the middleware replaces.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    dashboard = reverse("councils:dashboard")
    assert client.get(dashboard).status_code == 200

    figures = {"requests": 0, "503": 0, "500": 0, "other": 0}
    with database_down(monkeypatch):
        for path in (dashboard, dashboard, "/notifications/", "/"):
            response = client.get(path)
            figures["requests"] += 1
            code = response.status_code
            figures["503" if code == 503 else "500" if code == 500 else "other"] += 1
            _assert_outage_page(response)
        posted = client.post(dashboard, {"anything": "x"})
        figures["requests"] += 1
        figures["503" if posted.status_code == 503 else "other"] += 1
        _assert_outage_page(posted)

    after = client.get(dashboard)  # the same process, no restart: a new connection
    line = (
        f"[fault: database down, {connection.vendor}] requests={figures['requests']} "
        f"503={figures['503']} 500={figures['500']} other={figures['other']} "
        f"after-recovery={after.status_code}"
    )
    print(f"\n{line}")
    record_property("fault figures", line)  # listed at the end of the run (tests/conftest.py)
    assert after.status_code == 200
    assert figures == {"requests": 5, "503": 5, "500": 0, "other": 0}
    assert any("database unavailable" in record.getMessage() for record in caplog.records)


@pytest.mark.django_db
def test_an_anonymous_page_whose_view_queries_gets_the_503_page(monkeypatch, client):
    """A view's own query fails (the middleware's process_exception): the 503 page, and nothing
    for the test client to re-raise, since no exception escaped as a 500."""

    def refuse(self):
        raise OperationalError("server closed the connection unexpectedly")

    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
    response = client.get("/")
    _assert_outage_page(response)
    monkeypatch.undo()
    assert client.get("/").status_code == 200


def test_the_503_page_renders_without_database_or_request(django_assert_num_queries):
    """The page itself needs no query (a test without database access would fail on one)."""
    from kvsp.core.middleware import database_outage_response

    response = database_outage_response()
    _assert_outage_page(response)
    assert response["Cache-Control"] == "no-store"


def _wrapped(cause: BaseException) -> OperationalError:
    error = OperationalError(str(cause))
    error.__cause__ = cause
    return error


def test_only_an_unreachable_database_is_an_outage_not_a_bad_query():
    """A missing table (a migration not applied) or a deadlock is a bug or a conflict: a 500 with
    its traceback for the people who must fix it, never "try again in a minute"."""
    import sqlite3

    from kvsp.core.middleware import DatabaseOutageMiddleware, is_outage

    try:
        sqlite3.connect(":memory:").execute("SELECT * FROM no_such_table")
    except sqlite3.OperationalError as missing_table:
        bug = _wrapped(missing_table)
    deadlock = _wrapped(type("DeadlockDetected", (Exception,), {"sqlstate": "40P01"})("deadlock detected"))
    shutdown = _wrapped(type("AdminShutdown", (Exception,), {"sqlstate": "57P01"})("terminating connection"))
    refused = OperationalError("connection failed: Connection refused")
    assert not is_outage(bug) and not is_outage(deadlock)
    assert is_outage(shutdown) and is_outage(refused)

    def view_raising(error):
        def get_response(request):
            raise error

        return DatabaseOutageMiddleware(get_response)

    request = RequestFactory().get("/app/")
    with pytest.raises(OperationalError):
        view_raising(bug)(request)
    assert view_raising(refused)(request).status_code == 503
