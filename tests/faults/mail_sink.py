"""A local SMTP server for the mail fault tests: real SMTP conversations on 127.0.0.1 (a free
port), with faults on demand. Each connection takes the next behaviour of ``script`` (then
``"accept"``):

- ``accept``: a normal server; the message is kept and answered 250;
- ``refuse_rcpt``: 550 to RCPT (the address is refused; nothing is kept);
- ``refuse_data``: the message is read in full, then refused with 554 (nothing is kept);
- ``drop_after_data``: the message is read in full and kept (the server has it), then the
  connection is closed without an answer: the sender cannot know;
- ``stall_after_data``: the same, but the connection stays open and silent until the sink stops;
- ``stall_greeting``: the connection is accepted and never greeted.

``counts()`` gives what a person's mail client would show: for each outbox key (``X-KVSP-Key``)
the copies received and the distinct Message-IDs among them (a client shows one message per
Message-ID).
"""

import email
import socketserver
import threading
from collections import Counter
from dataclasses import dataclass, field

import pytest


@dataclass
class Received:
    key: str
    message_id: str
    to: str
    raw: bytes = field(repr=False)


class _Handler(socketserver.StreamRequestHandler):
    timeout = 30  # a client that never speaks does not hold the thread for ever

    def setup(self):
        super().setup()
        self.sink = self.server.sink

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        behaviour = self.sink.next_behaviour()
        if behaviour == "stall_greeting":
            self.sink.release.wait(60)
            return
        self.reply("220 sink.kvsp.test ESMTP")
        recipients = []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line.decode(errors="replace").strip().split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 sink.kvsp.test")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                if behaviour == "refuse_rcpt":
                    self.reply("550 5.1.1 mailbox unavailable")
                else:
                    recipients.append(line.decode(errors="replace").split(":", 1)[1].strip(" <>\r\n"))
                    self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 go ahead")
                data = self._read_data()
                if behaviour == "refuse_data":
                    self.reply("554 5.6.0 message refused")
                    continue
                self.sink.keep(data, recipients)
                if behaviour == "drop_after_data":
                    return  # the connection closes: no answer
                if behaviour == "stall_after_data":
                    self.sink.release.wait(60)
                    return
                self.reply("250 OK queued")
            elif verb == "RSET" or verb == "NOOP":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")

    def _read_data(self) -> bytes:
        lines = []
        while True:
            line = self.rfile.readline()
            if not line or line in (b".\r\n", b".\n"):
                break
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class MailSink:
    def __init__(self, node=None):
        self.node = node  # the test's item, for report()
        self.script: list[str] = []
        self.received: list[Received] = []
        self.connections = 0
        self.release = threading.Event()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.sink = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> "MailSink":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    def next_behaviour(self) -> str:
        with self._lock:
            self.connections += 1
            return self.script.pop(0) if self.script else "accept"

    def keep(self, data: bytes, recipients: list[str]) -> None:
        message = email.message_from_bytes(data)
        key = " ".join(str(message["X-KVSP-Key"] or "").split())
        with self._lock:
            for to in recipients:
                self.received.append(Received(key, str(message["Message-ID"]), to, data))

    def counts(self) -> tuple[Counter, dict]:
        """Copies received for each key, and the distinct Message-IDs of each key."""
        copies = Counter(item.key for item in self.received)
        ids: dict = {}
        for item in self.received:
            ids.setdefault(item.key, set()).add(item.message_id)
        return copies, ids

    def report(self, case: str, figures: dict) -> None:
        """Print a fault case's figures, and keep them on the test's report (``fault figures``),
        which tests/conftest.py lists at the end of the run, where CI's log shows them
        (pytest-xdist does not show a passing test's output)."""
        line = f"mail fault [{case}]: " + ", ".join(f"{name}={value}" for name, value in figures.items())
        print("\n" + line)
        if self.node is not None:
            self.node.user_properties.append(("fault figures", line))

    def figures(self, expected: set[str]) -> dict:
        """What a fault case reports: expected, delivered (at least one copy), visible duplicates
        (a key shown more than once: more than one Message-ID) and extra copies a client merges."""
        copies, ids = self.counts()
        return {
            "expected": len(expected),
            "delivered": len(expected & set(copies)),
            "lost": len(expected - set(copies)),
            "duplicated": sum(1 for key in copies if len(ids[key]) > 1),
            "copies_merged_by_message_id": sum(copies.values()) - len(copies),
            "unexpected": len(set(copies) - expected),
        }


# --- fixtures (imported by name by the tests that use them) ---------------------------------------


@pytest.fixture
def smtp_sink(settings, request):
    """A running sink, and Django's settings pointing the project's SMTP backend at it, with a
    one-second EMAIL_TIMEOUT."""
    sink = MailSink(node=request.node).start()
    settings.EMAIL_BACKEND = "kvsp.notify.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 1
    try:
        yield sink
    finally:
        sink.stop()
