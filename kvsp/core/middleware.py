"""Request middleware of the project's own."""

import logging
import sys
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

outage_logger = logging.getLogger("kvsp.outage")

_SESSION_KEY = "kvsp_last_seen"
_WRITE_EVERY = 60  # seconds: refresh the stamp at most once a minute, not on every request


class IdleTimeoutMiddleware:
    """Sign a user out after ``SESSION_IDLE_TIMEOUT`` seconds without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(_SESSION_KEY)
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                # Carry on as an anonymous visitor: public pages still open, staff pages send
                # the person to the login page through their own login requirement.
                logout(request)
                messages.info(request, _("You were signed out after a period of inactivity."))
                return self.get_response(request)
            if last_seen is None or now - last_seen > _WRITE_EVERY:
                request.session[_SESSION_KEY] = now
        return self.get_response(request)


# --- the database is down: a 503 page, never a 500 with a stack ----------------------------------

_DATABASE_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)
try:
    import psycopg

    _DATABASE_ERRORS += (psycopg.OperationalError, psycopg.InterfaceError)
except ImportError:  # SQLite only
    pass

# SQLite's primary result codes of a database that cannot be reached or read (busy, I/O error,
# cannot open, not a database); "no such table" and other query errors are bugs, not outages.
_SQLITE_OUTAGE_CODES = {5, 10, 14, 26}


def is_outage(exc: BaseException) -> bool:
    """An error of reaching the database (no connection, the server shutting down or restarting),
    not of one query: a missing table, a deadlock or a serialization failure stay what they are
    (a 500 with its traceback, for the people who must fix it)."""
    if not isinstance(exc, _DATABASE_ERRORS):
        return False
    cause = exc.__cause__ or exc
    state = getattr(cause, "sqlstate", None)
    if state:  # PostgreSQL's class 08 (connection exception) and 57P (shutdown, cannot connect now)
        return state.startswith(("08", "57P"))
    code = getattr(cause, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _SQLITE_OUTAGE_CODES
    return True  # no code at all: the connection itself failed (psycopg gives none then)


RETRY_AFTER_SECONDS = 30
_OUTAGE_ATTRIBUTE = "_kvsp_database_outage"


OUTAGE_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


def database_outage_response() -> HttpResponse:
    """The 503 page (templates/503.html, Albanian then English), rendered without the request:
    no context processor, no session, no user, so nothing touches the database or the cache."""
    try:
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string("503.html")
        content_type = "text/html; charset=utf-8"
    except Exception:  # a template that cannot render must not turn the 503 into a 500
        body = "Shërbimi nuk është i disponueshëm për momentin. / The service is temporarily unavailable."
        content_type = "text/plain; charset=utf-8"
    response = HttpResponse(body, status=503, content_type=content_type)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # Above the CSP middleware, so its own policy: the page loads nothing and runs nothing.
    response["Content-Security-Policy"] = OUTAGE_CSP
    return response


@receiver(got_request_exception)
def _note_database_outage(sender, request=None, **kwargs):
    """A middleware below DatabaseOutageMiddleware (the session, the lazily loaded user, the
    idle timeout) hit the dead database: Django turned it into a 500 there; mark the request so
    the middleware replaces that 500 with the 503 page."""
    exc = sys.exc_info()[1]
    if request is not None and exc is not None and is_outage(exc):
        setattr(request, _OUTAGE_ATTRIBUTE, exc)


class DatabaseOutageMiddleware:
    """Near the top of MIDDLEWARE: any request the database fails answers 503 with Retry-After.

    Views' errors arrive in ``process_exception``; errors of the middleware below (which Django
    converts to a 500 response where they happen) through the ``got_request_exception`` signal.
    The site recovers by itself: the failed connection is dropped at the end of the request and
    CONN_HEALTH_CHECKS drops a dead persistent one before reuse (kvsp/settings/base.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except _DATABASE_ERRORS as exc:
            if not is_outage(exc):
                raise
            return self._outage(request, exc)
        exc = getattr(request, _OUTAGE_ATTRIBUTE, None)
        if exc is not None and response.status_code == 500:
            return self._outage(request, exc)
        return response

    def process_exception(self, request, exception):
        if is_outage(exception):
            return self._outage(request, exception)
        return None

    @staticmethod
    def _outage(request, exc) -> HttpResponse:
        outage_logger.error(
            "database unavailable: %s on %s %s: %s",
            exc.__class__.__name__,
            request.method,
            request.path,
            str(exc).splitlines()[0] if str(exc) else "",
        )
        return database_outage_response()
