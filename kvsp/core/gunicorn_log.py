"""gunicorn's access log without the secret part of addresses (``--logger-class``): a calendar
program fetches /app/calendar/<token>.ics every few minutes, and a page opened from an invitation
or password-reset link sends that link as the Referer of its static files."""

from gunicorn.glogging import Logger

from .security_log import redact


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}
