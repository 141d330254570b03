"""`load_demo`'s reminders: today's sweep (monitoring/reminders.py), so that the demo people find
notifications in their centre and, once the worker runs, e-mails in its log (the console backend).
Idempotent: a second run on the same day gives nothing twice."""

from django.utils import timezone

from . import reminders


def load() -> int:
    return reminders.send(timezone.localdate())
