"""Django's SMTP backend, telling a clear refusal from an ambiguous end.

A send that fails before the message's data was handed over (connection refused, a 5xx to MAIL or
RCPT, the server gone before DATA) was certainly not delivered: the outbox retries it with a
back-off. A send whose data went out in full (the final ``CRLF.CRLF``) but whose answer never came
(the connection dropped, the socket timed out) may have been delivered: ``MaybeSent`` is raised, and
the outbox records "maybe sent" and tries again only after a delay, with the same Message-ID
(kvsp/notify/services.py). An answer the server did give (a 4xx or 5xx after the data) is a
refusal. Settings map the ``smtp://`` EMAIL_URL to this backend (kvsp/settings/base.py).
"""

import smtplib

from django.core.mail.backends import smtp

_END_OF_DATA = b"\r\n.\r\n"


class MaybeSent(Exception):
    """The message's data reached the server, its answer did not: it may have been delivered."""


class _Tracking:
    """Remembers whether the whole of a message's data was written to the socket."""

    data_sent = False
    _in_data = False

    def data(self, msg):
        self.data_sent = False
        self._in_data = True
        try:
            return super().data(msg)
        finally:
            self._in_data = False

    def send(self, s):
        super().send(s)
        payload = s.encode("ascii") if isinstance(s, str) else s
        if self._in_data and payload.endswith(_END_OF_DATA):
            self.data_sent = True


class TrackingSMTP(_Tracking, smtplib.SMTP):
    pass


class TrackingSMTPSSL(_Tracking, smtplib.SMTP_SSL):
    pass


class EmailBackend(smtp.EmailBackend):
    """Django's SMTP backend (timeout from EMAIL_TIMEOUT), raising ``MaybeSent`` on an ambiguous
    end. Use it to send one message at a time, as the outbox does."""

    @property
    def connection_class(self):
        return TrackingSMTPSSL if self.use_ssl else TrackingSMTP

    def _send(self, email_message):
        connection = self.connection
        if connection is not None:
            connection.data_sent = False
        try:
            return super()._send(email_message)
        except smtplib.SMTPResponseException:
            raise  # the server answered: a refusal, whatever the phase
        except Exception as error:
            if connection is not None and connection.data_sent:
                raise MaybeSent(f"no answer after the data: {type(error).__name__}: {error}") from error
            raise
